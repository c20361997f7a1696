//! A failed callback says which URL failed and why, in the admin API's records (the text
//! the web inbox shows, and one word for programs): nothing listening, a non-200 status,
//! a passive reply signed with another token or sealed with another key, no URL at all.

use std::collections::HashMap;
use std::time::Duration;

use axum::extract::Query;
use serde_json::{Value, json};
use wecom_msgcrypt::MsgCrypt;

use super::receiver::{no_reply, receiver};
use super::support::{BOT, Emu, NOTICES};

/// Points the Build bot at `url` (no verification) and has alice send it a text.
async fn alice_says_hi(emu: &Emu, url: &str) -> Value {
    let (status, v) = emu
        .admin(
            reqwest::Method::PUT,
            &format!("/emulator/apps/{BOT}/callback"),
            Some(json!({ "url": url })),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    emu.admin_post("/emulator/users/alice/messages", json!({ "agentid": BOT, "content": "hi" }))
        .await
}

#[tokio::test]
async fn a_refused_connection_names_the_url() {
    let emu = Emu::demo().await;
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/wecom/callback");
    let record = alice_says_hi(&emu, &url).await;
    assert_eq!(record["outcome"], "failed", "{record}");
    assert_eq!(record["reason"], "connection_refused", "{record}");
    let attempt = &record["attempts"][0];
    assert_eq!(attempt["reason"], "connection_refused");
    let error = attempt["error"].as_str().unwrap();
    assert!(error.contains("connection refused by") && error.contains(&url), "{error}");
    assert!(!error.contains("msg_signature"), "the signed query is not shown: {error}");
    let summary = record["error"].as_str().unwrap();
    assert!(summary.contains("3 tries") && summary.contains(&url), "{summary}");
    // The log says the same.
    let log = emu.get_json("/emulator/callbacks?user=alice").await;
    assert_eq!(log["callbacks"][0]["reason"], "connection_refused");
}

#[tokio::test]
async fn a_non_200_status_is_named_with_the_url() {
    let emu = Emu::demo().await;
    let rx = receiver(&emu, 3, Duration::ZERO, no_reply()).await;
    let record = emu
        .admin_post("/emulator/users/bob/messages", json!({ "agentid": BOT, "content": "hi" }))
        .await;
    assert_eq!(record["reason"], "http_status", "{record}");
    let error = record["attempts"][2]["error"].as_str().unwrap();
    assert_eq!(error, format!("{} answered HTTP 500 Internal Server Error", rx.url));
}

/// An app that answers every callback with a text reply sealed by `crypt`.
async fn replying_app(crypt: MsgCrypt) -> String {
    let crypt = std::sync::Arc::new(crypt);
    let handler = move |Query(q): Query<HashMap<String, String>>| {
        let crypt = crypt.clone();
        async move {
            let xml = "<xml><ToUserName><![CDATA[alice]]></ToUserName>\
                <FromUserName><![CDATA[wwdemo00000000001]]></FromUserName>\
                <CreateTime>1700000001</CreateTime><MsgType><![CDATA[text]]></MsgType>\
                <Content><![CDATA[hello]]></Content></xml>";
            crypt.encrypt_reply(xml, &q["timestamp"], &q["nonce"]).unwrap()
        }
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/cb", listener.local_addr().unwrap());
    let router = axum::Router::new().route("/cb", axum::routing::post(handler));
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    url
}

#[tokio::test]
async fn a_reply_signed_with_another_token_is_a_bad_signature() {
    let emu = Emu::demo().await;
    let app = emu.handle.app(BOT).unwrap();
    let key = app.encoding_aes_key.unwrap();
    let crypt = MsgCrypt::new("anotherToken", key.expose(), emu.handle.corp_id()).unwrap();
    let url = replying_app(crypt).await;
    let record = alice_says_hi(&emu, &url).await;
    assert_eq!(record["outcome"], "delivered", "HTTP 200 is a delivery: {record}");
    assert_eq!(record["reply"]["applied"], false);
    assert_eq!(record["reply"]["reason"], "bad_signature", "{record}");
    assert_eq!(record["reason"], "bad_signature");
    let error = record["error"].as_str().unwrap();
    assert!(error.contains(&url) && error.contains("another callback token"), "{error}");
}

#[tokio::test]
async fn a_reply_sealed_with_another_key_is_undecryptable() {
    let emu = Emu::demo().await;
    let app = emu.handle.app(BOT).unwrap();
    let token = app.callback_token.unwrap();
    let other_key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    let crypt = MsgCrypt::new(token.expose(), other_key, emu.handle.corp_id()).unwrap();
    let url = replying_app(crypt).await;
    let record = alice_says_hi(&emu, &url).await;
    assert_eq!(record["reply"]["reason"], "undecryptable", "{record}");
    assert_eq!(record["reason"], "undecryptable");
}

#[tokio::test]
async fn an_app_without_a_callback_url_says_so() {
    let emu = Emu::demo().await;
    let record = emu
        .admin_post(
            "/emulator/users/alice/messages",
            json!({ "agentid": NOTICES, "content": "hi" }),
        )
        .await;
    assert_eq!(record["outcome"], "failed");
    assert_eq!(record["reason"], "no_callback_url");
    assert!(record["error"].as_str().unwrap().contains("has no callback URL"), "{record}");
}
