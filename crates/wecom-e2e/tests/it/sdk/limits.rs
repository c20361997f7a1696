//! The SDK and the emulator agree on WeCom's hard limits: a request exactly at a limit is
//! accepted by both; one step past it the SDK refuses it before any I/O (naming the field),
//! and the emulator, given the very bytes the SDK would have sent, answers WeCom's code.

use std::time::Duration;

use serde_json::Value;
use wecom::card::{
    ActionMenu, Button, ButtonInteraction, CardAction, Checkbox, CheckboxOption, MenuAction,
    MultipleInteraction, SelectOption, Selector, SubmitButton, TextNotice, VoteInteraction,
};
use wecom::message::{Article, Markdown, MpArticle, MpNews, News, TextCard};
use wecom::{Client, Media, MediaType, Message, MessageRequest, Recipients, Text};

use super::support::{BOT, Env, png};

/// A limit: the request at it, the request one step past it, the field the SDK names and
/// the code WeCom (the emulator) answers.
struct Case {
    at_limit: MessageRequest,
    past_limit: MessageRequest,
    field: &'static str,
    errcode: i64,
}

fn req(to: impl Into<Recipients>, message: impl Into<Message>) -> MessageRequest {
    MessageRequest::new(BOT, to, message)
}

fn alice() -> Recipients {
    Recipients::user("alice").into()
}

fn case(
    field: &'static str,
    errcode: i64,
    at_limit: MessageRequest,
    past_limit: MessageRequest,
) -> Case {
    Case { at_limit, past_limit, field, errcode }
}

fn ids(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}")).collect()
}

fn buttons(n: usize) -> ButtonInteraction {
    let list = (0..n).map(|i| Button::callback(format!("B{i}"), format!("k{i}")));
    ButtonInteraction::new("Pick one", format!("limit-buttons-{n}"), list)
}

fn vote(n: usize) -> VoteInteraction {
    let options = (0..n).map(|i| CheckboxOption::new(format!("o{i}"), format!("Option {i}")));
    let checkbox = Checkbox::new("q", options);
    VoteInteraction::new("Vote", format!("limit-vote-{n}"), checkbox, SubmitButton::new("Go", "go"))
}

fn selects(n: usize) -> MultipleInteraction {
    let list = (0..n).map(|i| Selector::new(format!("q{i}"), [SelectOption::new("a", "A")]));
    MultipleInteraction::new(
        "Survey",
        format!("limit-selects-{n}"),
        list,
        SubmitButton::with_key("go"),
    )
}

fn menu(n: usize) -> TextNotice {
    let actions = (0..n).map(|i| MenuAction::new(format!("Item {i}"), format!("m{i}")));
    TextNotice::new("Notice", CardAction::url("https://example.com"))
        .action_menu(ActionMenu::new(actions))
        .task_id(format!("limit-menu-{n}"))
}

fn cases(thumb: &str) -> Vec<Case> {
    let articles =
        |n: usize| News::new((0..n).map(|i| Article::new(format!("A{i}"), "https://example.com")));
    let author =
        |n: usize| MpNews::new([MpArticle::new("Q3", thumb, "<p>up</p>").author("a".repeat(n))]);
    let task =
        |n: usize| ButtonInteraction::new("T", "t".repeat(n), [Button::callback("Go", "go")]);
    vec![
        case(
            "text.content",
            45002,
            req(alice(), Text::new("x".repeat(2048))),
            req(alice(), Text::new("x".repeat(2049))),
        ),
        case(
            "markdown.content",
            45002,
            req(alice(), Markdown::new("m".repeat(2048))),
            req(alice(), Markdown::new("m".repeat(2049))),
        ),
        case("news.articles", 45008, req(alice(), articles(8)), req(alice(), articles(9))),
        case(
            "mpnews.articles[0].author",
            45032,
            req(alice(), author(64)),
            req(alice(), author(65)),
        ),
        case(
            "touser",
            40032,
            req(
                Recipients::users(std::iter::once("alice".to_owned()).chain(ids("ghost", 999))),
                Text::new("hi"),
            ),
            req(
                Recipients::users(std::iter::once("alice".to_owned()).chain(ids("ghost", 1000))),
                Text::new("hi"),
            ),
        ),
        case(
            "toparty",
            82002,
            req(Recipients::parties(2..102), Text::new("hi")),
            req(Recipients::parties(2..103), Text::new("hi")),
        ),
        case(
            "totag",
            82003,
            req(Recipients::user("alice").and_tags(1..101), Text::new("hi")),
            req(Recipients::user("alice").and_tags(1..102), Text::new("hi")),
        ),
        case(
            "duplicate_check_interval",
            40058,
            req(alice(), Text::new("once")).duplicate_check(Duration::from_secs(14_400)),
            req(alice(), Text::new("once more")).duplicate_check(Duration::from_secs(14_401)),
        ),
        case("safe", 40074, req(alice(), articles(1)), req(alice(), articles(1)).safe(true)),
        case(
            "textcard.url",
            45034,
            req(alice(), TextCard::new("T", "D", "https://example.com/e/1")),
            req(alice(), TextCard::new("T", "D", "example.com/e/1")),
        ),
        case(
            "template_card.button_list",
            40058,
            req(alice(), buttons(6)),
            req(alice(), buttons(7)),
        ),
        case(
            "template_card.checkbox.option_list",
            40058,
            req(alice(), vote(20)),
            req(alice(), vote(21)),
        ),
        case(
            "template_card.select_list",
            40058,
            req(alice(), selects(3)),
            req(alice(), selects(4)),
        ),
        case(
            "template_card.action_menu.action_list",
            40058,
            req(alice(), menu(3)),
            req(alice(), menu(4)),
        ),
        case("template_card.task_id", 42014, req(alice(), task(128)), req(alice(), task(129))),
    ]
}

async fn post_raw(env: &Env, client: &Client, body: Vec<u8>) -> Value {
    let token = client.access_token().await.unwrap();
    let url = env.url(&format!("/cgi-bin/message/send?access_token={}", token.expose()));
    env.http.post(url).body(body).send().await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn the_sdk_and_the_emulator_agree_at_and_past_each_limit() {
    let env = Env::demo().await;
    let client = env.client(BOT);
    let thumb =
        client.upload_media(MediaType::Image, Media::from_bytes("t.png", png(64))).await.unwrap();
    for Case { at_limit, past_limit, field, errcode } in cases(&thumb.media_id) {
        let receipt = client.send_request(at_limit).await.unwrap_or_else(|e| {
            panic!("{field}: at the limit the SDK or the emulator refused: {e}")
        });
        assert!(!receipt.msgid.is_empty(), "{field}");

        let sends = env.calls("/cgi-bin/message/send").await;
        let bytes = serde_json::to_vec(&past_limit).unwrap();
        let err = client.send_request(past_limit).await.unwrap_err();
        let wecom::Error::InvalidArgument(arg) = &err else { panic!("{field}: {err:?}") };
        assert_eq!(arg.field, field, "{err}");
        assert_eq!(env.calls("/cgi-bin/message/send").await, sends, "{field}: nothing sent");

        let answer = post_raw(&env, &client, bytes).await;
        assert_eq!(
            answer["errcode"], errcode,
            "{field}: the emulator on the SDK's bytes: {answer}"
        );
    }
}
