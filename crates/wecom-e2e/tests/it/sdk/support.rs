//! Shared set-up: an emulator with the demo corp, a callback sink so interactive cards are
//! accepted and member clicks deliver, SDK clients pointed at it, and the admin API.

use std::future::Future;
use std::time::Duration;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Value, json};
use wecom::{Client, ClientBuilder, RetryPolicy};
use wecom_emulator::{Config, Emulator, EmulatorHandle};

/// The demo corp's "Build bot" app (callback URL, bound mini program, parties 2 and 3).
pub(crate) const BOT: i64 = 1_000_002;
/// The demo corp's "Notices" app (no callback URL; alice and party 3).
pub(crate) const NOTICES: i64 = 1_000_003;

/// An emulator, a plain HTTP client for its admin API, and the URL of a callback sink.
pub(crate) struct Env {
    pub(crate) emu: EmulatorHandle,
    pub(crate) http: reqwest::Client,
}

impl Env {
    /// The demo corp, with the Build bot's callbacks going to a local sink that answers
    /// 200 with an empty body (the demo's placeholder URL has nothing listening).
    pub(crate) async fn demo() -> Self {
        Self::with(Config::demo()).await
    }

    pub(crate) async fn with(config: Config) -> Self {
        let emu = Emulator::start(config).await.expect("the emulator starts");
        let http = reqwest::Client::builder().no_proxy().build().expect("HTTP client");
        let env = Self { emu, http };
        env.sink_callbacks(BOT).await;
        env
    }

    async fn sink_callbacks(&self, agentid: i64) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/sink", listener.local_addr().unwrap());
        let sink = axum::Router::new().route("/sink", axum::routing::any(|| async { "" }));
        tokio::spawn(async move { axum::serve(listener, sink).await.unwrap() });
        let (status, v) = self
            .admin("PUT", &format!("/emulator/apps/{agentid}/callback"), json!({ "url": url }))
            .await;
        assert_eq!(status, 200, "{v}");
    }

    /// A client builder for `agentid` with the emulator's credentials and fast retries.
    pub(crate) fn builder(&self, agentid: i64) -> ClientBuilder {
        let app = self.emu.app(agentid).expect("the app exists");
        Client::builder(self.emu.corp_id(), agentid, app.secret.expose())
            .base_url(self.emu.base_url())
            .retry_policy(fast_retries())
    }

    pub(crate) fn client(&self, agentid: i64) -> Client {
        self.builder(agentid).build().expect("client")
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.emu.base_url())
    }

    /// An admin call; returns the HTTP status and the JSON answer.
    pub(crate) async fn admin(&self, method: &str, path: &str, body: Value) -> (u16, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let resp = self.http.request(method, self.url(path)).json(&body).send().await.unwrap();
        (resp.status().as_u16(), resp.json().await.unwrap())
    }

    /// An admin POST that must succeed.
    pub(crate) async fn post(&self, path: &str, body: Value) -> Value {
        let (status, v) = self.admin("POST", path, body).await;
        assert_eq!(status, 200, "{path}: {v}");
        v
    }

    pub(crate) async fn get(&self, path: &str) -> Value {
        self.http.get(self.url(path)).send().await.unwrap().json().await.unwrap()
    }

    /// Arms a fault (`/emulator/faults`).
    pub(crate) async fn fault(&self, fault: Value) {
        self.post("/emulator/faults", fault).await;
    }

    /// Calls of a `/cgi-bin/` path the emulator counted (faulted ones included).
    pub(crate) async fn calls(&self, path: &str) -> u64 {
        let stats = self.get("/emulator/stats").await;
        stats["calls"][path].as_u64().unwrap_or_else(|| panic!("no counter for {path}: {stats}"))
    }

    /// Tokens the emulator issued to `agentid`.
    pub(crate) async fn tokens_issued(&self, agentid: i64) -> u64 {
        let stats = self.get("/emulator/stats").await;
        stats["gettoken_ok"][agentid.to_string()].as_u64().unwrap_or(0)
    }

    /// The recorded messages matching `query` (e.g. `?user=alice`).
    pub(crate) async fn messages(&self, query: &str) -> Vec<Value> {
        let v = self.get(&format!("/emulator/messages{query}")).await;
        v["messages"].as_array().unwrap().clone()
    }

    pub(crate) async fn message(&self, msgid: &str) -> Value {
        self.get(&format!("/emulator/messages/{msgid}")).await
    }

    /// The bodies of the recorded messages matching `query`, byte for byte as received.
    pub(crate) async fn raw_bodies(&self, query: &str) -> Vec<String> {
        #[derive(Deserialize)]
        struct Record {
            body: Box<RawValue>,
        }
        #[derive(Deserialize)]
        struct List {
            messages: Vec<Record>,
        }
        let url = self.url(&format!("/emulator/messages{query}"));
        let text = self.http.get(url).send().await.unwrap().text().await.unwrap();
        let list: List = serde_json::from_str(&text).expect("a message list");
        list.messages.into_iter().map(|m| m.body.get().to_owned()).collect()
    }

    /// The body of a recorded message, byte for byte as the emulator received it.
    pub(crate) async fn raw_body(&self, msgid: &str) -> String {
        #[derive(Deserialize)]
        struct Record {
            body: Box<RawValue>,
        }
        let text = self
            .http
            .get(self.url(&format!("/emulator/messages/{msgid}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let record: Record = serde_json::from_str(&text).expect("a message record");
        record.body.get().to_owned()
    }
}

/// Retries without waiting long, so retry paths stay fast.
pub(crate) fn fast_retries() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(5)).max_delay(Duration::from_millis(20))
}

/// The status of `userid`'s copy of a recorded message (`""` if not a recipient).
pub(crate) fn status_of(message: &Value, userid: &str) -> String {
    recipient(message, userid).map(|r| r["status"].as_str().unwrap().to_owned()).unwrap_or_default()
}

/// `userid`'s copy of a recorded message.
pub(crate) fn recipient<'a>(message: &'a Value, userid: &str) -> Option<&'a Value> {
    message["recipients"].as_array().unwrap().iter().find(|r| r["userid"] == userid)
}

/// The user ids a recorded message was addressed to, in order.
pub(crate) fn recipient_ids(message: &Value) -> Vec<String> {
    message["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["userid"].as_str().unwrap().to_owned())
        .collect()
}

/// Polls `check` until it returns `Some`, failing after `deadline`. For work that finishes
/// in the background (a stalled request completing on the server).
pub(crate) async fn eventually<T, F, Fut>(what: &str, deadline: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let until = tokio::time::Instant::now() + deadline;
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(tokio::time::Instant::now() < until, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A PNG signature padded to `len` bytes.
pub(crate) fn png(len: usize) -> Vec<u8> {
    let mut data = b"\x89PNG\r\n\x1a\n".to_vec();
    data.resize(len.max(8), 7);
    data
}

/// AMR-NB audio (12.2 kbit/s, 20 ms frames) lasting `ms`.
pub(crate) fn amr(ms: usize) -> Vec<u8> {
    let mut data = b"#!AMR\n".to_vec();
    for _ in 0..ms / 20 {
        data.push(0x3C);
        data.extend([0u8; 31]);
    }
    data
}

/// An MP4 header (`ftyp` box) padded to `len` bytes.
pub(crate) fn mp4(len: usize) -> Vec<u8> {
    let mut data = b"\0\0\0\x18ftypmp42".to_vec();
    data.resize(len.max(12), 0);
    data
}
