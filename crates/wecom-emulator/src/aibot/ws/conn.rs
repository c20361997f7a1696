//! One WebSocket connection: the subscription, then frames in (acked in order, through the
//! bot's armed faults) and callbacks out, until the peer closes, goes silent, is displaced
//! by a newer subscription, is dropped by a fault, or the emulator shuts down. A fault can
//! also take the subscription away while the socket stays open (every command then answers
//! 846609, as WeCom does when it silently loses a subscription).

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until};

use super::hub::{AckFate, Counters, Live, Outbound};
use super::{NOT_SUBSCRIBED, respond};
use crate::aibot::config::AibotMode;
use crate::api::error::code;
use crate::state::EmulatorState;

/// Callbacks queued for one connection at most (a bot that stops reading is closed).
const QUEUE: usize = 256;

/// How a connection ended, for the log.
struct End {
    what: &'static str,
    why: String,
}

struct ConnState {
    state: EmulatorState,
    conn: u64,
    peer: String,
    counters: Arc<Counters>,
    tx: mpsc::Sender<Outbound>,
    botid: Option<String>,
    /// Acks held by a stall fault, with their release time, in order.
    held: VecDeque<(Instant, String)>,
}

fn ack(req_id: Option<&str>, (errcode, errmsg): (i64, String), body: Option<Value>) -> String {
    let mut a = json!({ "errcode": errcode, "errmsg": errmsg });
    if let Some(r) = req_id {
        a["headers"] = json!({ "req_id": r });
    }
    if let Some(b) = body {
        a["body"] = b;
    }
    a.to_string()
}

impl ConnState {
    /// Handles one text frame; the ack to send.
    fn handle(&mut self, text: &str) -> String {
        let Ok(frame) = serde_json::from_str::<Value>(text) else {
            // Nothing to correlate with: an error frame without `req_id`, as WeCom sends for
            // frames it cannot read.
            return ack(None, (code::INVALID_PARAMETER, "invalid json frame".into()), None);
        };
        let req_id = frame["headers"]["req_id"].as_str().filter(|r| !r.is_empty());
        let Some(req_id) = req_id else {
            return ack(
                None,
                (code::INVALID_PARAMETER, "missing field `headers.req_id`".into()),
                None,
            );
        };
        let cmd = frame["cmd"].as_str().unwrap_or_default();
        let empty = Value::Object(serde_json::Map::new());
        let body = frame.get("body").unwrap_or(&empty);
        if cmd == "aibot_subscribe" {
            return ack(Some(req_id), self.subscribe(body), None);
        }
        let Some(botid) = self.botid.clone() else {
            return ack(
                Some(req_id),
                (NOT_SUBSCRIBED, "aibot websocket not subscribed".into()),
                None,
            );
        };
        let state = &self.state;
        let result = match cmd {
            "ping" => (0, "ok".into()),
            "aibot_respond_msg" => respond::respond_msg(state, self.conn, &botid, req_id, body),
            "aibot_respond_welcome_msg" => {
                respond::respond_welcome(state, self.conn, &botid, req_id, body)
            }
            "aibot_respond_update_msg" => {
                respond::respond_update(state, self.conn, &botid, req_id, body)
            }
            "aibot_send_msg" => respond::send_msg(state, &botid, body),
            "aibot_upload_media_init" => {
                let memory = state.config().options.aibot_ws_upload_memory;
                return match state.inner.aibots.ws.uploads.init(&botid, body, memory) {
                    Ok(id) => ack(Some(req_id), (0, "ok".into()), Some(json!({ "upload_id": id }))),
                    Err(e) => ack(Some(req_id), e, None),
                };
            }
            "aibot_upload_media_chunk" => match state.inner.aibots.ws.uploads.chunk(&botid, body) {
                Ok(()) => (0, "ok".into()),
                Err(e) => e,
            },
            "aibot_upload_media_finish" => {
                return match super::store_upload(state, &botid, body) {
                    Ok(done) => ack(Some(req_id), (0, "ok".into()), Some(done)),
                    Err(e) => ack(Some(req_id), e, None),
                };
            }
            "" => (code::INVALID_PARAMETER, "missing field `cmd`".into()),
            other => (code::INVALID_PARAMETER, format!("unknown cmd {other:?}")),
        };
        ack(Some(req_id), result, None)
    }

    fn subscribe(&mut self, body: &Value) -> (i64, String) {
        let state = self.state.clone();
        let now = state.clock().now_ms();
        let (Some(bot_id), Some(secret)) = (body["bot_id"].as_str(), body["secret"].as_str())
        else {
            return (
                code::INVALID_PARAMETER,
                "missing field `body.bot_id` or `body.secret`".into(),
            );
        };
        if let Some(current) = &self.botid {
            return if current == bot_id {
                (0, "ok".into())
            } else {
                (
                    code::INVALID_PARAMETER,
                    "this connection has already subscribed another bot".into(),
                )
            };
        }
        let bot = state
            .config()
            .aibots
            .iter()
            .find(|b| b.botid == bot_id && b.mode == AibotMode::Websocket);
        let expected = bot.and_then(|b| b.secret.as_ref()).map(|s| s.expose().as_bytes());
        // WeCom's errcode for a wrong Bot ID or secret is not documented (clients treat any
        // non-zero subscribe ack as an authentication failure); the emulator answers 40001,
        // WeCom's "invalid credential", for both, without saying which was wrong.
        if !expected.is_some_and(|e| super::same(e, secret.as_bytes())) {
            tracing::warn!(conn = self.conn, peer = %self.peer, "aibot_subscribe refused: wrong bot id or secret");
            if bot.is_some() {
                state.inner.aibots.ws.refused(bot_id, self.conn, now, "wrong secret".into());
            }
            return (code::INVALID_SECRET, "invalid credential: wrong bot_id or secret".into());
        }
        let hub = &state.inner.aibots.ws;
        if let Some(errcode) = hub.refusal(bot_id) {
            hub.refused(bot_id, self.conn, now, format!("fault: refuse_subscribe ({errcode})"));
            let msg = if errcode == code::API_FREQUENCY_LIMITED {
                "api freq out of limit".to_owned()
            } else {
                "subscription refused (fault injected by the emulator)".to_owned()
            };
            return (errcode, msg);
        }
        self.botid = Some(bot_id.to_owned());
        hub.subscribe(
            bot_id,
            Live {
                conn: self.conn,
                tx: self.tx.clone(),
                since_ms: now,
                peer: self.peer.clone(),
                counters: Arc::clone(&self.counters),
            },
        );
        (0, "ok".into())
    }
}

async fn send(socket: &mut WebSocket, counters: &Counters, text: String) -> bool {
    counters.frames_out.fetch_add(1, Ordering::Relaxed);
    socket.send(Message::Text(Utf8Bytes::from(text))).await.is_ok()
}

async fn close(socket: &mut WebSocket, code: u16, reason: &'static str) {
    let frame = CloseFrame { code, reason: Utf8Bytes::from_static(reason) };
    let _ = tokio::time::timeout(Duration::from_secs(1), socket.send(Message::Close(Some(frame))))
        .await;
}

/// Serves one upgraded connection.
pub(super) async fn run(mut socket: WebSocket, state: EmulatorState, peer: String) {
    let hub = &state.inner.aibots.ws;
    let conn = hub.next_conn();
    let (tx, mut rx) = mpsc::channel(QUEUE);
    let counters = Arc::new(Counters::default());
    let options = &state.config().options;
    let idle = Duration::from_millis(options.aibot_ws_idle_timeout_ms);
    let subscribe_by =
        Instant::now() + Duration::from_millis(options.aibot_ws_subscribe_timeout_ms);
    let mut closing = state.inner.closing.subscribe();
    let mut s = ConnState {
        state: state.clone(),
        conn,
        peer,
        counters: Arc::clone(&counters),
        tx,
        botid: None,
        held: VecDeque::new(),
    };
    let mut last_in = Instant::now();
    // Set once a fault took the subscription away: the subscribe deadline no longer applies.
    let mut lost_subscription = false;
    let far = Instant::now() + Duration::from_secs(86_400 * 365);
    let end = loop {
        let quiet_by = if s.botid.is_some() || lost_subscription {
            last_in + idle
        } else {
            subscribe_by.min(last_in + idle)
        };
        let release = s.held.front().map_or(far, |h| h.0);
        tokio::select! {
            biased;
            () = async { let _ = closing.wait_for(|c| *c).await; } => {
                close(&mut socket, 1001, "the emulator is shutting down").await;
                break End { what: "closed", why: "the emulator shut down".into() };
            }
            out = rx.recv() => match out {
                Some(Outbound::Frame(text)) => {
                    if !send(&mut socket, &counters, text).await {
                        break End { what: "closed", why: "sending failed".into() };
                    }
                }
                Some(Outbound::Kick) => {
                    let botid = s.botid.clone().unwrap_or_default();
                    let event = json!({
                        "cmd": "aibot_event_callback",
                        "headers": { "req_id": super::deliver_req_id() },
                        "body": {
                            "msgid": crate::ids::opaque("CAIQ", 28),
                            "create_time": state.clock().now_ms() / 1000,
                            "aibotid": botid,
                            "msgtype": "event",
                            "event": { "eventtype": "disconnected_event" },
                        },
                    });
                    send(&mut socket, &counters, event.to_string()).await;
                    close(&mut socket, 1000, "a newer connection subscribed this bot").await;
                    // The displacement itself is logged once, by the subscription that caused it.
                    break End { what: "closed", why: "displaced: disconnected_event sent, closed".into() };
                }
                Some(Outbound::Unsubscribe(done)) => {
                    if let Some(botid) = s.botid.take() {
                        let why = "fault: lose_subscription (the socket stays open)";
                        hub.closed(&botid, conn, state.clock().now_ms(), "unsubscribed", why);
                    }
                    // Held acks belong to the old subscription's frames: they still go out.
                    lost_subscription = true;
                    let _ = done.send(());
                }
                Some(Outbound::Drop) | None => {
                    // No close frame: the TCP connection just ends.
                    break End { what: "dropped", why: "dropped by a fault".into() };
                }
            },
            () = sleep_until(release), if !s.held.is_empty() => {
                while s.held.front().is_some_and(|h| h.0 <= Instant::now()) {
                    let (_, text) = s.held.pop_front().expect("checked");
                    if !send(&mut socket, &counters, text).await {
                        break;
                    }
                }
            }
            () = sleep_until(quiet_by) => {
                if s.botid.is_none() {
                    close(&mut socket, 1008, "not subscribed in time").await;
                    break End { what: "closed", why: "no aibot_subscribe in time".into() };
                }
                close(&mut socket, 1000, "idle").await;
                break End { what: "closed", why: format!("idle for {} ms", idle.as_millis()) };
            }
            msg = socket.recv() => {
                let text = match msg {
                    None => break End { what: "closed", why: "by the peer".into() },
                    // Oversized frames and protocol violations end here too.
                    Some(Err(e)) => break End { what: "closed", why: format!("read failed: {e}") },
                    Some(Ok(Message::Close(_))) => break End { what: "closed", why: "by the peer (close frame)".into() },
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => {
                        last_in = Instant::now();
                        continue;
                    }
                    Some(Ok(Message::Binary(_))) => {
                        close(&mut socket, 1003, "text frames only").await;
                        break End { what: "closed", why: "sent a binary frame".into() };
                    }
                    Some(Ok(Message::Text(t))) => t,
                };
                last_in = Instant::now();
                counters.frames_in.fetch_add(1, Ordering::Relaxed);
                let was = s.botid.is_some();
                let reply = s.handle(text.as_str());
                // The subscribe ack itself is never stalled (faults are per bot, and a
                // connection has no bot before it).
                let fate = if was { hub.ack_fate(s.botid.as_deref()) } else { AckFate::Send };
                match fate {
                    AckFate::Swallow => {}
                    AckFate::HoldUntil(t) => s.held.push_back((t, reply)),
                    AckFate::Send if !s.held.is_empty() => {
                        // The stall is over (it ran out, or was disarmed): everything held
                        // goes now, in order, before this ack.
                        s.held.push_back((Instant::now(), reply));
                        let mut failed = false;
                        while let Some((_, text)) = s.held.pop_front() {
                            if !send(&mut socket, &counters, text).await {
                                failed = true;
                                break;
                            }
                        }
                        if failed {
                            break End { what: "closed", why: "sending failed".into() };
                        }
                    }
                    AckFate::Send => {
                        if !send(&mut socket, &counters, reply).await {
                            break End { what: "closed", why: "sending failed".into() };
                        }
                    }
                }
            }
        }
    };
    if let Some(botid) = &s.botid {
        // A displaced connection no longer owns the bot: its end is logged, nothing more.
        hub.closed(botid, conn, state.clock().now_ms(), end.what, &end.why);
    }
    tracing::debug!(conn, what = end.what, why = %end.why, "aibot WebSocket connection ended");
}
