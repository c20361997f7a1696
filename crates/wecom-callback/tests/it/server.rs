//! End to end over HTTP: the server on 127.0.0.1:0, reqwest playing WeCom.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use reqwest::StatusCode;
use tokio::sync::{Notify, mpsc};
use wecom_callback::{Callback, CallbackServer, MemoryDedup, MessageBody, Mode, Reply};
use wecom_msgcrypt::MsgCrypt;

use crate::support::wecom as support;
use support::*;

#[tokio::test]
async fn url_verification_answers_official_vectors() {
    let path =
        format!("{}/../wecom-msgcrypt/tests/fixtures/callback.json", env!("CARGO_MANIFEST_DIR"));
    let vectors: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for name in ["A-verify", "B-verify"] {
        let v = vectors["cases"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap();
        let s = |k: &str| v[k].as_str().unwrap();
        let crypt = MsgCrypt::new(s("token"), s("encoding_aes_key"), s("receive_id")).unwrap();
        let base = start(CallbackServer::new(crypt, |_cb: Callback| async {
            Ok::<_, std::io::Error>(None)
        }))
        .await;
        let url = format!(
            "{base}?msg_signature={}&timestamp={}&nonce={}&echostr={}",
            s("msg_signature"),
            s("timestamp"),
            s("nonce"),
            url_encode(s("encrypt"))
        );
        let resp = reqwest::get(&url).await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{name}");
        assert_eq!(resp.headers()["content-type"], "text/plain", "{name}");
        assert_eq!(resp.text().await.unwrap(), s("expected_msg"), "{name}");
    }
}

#[tokio::test]
async fn official_post_vector_reaches_the_handler() {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let server = CallbackServer::new(crypt(), move |cb: Callback| {
        let tx = tx.clone();
        async move {
            tx.send(cb).unwrap();
            Ok::<_, std::io::Error>(None)
        }
    });
    let base = start(server).await;
    let body = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>";
    let query = "msg_signature=477715d11cdb4164915debcba66cb864d751f3e6&timestamp=1409659813&nonce=1372623149";
    let (status, text) = post(&base, query, body.to_owned()).await;
    assert_eq!((status, text.as_str()), (StatusCode::OK, ""));
    let Callback::Message(m) = rx.recv().await.unwrap() else { panic!("not a message") };
    assert_eq!(m.header.from_user_name, "mycreate");
    assert_eq!(m.msg_id, 4_561_255_354_251_345_929);
    assert!(matches!(m.body, MessageBody::Text(ref t) if t.content == "hello"));
}

#[tokio::test]
async fn post_gets_an_encrypted_reply_that_decrypts_back() {
    let base = start(echo_server()).await;
    let (status, body) = post_text(&base, "ping <&> 中文", 1).await;
    assert_eq!(status, StatusCode::OK);
    let xml = open_reply(&body);
    assert!(xml.starts_with(
        "<xml><ToUserName><![CDATA[mycreate]]></ToUserName><FromUserName><![CDATA[wx5823bf96d3bd56c7]]></FromUserName><CreateTime>"
    ));
    assert!(xml.ends_with(
        "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[echo: ping <&> 中文]]></Content></xml>"
    ));
    // The reply reuses the request's nonce.
    assert!(body.contains("<Nonce><![CDATA[1372623149]]></Nonce>"));
}

#[tokio::test]
async fn retries_of_the_same_body_are_handled_once() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let server = CallbackServer::new(crypt(), move |_cb: Callback| {
        counter.fetch_add(1, Ordering::SeqCst);
        async { Ok::<_, std::io::Error>(Some(Reply::text("once"))) }
    });
    let base = start(server).await;
    let (query, body) = wecom_post(&crypt(), &text_xml("hi", 77), &now(), "1372623149");
    let (s1, b1) = post(&base, &query, body.clone()).await;
    let (s2, b2) = post(&base, &query, body.clone()).await;
    let (s3, b3) = post(&base, &query, body).await;
    assert_eq!((s1, s2, s3), (StatusCode::OK, StatusCode::OK, StatusCode::OK));
    assert!(open_reply(&b1).contains("once"));
    assert_eq!((b2.as_str(), b3.as_str()), ("", ""));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    // A different message is handled.
    post_text(&base, "hi", 78).await;
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

/// A handler that reports when it starts and waits for the test's go-ahead.
fn gated_server(
    mode: Mode,
) -> (CallbackServer, Arc<Notify>, mpsc::UnboundedReceiver<&'static str>, Arc<AtomicUsize>) {
    let release = Arc::new(Notify::new());
    let (events, rx) = mpsc::unbounded_channel();
    let calls = Arc::new(AtomicUsize::new(0));
    let (gate, counter) = (Arc::clone(&release), Arc::clone(&calls));
    let server = CallbackServer::new(crypt(), move |_cb: Callback| {
        let (gate, events) = (Arc::clone(&gate), events.clone());
        counter.fetch_add(1, Ordering::SeqCst);
        async move {
            events.send("started").unwrap();
            gate.notified().await;
            events.send("finished").unwrap();
            Ok::<_, std::io::Error>(Some(Reply::text("late")))
        }
    })
    .mode(mode);
    (server, release, rx, calls)
}

#[tokio::test]
async fn a_retry_during_the_first_delivery_is_not_handled_again() {
    let (server, release, mut events, calls) = gated_server(Mode::default());
    let base = start(server).await;
    let (query, body) = wecom_post(&crypt(), &text_xml("slow", 99), &now(), "1372623149");
    let first = tokio::spawn({
        let (base, query, body) = (base.clone(), query.clone(), body.clone());
        async move { post(&base, &query, body).await }
    });
    assert_eq!(events.recv().await, Some("started"));
    // The first delivery is still being handled: the retry is answered at once, unhandled.
    assert_eq!(post(&base, &query, body).await, (StatusCode::OK, String::new()));
    release.notify_one();
    let (status, reply) = first.await.unwrap();
    assert_eq!(status, StatusCode::OK);
    assert!(open_reply(&reply).contains("late"));
    assert_eq!(events.recv().await, Some("finished"));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn past_the_deadline_the_answer_is_empty_and_the_handler_still_completes() {
    let (server, release, mut events, _) = gated_server(Mode::reply(Duration::from_millis(200)));
    let base = start(server).await;
    let (status, body) = post_text(&base, "slow", 5).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, ""));
    assert_eq!(events.recv().await, Some("started"));
    release.notify_one();
    assert_eq!(events.recv().await, Some("finished"));
}

#[tokio::test]
async fn acknowledge_mode_answers_before_the_handler_finishes() {
    let (server, release, mut events, calls) = gated_server(Mode::Acknowledge);
    let base = start(server).await;
    // The handler cannot finish until released, yet the answer arrives.
    let (status, body) = post_text(&base, "work", 6).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, ""));
    assert_eq!(events.recv().await, Some("started"));
    release.notify_one();
    assert_eq!(events.recv().await, Some("finished"));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn handler_panics_and_errors_answer_200_empty_and_the_server_keeps_serving() {
    let base = start(echo_server()).await;
    assert_eq!(post_text(&base, "boom", 10).await, (StatusCode::OK, String::new()));
    assert_eq!(post_text(&base, "fail", 11).await, (StatusCode::OK, String::new()));
    let (status, body) = post_text(&base, "still here", 12).await;
    assert_eq!(status, StatusCode::OK);
    assert!(open_reply(&body).contains("echo: still here"));
}

#[tokio::test]
async fn custom_dedup_key_and_shared_store() {
    let store = Arc::new(MemoryDedup::default());
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    // Key on the content only: two messages with the same text are one.
    let server = CallbackServer::new(crypt(), move |_cb: Callback| {
        counter.fetch_add(1, Ordering::SeqCst);
        async { Ok::<_, std::io::Error>(None) }
    })
    .dedup_store(Arc::clone(&store))
    .dedup_key(|cb| match cb {
        Callback::Message(m) => match &m.body {
            MessageBody::Text(t) => Some(t.content.clone()),
            _ => None,
        },
        _ => None,
    });
    let base = start(server).await;
    post_text(&base, "same", 1).await;
    post_text(&base, "same", 2).await;
    post_text(&base, "other", 3).await;
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(store.len(), 2);
}

#[tokio::test]
async fn the_router_mounts_under_a_path() {
    let router = axum::Router::new().nest("/wecom/callback", echo_server().into_router());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let base = format!("http://{addr}/wecom/callback");
    let (status, body) = post_text(&base, "nested", 1).await;
    assert_eq!(status, StatusCode::OK);
    assert!(open_reply(&body).contains("echo: nested"));
}

/// A remote store that is down.
struct BrokenStore;

impl wecom_callback::DedupStore for BrokenStore {
    async fn first_seen(
        &self,
        _key: &str,
        _ttl: Duration,
    ) -> Result<bool, wecom_callback::DedupError> {
        Err(wecom_callback::DedupError::new("connection refused"))
    }
}

#[tokio::test]
async fn a_failing_dedup_store_does_not_lose_callbacks() {
    let base = start(echo_server().dedup_store(BrokenStore)).await;
    let (status, body) = post_text(&base, "still handled", 1).await;
    assert_eq!(status, StatusCode::OK);
    assert!(open_reply(&body).contains("echo: still handled"));
}

/// A remote store that never answers.
struct HungStore;

impl wecom_callback::DedupStore for HungStore {
    async fn first_seen(
        &self,
        _key: &str,
        _ttl: Duration,
    ) -> Result<bool, wecom_callback::DedupError> {
        std::future::pending().await
    }
}

#[tokio::test]
async fn a_hung_dedup_store_does_not_hold_the_answer() {
    let base = start(echo_server().dedup_store(HungStore)).await;
    let (status, body) = post_text(&base, "not stuck", 1).await;
    assert_eq!(status, StatusCode::OK);
    assert!(open_reply(&body).contains("echo: not stuck"));
}
