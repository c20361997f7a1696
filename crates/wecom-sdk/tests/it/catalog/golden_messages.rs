//! Golden JSON for every message kind: a request built through the public API serializes to
//! exactly the body WeCom documents (examples copied from the reference where it has one),
//! and that body parses back into the same request.

// JSON bodies are copied verbatim from WeCom's documentation, agent ids without separators.
#![allow(clippy::unreadable_literal)]

use std::time::Duration;

use serde_json::{Value, json};
use wecom::message::{
    Article, ContentItem, File, Image, Markdown, MessageRequest, MiniProgramNotice, MpArticle,
    MpNews, News, Recipients, Safe, Text, TextCard, Video, Voice,
};

const AGENT: i64 = 1_000_002;

/// `req` is valid, serializes to `expected`, and `expected` parses back into `req`.
fn golden(req: &MessageRequest, expected: &Value) {
    req.validate().unwrap();
    assert_eq!(&serde_json::to_value(req).unwrap(), expected);
    let parsed: MessageRequest = serde_json::from_value(expected.clone()).unwrap();
    assert_eq!(&parsed, req);
}

fn alice() -> Recipients {
    Recipients::users(["alice"]).into()
}

#[test]
fn common_fields_example_from_the_reference() {
    // §2.1 example, verbatim.
    let expected = json!({
      "touser": "alice|bob",
      "toparty": "2|7",
      "totag": "12",
      "msgtype": "text",
      "agentid": 1000002,
      "text": { "content": "Build #42 passed.\nSee <a href=\"https://ci.example.com/42\">details</a>" },
      "safe": 0,
      "enable_id_trans": 0,
      "enable_duplicate_check": 1,
      "duplicate_check_interval": 600
    });
    let req = MessageRequest::new(
        AGENT,
        Recipients::users(["alice", "bob"]).and_parties([2, 7]).and_tags([12]),
        Text::new("Build #42 passed.\nSee <a href=\"https://ci.example.com/42\">details</a>"),
    )
    .safe(false)
    .enable_id_trans(false)
    .duplicate_check(Duration::from_secs(600));
    golden(&req, &expected);
    assert!(req.has_duplicate_check());
}

#[test]
fn absent_options_are_left_out() {
    let req = MessageRequest::new(AGENT, alice(), Text::new("hi"));
    golden(
        &req,
        &json!({ "touser": "alice", "msgtype": "text", "agentid": 1000002, "text": { "content": "hi" } }),
    );
    assert!(!req.has_duplicate_check());
}

#[test]
fn everyone_is_spelled_at_all() {
    let req = MessageRequest::new(AGENT, Recipients::all(), Text::new("hi")).enable_id_trans(true);
    golden(
        &req,
        &json!({
            "touser": "@all", "msgtype": "text", "agentid": 1000002,
            "text": { "content": "hi" }, "enable_id_trans": 1
        }),
    );
}

#[test]
fn departments_and_tags_alone_leave_touser_out() {
    let req = MessageRequest::new(AGENT, Recipients::parties([3]).and_tags([4, 5]), Text::new("x"));
    golden(
        &req,
        &json!({
            "toparty": "3", "totag": "4|5", "msgtype": "text", "agentid": 1000002,
            "text": { "content": "x" }
        }),
    );
}

#[test]
fn image() {
    let req = MessageRequest::new(AGENT, alice(), Image::new("MEDIA_ID")).safe(true);
    golden(
        &req,
        &json!({
            "touser": "alice", "msgtype": "image", "agentid": 1000002,
            "image": { "media_id": "MEDIA_ID" }, "safe": 1
        }),
    );
}

#[test]
fn voice() {
    let req = MessageRequest::new(AGENT, alice(), Voice::new("MEDIA_ID"));
    golden(
        &req,
        &json!({
            "touser": "alice", "msgtype": "voice", "agentid": 1000002,
            "voice": { "media_id": "MEDIA_ID" }
        }),
    );
}

#[test]
fn video_with_and_without_its_optional_fields() {
    let full = MessageRequest::new(
        AGENT,
        alice(),
        Video::new("MEDIA_ID").title("Title").description("Description"),
    );
    golden(
        &full,
        &json!({
            "touser": "alice", "msgtype": "video", "agentid": 1000002,
            "video": { "media_id": "MEDIA_ID", "title": "Title", "description": "Description" }
        }),
    );
    let bare = MessageRequest::new(AGENT, alice(), Video::new("MEDIA_ID"));
    golden(
        &bare,
        &json!({
            "touser": "alice", "msgtype": "video", "agentid": 1000002,
            "video": { "media_id": "MEDIA_ID" }
        }),
    );
}

#[test]
fn file() {
    let req = MessageRequest::new(AGENT, alice(), File::new("MEDIA_ID")).safe(Safe::Confidential);
    golden(
        &req,
        &json!({
            "touser": "alice", "msgtype": "file", "agentid": 1000002,
            "file": { "media_id": "MEDIA_ID" }, "safe": 1
        }),
    );
}

#[test]
fn textcard_example_from_the_reference() {
    // §2.8 example, verbatim.
    let textcard = json!({
      "title": "Expense approved",
      "description": "<div class=\"gray\">2025-01-01</div><div class=\"normal\">Trip to SZ</div><div class=\"highlight\">Amount: 1,200</div>",
      "url": "https://example.com/expense/77",
      "btntxt": "Open"
    });
    let req = MessageRequest::new(
        AGENT,
        alice(),
        TextCard::new(
            "Expense approved",
            "<div class=\"gray\">2025-01-01</div><div class=\"normal\">Trip to SZ</div><div class=\"highlight\">Amount: 1,200</div>",
            "https://example.com/expense/77",
        )
        .btntxt("Open"),
    );
    golden(
        &req,
        &json!({ "touser": "alice", "msgtype": "textcard", "agentid": 1000002, "textcard": textcard }),
    );
}

#[test]
fn news_with_a_web_and_a_mini_program_article() {
    let req = MessageRequest::new(
        AGENT,
        alice(),
        News::new([
            Article::new("Notes", "https://example.com/notes")
                .description("What changed")
                .picurl("https://example.com/p.png"),
            Article::mini_program("App", "wx0123456789abcdef", "pages/index")
                .url("https://example.com/fallback"),
        ]),
    );
    golden(
        &req,
        &json!({
            "touser": "alice", "msgtype": "news", "agentid": 1000002,
            "news": { "articles": [
                { "title": "Notes", "description": "What changed", "url": "https://example.com/notes",
                  "picurl": "https://example.com/p.png" },
                { "title": "App", "url": "https://example.com/fallback",
                  "appid": "wx0123456789abcdef", "pagepath": "pages/index" }
            ] }
        }),
    );
}

#[test]
fn mpnews_with_every_field_and_corp_only_safe() {
    let req = MessageRequest::new(
        AGENT,
        alice(),
        MpNews::new([MpArticle::new("Title", "THUMB", "<p>Body</p>")
            .author("Author")
            .content_source_url("https://example.com/src")
            .digest("Digest")]),
    )
    .safe(Safe::CorpOnly);
    golden(
        &req,
        &json!({
            "touser": "alice", "msgtype": "mpnews", "agentid": 1000002,
            "mpnews": { "articles": [ {
                "title": "Title", "thumb_media_id": "THUMB", "author": "Author",
                "content_source_url": "https://example.com/src", "content": "<p>Body</p>",
                "digest": "Digest"
            } ] },
            "safe": 2
        }),
    );
}

#[test]
fn markdown() {
    let req = MessageRequest::new(AGENT, alice(), Markdown::new("**bold**"));
    golden(
        &req,
        &json!({
            "touser": "alice", "msgtype": "markdown", "agentid": 1000002,
            "markdown": { "content": "**bold**" }
        }),
    );
}

#[test]
fn miniprogram_notice_example_from_the_reference_with_agentid() {
    // §2.12 example, verbatim; `agentid` is sent although the official table omits it
    // (UNVERIFIED; WxJava and PowerWeChat send it).
    let notice = json!({
      "appid": "wx0123456789abcdef",
      "page": "pages/order?id=88",
      "title": "Meeting room booked",
      "description": "Mon 10:00",
      "emphasis_first_item": true,
      "content_item": [ { "key": "Room", "value": "4F-402" }, { "key": "Time", "value": "10:00-11:00" } ]
    });
    let req = MessageRequest::new(
        AGENT,
        alice(),
        MiniProgramNotice::new("wx0123456789abcdef", "Meeting room booked")
            .page("pages/order?id=88")
            .description("Mon 10:00")
            .emphasis_first_item(true)
            .content_item([
                ContentItem::new("Room", "4F-402"),
                ContentItem::new("Time", "10:00-11:00"),
            ]),
    );
    golden(
        &req,
        &json!({
            "touser": "alice", "msgtype": "miniprogram_notice", "agentid": 1000002,
            "miniprogram_notice": notice
        }),
    );
    // A real JSON boolean, not 0/1.
    let body = serde_json::to_value(&req).unwrap();
    assert!(body["miniprogram_notice"]["emphasis_first_item"].is_boolean());
}

#[test]
fn separators_in_hand_written_bodies_are_read_and_written_without_spaces() {
    let written = json!({
        "touser": "alice | bob", "toparty": "2 | 7", "totag": "TagID1 | 12",
        "msgtype": "text", "agentid": 1, "text": { "content": "x" }
    });
    // A tag id that is not a number cannot be sent: the body is refused while reading.
    let err = serde_json::from_value::<MessageRequest>(written).unwrap_err();
    assert!(err.to_string().contains("`TagID1` is not a numeric id"), "{err}");

    let written = json!({
        "touser": "alice | bob", "toparty": "2 | 7", "totag": "12 | 13",
        "msgtype": "text", "agentid": 1, "text": { "content": "x" }
    });
    let req: MessageRequest = serde_json::from_value(written).unwrap();
    assert_eq!(req.recipients.user_ids(), ["alice", "bob"]);
    let body = serde_json::to_value(&req).unwrap();
    assert_eq!(body["touser"], "alice|bob");
    assert_eq!(body["toparty"], "2|7");
    assert_eq!(body["totag"], "12|13");
}

#[test]
fn duplicate_check_without_interval_reads_as_wecoms_default() {
    let req: MessageRequest = serde_json::from_value(json!({
        "touser": "alice", "msgtype": "text", "agentid": 1, "text": { "content": "x" },
        "enable_duplicate_check": 1
    }))
    .unwrap();
    assert_eq!(req.options.duplicate_check, Some(Duration::from_secs(1800)));
    let off: MessageRequest = serde_json::from_value(json!({
        "touser": "alice", "msgtype": "text", "agentid": 1, "text": { "content": "x" },
        "enable_duplicate_check": 0, "duplicate_check_interval": 60
    }))
    .unwrap();
    assert_eq!(off.options.duplicate_check, None);
}

#[test]
fn bodies_with_wrong_wire_types_are_refused_while_reading() {
    let base =
        json!({ "touser": "alice", "msgtype": "text", "agentid": 1, "text": { "content": "x" } });
    let with = |key: &str, value: Value| {
        let mut body = base.clone();
        body[key] = value;
        serde_json::from_value::<MessageRequest>(body)
    };
    assert!(with("safe", json!(3)).is_err());
    assert!(with("safe", json!("1")).is_err());
    assert!(with("enable_id_trans", json!(2)).is_err());
    assert!(with("agentid", json!("1000002")).is_err());
    assert!(with("msgtype", json!("sticker")).unwrap_err().to_string().contains("sticker"));
    let mut no_agent = base.clone();
    no_agent.as_object_mut().unwrap().remove("agentid");
    assert!(serde_json::from_value::<MessageRequest>(no_agent).is_err());
    // `true` for a 0/1 flag is read leniently and written back as 1.
    let lenient = with("enable_id_trans", json!(true)).unwrap();
    assert_eq!(serde_json::to_value(&lenient).unwrap()["enable_id_trans"], 1);
}
