//! message/send: every validation rule answers its errcode, and valid bodies of every type
//! are accepted.

use serde_json::{Value, json};

use super::support::{BOT, Emu, NOTICES, assert_errcode, button_card, status_of, text, vote_card};

/// Sends each body with one token and checks the code.
async fn expect_all(emu: &Emu, cases: Vec<(&str, Value, i64)>) {
    let token = emu.token(BOT).await;
    for (name, body, code) in cases {
        let v = emu.post_json(&format!("/cgi-bin/message/send?access_token={token}"), &body).await;
        assert_eq!(v["errcode"], code, "{name}: {v}");
        if code != 0 {
            assert_errcode(&v, code);
        }
    }
}

/// Sets the value at `pointer` (creating the last key of an object if needed).
fn with(mut base: Value, pointer: &str, value: Value) -> Value {
    if let Some(slot) = base.pointer_mut(pointer) {
        *slot = value;
        return base;
    }
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let parent = base.pointer_mut(parent).unwrap_or_else(|| panic!("{pointer}"));
    parent.as_object_mut().unwrap().insert(key.to_owned(), value);
    base
}

fn without(mut base: Value, parent: &str, key: &str) -> Value {
    base.pointer_mut(parent).unwrap().as_object_mut().unwrap().remove(key);
    base
}

fn textcard() -> Value {
    json!({ "touser": "alice", "msgtype": "textcard", "agentid": BOT,
        "textcard": { "title": "Expense approved", "description": "<div class=\"gray\">2025-01-01</div>",
                      "url": "https://example.com/expense/77", "btntxt": "Open" } })
}

fn news(n: usize) -> Value {
    let articles: Vec<Value> = (0..n)
        .map(|i| json!({ "title": format!("t{i}"), "url": "https://example.com/a" }))
        .collect();
    json!({ "touser": "alice", "msgtype": "news", "agentid": BOT, "news": { "articles": articles } })
}

fn mpnews(thumb: &str) -> Value {
    json!({ "touser": "alice", "msgtype": "mpnews", "agentid": BOT, "safe": 2,
        "mpnews": { "articles": [ { "title": "Weekly", "thumb_media_id": thumb, "author": "ops",
                                     "content": "<p>hi</p>", "digest": "d" } ] } })
}

fn list(n: usize, f: impl Fn(usize) -> String) -> String {
    (0..n).map(f).collect::<Vec<_>>().join("|")
}

#[tokio::test]
async fn malformed_bodies_and_common_fields_are_refused() {
    let emu = Emu::demo().await;
    let token = emu.token(BOT).await;
    let v = emu
        .post_raw(&format!("/cgi-bin/message/send?access_token={token}"), "{\"touser\": \"alice\",")
        .await;
    assert_errcode(&v, 40058);
    assert!(v["errmsg"].as_str().unwrap().starts_with("Warning: wrong json format."), "{v}");
    let v = emu.post_raw(&format!("/cgi-bin/message/send?access_token={token}"), "[1,2]").await;
    assert_errcode(&v, 40058);
    expect_all(
        &emu,
        vec![
            ("missing agentid", without(text("alice", "x"), "", "agentid"), 41011),
            ("agentid as a non-numeric string", with(text("alice", "x"), "/agentid", json!("bot")), 40056),
            ("unknown agentid", with(text("alice", "x"), "/agentid", json!(42)), 40056),
            ("unknown msgtype", with(text("alice", "x"), "/msgtype", json!("sticker")), 40008),
            ("missing msgtype", without(text("alice", "x"), "", "msgtype"), 40008),
            ("safe as bool", with(text("alice", "x"), "", json!({"touser":"alice","msgtype":"text","agentid":BOT,"text":{"content":"x"},"safe":true})), 40058),
            ("safe 3", with(text("alice", "x"), "", json!({"touser":"alice","msgtype":"text","agentid":BOT,"text":{"content":"x"},"safe":3})), 40058),
            ("safe 2 on text", with(text("alice", "x"), "", json!({"touser":"alice","msgtype":"text","agentid":BOT,"text":{"content":"x"},"safe":2})), 40058),
            ("touser as array", with(text("alice", "x"), "/touser", json!(["alice"])), 40058),
            ("dup interval over 4h", with(text("alice", "x"), "", json!({"touser":"alice","msgtype":"text","agentid":BOT,"text":{"content":"x"},"enable_duplicate_check":1,"duplicate_check_interval":14401})), 40058),
        ],
    )
    .await;
    assert!(emu.messages("").await.is_empty(), "no refused message was recorded");
}

#[tokio::test]
async fn recipient_limits_and_empty_lists_are_refused() {
    let emu = Emu::demo().await;
    expect_all(
        &emu,
        vec![
            ("1000 users", with(text("alice", "x"), "/touser", json!(format!("alice|{}", list(999, |i| format!("u{i}"))))), 0),
            ("1001 users", with(text("alice", "x"), "/touser", json!(list(1001, |i| format!("u{i}")))), 40032),
            ("101 parties", json!({"toparty": list(101, |i| i.to_string()), "msgtype":"text","agentid":BOT,"text":{"content":"x"}}), 82002),
            ("101 tags", json!({"totag": list(101, |i| i.to_string()), "msgtype":"text","agentid":BOT,"text":{"content":"x"}}), 82003),
            ("all empty", json!({"touser":"", "toparty":"", "msgtype":"text","agentid":BOT,"text":{"content":"x"}}), 82001),
            ("all absent", json!({"msgtype":"text","agentid":BOT,"text":{"content":"x"}}), 82001),
        ],
    )
    .await;
}

#[tokio::test]
async fn content_rules_of_each_message_type_answer_their_codes() {
    let emu = Emu::demo().await;
    let image = emu.image_media().await;
    let long_author = "a".repeat(65);
    expect_all(
        &emu,
        vec![
            ("empty text", text("alice", ""), 44004),
            ("no text content", json!({"touser":"alice","msgtype":"text","agentid":BOT,"text":{}}), 44004),
            ("text 2048 bytes", text("alice", &"字".repeat(682)), 0),
            ("text 2049 bytes", text("alice", &format!("{}x", "a".repeat(2048))), 45002),
            ("markdown too long", json!({"touser":"alice","msgtype":"markdown","agentid":BOT,"markdown":{"content":"a".repeat(2049)}}), 45002),
            ("textcard without title", without(textcard(), "/textcard", "title"), 41016),
            ("textcard without description", without(textcard(), "/textcard", "description"), 41033),
            ("textcard url without scheme", with(textcard(), "/textcard/url", json!("example.com/x")), 45034),
            ("textcard url too long", with(textcard(), "/textcard/url", json!(format!("https://e.com/{}", "a".repeat(2040)))), 40058),
            ("news with 9 articles", news(9), 45008),
            ("news with 0 articles", news(0), 40063),
            ("news + safe", with(news(1), "", { let mut n = news(1); n["safe"] = json!(1); n }), 40074),
            ("news article without title", without(news(1), "/news/articles/0", "title"), 41016),
            ("news url without scheme", with(news(1), "/news/articles/0/url", json!("ftp://x")), 45034),
            ("image without media_id", json!({"touser":"alice","msgtype":"image","agentid":BOT,"image":{}}), 41006),
            ("image with unknown media", json!({"touser":"alice","msgtype":"image","agentid":BOT,"image":{"media_id":"nope"}}), 40007),
            ("voice with image media", json!({"touser":"alice","msgtype":"voice","agentid":BOT,"voice":{"media_id":image}}), 40007),
            ("file with image media", json!({"touser":"alice","msgtype":"file","agentid":BOT,"file":{"media_id":image}}), 0),
            ("mpnews author too long", with(mpnews(&image), "/mpnews/articles/0/author", json!(long_author)), 45032),
            ("mpnews without thumb", without(mpnews(&image), "/mpnews/articles/0", "thumb_media_id"), 41006),
            ("mpnews content too long", with(mpnews(&image), "/mpnews/articles/0/content", json!("a".repeat(666 * 1024 + 1))), 45002),
            ("mpnews 9 articles", with(mpnews(&image), "/mpnews/articles", json!(vec![mpnews(&image)["mpnews"]["articles"][0].clone(); 9])), 45008),
            ("mpnews safe 2", mpnews(&image), 0),
        ],
    )
    .await;
}

#[tokio::test]
async fn expired_media_cannot_be_sent() {
    let emu = Emu::demo().await;
    let image = emu.image_media().await;
    let body = json!({"touser":"alice","msgtype":"image","agentid":BOT,"image":{"media_id":image}});
    assert_eq!(emu.send(BOT, &body).await["errcode"], 0);
    emu.advance(3 * 24 * 3600).await;
    assert_errcode(&emu.send(BOT, &body).await, 40007);
}

#[tokio::test]
async fn safe_files_must_have_a_listed_type() {
    let emu = Emu::demo().await;
    let v =
        emu.upload(BOT, "/cgi-bin/media/upload?type=file", Some("tool.exe"), vec![1; 100]).await;
    let exe = v["media_id"].as_str().unwrap().to_owned();
    let v =
        emu.upload(BOT, "/cgi-bin/media/upload?type=file", Some("Report.PDF"), vec![1; 100]).await;
    let pdf = v["media_id"].as_str().unwrap().to_owned();
    let file = |id: &str| json!({"touser":"alice","msgtype":"file","agentid":BOT,"safe":1,"file":{"media_id":id}});
    assert_errcode(&emu.send(BOT, &file(&exe)).await, 40004);
    assert_eq!(emu.send(BOT, &file(&pdf)).await["errcode"], 0);
}

#[tokio::test]
async fn miniprogram_notice_rules() {
    let emu = Emu::demo().await;
    let notice = json!({ "touser": "alice", "msgtype": "miniprogram_notice",
        "miniprogram_notice": { "appid": "wxdemo0000000001", "page": "pages/order?id=88", "title": "Meeting room booked",
            "description": "Mon 10:00", "emphasis_first_item": true,
            "content_item": [ { "key": "Room", "value": "4F-402" } ] } });
    // No agentid in the documented body: the token's app is used.
    assert_eq!(emu.send(BOT, &notice).await["errcode"], 0);
    assert_errcode(&emu.send(BOT, &with(notice.clone(), "/touser", json!("@all"))).await, 40058);
    assert_errcode(
        &emu.send(BOT, &with(notice.clone(), "/miniprogram_notice/appid", json!("wxother"))).await,
        40058,
    );
    assert_errcode(
        &emu.send(BOT, &with(notice.clone(), "/miniprogram_notice/emphasis_first_item", json!(1)))
            .await,
        40058,
    );
    let items = vec![json!({"key": "k", "value": "v"}); 11];
    assert_errcode(
        &emu.send(BOT, &with(notice.clone(), "/miniprogram_notice/content_item", json!(items)))
            .await,
        40058,
    );
    // The Notices app is bound to no mini program.
    let mut other = notice.clone();
    other["agentid"] = json!(NOTICES);
    assert_errcode(&emu.send(NOTICES, &other).await, 48002);
}

#[tokio::test]
async fn template_card_rules_answer_their_codes() {
    let emu = Emu::demo().await;
    let b = button_card("t-1");
    let text_notice = json!({ "touser": "alice", "msgtype": "template_card", "agentid": BOT,
        "template_card": { "card_type": "text_notice", "main_title": { "title": "FYI" },
                           "card_action": { "type": 1, "url": "https://example.com" } } });
    let seven: Vec<Value> = (0..7).map(|i| json!({"text": "b", "key": format!("k{i}")})).collect();
    let multiple = json!({ "touser": "alice", "msgtype": "template_card", "agentid": BOT, "template_card": {
        "card_type": "multiple_interaction", "main_title": { "title": "Survey" }, "task_id": "survey-1",
        "select_list": [ { "question_key": "q1", "title": "Team", "selected_id": "t1",
            "option_list": [ { "id": "t1", "text": "Infra" }, { "id": "t2", "text": "App" } ] } ],
        "submit_button": { "text": "Submit", "key": "survey_submit" } } });
    expect_all(
        &emu,
        vec![
            ("button card example", b.clone(), 0),
            ("vote card example", vote_card("v-1"), 0),
            ("multiple card example", multiple.clone(), 0),
            ("text_notice", text_notice.clone(), 0),
            ("news_notice", json!({ "touser": "alice", "msgtype": "template_card", "agentid": BOT, "template_card": {
                "card_type": "news_notice", "main_title": { "title": "News" },
                "card_image": { "url": "https://example.com/i.png", "aspect_ratio": 2.25 },
                "vertical_content_list": [ { "title": "v", "desc": "d" } ],
                "jump_list": [ { "type": 1, "title": "j", "url": "https://example.com" } ],
                "card_action": { "type": 2, "appid": "wxdemo0000000001" } } }), 0),
            ("news_notice without image", json!({ "touser": "alice", "msgtype": "template_card", "agentid": BOT, "template_card": {
                "card_type": "news_notice", "main_title": { "title": "News" },
                "card_action": { "type": 1, "url": "https://example.com" } } }), 40063),
            ("unknown card_type", with(b.clone(), "/template_card/card_type", json!("fancy")), 40058),
            ("missing task_id", without(b.clone(), "/template_card", "task_id"), 42014),
            ("task_id with a space", with(b.clone(), "/template_card/task_id", json!("t 2")), 42014),
            ("task_id 129 bytes", with(b.clone(), "/template_card/task_id", json!("t".repeat(129))), 42014),
            ("task_id reused", b.clone(), 42014),
            ("button card without title", without(b.clone(), "/template_card/main_title", "title"), 41016),
            ("seven buttons", with(with(b.clone(), "/template_card/task_id", json!("t-7")), "/template_card/button_list", json!(seven)), 40058),
            ("repeated button keys", with(with(b.clone(), "/template_card/task_id", json!("t-8")), "/template_card/button_list/1/key", json!("approve")), 40058),
            ("button key over 1024 bytes", with(with(b.clone(), "/template_card/task_id", json!("t-9")), "/template_card/button_list/0/key", json!("k".repeat(1025))), 40058),
            ("style as a string", with(with(b.clone(), "/template_card/task_id", json!("t-10")), "/template_card/button_list/0/style", json!("1")), 40058),
            ("text_notice without card_action", without(text_notice.clone(), "/template_card", "card_action"), 40063),
            ("text_notice card_action type 0", with(text_notice.clone(), "/template_card/card_action/type", json!(0)), 40058),
            ("text_notice without any title", without(text_notice.clone(), "/template_card", "main_title"), 41016),
            ("text_notice menu without task_id", { let mut c = text_notice.clone(); c["template_card"]["action_menu"] = json!({"desc":"m","action_list":[{"text":"a","key":"a"}]}); c }, 42014),
            ("vote without checkbox", without(vote_card("v-2"), "/template_card", "checkbox"), 40063),
            ("vote without is_checked", without(vote_card("v-3"), "/template_card/checkbox/option_list/0", "is_checked"), 40063),
            ("vote is_checked as int", with(vote_card("v-4"), "/template_card/checkbox/option_list/0/is_checked", json!(0)), 40058),
            ("vote 21 options", with(vote_card("v-5"), "/template_card/checkbox/option_list", json!((0..21).map(|i| json!({"id": i.to_string(), "text": "o", "is_checked": false})).collect::<Vec<_>>())), 40058),
            ("vote without submit", without(vote_card("v-6"), "/template_card", "submit_button"), 40063),
            ("multiple with 4 selectors", with(with(multiple.clone(), "/template_card/task_id", json!("s-2")), "/template_card/select_list", json!(vec![multiple["template_card"]["select_list"][0].clone(); 4])), 40058),
            ("horizontal 7 items", with(with(b.clone(), "/template_card/task_id", json!("t-11")), "/template_card/horizontal_content_list", json!(vec![json!({"keyname":"k","value":"v"}); 7])), 40058),
            ("horizontal link without url", with(with(b.clone(), "/template_card/task_id", json!("t-12")), "/template_card/horizontal_content_list/0/type", json!(1)), 40063),
            ("horizontal attachment unknown media", with(with(b.clone(), "/template_card/task_id", json!("t-13")), "/template_card/horizontal_content_list/0", json!({"keyname":"k","type":2,"media_id":"nope"})), 40007),
            ("aspect ratio 3", json!({ "touser": "alice", "msgtype": "template_card", "agentid": BOT, "template_card": {
                "card_type": "news_notice", "main_title": { "title": "News" },
                "card_image": { "url": "https://example.com/i.png", "aspect_ratio": 3.0 },
                "card_action": { "type": 1, "url": "https://example.com" } } }), 40058),
        ],
    )
    .await;
}

#[tokio::test]
async fn cards_that_call_back_need_an_app_with_a_callback_url() {
    let emu = Emu::demo().await;
    let mut card = vote_card("v-1");
    card["agentid"] = json!(NOTICES);
    assert_errcode(&emu.send(NOTICES, &card).await, 48002);
    // A plain notice card does not call back.
    let notice = json!({ "touser": "alice", "msgtype": "template_card", "agentid": NOTICES,
        "template_card": { "card_type": "text_notice", "sub_title_text": "FYI",
                           "card_action": { "type": 1, "url": "https://example.com" } } });
    let v = emu.send(NOTICES, &notice).await;
    assert_eq!(v["errcode"], 0, "{v}");
    assert!(v.get("response_code").is_none());
}

#[tokio::test]
async fn invalid_recipients_are_reported_lower_cased_and_the_rest_delivered() {
    let emu = Emu::demo().await;
    let body = json!({ "touser": "Alice|GHOST|erin", "toparty": "4|1|99", "totag": "1|77",
        "msgtype": "text", "agentid": BOT, "text": { "content": "hello" } });
    let v = emu.send(BOT, &body).await;
    assert_eq!(v["errcode"], 0, "{v}");
    assert_eq!(v["invaliduser"], "ghost|erin");
    assert_eq!(v["invalidparty"], "1|99");
    assert_eq!(v["invalidtag"], "77");
    let m = emu.message(v["msgid"].as_str().unwrap()).await;
    let users: Vec<&str> =
        m["recipients"].as_array().unwrap().iter().map(|r| r["userid"].as_str().unwrap()).collect();
    assert_eq!(users, ["alice", "bob", "carol"]);
    assert_eq!(m["body"], body, "the body is kept as received");
}

#[tokio::test]
async fn the_admin_view_keeps_the_body_byte_for_byte() {
    let emu = Emu::demo().await;
    let token = emu.token(BOT).await;
    let raw = r#"{"touser":"alice","msgtype":"text","agentid":1000002,"text":{"content":"z\u00e9"},"safe":0}"#;
    let v = emu.post_raw(&format!("/cgi-bin/message/send?access_token={token}"), raw).await;
    let resp = emu
        .http
        .get(emu.url(&format!("/emulator/messages/{}", v["msgid"].as_str().unwrap())))
        .send()
        .await
        .unwrap();
    let text = resp.text().await.unwrap();
    assert!(text.contains(&format!("\"body\":{raw}")), "{text}");
}

#[tokio::test]
async fn no_valid_recipient_answers_81013() {
    let emu = Emu::demo().await;
    let v = emu.send_text("ghost|erin", "nobody").await;
    assert_errcode(&v, 81013);
    assert_eq!(v["invaliduser"], "ghost|erin");
    assert!(v.get("msgid").is_none());
}

#[tokio::test]
async fn at_all_reaches_the_visible_range_and_unlicensed_members_are_listed() {
    let emu = Emu::demo().await;
    let v = emu.send_text("@all", "everyone").await;
    assert_eq!(v["errcode"], 0);
    assert_eq!(v["unlicenseduser"], "dave");
    let m = emu.message(v["msgid"].as_str().unwrap()).await;
    let users: Vec<&str> =
        m["recipients"].as_array().unwrap().iter().map(|r| r["userid"].as_str().unwrap()).collect();
    assert_eq!(users, ["alice", "bob", "carol"]);
    assert_eq!(status_of(&m, "alice"), "delivered");
    let mut for_notices = text("@all", "x");
    for_notices["agentid"] = json!(NOTICES);
    let v = emu.send(NOTICES, &for_notices).await;
    let m = emu.message(v["msgid"].as_str().unwrap()).await;
    let users: Vec<&str> =
        m["recipients"].as_array().unwrap().iter().map(|r| r["userid"].as_str().unwrap()).collect();
    assert_eq!(users, ["alice", "carol"]);
}

#[tokio::test]
async fn interactive_cards_return_a_response_code() {
    let emu = Emu::demo().await;
    let v = emu.send(BOT, &button_card("rc-1")).await;
    assert_eq!(v["errcode"], 0);
    assert!(v["response_code"].as_str().is_some_and(|c| !c.is_empty()));
    let plain = emu.send_text("alice", "x").await;
    assert!(plain.get("response_code").is_none());
}

#[tokio::test]
async fn oversized_bodies_are_refused_before_parsing() {
    let emu = Emu::demo().await;
    let token = emu.token(BOT).await;
    let body = format!("{{\"pad\":\"{}\"}}", "a".repeat(7 * 1024 * 1024));
    let resp = emu
        .http
        .post(emu.url(&format!("/cgi-bin/message/send?access_token={token}")))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 413);
}
