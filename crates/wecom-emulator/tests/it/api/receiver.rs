//! A small receiving app for callback tests: verifies and decrypts with wecom-msgcrypt,
//! records what it got, can fail or stall, and answers with an encrypted passive reply.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde_json::json;
use wecom_msgcrypt::MsgCrypt;

use super::support::{BOT, Emu};

pub(crate) type ReplyFn = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

#[derive(Clone)]
struct App {
    crypt: Arc<MsgCrypt>,
    received: Arc<Mutex<Vec<String>>>,
    calls: Arc<AtomicUsize>,
    fail_first: usize,
    delay: Duration,
    reply: ReplyFn,
}

async fn callback(
    State(app): State<App>,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let n = app.calls.fetch_add(1, Ordering::SeqCst);
    if n < app.fail_first {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    tokio::time::sleep(app.delay).await;
    let inner =
        match app.crypt.decrypt_post(&q["msg_signature"], &q["timestamp"], &q["nonce"], &body) {
            Ok(inner) => inner,
            Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
        };
    app.received.lock().unwrap().push(inner.clone());
    match (app.reply)(&inner) {
        Some(xml) => {
            app.crypt.encrypt_reply(&xml, &q["timestamp"], &q["nonce"]).unwrap().into_response()
        }
        None => StatusCode::OK.into_response(),
    }
}

async fn verify(State(app): State<App>, Query(q): Query<HashMap<String, String>>) -> Response {
    match app.crypt.verify_url(&q["msg_signature"], &q["timestamp"], &q["nonce"], &q["echostr"]) {
        Ok(echo) => echo.into_response(),
        Err(e) => (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    }
}

/// A receiving app with the demo Build bot's callback settings.
pub(crate) struct Receiver {
    pub(crate) url: String,
    pub(crate) received: Arc<Mutex<Vec<String>>>,
    pub(crate) calls: Arc<AtomicUsize>,
}

pub(crate) async fn receiver(
    emu: &Emu,
    fail_first: usize,
    delay: Duration,
    reply: ReplyFn,
) -> Receiver {
    let creds = emu.handle.app(BOT).unwrap();
    let crypt = MsgCrypt::new(
        creds.callback_token.unwrap().expose(),
        creds.encoding_aes_key.unwrap().expose(),
        emu.handle.corp_id(),
    )
    .unwrap();
    let app = App {
        crypt: Arc::new(crypt),
        received: Arc::default(),
        calls: Arc::default(),
        fail_first,
        delay,
        reply,
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/wecom", listener.local_addr().unwrap());
    let router = axum::Router::new()
        .route("/wecom", axum::routing::post(callback).get(verify))
        .route("/sloppy", axum::routing::get(|| async { "\"not the echo\"\n" }))
        .with_state(app.clone());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let (status, v) = emu
        .admin(
            reqwest::Method::PUT,
            &format!("/emulator/apps/{BOT}/callback"),
            Some(json!({ "url": url })),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    Receiver { url, received: app.received, calls: app.calls }
}

pub(crate) fn no_reply() -> ReplyFn {
    Arc::new(|_| None)
}

pub(crate) fn tag<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{name}>"))? + start;
    let v = &xml[start..end];
    Some(v.strip_prefix("<![CDATA[").and_then(|v| v.strip_suffix("]]>")).unwrap_or(v))
}

pub(crate) fn reply_header(to: &str, msgtype: &str) -> String {
    format!(
        "<xml><ToUserName><![CDATA[{to}]]></ToUserName><FromUserName><![CDATA[wwdemo00000000001]]></FromUserName>\
         <CreateTime>1700000001</CreateTime><MsgType><![CDATA[{msgtype}]]></MsgType>"
    )
}
