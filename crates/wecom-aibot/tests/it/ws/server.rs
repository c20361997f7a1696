//! A scripted stand-in for WeCom's WebSocket endpoint on 127.0.0.1:0: each accepted
//! connection becomes a [`ServerConn`] the test reads client frames from and writes
//! callbacks and acknowledgements to. Pings are acknowledged automatically unless switched
//! off, and are not shown to the test.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use futures::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use wecom_aibot::ws::{Backoff, Credentials, WsConfig};

pub const BOT_ID: &str = "aib_test_bot";
pub const SECRET: &str = "s3cr3t-Bot-Secret-value";

pub struct WsServer {
    pub url: String,
    conns: mpsc::UnboundedReceiver<ServerConn>,
    pub accepted: Arc<AtomicU64>,
}

pub struct ServerConn {
    rx: mpsc::UnboundedReceiver<Value>,
    tx: mpsc::UnboundedSender<Message>,
    pub pings: Arc<AtomicU64>,
    ack_pings: Arc<AtomicBool>,
    reader: tokio::task::JoinHandle<()>,
    writer: tokio::task::JoinHandle<()>,
}

impl WsServer {
    pub async fn start() -> WsServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("ws://{}/aibot/ws", listener.local_addr().unwrap());
        let (conn_tx, conns) = mpsc::unbounded_channel();
        let accepted = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&accepted);
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let Ok(ws) = tokio_tungstenite::accept_async(tcp).await else { continue };
                counter.fetch_add(1, Ordering::SeqCst);
                let (mut sink, mut stream) = ws.split();
                let (frames_tx, rx) = mpsc::unbounded_channel();
                let (tx, mut out_rx) = mpsc::unbounded_channel::<Message>();
                let pings = Arc::new(AtomicU64::new(0));
                let ack_pings = Arc::new(AtomicBool::new(true));
                let writer = tokio::spawn(async move {
                    while let Some(m) = out_rx.recv().await {
                        if sink.send(m).await.is_err() {
                            break;
                        }
                    }
                });
                let (pings2, ack2, ping_tx) =
                    (Arc::clone(&pings), Arc::clone(&ack_pings), tx.clone());
                let reader = tokio::spawn(async move {
                    while let Some(Ok(msg)) = stream.next().await {
                        let Message::Text(text) = msg else { continue };
                        let v: Value = serde_json::from_str(&text).expect("client frames are JSON");
                        if v["cmd"] == "ping" {
                            pings2.fetch_add(1, Ordering::SeqCst);
                            assert!(v.get("body").is_none(), "ping has no body");
                            if ack2.load(Ordering::SeqCst) {
                                let ack = ack_json(v["headers"]["req_id"].as_str().unwrap(), 0);
                                let _ = ping_tx.send(Message::text(ack.to_string()));
                            }
                            continue;
                        }
                        if frames_tx.send(v).is_err() {
                            break;
                        }
                    }
                });
                let conn = ServerConn { rx, tx, pings, ack_pings, reader, writer };
                if conn_tx.send(conn).is_err() {
                    break;
                }
            }
        });
        WsServer { url, conns, accepted }
    }

    /// The next connection (panics after 5 s).
    pub async fn accept(&mut self) -> ServerConn {
        tokio::time::timeout(Duration::from_secs(5), self.conns.recv())
            .await
            .expect("no connection within 5 s")
            .unwrap()
    }

    /// Asserts that no connection arrives within `d`.
    pub async fn no_connection(&mut self, d: Duration) {
        if let Ok(Some(_)) = tokio::time::timeout(d, self.conns.recv()).await {
            panic!("unexpected connection");
        }
    }
}

pub fn ack_json(req_id: &str, code: i64) -> Value {
    let msg = if code == 0 { "ok" } else { "error" };
    json!({"headers": {"req_id": req_id}, "errcode": code, "errmsg": msg})
}

impl ServerConn {
    /// The next non-ping frame (panics after 5 s).
    pub async fn recv(&mut self) -> Value {
        tokio::time::timeout(Duration::from_secs(5), self.rx.recv())
            .await
            .expect("no frame within 5 s")
            .expect("connection closed")
    }

    /// The next frame, or `None` if none comes within `d` or the connection closed.
    pub async fn try_recv(&mut self, d: Duration) -> Option<Value> {
        tokio::time::timeout(d, self.rx.recv()).await.ok().flatten()
    }

    pub fn send(&self, v: &Value) {
        let _ = self.tx.send(Message::text(v.to_string()));
    }

    pub fn ack(&self, frame: &Value, code: i64) {
        self.send(&ack_json(frame["headers"]["req_id"].as_str().unwrap(), code));
    }

    pub fn ack_with(&self, frame: &Value, body: Value) {
        let mut a = ack_json(frame["headers"]["req_id"].as_str().unwrap(), 0);
        a["body"] = body;
        self.send(&a);
    }

    /// Reads the subscribe frame, checks the credentials and acknowledges it with `code`.
    pub async fn subscribe(&mut self, code: i64) -> Value {
        let f = self.recv().await;
        assert_eq!(f["cmd"], "aibot_subscribe");
        assert_eq!(f["body"]["bot_id"], BOT_ID);
        assert_eq!(f["body"]["secret"], SECRET);
        self.ack(&f, code);
        f
    }

    pub fn set_ack_pings(&self, on: bool) {
        self.ack_pings.store(on, Ordering::SeqCst);
    }

    /// Drops the TCP connection without a close frame.
    pub fn kill(&self) {
        self.reader.abort();
        self.writer.abort();
    }

    /// A message callback.
    pub fn message(&self, req_id: &str, msgid: &str, user: &str, text: &str) {
        self.send(&json!({
            "cmd": "aibot_msg_callback",
            "headers": {"req_id": req_id},
            "body": {"msgid": msgid, "aibotid": BOT_ID, "chattype": "single",
                     "from": {"userid": user}, "msgtype": "text", "text": {"content": text}}
        }));
    }

    /// An event callback with the given `event` object.
    pub fn event(&self, req_id: &str, msgid: &str, event: Value) {
        self.send(&json!({
            "cmd": "aibot_event_callback",
            "headers": {"req_id": req_id},
            "body": {"msgid": msgid, "create_time": 1_767_225_600, "aibotid": BOT_ID,
                     "chattype": "single", "from": {"userid": "lisi"}, "msgtype": "event",
                     "event": event}
        }));
    }
}

pub fn credentials() -> Credentials {
    Credentials::new(BOT_ID, SECRET)
}

/// Short timings for tests.
pub fn config(url: &str) -> WsConfig {
    let mut c = WsConfig::default();
    c.url = url.to_owned();
    c.heartbeat_interval = Duration::from_secs(30);
    let mut b = Backoff::default();
    b.base = Duration::from_millis(20);
    b.max = Duration::from_millis(100);
    b.max_attempts = Some(5);
    c.reconnect = b;
    c.connect_timeout = Duration::from_secs(2);
    c.subscribe_timeout = Duration::from_secs(2);
    c.ack_timeout = Duration::from_millis(500);
    c.event_deadline = Duration::from_millis(500);
    c
}

/// A client running `bot`, connected and subscribed to `srv`.
pub async fn connected(
    bot: impl wecom_aibot::bot::Bot,
    config: WsConfig,
    srv: &mut WsServer,
) -> (wecom_aibot::ws::WsHandle, ServerConn) {
    let client = wecom_aibot::ws::AibotWs::new(credentials(), config, bot);
    let (handle, _task) = client.spawn();
    let mut conn = srv.accept().await;
    conn.subscribe(0).await;
    assert!(handle.wait_connected(Duration::from_secs(2)).await);
    (handle, conn)
}
