//! Every message kind and every card kind, sent through the SDK's typed API, is accepted by
//! the emulator's independent validation and recorded with the body exactly as the SDK
//! serialized it. The SDK's own golden fixtures (`crates/wecom-sdk/tests/fixtures/`) are sent as
//! they are, except for what only this corp can supply (media ids, the bound mini program,
//! a tag that exists).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Value, json};
use wecom::card::{
    ActionMenu, Button, ButtonSelection, CardAction, CardImage, Checkbox, CheckboxMode,
    CheckboxOption, HorizontalItem, JumpItem, MenuAction, MultipleInteraction, NewsNotice,
    QuoteArea, SelectOption, Selector, Source, SubmitButton, TextNotice, VerticalContent,
    VoteInteraction,
};
use wecom::message::{
    Article, ContentItem, File, Image, Markdown, MiniProgramNotice, MpArticle, MpNews, News,
    TextCard, Video, Voice,
};
use wecom::update_card::UpdateTemplateCardBody;
use wecom::{Client, Media, MediaType, MessageRequest, Recipients, SendReceipt, Text};

use super::support::{BOT, Env, amr, mp4, png};

fn fixtures(kind: &str) -> Vec<(String, Value)> {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../wecom-sdk/tests/fixtures").join(kind);
    let mut out: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            (name, serde_json::from_str(&text).unwrap())
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Media ids of this emulator, one per kind (the file is a PDF so `safe: 1` accepts it).
struct MediaIds {
    image: String,
    voice: String,
    video: String,
    file: String,
}

async fn upload_all(client: &Client) -> MediaIds {
    let up = |kind, name: &'static str, data: Vec<u8>| async move {
        client
            .upload_media(kind, Media::from_bytes(name, data))
            .await
            .unwrap()
            .media_id
            .into_string()
    };
    MediaIds {
        image: up(MediaType::Image, "cover.png", png(512)).await,
        voice: up(MediaType::Voice, "memo.amr", amr(400)).await,
        video: up(MediaType::Video, "demo.mp4", mp4(1024)).await,
        file: up(MediaType::File, "backup.pdf", b"%PDF-1.7 log".to_vec()).await,
    }
}

/// Replaces, anywhere in `value`, the placeholders the fixtures use for what only a live
/// corp has: media ids and the app's bound mini program.
fn localise(value: &mut Value, msgtype: &str, ids: &MediaIds, mini_program: &str) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match (key.as_str(), v.as_str()) {
                    ("media_id", Some("MEDIA_ID")) => {
                        *v = json!(match msgtype {
                            "image" => &ids.image,
                            "voice" => &ids.voice,
                            "video" => &ids.video,
                            _ => &ids.file,
                        });
                    }
                    ("thumb_media_id", Some("THUMB_MEDIA_ID")) => *v = json!(ids.image),
                    ("appid", Some("wx0123456789abcdef")) => *v = json!(mini_program),
                    _ => localise(v, msgtype, ids, mini_program),
                }
            }
        }
        Value::Array(items) => {
            for v in items {
                localise(v, msgtype, ids, mini_program);
            }
        }
        _ => {}
    }
}

/// Sends `request`, checks that the emulator recorded exactly the SDK's bytes and that the
/// receipt agrees with the record.
async fn send_and_compare(
    env: &Env,
    client: &Client,
    request: MessageRequest,
) -> (SendReceipt, Value) {
    let expected = serde_json::to_string(&request).unwrap();
    let what = format!("{}: {expected}", request.message.msgtype());
    let receipt = client.send_request(request).await.unwrap_or_else(|e| panic!("{what}\n{e}"));
    assert_eq!(env.raw_body(&receipt.msgid).await, expected, "{what}");
    let record = env.message(&receipt.msgid).await;
    let list = |key: &str| -> Vec<String> {
        record[key]
            .as_array()
            .map_or_else(Vec::new, |l| l.iter().map(|v| v.as_str().unwrap().to_owned()).collect())
    };
    assert_eq!(receipt.invalid_users, list("invaliduser"), "{what}");
    assert_eq!(receipt.invalid_parties, list("invalidparty"), "{what}");
    assert_eq!(receipt.invalid_tags, list("invalidtag"), "{what}");
    assert_eq!(receipt.unlicensed_users, list("unlicenseduser"), "{what}");
    assert_eq!(receipt.response_code.as_deref(), record["response_code"].as_str(), "{what}");
    (receipt, record)
}

#[tokio::test]
async fn every_fixture_message_is_accepted_as_serialized() {
    let env = Env::demo().await;
    let client = env.client(BOT);
    let ids = upload_all(&client).await;
    let mut msgtypes = BTreeSet::new();
    let mut card_types = BTreeSet::new();
    let mut bodies = Vec::new();
    for (name, mut body) in fixtures("messages") {
        let msgtype = body["msgtype"].as_str().unwrap().to_owned();
        localise(&mut body, &msgtype, &ids, "wxdemo0000000001");
        if body["totag"] == "12" && body.get("touser").is_none() {
            body["totag"] = json!("1"); // tag 12 does not exist here: every recipient invalid
        }
        let request: MessageRequest =
            serde_json::from_value(body.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
        // The SDK reads its fixture back without losing or adding anything.
        assert_eq!(serde_json::to_value(&request).unwrap(), body, "{name}");
        bodies.push(serde_json::to_string(&request).unwrap());
        let (receipt, record) = send_and_compare(&env, &client, request).await;
        assert_eq!(record["msgtype"], msgtype.as_str(), "{name}");
        assert!(!record["recipients"].as_array().unwrap().is_empty(), "{name}: {record}");
        if let Some(card) = body["template_card"]["card_type"].as_str() {
            card_types.insert(card.to_owned());
            let calls_back = card.ends_with("_interaction")
                || body["template_card"].get("action_menu").is_some();
            assert_eq!(receipt.response_code.is_some(), calls_back, "{name}");
        }
        msgtypes.insert(msgtype);
    }
    let all_types = [
        "file",
        "image",
        "markdown",
        "miniprogram_notice",
        "mpnews",
        "news",
        "template_card",
        "text",
        "textcard",
        "video",
        "voice",
    ];
    assert_eq!(msgtypes, all_types.iter().map(|s| (*s).to_owned()).collect());
    let all_cards = [
        "button_interaction",
        "multiple_interaction",
        "news_notice",
        "text_notice",
        "vote_interaction",
    ];
    assert_eq!(card_types, all_cards.iter().map(|s| (*s).to_owned()).collect());
    // The inbox lists them all, in order, as sent.
    assert_eq!(env.raw_bodies("").await, bodies);
}

#[tokio::test]
async fn typed_messages_are_accepted_as_serialized() {
    let env = Env::demo().await;
    let client = env.client(BOT);
    let ids = upload_all(&client).await;
    let alice = || Recipients::users(["alice"]);
    let sends = [
        client
            .send(
                Recipients::users(["alice", "bob"]).and_parties([3]),
                Text::new("Build #43 passed. <a href=\"https://ci.example.com/43\">log</a>"),
            )
            .safe(true)
            .enable_id_trans(true)
            .duplicate_check(Duration::from_secs(600)),
        client.send(alice(), Image::new(&ids.image)).safe(false),
        client.send(alice(), Voice::new(&ids.voice)),
        client
            .send(alice(), Video::new(&ids.video).title("Release demo").description("Two minutes")),
        client.send(alice(), File::new(&ids.file)).safe(true),
        client.send(
            alice(),
            TextCard::new(
                "Expense approved",
                "<div class=\"gray\">2025-01-01</div>",
                "https://example.com/e/77",
            )
            .btntxt("Open"),
        ),
        client.send(
            alice(),
            News::new([
                Article::new("Release notes", "https://example.com/notes")
                    .description("What changed")
                    .picurl("https://example.com/c.png"),
                Article::mini_program("Open the app", "wxdemo0000000001", "pages/index"),
            ]),
        ),
        client
            .send(
                alice(),
                MpNews::new([MpArticle::new("Q3 results", &ids.image, "<p>Revenue up</p>")
                    .author("Finance")
                    .digest("Up 12%")]),
            )
            .safe(wecom::message::Safe::CorpOnly),
        client
            .send(alice(), Markdown::new("# Deploy\n**v1.4** is <font color=\"info\">live</font>")),
        client.send(
            alice(),
            MiniProgramNotice::new("wxdemo0000000001", "会议室预定成功")
                .page("pages/order?id=88")
                .description("周一上午十点")
                .emphasis_first_item(true)
                .content_item([ContentItem::new("Room", "4F-402")]),
        ),
    ];
    for send in sends {
        let request = send.request().clone();
        send_and_compare(&env, &client, request).await;
    }
}

#[tokio::test]
async fn typed_cards_are_accepted_as_serialized() {
    let env = Env::demo().await;
    let client = env.client(BOT);
    let ids = upload_all(&client).await;
    let to = || Recipients::users(["alice", "bob"]);
    let menu =
        || ActionMenu::new([MenuAction::new("Mute for a day", "mute_1d")]).desc("Notifications");
    let cards: [(wecom::TemplateCard, bool); 5] = [
        (
            TextNotice::new(
                "Nightly backup finished",
                CardAction::url("https://ops.example.com/b/7"),
            )
            .source(Source::new("Backup bot").icon_url("https://example.com/i.png"))
            .action_menu(menu())
            .task_id("typed-text-notice")
            .quote_area(QuoteArea::new("OK: 14 databases").url("https://ops.example.com/log"))
            .horizontal_content_list([
                HorizontalItem::attachment("Log", "backup.pdf", &ids.file),
                HorizontalItem::member("On call", "bob", "bob"),
            ])
            .jump_list([JumpItem::mini_program("Ops app", "wxdemo0000000001", "pages/index")])
            .into(),
            true,
        ),
        (
            NewsNotice::new(
                "Incident 7 resolved",
                CardImage::new("https://example.com/graph.png").aspect_ratio(2.2),
                CardAction::url("https://status.example.com/7"),
            )
            .vertical_content_list([
                VerticalContent::new("Impact").desc("Checkout slow for 14 minutes")
            ])
            .into(),
            false,
        ),
        (
            wecom::card::ButtonInteraction::new(
                "Deploy v1.5?",
                "typed-button",
                [
                    Button::callback("Approve", "approve"),
                    Button::link("Logs", "https://ci.example.com/logs"),
                ],
            )
            .button_selection(
                ButtonSelection::new(
                    "window",
                    [SelectOption::new("now", "Now"), SelectOption::new("night", "Tonight")],
                )
                .selected_id("night"),
            )
            .into(),
            true,
        ),
        (
            VoteInteraction::new(
                "Lunch?",
                "typed-vote",
                Checkbox::new(
                    "lunch",
                    [
                        CheckboxOption::new("a", "Noodles"),
                        CheckboxOption::new("b", "Rice").checked(true),
                    ],
                )
                .mode(CheckboxMode::Multiple),
                SubmitButton::new("Vote", "lunch_submit"),
            )
            .into(),
            true,
        ),
        (
            MultipleInteraction::new(
                "Survey",
                "typed-multiple",
                [Selector::new(
                    "q1",
                    [SelectOption::new("t1", "Infra"), SelectOption::new("t2", "App")],
                )
                .title("Team")],
                SubmitButton::with_key("survey_submit"),
            )
            .into(),
            true,
        ),
    ];
    for (card, calls_back) in cards {
        let card_type = card.card_type();
        let request = client.send(to(), card).request().clone();
        let (receipt, record) = send_and_compare(&env, &client, request).await;
        assert_eq!(receipt.response_code.is_some(), calls_back, "{card_type}");
        assert_eq!(record["card_type"], card_type);
    }
}

#[tokio::test]
async fn every_fixture_card_update_applies_as_serialized() {
    let env = Env::demo().await;
    let client = env.client(BOT);
    let sent: std::collections::HashMap<String, Value> = fixtures("messages").into_iter().collect();
    for (name, mut body) in fixtures("update_template_card") {
        // Send the card the update is for (the button update goes to the button card) to
        // the members the update names.
        let card_fixture =
            if name == "button" { "template_card_button_interaction" } else { &name };
        let mut card = sent[card_fixture].clone();
        card.as_object_mut()
            .unwrap()
            .retain(|k, _| !matches!(k.as_str(), "touser" | "toparty" | "totag"));
        card["touser"] = json!("alice|bob|carol");
        // Two updates are for button cards: each needs a card of its own (task ids are
        // unique per app), and a replacement keeps its card's task id.
        let task_id = format!("{}-{name}", card["template_card"]["task_id"].as_str().unwrap());
        card["template_card"]["task_id"] = json!(task_id);
        if let Some(replacement) = body.get_mut("template_card") {
            replacement["task_id"] = json!(task_id);
        }
        let request: MessageRequest = serde_json::from_value(card).unwrap();
        let receipt = client.send_request(request).await.unwrap_or_else(|e| panic!("{name}: {e}"));
        body["response_code"] = json!(receipt.response_code.expect("interactive card"));
        if body.get("tagids").is_some() {
            body["tagids"] = json!([1]); // tags 12 and 13 do not exist here
        }
        let update: UpdateTemplateCardBody<'static> = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(serde_json::to_value(&update).unwrap(), body, "{name}: read back unchanged");
        let answer = client
            .update_template_card(update.update.into_owned())
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));

        let record = env.message(&receipt.msgid).await;
        let updated: Vec<&Value> = record["recipients"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["card"]["updates"] == 1)
            .collect();
        assert!(!updated.is_empty(), "{name}: nobody's card changed: {record}");
        for copy in updated {
            match body.get("template_card") {
                Some(card) => assert_eq!(&copy["card"]["replaced_card"], card, "{name}"),
                None => assert_eq!(
                    copy["card"]["button_text"], body["button"]["replace_name"],
                    "{name}"
                ),
            }
        }
        // Recipients the update named but who did not get the card are reported.
        let named: Vec<&str> = body["userids"]
            .as_array()
            .map_or_else(Vec::new, |l| l.iter().map(|v| v.as_str().unwrap()).collect());
        for user in &answer.invalid_users {
            assert!(named.contains(&user.as_str()), "{name}: {user} was not named");
        }
    }
}
