//! The admin API against other web pages (DNS rebinding, cross-origin requests, forms), and
//! the bounds on what the emulator keeps: messages (retention), uploads, the clock.

use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, HOST, ORIGIN};
use serde_json::json;
use wecom_emulator::Config;

use super::support::{BOT, Emu, png_bytes, text};

async fn status(emu: &Emu, req: reqwest::RequestBuilder) -> u16 {
    let _ = emu;
    req.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn a_rebinding_host_name_is_refused_and_local_names_are_not() {
    let emu = Emu::demo().await;
    let port = emu.handle.addr().port();
    let get = |host: String| emu.http.get(emu.url("/emulator/messages")).header(HOST, host);
    assert_eq!(status(&emu, get(format!("attacker.example:{port}"))).await, 403);
    assert_eq!(status(&emu, get(format!("localhost:{port}"))).await, 200);
    assert_eq!(status(&emu, get(format!("127.0.0.1:{port}"))).await, 200);
    assert_eq!(status(&emu, get(format!("[::1]:{port}"))).await, 200);
    // The page itself and the WeCom API: the page is guarded, the API is not.
    let page = emu.http.get(emu.url("/")).header(HOST, "attacker.example");
    assert_eq!(status(&emu, page).await, 403);
    let api = emu.http.get(emu.url("/cgi-bin/getcallbackip")).header(HOST, "wecom.internal");
    assert_eq!(status(&emu, api).await, 200);
}

#[tokio::test]
async fn configured_host_names_and_origins_are_allowed() {
    let mut config = Config::demo();
    config.options.allowed_hosts = vec!["wecom-emulator:8025".to_owned()];
    config.options.allowed_origins = vec!["http://localhost:3000".to_owned()];
    let emu = Emu::with(config).await;
    let get = emu.http.get(emu.url("/emulator/messages")).header(HOST, "wecom-emulator");
    assert_eq!(status(&emu, get).await, 200);
    let post = emu
        .http
        .post(emu.url("/emulator/clock/advance"))
        .header(ORIGIN, "http://localhost:3000")
        .json(&json!({"seconds": 1}));
    assert_eq!(status(&emu, post).await, 200);
}

#[tokio::test]
async fn other_origins_and_form_posts_cannot_change_state() {
    let emu = Emu::demo().await;
    let own = emu.handle.base_url().to_owned();
    let reset = || emu.http.post(emu.url("/emulator/reset"));
    emu.send_text("alice", "keep me").await;
    // A page elsewhere, even on another port of localhost.
    assert_eq!(status(&emu, reset().header(ORIGIN, "https://evil.example")).await, 403);
    assert_eq!(status(&emu, reset().header(ORIGIN, "http://localhost:1")).await, 403);
    assert_eq!(status(&emu, reset().header(ORIGIN, "null")).await, 403);
    // Bodies a page can send without a preflight: a form, text/plain.
    let form = reset().header(CONTENT_TYPE, "application/x-www-form-urlencoded").body("a=1");
    assert_eq!(status(&emu, form).await, 415);
    let plain = emu
        .http
        .post(emu.url("/emulator/users/alice/messages"))
        .header(CONTENT_TYPE, "text/plain")
        .body(r#"{"agentid":1000002,"msgtype":"text","content":"hi"}"#);
    assert_eq!(status(&emu, plain).await, 415);
    let cross = reset().header("sec-fetch-site", "cross-site");
    assert_eq!(status(&emu, cross).await, 403);
    assert_eq!(emu.messages("").await.len(), 1, "nothing was reset");
    // The emulator's own page, and tools (no Origin) with JSON or no body, still work.
    assert_eq!(status(&emu, reset().header(ORIGIN, own.clone())).await, 200);
    let advance = emu
        .http
        .post(emu.url("/emulator/clock/advance"))
        .header(CONTENT_TYPE, "application/json; charset=utf-8")
        .header("sec-fetch-site", "same-origin")
        .body(r#"{"seconds": 5}"#);
    assert_eq!(status(&emu, advance).await, 200);
}

#[tokio::test]
async fn secrets_are_never_served_to_another_site() {
    let emu = Emu::demo().await;
    let secrets = || emu.http.get(emu.url("/emulator/config?secrets=true"));
    assert_eq!(status(&emu, secrets().header("sec-fetch-site", "cross-site")).await, 403);
    assert_eq!(status(&emu, secrets().header("sec-fetch-site", "same-site")).await, 403);
    assert_eq!(status(&emu, secrets().header(ORIGIN, "https://evil.example")).await, 403);
    let v: serde_json::Value = secrets().send().await.unwrap().json().await.unwrap();
    assert!(v["apps"][0]["secret"].is_string(), "a tool still gets them: {v}");
}

#[tokio::test]
async fn retention_forgets_the_oldest_messages_and_says_so() {
    let mut config = Config::demo();
    config.options.retain_messages = 3;
    let emu = Emu::with(config).await;
    let mut msgids = Vec::new();
    for i in 0..5 {
        let v = emu.send_text("alice", &format!("m{i}")).await;
        msgids.push(v["msgid"].as_str().unwrap().to_owned());
    }
    let v = emu.get_json("/emulator/messages").await;
    let kept: Vec<&str> =
        v["messages"].as_array().unwrap().iter().map(|m| m["msgid"].as_str().unwrap()).collect();
    assert_eq!(kept, msgids[2..].iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(
        v["retention"],
        json!({"retained": 3, "dropped_oldest": 2, "retain_messages": 3, "retain_seconds": 0})
    );
    let (code, _) =
        emu.admin(Method::GET, &format!("/emulator/messages/{}", msgids[0]), None).await;
    assert_eq!(code, 404);
    // A forgotten message cannot be recalled; a kept one can.
    let token = emu.token(BOT).await;
    let recall = |id: &str| json!({ "msgid": id });
    let path = format!("/cgi-bin/message/recall?access_token={token}");
    assert_eq!(emu.post_json(&path, &recall(&msgids[0])).await["errcode"], 40058);
    assert_eq!(emu.post_json(&path, &recall(&msgids[4])).await["errcode"], 0);
}

#[tokio::test]
async fn retention_by_age_uses_the_virtual_clock() {
    let mut config = Config::demo();
    config.options.retain_seconds = 3600;
    let emu = Emu::with(config).await;
    emu.send_text("alice", "old").await;
    emu.advance(3601).await;
    emu.send(BOT, &text("bob", "new")).await;
    let v = emu.get_json("/emulator/messages").await;
    assert_eq!(v["messages"].as_array().unwrap().len(), 1);
    assert_eq!(v["retention"]["dropped_oldest"], 1);
}

#[tokio::test]
async fn uploads_past_the_memory_bound_answer_45001() {
    let mut config = Config::demo();
    config.options.max_upload_bytes = 3000;
    let emu = Emu::with(config).await;
    let ok =
        emu.upload(BOT, "/cgi-bin/media/upload?type=image", Some("a.png"), png_bytes(2000)).await;
    assert_eq!(ok["errcode"], 0, "{ok}");
    let full =
        emu.upload(BOT, "/cgi-bin/media/upload?type=image", Some("b.png"), png_bytes(2000)).await;
    assert_eq!(full["errcode"], 45001, "{full}");
    assert!(full["errmsg"].as_str().unwrap().contains("upload memory is full"), "{full}");
    let img = emu.upload(BOT, "/cgi-bin/media/uploadimg", Some("c.png"), png_bytes(2000)).await;
    assert_eq!(img["errcode"], 45001, "{img}");
    // A reset frees it.
    emu.admin_post("/emulator/reset", json!({})).await;
    let again =
        emu.upload(BOT, "/cgi-bin/media/upload?type=image", Some("b.png"), png_bytes(2000)).await;
    assert_eq!(again["errcode"], 0, "{again}");
}

#[tokio::test]
async fn a_huge_clock_advance_does_not_wrap() {
    let emu = Emu::demo().await;
    for _ in 0..6 {
        emu.advance(u64::MAX).await;
    }
    let clock = emu.get_json("/emulator/clock").await;
    assert!(clock["offset_ms"].as_i64().unwrap() > 0, "{clock}");
    assert_eq!(emu.send_text("alice", "still works").await["errcode"], 0);
}
