//! A raw WebSocket client for `/aibot/ws` (tokio-tungstenite and serde_json only, no SDK
//! types), and helpers to act as a member through the admin API.

use std::collections::VecDeque;
use std::time::Duration;

use futures::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::api::support::Emu;

pub(crate) const WS_BOT: &str = "aib_ws_demo";
pub(crate) const WS_SECRET: &str = "demo-aibot-ws-secret-00000000000000000000000";

/// How a connection ended, as the client saw it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Ended {
    /// A close frame with this code.
    Closed(u16),
    /// The TCP connection ended without a close frame.
    Dropped,
}

pub(crate) struct Client {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// Frames read while waiting for another one.
    parked: VecDeque<Value>,
    n: u64,
}

impl Client {
    pub(crate) async fn connect(emu: &Emu) -> Self {
        let url = format!("ws://{}/aibot/ws", emu.handle.addr());
        let (ws, _) = tokio_tungstenite::connect_async(url).await.expect("the endpoint upgrades");
        Self { ws, parked: VecDeque::new(), n: 0 }
    }

    /// Connects and subscribes the demo WebSocket bot.
    pub(crate) async fn subscribed(emu: &Emu) -> Self {
        let mut c = Self::connect(emu).await;
        let ack = c.subscribe(WS_BOT, WS_SECRET).await;
        assert_eq!(ack["errcode"], 0, "{ack}");
        c
    }

    pub(crate) async fn subscribe(&mut self, bot_id: &str, secret: &str) -> Value {
        self.request("aibot_subscribe", Some(json!({ "bot_id": bot_id, "secret": secret }))).await
    }

    pub(crate) async fn send_raw(&mut self, text: String) {
        self.ws.send(Message::text(text)).await.expect("frame sent");
    }

    /// The next JSON frame from the server (5 s at most).
    async fn read(&mut self) -> Value {
        loop {
            let msg = tokio::time::timeout(Duration::from_secs(5), self.ws.next())
                .await
                .expect("a frame within 5 s")
                .expect("the connection is open")
                .expect("a readable frame");
            match msg {
                Message::Text(t) => return serde_json::from_str(t.as_str()).expect("JSON frame"),
                Message::Ping(_) | Message::Pong(_) => {}
                other => panic!("unexpected frame {other:?}"),
            }
        }
    }

    /// The next frame matching `pred`; others are kept for later.
    pub(crate) async fn next_where(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.parked.iter().position(&pred) {
            return self.parked.remove(i).expect("found");
        }
        loop {
            let v = self.read().await;
            if pred(&v) {
                return v;
            }
            self.parked.push_back(v);
        }
    }

    /// The next callback frame (one with a `cmd`).
    pub(crate) async fn callback(&mut self) -> Value {
        self.next_where(|v| v.get("cmd").is_some()).await
    }

    /// Sends `cmd` with `req_id` and `body`; does not wait.
    pub(crate) async fn send(&mut self, cmd: &str, req_id: &str, body: Option<Value>) {
        let mut frame = json!({ "cmd": cmd, "headers": { "req_id": req_id } });
        if let Some(b) = body {
            frame["body"] = b;
        }
        self.send_raw(frame.to_string()).await;
    }

    /// The ack of `req_id`.
    pub(crate) async fn ack(&mut self, req_id: &str) -> Value {
        let req_id = req_id.to_owned();
        self.next_where(move |v| v.get("cmd").is_none() && v["headers"]["req_id"] == req_id).await
    }

    /// Sends `cmd` with a fresh `req_id` (as the SDK makes them) and waits for its ack.
    pub(crate) async fn request(&mut self, cmd: &str, body: Option<Value>) -> Value {
        self.n += 1;
        let req_id = format!("{cmd}_{}_{:08x}", 1_767_225_600_000u64 + self.n, self.n);
        self.send(cmd, &req_id, body).await;
        self.ack(&req_id).await
    }

    /// Answers a callback with `cmd` on its `req_id`; the ack.
    pub(crate) async fn reply(&mut self, cmd: &str, req_id: &str, body: Value) -> Value {
        self.send(cmd, req_id, Some(body)).await;
        self.ack(req_id).await
    }

    /// Waits for the end of the connection (5 s at most).
    pub(crate) async fn ended(&mut self) -> Ended {
        loop {
            let next = tokio::time::timeout(Duration::from_secs(5), self.ws.next())
                .await
                .expect("the connection ends within 5 s");
            match next {
                None | Some(Err(_)) => return Ended::Dropped,
                Some(Ok(Message::Close(frame))) => {
                    return Ended::Closed(frame.map_or(1005, |f| u16::from(f.code)));
                }
                Some(Ok(Message::Text(t))) => {
                    self.parked.push_back(serde_json::from_str(t.as_str()).expect("JSON"));
                }
                Some(Ok(_)) => {}
            }
        }
    }

    /// Frames read but not consumed yet.
    pub(crate) fn parked(&self) -> &VecDeque<Value> {
        &self.parked
    }
}

/// The turn with this id, from the admin API.
pub(crate) async fn turn(emu: &Emu, id: &Value) -> Value {
    emu.get_json(&format!("/emulator/aibots/{WS_BOT}/turns/{id}")).await
}

/// A member's text message to the bot, without waiting for the answer.
pub(crate) async fn ask(emu: &Emu, userid: &str, content: &str) -> Value {
    let path = format!("/emulator/aibots/{WS_BOT}/messages?wait=false");
    emu.admin_post(&path, json!({ "userid": userid, "content": content })).await
}

/// Polls the turn until `done` holds (5 s at most).
pub(crate) async fn turn_until(emu: &Emu, id: &Value, done: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..250 {
        let t = turn(emu, id).await;
        if done(&t) {
            return t;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("turn {id} never reached the state: {}", turn(emu, id).await);
}

/// The bot's connection state.
pub(crate) async fn ws_status(emu: &Emu) -> Value {
    emu.get_json(&format!("/emulator/aibots/{WS_BOT}/ws")).await
}

/// A stream frame body.
pub(crate) fn stream(id: &str, content: &str, finish: bool) -> Value {
    json!({ "msgtype": "stream", "stream": { "id": id, "finish": finish, "content": content } })
}
