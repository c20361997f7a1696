//! A stand-in for WeCom's side of HTTP mode: encrypted callbacks, refreshes, and a
//! `response_url` endpoint that records what it receives.

#![allow(dead_code, unreachable_pub)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use wecom_aibot::http::AibotServer;
use wecom_msgcrypt::MsgCrypt;

pub const TOKEN: &str = "AiBotTok3n";
/// An alphanumeric key, as the admin console issues them (the reference's §A2.1 key has a
/// `/`, which `wecom-msgcrypt` refuses).
pub const KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

pub struct WeCom {
    pub crypt: MsgCrypt,
    pub base: String,
    pub client: reqwest::Client,
    n: AtomicU64,
    pub active: Arc<Mutex<Vec<Value>>>,
    pub active_url: String,
}

async fn spawn(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}")
}

impl WeCom {
    pub async fn start(server: AibotServer) -> WeCom {
        let base = spawn(server.into_router()).await;
        let active = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&active);
        let router = axum::Router::new().route(
            "/cgi-bin/aibot/response",
            axum::routing::post(move |axum::Json(v): axum::Json<Value>| {
                let sink = Arc::clone(&sink);
                async move {
                    sink.lock().unwrap().push(v);
                    axum::Json(json!({"errcode": 0, "errmsg": "ok"}))
                }
            }),
        );
        let active_url =
            format!("{}/cgi-bin/aibot/response?response_code=RC_test", spawn(router).await);
        WeCom {
            crypt: MsgCrypt::new(TOKEN, KEY, "").unwrap(),
            base,
            client: reqwest::Client::new(),
            n: AtomicU64::new(0),
            active,
            active_url,
        }
    }

    pub fn next_id(&self) -> String {
        format!("msg{}", self.n.fetch_add(1, Ordering::Relaxed))
    }

    /// Encrypts `plain` as WeCom does and returns (query, body).
    pub fn seal(&self, plain: &Value) -> (String, String) {
        let ts = "1767225600";
        let nonce = format!("{}", 1_000_000 + self.n.fetch_add(1, Ordering::Relaxed));
        let sealed = self.crypt.encrypt(&plain.to_string(), ts, &nonce).unwrap();
        let query = format!("msg_signature={}&timestamp={ts}&nonce={nonce}", sealed.msg_signature);
        (query, json!({ "encrypt": sealed.encrypt }).to_string())
    }

    pub async fn post_raw(&self, query: &str, body: String) -> (u16, String) {
        let r =
            self.client.post(format!("{}/?{query}", self.base)).body(body).send().await.unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// Posts a callback and returns the decrypted reply (`None` for an empty answer).
    pub async fn send(&self, plain: &Value) -> Option<Value> {
        let (query, body) = self.seal(plain);
        let (status, text) = self.post_raw(&query, body).await;
        assert_eq!(status, 200, "{text}");
        if text.is_empty() {
            return None;
        }
        let env: Value = serde_json::from_str(&text).unwrap();
        assert!(env["timestamp"].is_string(), "the reply timestamp is a JSON string");
        let d = self
            .crypt
            .decrypt_verified(
                env["msgsignature"].as_str().unwrap(),
                env["timestamp"].as_str().unwrap(),
                env["nonce"].as_str().unwrap(),
                env["encrypt"].as_str().unwrap(),
            )
            .unwrap();
        Some(serde_json::from_str(&d.message).unwrap())
    }

    pub fn text(&self, user: &str, text: &str) -> Value {
        json!({
            "msgid": self.next_id(), "aibotid": "aib_test", "chattype": "single",
            "from": {"userid": user}, "response_url": self.active_url,
            "msgtype": "text", "text": {"content": text}
        })
    }

    pub fn refresh(&self, user: &str, stream_id: &str) -> Value {
        json!({
            "msgid": self.next_id(), "aibotid": "aib_test", "chattype": "single",
            "from": {"userid": user}, "msgtype": "stream", "stream": {"id": stream_id}
        })
    }

    /// Sends a message, then refreshes every `every` until the stream finishes; returns
    /// each content seen and the final reply.
    pub async fn converse(
        &self,
        user: &str,
        text: &str,
        every: std::time::Duration,
    ) -> (Vec<String>, Value) {
        let first = self.send(&self.text(user, text)).await.expect("an answer");
        let mut seen = vec![first["stream"]["content"].as_str().unwrap_or_default().to_owned()];
        let id = first["stream"]["id"].as_str().expect("a stream").to_owned();
        let mut last = first;
        let mut polls = 0;
        while last["stream"]["finish"] != true {
            polls += 1;
            assert!(polls < 20_000, "the stream never finished");
            tokio::time::sleep(every).await;
            last = self.send(&self.refresh(user, &id)).await.expect("a refresh answer");
            assert_eq!(last["stream"]["id"], id);
            seen.push(last["stream"]["content"].as_str().unwrap().to_owned());
        }
        (seen, last)
    }
}
