//! Golden JSON for every template card kind and for `update_template_card`: cards built
//! through the public API serialize to exactly the documented JSON (the reference's examples
//! copied verbatim), and that JSON parses back into the same value.

// JSON bodies are copied verbatim from WeCom's documentation, agent ids without separators.
#![allow(clippy::unreadable_literal)]

use serde_json::{Value, json};
use wecom::card::{
    ActionMenu, Button, ButtonInteraction, ButtonSelection, ButtonStyle, CardAction, CardImage,
    Checkbox, CheckboxMode, CheckboxOption, DescColor, EmphasisContent, HorizontalItem,
    ImageTextArea, JumpItem, MainTitle, MenuAction, MultipleInteraction, NewsNotice, QuoteArea,
    SelectOption, Selector, Source, SubmitButton, TemplateCard, TextNotice, VerticalContent,
    VoteInteraction,
};
use wecom::message::{MessageRequest, Recipients};
use wecom::update_card::{UpdateTemplateCard, UpdateTemplateCardBody, UpdateTemplateCardResponse};

/// `req` is valid, serializes to `expected`, and `expected` parses back into `req`.
fn golden(req: &MessageRequest, expected: &Value) {
    req.validate().unwrap();
    assert_eq!(&serde_json::to_value(req).unwrap(), expected);
    let parsed: MessageRequest = serde_json::from_value(expected.clone()).unwrap();
    assert_eq!(&parsed, req);
}

/// A send body for `card` to alice.
fn send(card: &Value) -> Value {
    json!({ "touser": "alice", "msgtype": "template_card", "agentid": 1000002, "template_card": card })
}

fn to_alice(card: impl Into<TemplateCard>) -> MessageRequest {
    MessageRequest::new(1_000_002, Recipients::users(["alice"]), card.into())
}

#[test]
fn button_interaction_example_from_the_reference() {
    // §2.13 example, verbatim.
    let expected = json!({
      "touser": "alice",
      "msgtype": "template_card",
      "agentid": 1000002,
      "template_card": {
        "card_type": "button_interaction",
        "source": { "icon_url": "https://example.com/i.png", "desc": "Release bot", "desc_color": 0 },
        "main_title": { "title": "Deploy v1.4 to prod?", "desc": "requested by bob" },
        "sub_title_text": "3 services, 12 pods",
        "horizontal_content_list": [ { "keyname": "Env", "value": "prod" } ],
        "card_action": { "type": 1, "url": "https://ci.example.com/r/14" },
        "task_id": "deploy-v1_4-20250101-001",
        "button_selection": {
          "question_key": "window",
          "title": "Window",
          "option_list": [ { "id": "now", "text": "Now" }, { "id": "night", "text": "Tonight" } ],
          "selected_id": "now"
        },
        "button_list": [
          { "text": "Approve", "style": 1, "key": "approve" },
          { "text": "Reject",  "style": 2, "key": "reject" },
          { "type": 1, "text": "Logs", "url": "https://ci.example.com/r/14/logs" }
        ]
      }
    });
    let card = ButtonInteraction::new(
        MainTitle::new("Deploy v1.4 to prod?").desc("requested by bob"),
        "deploy-v1_4-20250101-001",
        [
            Button::callback("Approve", "approve").style(ButtonStyle::Style1),
            Button::callback("Reject", "reject").style(ButtonStyle::Style2),
            Button::link("Logs", "https://ci.example.com/r/14/logs"),
        ],
    )
    .source(
        Source::new("Release bot")
            .icon_url("https://example.com/i.png")
            .desc_color(DescColor::Grey),
    )
    .sub_title_text("3 services, 12 pods")
    .horizontal_content_list([HorizontalItem::text("Env", "prod")])
    .card_action(CardAction::url("https://ci.example.com/r/14"))
    .button_selection(
        ButtonSelection::new(
            "window",
            [SelectOption::new("now", "Now"), SelectOption::new("night", "Tonight")],
        )
        .title("Window")
        .selected_id("now"),
    );
    let req = to_alice(card);
    golden(&req, &expected);
    let wecom::Message::TemplateCard(card) = &req.message else { panic!("not a card") };
    assert!(card.calls_back());
    assert_eq!(card.task_id().map(wecom::card::TaskId::as_str), Some("deploy-v1_4-20250101-001"));
}

#[test]
fn vote_interaction_fragment_from_the_reference() {
    // §2.13 fragment, verbatim.
    let fragment = json!(
    { "card_type": "vote_interaction",
      "main_title": { "title": "Lunch?" },
      "task_id": "vote-20250101-lunch",
      "checkbox": { "question_key": "lunch", "mode": 1,
                    "option_list": [ { "id": "a", "text": "Noodles", "is_checked": false },
                                     { "id": "b", "text": "Rice",    "is_checked": true } ] },
      "submit_button": { "text": "Submit", "key": "lunch_submit" } });
    let card = VoteInteraction::new(
        "Lunch?",
        "vote-20250101-lunch",
        Checkbox::new(
            "lunch",
            [CheckboxOption::new("a", "Noodles"), CheckboxOption::new("b", "Rice").checked(true)],
        )
        .mode(CheckboxMode::Multiple),
        SubmitButton::new("Submit", "lunch_submit"),
    );
    golden(&to_alice(card.clone()), &send(&fragment));
    // `is_checked` travels as a JSON boolean, even when false.
    assert_eq!(
        serde_json::to_value(&card).unwrap()["checkbox"]["option_list"][0]["is_checked"],
        false
    );
}

#[test]
fn multiple_interaction_fragment_from_the_reference() {
    // §2.13 fragment, verbatim.
    let fragment = json!(
    { "card_type": "multiple_interaction",
      "main_title": { "title": "Survey" },
      "task_id": "survey-20250101",
      "select_list": [ { "question_key": "q1", "title": "Team", "selected_id": "t1",
                         "option_list": [ { "id": "t1", "text": "Infra" }, { "id": "t2", "text": "App" } ] } ],
      "submit_button": { "text": "Submit", "key": "survey_submit" } });
    let card = MultipleInteraction::new(
        "Survey",
        "survey-20250101",
        [Selector::new("q1", [SelectOption::new("t1", "Infra"), SelectOption::new("t2", "App")])
            .title("Team")
            .selected_id("t1")],
        SubmitButton::new("Submit", "survey_submit"),
    );
    golden(&to_alice(card), &send(&fragment));
}

#[test]
fn text_notice_with_every_field() {
    let card = TextNotice::new(
        MainTitle::new("Backup finished").desc("03:00"),
        CardAction::mini_program("wx0123456789abcdef", "pages/b?id=7"),
    )
    .source(Source::new("Ops").icon_url("https://e.com/i.png").desc_color(DescColor::Green))
    .action_menu(
        ActionMenu::new([MenuAction::new("Mute", "mute"), MenuAction::new("Stop", "stop")])
            .desc("More"),
    )
    .quote_area(QuoteArea::new("quoted").title("Quote").url("https://e.com/q"))
    .emphasis_content(EmphasisContent::new("1.2 TB").desc("copied"))
    .sub_title_text("All verified")
    .horizontal_content_list([
        HorizontalItem::text("Took", "42 min"),
        HorizontalItem::link("Report", "open", "https://e.com/r"),
        HorizontalItem::attachment("Log", "backup.log", "MEDIA_ID"),
        HorizontalItem::member("On call", "bob", "bob"),
    ])
    .jump_list([
        JumpItem::url("Runbook", "https://e.com/rb"),
        JumpItem::mini_program("App", "wx0123456789abcdef", ""),
    ])
    .task_id("backup-7");
    let expected = json!({
        "card_type": "text_notice",
        "source": { "icon_url": "https://e.com/i.png", "desc": "Ops", "desc_color": 3 },
        "action_menu": { "desc": "More", "action_list": [
            { "text": "Mute", "key": "mute" }, { "text": "Stop", "key": "stop" } ] },
        "main_title": { "title": "Backup finished", "desc": "03:00" },
        "quote_area": { "type": 1, "url": "https://e.com/q", "title": "Quote", "quote_text": "quoted" },
        "emphasis_content": { "title": "1.2 TB", "desc": "copied" },
        "sub_title_text": "All verified",
        "horizontal_content_list": [
            { "keyname": "Took", "value": "42 min" },
            { "type": 1, "keyname": "Report", "value": "open", "url": "https://e.com/r" },
            { "type": 2, "keyname": "Log", "value": "backup.log", "media_id": "MEDIA_ID" },
            { "type": 3, "keyname": "On call", "value": "bob", "userid": "bob" }
        ],
        "jump_list": [
            { "type": 1, "title": "Runbook", "url": "https://e.com/rb" },
            { "type": 2, "title": "App", "appid": "wx0123456789abcdef" }
        ],
        "card_action": { "type": 2, "appid": "wx0123456789abcdef", "pagepath": "pages/b?id=7" },
        "task_id": "backup-7"
    });
    let card = TemplateCard::from(card);
    assert!(card.calls_back(), "a notice card with a menu calls back");
    golden(&to_alice(card), &send(&expected));
}

#[test]
fn text_notice_with_only_a_sub_title() {
    let card = TextNotice::with_sub_title("Disk 91% full", CardAction::url("https://e.com/d"));
    let card = TemplateCard::from(card);
    assert!(!card.calls_back());
    golden(
        &to_alice(card),
        &send(&json!({
            "card_type": "text_notice",
            "sub_title_text": "Disk 91% full",
            "card_action": { "type": 1, "url": "https://e.com/d" }
        })),
    );
}

#[test]
fn news_notice_with_every_field() {
    let card = NewsNotice::new(
        "Incident 7",
        CardImage::new("https://e.com/g.png").aspect_ratio(1.5),
        CardAction::url("https://e.com/7"),
    )
    .source(Source::new("Status"))
    .action_menu(ActionMenu::new([MenuAction::new("Follow", "follow")]))
    .quote_area(QuoteArea::new("draft").mini_program("wx0123456789abcdef", "pages/pm"))
    .image_text_area(
        ImageTextArea::new("https://e.com/t.png")
            .title("Timeline")
            .desc("14 minutes")
            .mini_program("wx0123456789abcdef", "pages/t"),
    )
    .vertical_content_list([
        VerticalContent::new("Impact").desc("slow checkout"),
        VerticalContent::new("Cause"),
    ])
    .horizontal_content_list([HorizontalItem::text("Severity", "2")])
    .jump_list([JumpItem::url("Status", "https://e.com/s")])
    .task_id("incident-7");
    let expected = json!({
        "card_type": "news_notice",
        "source": { "desc": "Status" },
        "action_menu": { "action_list": [ { "text": "Follow", "key": "follow" } ] },
        "main_title": { "title": "Incident 7" },
        "quote_area": { "type": 2, "appid": "wx0123456789abcdef", "pagepath": "pages/pm", "quote_text": "draft" },
        "image_text_area": {
            "type": 2, "appid": "wx0123456789abcdef", "pagepath": "pages/t",
            "title": "Timeline", "desc": "14 minutes", "image_url": "https://e.com/t.png"
        },
        "card_image": { "url": "https://e.com/g.png", "aspect_ratio": 1.5 },
        "vertical_content_list": [ { "title": "Impact", "desc": "slow checkout" }, { "title": "Cause" } ],
        "horizontal_content_list": [ { "keyname": "Severity", "value": "2" } ],
        "jump_list": [ { "type": 1, "title": "Status", "url": "https://e.com/s" } ],
        "card_action": { "type": 1, "url": "https://e.com/7" },
        "task_id": "incident-7"
    });
    golden(&to_alice(card), &send(&expected));
    // The ratio is a JSON float.
    assert!(expected["card_image"]["aspect_ratio"].is_f64());
}

#[test]
fn news_notice_with_only_an_image_text_area() {
    let card = NewsNotice::with_image_text_area(
        "Weekly digest",
        ImageTextArea::new("https://e.com/t.png"),
        CardAction::url("https://e.com/w"),
    );
    golden(
        &to_alice(card),
        &send(&json!({
            "card_type": "news_notice",
            "main_title": { "title": "Weekly digest" },
            "image_text_area": { "image_url": "https://e.com/t.png" },
            "card_action": { "type": 1, "url": "https://e.com/w" }
        })),
    );
}

#[test]
fn submit_button_without_text_leaves_it_to_wecom() {
    let card = VoteInteraction::new(
        "Q",
        "t1",
        Checkbox::new("q", [CheckboxOption::new("a", "A")]),
        SubmitButton::with_key("go"),
    );
    let json = serde_json::to_value(TemplateCard::from(card)).unwrap();
    assert_eq!(json["submit_button"], json!({ "key": "go" }));
}

#[test]
fn update_button_example_shape() {
    // §4 fields: arrays of member ids, arrays of integer department and tag ids.
    let update = UpdateTemplateCard::replace_button(
        "RESPONSE_CODE",
        Recipients::users(["alice", "bob"]).and_parties([2]).and_tags([12, 13]),
        "Approved",
    )
    .enable_id_trans(true);
    update.validate().unwrap();
    let expected = json!({
        "userids": ["alice", "bob"],
        "partyids": [2],
        "tagids": [12, 13],
        "agentid": 1000002,
        "response_code": "RESPONSE_CODE",
        "enable_id_trans": 1,
        "button": { "replace_name": "Approved" }
    });
    assert_eq!(serde_json::to_value(update.to_body(1_000_002)).unwrap(), expected);
    let body: UpdateTemplateCardBody<'static> = serde_json::from_value(expected).unwrap();
    assert_eq!(body.agent_id, 1_000_002);
    assert_eq!(*body.update, update);
}

#[test]
fn update_card_for_everyone_with_update_only_fields() {
    let card = VoteInteraction::new(
        "Lunch?",
        "vote-1",
        Checkbox::new("lunch", [CheckboxOption::new("a", "Noodles").checked(true)]).disable(true),
        SubmitButton::new("Submit", "s"),
    )
    .replace_text("Closed");
    let update = UpdateTemplateCard::replace_card("CODE", Recipients::all(), card);
    update.validate().unwrap();
    let expected = json!({
        "atall": 1,
        "agentid": 7,
        "response_code": "CODE",
        "template_card": {
            "card_type": "vote_interaction",
            "main_title": { "title": "Lunch?" },
            "task_id": "vote-1",
            "checkbox": {
                "question_key": "lunch", "disable": true,
                "option_list": [ { "id": "a", "text": "Noodles", "is_checked": true } ]
            },
            "submit_button": { "text": "Submit", "key": "s" },
            "replace_text": "Closed"
        }
    });
    assert_eq!(serde_json::to_value(update.to_body(7)).unwrap(), expected);
    // `disable` is a real boolean.
    assert!(expected["template_card"]["checkbox"]["disable"].is_boolean());
    let body: UpdateTemplateCardBody<'static> = serde_json::from_value(expected.clone()).unwrap();
    assert_eq!(*body.update, update);
    // The update alone can be read from the same body; its agentid is the client's business.
    let alone: UpdateTemplateCard = serde_json::from_value(expected).unwrap();
    assert_eq!(alone, update);
}

#[test]
fn update_body_needs_exactly_one_of_button_and_template_card_and_an_agentid() {
    let both = json!({
        "userids": ["a"], "agentid": 1, "response_code": "C",
        "button": { "replace_name": "x" },
        "template_card": { "card_type": "text_notice", "sub_title_text": "s",
                           "card_action": { "type": 1, "url": "https://e.com" } }
    });
    let err = serde_json::from_value::<UpdateTemplateCardBody<'static>>(both).unwrap_err();
    assert!(err.to_string().contains("exactly one of `button` and `template_card`"), "{err}");
    let neither = json!({ "userids": ["a"], "agentid": 1, "response_code": "C" });
    assert!(serde_json::from_value::<UpdateTemplateCardBody<'static>>(neither).is_err());
    let no_agent =
        json!({ "userids": ["a"], "response_code": "C", "button": { "replace_name": "x" } });
    let err = serde_json::from_value::<UpdateTemplateCardBody<'static>>(no_agent).unwrap_err();
    assert!(err.to_string().contains("agentid"), "{err}");
}

#[test]
fn update_response_reads_the_documented_array() {
    // §4 response example, verbatim.
    let r: UpdateTemplateCardResponse = serde_json::from_value(json!(
        {"errcode":0,"errmsg":"ok","invaliduser":["userid1","userid2"]}
    ))
    .unwrap();
    assert_eq!(r.invalid_users, ["userid1", "userid2"]);
    // Absent, null, or in message/send's string spelling.
    let empty: UpdateTemplateCardResponse =
        serde_json::from_value(json!({"errcode":0,"errmsg":"ok"})).unwrap();
    assert!(empty.invalid_users.is_empty());
    let null: UpdateTemplateCardResponse =
        serde_json::from_value(json!({"invaliduser": null})).unwrap();
    assert!(null.invalid_users.is_empty());
    let joined: UpdateTemplateCardResponse =
        serde_json::from_value(json!({"invaliduser": "a|b"})).unwrap();
    assert_eq!(joined.invalid_users, ["a", "b"]);
    // Written as the documented array.
    assert_eq!(
        serde_json::to_value(UpdateTemplateCardResponse::new(["a"])).unwrap(),
        json!({ "invaliduser": ["a"] })
    );
}
