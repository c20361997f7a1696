//! End to end over HTTP: the server on 127.0.0.1:0, reqwest playing WeCom.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use reqwest::StatusCode;
use tokio::sync::{Notify, mpsc};
use wecom_callback::{Callback, CallbackServer, MemoryDedup, MessageBody, Mode, Reply};
use wecom_crypto::MsgCrypt;

const TOKEN: &str = "QDG6eK";
const KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
const CORP: &str = "wx5823bf96d3bd56c7";

fn crypt() -> MsgCrypt {
    MsgCrypt::new(TOKEN, KEY, CORP).unwrap()
}

async fn start(server: CallbackServer) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { server.serve_on(listener).await.unwrap() });
    format!("http://{addr}/")
}

fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// What WeCom would POST for `xml`: the query string and the envelope body.
fn wecom_post(crypt: &MsgCrypt, xml: &str, timestamp: &str, nonce: &str) -> (String, String) {
    let enc = crypt.encrypt(xml, timestamp, nonce).unwrap();
    let query = format!("msg_signature={}&timestamp={timestamp}&nonce={nonce}", enc.msg_signature);
    let body = format!(
        "<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><Encrypt><![CDATA[{}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>",
        enc.encrypt
    );
    (query, body)
}

fn text_xml(content: &str, msg_id: u64) -> String {
    format!(
        "<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><FromUserName><![CDATA[mycreate]]></FromUserName>\
         <CreateTime>1409659813</CreateTime><MsgType><![CDATA[text]]></MsgType>\
         <Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId><AgentID>218</AgentID></xml>"
    )
}

fn now() -> String {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string()
}

async fn post(base: &str, query: &str, body: String) -> (StatusCode, String) {
    let resp =
        reqwest::Client::new().post(format!("{base}?{query}")).body(body).send().await.unwrap();
    let status = resp.status();
    (status, resp.text().await.unwrap())
}

async fn post_text(base: &str, content: &str, msg_id: u64) -> (StatusCode, String) {
    let (query, body) = wecom_post(&crypt(), &text_xml(content, msg_id), &now(), "1372623149");
    post(base, &query, body).await
}

/// Decrypts a reply body the way WeCom would.
fn open_reply(body: &str) -> String {
    let field = |name: &str| {
        let open = format!("<{name}>");
        let rest = body.split(&open).nth(1).unwrap();
        let value = rest.split(&format!("</{name}>")).next().unwrap();
        value.trim_start_matches("<![CDATA[").trim_end_matches("]]>").to_owned()
    };
    crypt()
        .decrypt_post(&field("MsgSignature"), &field("TimeStamp"), &field("Nonce"), body.as_bytes())
        .unwrap()
}

fn echo_server() -> CallbackServer {
    CallbackServer::new(crypt(), |cb: Callback| async move {
        match cb {
            Callback::Message(m) => match m.body {
                MessageBody::Text(t) if t.content == "boom" => panic!("handler exploded"),
                MessageBody::Text(t) if t.content == "fail" => Err("handler failed".into()),
                MessageBody::Text(t) => Ok(Some(Reply::text(format!("echo: {}", t.content)))),
                _ => Ok(None),
            },
            _ => Ok::<_, Box<dyn std::error::Error + Send + Sync>>(None),
        }
    })
}

#[tokio::test]
async fn url_verification_answers_official_vectors() {
    let path =
        format!("{}/../wecom-crypto/tests/fixtures/callback.json", env!("CARGO_MANIFEST_DIR"));
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

fn generic(status: StatusCode) -> String {
    status.canonical_reason().unwrap().to_owned()
}

#[tokio::test]
async fn bad_input_gets_a_4xx_with_no_detail() {
    let base = start(echo_server().body_limit(4096)).await;
    let crypt = crypt();
    let ts = now();
    let (query, body) = wecom_post(&crypt, &text_xml("x", 1), &ts, "1");
    let sig = query.split('&').next().unwrap().trim_start_matches("msg_signature=").to_owned();

    let bad_sig = query.replace(&sig, &"0".repeat(40));
    let wrong_corp = MsgCrypt::new(TOKEN, KEY, "ww_other_corp").unwrap();
    let (wrong_corp_query, wrong_corp_body) = wecom_post(&wrong_corp, &text_xml("x", 2), &ts, "1");
    // Validly signed but not decryptable (one block of zeros).
    let junk = "A".repeat(44);
    let junk_sig = crypt.sign(&ts, "1", &junk);
    let junk_query = format!("msg_signature={junk_sig}&timestamp={ts}&nonce=1");
    let junk_body = format!("<xml><Encrypt>{junk}</Encrypt></xml>");
    // Decrypts fine, but the inner XML is broken.
    let (broken_query, broken_body) = wecom_post(&crypt, "<xml><MsgType>text</xml>", &ts, "1");

    let cases: Vec<(&str, String, String, StatusCode)> = vec![
        ("no query", String::new(), body.clone(), StatusCode::BAD_REQUEST),
        (
            "no nonce",
            format!("msg_signature={sig}&timestamp={ts}"),
            body.clone(),
            StatusCode::BAD_REQUEST,
        ),
        ("bad timestamp", query.replace(&ts, "12ab"), body.clone(), StatusCode::BAD_REQUEST),
        ("bad signature", bad_sig, body.clone(), StatusCode::FORBIDDEN),
        ("wrong receive id", wrong_corp_query, wrong_corp_body, StatusCode::FORBIDDEN),
        ("undecryptable", junk_query, junk_body, StatusCode::BAD_REQUEST),
        ("malformed envelope", query.clone(), "<xml><Encrypt>".into(), StatusCode::BAD_REQUEST),
        (
            "no Encrypt",
            query.clone(),
            "<xml><Content>hi</Content></xml>".into(),
            StatusCode::BAD_REQUEST,
        ),
        ("malformed inner XML", broken_query, broken_body, StatusCode::BAD_REQUEST),
        (
            "over the limit",
            query.clone(),
            format!("<xml>{}</xml>", "x".repeat(5000)),
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
    ];
    for (what, query, body, expected) in cases {
        let (status, text) = post(&base, &query, body).await;
        assert_eq!(status, expected, "{what}");
        assert_eq!(text, generic(expected), "{what}: body must not explain");
    }

    // Over the limit without a Content-Length (chunked): still 413.
    let stream = futures::stream::iter((0..8).map(|_| Ok::<_, std::io::Error>(vec![b'x'; 1024])));
    let resp = reqwest::Client::new()
        .post(format!("{base}?{query}"))
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // GET: bad signature, missing echostr.
    let get = |q: String| {
        let url = format!("{base}?{q}");
        async move {
            let r = reqwest::get(url).await.unwrap();
            (r.status(), r.text().await.unwrap())
        }
    };
    let echo = crypt.encrypt("12345", &ts, "1").unwrap();
    let ok_q = format!(
        "msg_signature={}&timestamp={ts}&nonce=1&echostr={}",
        echo.msg_signature,
        url_encode(&echo.encrypt)
    );
    assert_eq!(get(ok_q.clone()).await, (StatusCode::OK, "12345".to_owned()));
    let bad = ok_q.replace(echo.msg_signature.as_str(), &"1".repeat(40));
    assert_eq!(get(bad).await, (StatusCode::FORBIDDEN, generic(StatusCode::FORBIDDEN)));
    let no_echo = format!("msg_signature={}&timestamp={ts}&nonce=1", echo.msg_signature);
    assert_eq!(get(no_echo).await, (StatusCode::BAD_REQUEST, generic(StatusCode::BAD_REQUEST)));

    // Only GET and POST.
    for method in [
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
        reqwest::Method::PATCH,
        reqwest::Method::HEAD,
    ] {
        let resp = reqwest::Client::new()
            .request(method.clone(), format!("{base}?{query}"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED, "{method}");
    }
    // And the server still works.
    let (status, body) = post_text(&base, "fine", 1234).await;
    assert_eq!(status, StatusCode::OK);
    assert!(open_reply(&body).contains("echo: fine"));
}

#[tokio::test]
async fn stale_timestamps_are_refused_when_a_window_is_set() {
    let base = start(echo_server().timestamp_window(Duration::from_secs(300))).await;
    let (query, body) = wecom_post(&crypt(), &text_xml("old", 1), "1409659813", "1");
    assert_eq!(
        post(&base, &query, body).await,
        (StatusCode::FORBIDDEN, generic(StatusCode::FORBIDDEN))
    );
    let (status, _) = post_text(&base, "fresh", 2).await;
    assert_eq!(status, StatusCode::OK);
    // Without a window the same old request is accepted (WeCom's own vectors are from 2014).
    let base = start(echo_server()).await;
    let (query, body) = wecom_post(&crypt(), &text_xml("old", 1), "1409659813", "1");
    assert_eq!(post(&base, &query, body).await.0, StatusCode::OK);
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

/// Collects formatted log lines.
#[derive(Clone, Default)]
struct LogBuffer(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn rejections_are_logged_precisely_and_secrets_never_appear() {
    let logs = LogBuffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(move || writer.clone())
        .finish();
    // This test runs on one thread, and so do the server's tasks: the subscriber sees them.
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = echo_server();
    let debug = format!("{server:?}");
    let base = start(server).await;
    let (query, body) = wecom_post(&crypt(), &text_xml("x", 1), &now(), "1");
    let sig = query.split('&').next().unwrap().trim_start_matches("msg_signature=").to_owned();
    post(&base, &query.replace(&sig, &"0".repeat(40)), body).await;
    let wrong_corp = MsgCrypt::new(TOKEN, KEY, "ww_other_corp").unwrap();
    let (query, body) = wecom_post(&wrong_corp, &text_xml("x", 2), &now(), "1");
    post(&base, &query, body).await;
    post_text(&base, "boom", 3).await;

    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("status=403 code=-40001"), "{text}");
    assert!(text.contains("signature mismatch"), "{text}");
    assert!(text.contains("code=-40005"), "{text}");
    assert!(text.contains("receive id mismatch"), "{text}");
    assert!(text.contains("handler panicked") && text.contains("handler exploded"), "{text}");
    for secret in [TOKEN, KEY] {
        assert!(!text.contains(secret), "secret in logs: {text}");
        assert!(!debug.contains(secret), "secret in Debug: {debug}");
    }
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
