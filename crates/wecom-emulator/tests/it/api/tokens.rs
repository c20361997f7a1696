//! gettoken and the access-token check on every call.

use serde_json::json;

use super::support::{BOT, Emu, NOTICES, assert_errcode, text};

#[tokio::test]
async fn gettoken_issues_a_token_for_7200_seconds_and_reuses_it() {
    let emu = Emu::demo().await;
    let app = emu.handle.app(BOT).unwrap();
    let path = format!(
        "/cgi-bin/gettoken?corpid={}&corpsecret={}",
        emu.handle.corp_id(),
        app.secret.expose()
    );
    let first = emu.get_json(&path).await;
    assert_eq!(first["errcode"], 0);
    assert_eq!(first["expires_in"], 7200);
    assert!(first["access_token"].as_str().unwrap().len() >= 64);
    emu.advance(1000).await;
    let second = emu.get_json(&path).await;
    assert_eq!(second["access_token"], first["access_token"]);
    assert_eq!(second["expires_in"], 6200);
}

#[tokio::test]
async fn gettoken_rejects_bad_and_missing_credentials() {
    let emu = Emu::demo().await;
    let secret = emu.handle.app(BOT).unwrap().secret.expose().to_owned();
    let corp = emu.handle.corp_id().to_owned();
    let cases = [
        (format!("corpid=wrong&corpsecret={secret}"), 40013),
        (format!("corpid={corp}&corpsecret=wrong"), 40001),
        (format!("corpsecret={secret}"), 41002),
        (format!("corpid={corp}"), 41004),
        (format!("corpid={corp}&corpsecret="), 41004),
    ];
    for (query, code) in cases {
        let v = emu.get_json(&format!("/cgi-bin/gettoken?{query}")).await;
        assert_errcode(&v, code);
        assert!(!v["errmsg"].as_str().unwrap().contains(&secret), "the secret leaked into errmsg");
    }
}

#[tokio::test]
async fn disabled_app_gets_no_token() {
    let mut config = wecom_emulator::Config::demo();
    config.apps[1].enabled = false;
    let emu = Emu::with(config).await;
    let secret = emu.handle.app(NOTICES).unwrap().secret.expose().to_owned();
    let v = emu
        .get_json(&format!("/cgi-bin/gettoken?corpid={}&corpsecret={secret}", emu.handle.corp_id()))
        .await;
    assert_errcode(&v, 40001);
}

#[tokio::test]
async fn missing_garbled_and_body_tokens_are_refused() {
    let emu = Emu::demo().await;
    let token = emu.token(BOT).await;
    assert_errcode(&emu.post_json("/cgi-bin/message/send", &text("alice", "hi")).await, 41001);
    assert_errcode(
        &emu.post_json("/cgi-bin/message/send?access_token=", &text("alice", "hi")).await,
        41001,
    );
    let mut in_body = text("alice", "hi");
    in_body["access_token"] = json!(token);
    assert_errcode(&emu.post_json("/cgi-bin/message/send", &in_body).await, 41001);
    assert_errcode(
        &emu.post_json("/cgi-bin/message/send?access_token=garbled", &text("alice", "hi")).await,
        40014,
    );
    assert_eq!(emu.messages("").await.len(), 0, "nothing was sent");
}

#[tokio::test]
async fn token_expires_with_the_virtual_clock() {
    let emu = Emu::demo().await;
    let token = emu.token(BOT).await;
    let path = format!("/cgi-bin/message/send?access_token={token}");
    emu.advance(7199).await;
    assert_eq!(emu.post_json(&path, &text("alice", "still valid")).await["errcode"], 0);
    emu.advance(1).await;
    assert_errcode(&emu.post_json(&path, &text("alice", "expired")).await, 42001);
    let fresh = emu.token(BOT).await;
    assert_ne!(fresh, token);
    let v = emu
        .post_json(
            &format!("/cgi-bin/message/send?access_token={fresh}"),
            &text("alice", "new token"),
        )
        .await;
    assert_eq!(v["errcode"], 0);
}

#[tokio::test]
async fn expired_tokens_can_answer_40014_instead() {
    let mut config = wecom_emulator::Config::demo();
    config.options.expired_token_errcode = 40014;
    let emu = Emu::with(config).await;
    let token = emu.token(BOT).await;
    emu.advance(7200).await;
    let v = emu
        .post_json(&format!("/cgi-bin/message/send?access_token={token}"), &text("alice", "x"))
        .await;
    assert_errcode(&v, 40014);
}

#[tokio::test]
async fn tokens_can_be_expired_early_with_either_code() {
    let emu = Emu::demo().await;
    let token = emu.token(BOT).await;
    let other = emu.token(NOTICES).await;
    let v = emu.admin_post("/emulator/tokens/expire", json!({ "agentid": BOT })).await;
    assert_eq!(v["expired"], 1);
    let path = format!("/cgi-bin/message/send?access_token={token}");
    assert_errcode(&emu.post_json(&path, &text("alice", "x")).await, 42001);
    // The other app's token is untouched.
    let mut body = text("alice", "x");
    body["agentid"] = json!(NOTICES);
    assert_eq!(
        emu.post_json(&format!("/cgi-bin/message/send?access_token={other}"), &body).await["errcode"],
        0
    );

    let token = emu.token(BOT).await;
    emu.admin_post("/emulator/tokens/expire", json!({ "errcode": 40014 })).await;
    let v = emu
        .post_json(&format!("/cgi-bin/message/send?access_token={token}"), &text("alice", "x"))
        .await;
    assert_errcode(&v, 40014);
    let (status, _) = emu
        .admin(reqwest::Method::POST, "/emulator/tokens/expire", Some(json!({ "errcode": 40001 })))
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn another_apps_token_cannot_send_for_an_agentid() {
    let emu = Emu::demo().await;
    let v = emu.send(NOTICES, &text("alice", "wrong app")).await;
    assert_errcode(&v, 301_002);
}

#[tokio::test]
async fn reissuing_tokens_keeps_older_ones_valid() {
    let mut config = wecom_emulator::Config::demo();
    config.options.reuse_tokens = false;
    config.options.token_ttl_seconds = 60;
    let emu = Emu::with(config).await;
    let a = emu.token(BOT).await;
    let b = emu.token(BOT).await;
    assert_ne!(a, b);
    for t in [&a, &b] {
        let v = emu
            .post_json(&format!("/cgi-bin/message/send?access_token={t}"), &text("alice", "x"))
            .await;
        assert_eq!(v["errcode"], 0);
    }
    emu.advance(60).await;
    assert_errcode(
        &emu.post_json(&format!("/cgi-bin/message/send?access_token={a}"), &text("alice", "x"))
            .await,
        42001,
    );
}

#[tokio::test]
async fn wrong_http_methods_answer_40058() {
    let emu = Emu::demo().await;
    let token = emu.token(BOT).await;
    assert_errcode(
        &emu.get_json(&format!("/cgi-bin/message/send?access_token={token}")).await,
        40058,
    );
    assert_errcode(&emu.post_raw("/cgi-bin/gettoken", "").await, 40058);
    assert_errcode(&emu.get_json("/cgi-bin/no/such/api").await, 40058);
}

#[tokio::test]
async fn getcallbackip_needs_a_token() {
    let emu = Emu::demo().await;
    assert_errcode(&emu.get_json("/cgi-bin/getcallbackip").await, 41001);
    let token = emu.token(BOT).await;
    let v = emu.get_json(&format!("/cgi-bin/getcallbackip?access_token={token}")).await;
    assert_eq!(v["errcode"], 0);
    assert_eq!(v["ip_list"], json!(["127.0.0.1"]));
}
