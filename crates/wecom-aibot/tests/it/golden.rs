//! Golden JSON: every inbound and outbound example of the protocol reference parses into the
//! right types, and every outbound type serializes to exactly the reference's JSON.

use serde_json::{Value, json};
use wecom_aibot::model::{
    ActiveReply, AibotCard, AskBotJump, Callback, CardUpdate, ChatType, EventKind, FeedbackType,
    MessageBody, MixedItem, Reply, StreamBody, StreamId, StreamImage,
};
use wecom_model::card::{Button, ButtonStyle, CardAction, MainTitle, TextNotice};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR")))
        .unwrap()
}

fn value(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

fn message(name: &str) -> wecom_aibot::model::Message {
    match Callback::from_json(&fixture(name)).unwrap() {
        Callback::Message(m) => m,
        other => panic!("{name}: not a message: {other:?}"),
    }
}

fn event(name: &str) -> wecom_aibot::model::Event {
    match Callback::from_json(&fixture(name)).unwrap() {
        Callback::Event(e) => e,
        other => panic!("{name}: not an event: {other:?}"),
    }
}

#[test]
fn text_in_a_group_with_a_quote() {
    let m = message("in_text_group_quote");
    assert_eq!(m.header.chattype, ChatType::Group);
    assert_eq!(m.header.chatid.as_deref(), Some("wrkSFfCgAAtMQKg4xqDatM5C9IJ8h_Nw"));
    assert_eq!(m.header.conversation(), "wrkSFfCgAAtMQKg4xqDatM5C9IJ8h_Nw");
    assert_eq!(m.header.from.userid, "zhangsan");
    assert_eq!(m.header.msgid.0, "CAIQ7IbBzAYYnPK/8ZWAgAMgx5SvkAg=");
    assert_eq!(m.text(), "@运维助手 昨晚的告警是什么原因？");
    let url = m.response_url.as_ref().unwrap();
    assert!(url.expose().ends_with("response_code=RC_Xg7pQ2vL9kT1"));
    assert!(!format!("{url:?}").contains("RC_Xg7pQ2vL9kT1"), "Debug hides the response code");
    assert_eq!(m.quote.unwrap().text(), "[告警] order-svc p99 > 2s");
}

#[test]
fn image_file_voice_video_and_mixed() {
    let MessageBody::Image(img) = message("in_image").body else { panic!() };
    assert!(img.url.starts_with("https://ww-aibot-img-1258476243.cos"));
    assert_eq!(img.aeskey, None);
    assert!(!format!("{img:?}").contains("q-signature"), "Debug hides the signed query");

    let MessageBody::File(file) = message("in_file").body else { panic!() };
    assert!(file.url.contains("7571665296904770001"));

    assert_eq!(message("in_voice").text(), "帮我查一下明天的会议安排");

    let MessageBody::Video(video) = message("in_video_ws").body else { panic!() };
    assert!(video.aeskey.is_some());
    assert!(!format!("{video:?}").contains("VmlkZW9LZXlG"), "Debug hides the aeskey");

    let m = message("in_mixed");
    let MessageBody::Mixed(mixed) = &m.body else { panic!() };
    assert_eq!(mixed.items.len(), 2);
    assert!(matches!(&mixed.items[1], MixedItem::Image(i) if i.url.contains("772299")));
    assert_eq!(m.text(), "@运维助手 这张图里的报错怎么处理");
}

#[test]
fn refresh_callback() {
    let Callback::Refresh(r) = Callback::from_json(&fixture("in_refresh")).unwrap() else {
        panic!()
    };
    assert_eq!(r.stream_id, StreamId("stream_1767225600123_9f2c41ab".into()));
    assert_eq!(r.header.from.userid, "zhangsan");
}

#[test]
fn events() {
    let e = event("ev_enter_chat");
    assert_eq!(e.kind, EventKind::EnterChat);
    assert_eq!(e.header.create_time, Some(1_767_225_600));

    let EventKind::TemplateCard(c) = event("ev_card_button").kind else { panic!() };
    assert_eq!((c.card_type.as_str(), c.event_key.as_str()), ("button_interaction", "approve"));
    assert_eq!(c.task_id, "deploy-v1_4-20260101-001");
    assert_eq!(c.selected_items[0].option_ids, ["tonight"]);

    let EventKind::TemplateCard(c) = event("ev_card_vote").kind else { panic!() };
    assert_eq!(c.selected_items[0].option_ids, ["a", "b"]);
    let EventKind::TemplateCard(c) = event("ev_card_multiple").kind else { panic!() };
    assert_eq!(c.selected_items.len(), 2);
    assert_eq!(c.selected_items[1].question_key, "site");
    let e = event("ev_card_menu");
    assert!(e.response_url.is_some());
    let EventKind::TemplateCard(c) = e.kind else { panic!() };
    assert!(c.selected_items.is_empty());
    assert_eq!(c.event_key, "mute_1h");

    let EventKind::Feedback(f) = event("ev_feedback").kind else { panic!() };
    assert_eq!(f.kind, FeedbackType::Inaccurate);
    assert_eq!(f.inaccurate_reason_list, [2, 3]);
    assert_eq!(f.content.as_deref(), Some("没有给出根因"));

    assert_eq!(event("ev_disconnected_ws").kind, EventKind::Disconnected);
}

#[test]
fn the_flat_card_event_shape_of_the_node_sdk_is_read_too() {
    let json = json!({"msgid":"m","aibotid":"a","chattype":"single","from":{"userid":"u"},
        "msgtype":"event","event":{"eventtype":"template_card_event","event_key":"k","task_id":"t"}});
    let Callback::Event(e) = Callback::from_value(json).unwrap() else { panic!() };
    let EventKind::TemplateCard(c) = e.kind else { panic!() };
    assert_eq!((c.event_key.as_str(), c.task_id.as_str()), ("k", "t"));
}

#[test]
fn unknown_kinds_are_kept_raw_and_never_an_error() {
    let json = json!({"msgid":"m","aibotid":"a","chattype":"channel","from":{"userid":"u"},
        "msgtype":"hologram","hologram":{"depth":3}});
    let Callback::Message(m) = Callback::from_value(json).unwrap() else { panic!() };
    assert_eq!(m.header.chattype, ChatType::Other("channel".into()));
    let MessageBody::Unknown { msgtype, raw } = m.body else { panic!() };
    assert_eq!(msgtype, "hologram");
    assert_eq!(raw["hologram"]["depth"], 3);

    let json = json!({"msgid":"m","aibotid":"a","chattype":"single","from":{"userid":"u"},
        "msgtype":"event","event":{"eventtype":"new_thing","new_thing":{"x":1}}});
    let Callback::Event(e) = Callback::from_value(json).unwrap() else { panic!() };
    assert!(
        matches!(e.kind, EventKind::Unknown { ref eventtype, ref raw } if eventtype == "new_thing" && raw["new_thing"]["x"] == 1)
    );

    let json = json!({"msgid":"m","aibotid":"a","chattype":"single","from":{"userid":"u"},
        "msgtype":"event","event":{"eventtype":"feedback_event","feedback_event":{"id":"f","type":9}}});
    let Callback::Event(e) = Callback::from_value(json).unwrap() else { panic!() };
    assert!(matches!(e.kind, EventKind::Feedback(ref f) if f.kind == FeedbackType::Other(9)));

    let Callback::Unknown(u) = Callback::from_value(json!({"hello": 1})).unwrap() else { panic!() };
    assert_eq!(u.raw["hello"], 1);
    assert!(Callback::from_json("[1,2]").is_err());
}

/// Every outbound example reads into its type and writes back byte-for-byte equal JSON.
#[test]
fn every_outbound_example_round_trips() {
    for name in [
        "out_welcome_text",
        "out_welcome_card",
        "out_stream_first",
        "out_stream_refresh",
        "out_stream_final_image",
        "out_card_button",
        "out_stream_with_card",
    ] {
        let reply: Reply = serde_json::from_value(value(name)).unwrap();
        assert_eq!(serde_json::to_value(&reply).unwrap(), value(name), "{name}");
    }
    let update: CardUpdate = serde_json::from_value(value("out_update_card")).unwrap();
    assert_eq!(serde_json::to_value(&update).unwrap(), value("out_update_card"));
    for name in ["out_active_markdown", "out_active_card"] {
        let reply: ActiveReply = serde_json::from_value(value(name)).unwrap();
        assert_eq!(serde_json::to_value(&reply).unwrap(), value(name), "{name}");
    }
}

#[test]
fn outbound_built_from_constructors_matches_the_reference() {
    let id = StreamId("stream_1767225600123_9f2c41ab".into());
    let mut first = StreamBody::new(id.clone(), false, "<think>正在查询告警记录…</think>");
    first.feedback = Some(wecom_aibot::model::Feedback::new("fb-7f3a91c2"));
    assert_eq!(serde_json::to_value(Reply::from(first)).unwrap(), value("out_stream_first"));

    let png = base64_decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
    );
    let image = StreamImage::from_bytes(&png);
    assert_eq!(image.md5(), "2cd8bde463f5d82aae0f0cec061d6b8f");
    let expected = value("out_stream_final_image");
    let mut last = StreamBody::new(id, true, expected["stream"]["content"].as_str().unwrap());
    last.msg_item.push(image);
    assert_eq!(serde_json::to_value(Reply::from(last)).unwrap(), expected);

    assert_eq!(
        serde_json::to_value(Reply::welcome(
            "你好，我是运维助手。\n可以问我告警、发布和值班安排。"
        ))
        .unwrap(),
        value("out_welcome_text")
    );

    let card = wecom_model::card::ButtonInteraction::new(
        MainTitle::new("确认回滚 order-svc？").desc("v1.4.2 → v1.4.1"),
        "rollback-20260101-0007",
        [
            Button::callback("回滚", "rollback").style(ButtonStyle::Style2),
            Button::callback("取消", "cancel").style(ButtonStyle::Style1),
        ],
    );
    let reply = Reply::card(AibotCard::new(card).feedback("fb-card-0007"));
    assert_eq!(serde_json::to_value(reply).unwrap(), value("out_card_button"));

    let welcome = TextNotice::new(
        MainTitle::new("欢迎使用运维助手").desc("点下面的问题试试"),
        CardAction::url("https://wiki.example.com/ops-bot"),
    )
    .task_id("welcome-20260101-lisi");
    let card = AibotCard::new(welcome).ask(AskBotJump::new("今天谁值班？", "今天谁值班？"));
    assert_eq!(serde_json::to_value(Reply::card(card)).unwrap(), value("out_welcome_card"));

    let md = ActiveReply::markdown(
        "### 排查结论\n- 根因：连接池耗尽\n- 处理：已扩容\n\n[查看工单](https://itsm.example.com/t/8812)",
    );
    let ActiveReply::Markdown { mut markdown } = md else { panic!() };
    markdown.feedback = Some(wecom_aibot::model::Feedback::new("fb-late-8812"));
    assert_eq!(
        serde_json::to_value(ActiveReply::Markdown { markdown }).unwrap(),
        value("out_active_markdown")
    );
}

fn base64_decode(s: &str) -> Vec<u8> {
    base64_simd::STANDARD.decode_to_vec(s).unwrap()
}
