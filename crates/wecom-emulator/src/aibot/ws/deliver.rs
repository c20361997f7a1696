//! Member actions of the admin API and the inbox, delivered to a WebSocket-mode bot: the
//! same callback bodies as HTTP mode, sent as `aibot_msg_callback` / `aibot_event_callback`
//! frames with a fresh server `req_id` on the bot's live connection; then, if asked, waiting
//! until the bot's answers make the turn reach a state.

use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::mpsc;

use super::hub::{Outbound, ReqEntry, ReqKind};
use crate::aibot::store::Turn;
use crate::state::EmulatorState;

/// A server `req_id` as WeCom's look: 24 characters of Base64.
pub(super) fn req_id() -> String {
    let mut id = crate::ids::random_token(20).replace(['-', '_'], "A");
    id.push_str("AwAA");
    id
}

/// A new turn of `botid` (not recorded yet).
pub(crate) fn new_turn(
    botid: &str,
    userid: &str,
    chatid: Option<&str>,
    kind: &str,
    state: &EmulatorState,
) -> Turn {
    Turn::new(botid, userid, chatid, kind, Value::Null, state.clock().now_ms())
}

/// How long to wait after delivering, and for what.
pub(crate) struct Wait {
    pub(crate) timeout: Duration,
    pub(crate) done: fn(&Turn) -> bool,
}

/// The first answer arrived (or the turn failed).
pub(crate) fn answered(t: &Turn) -> bool {
    t.status != "delivered" && t.status != "delivering"
}

/// The stream finished (or the turn ended otherwise).
pub(crate) fn finished(t: &Turn) -> bool {
    answered(t) && t.status != "streaming"
}

/// Sends `body` as a `cmd` frame to the bot's live connection for turn `turn`; then waits.
pub(crate) async fn callback(
    state: &EmulatorState,
    botid: &str,
    turn: u64,
    cmd: &str,
    body: Value,
    kind: ReqKind,
    wait: Option<Wait>,
) {
    let ai = &state.inner.aibots;
    let mut changes = ai.changes.subscribe();
    let Some(live) = ai.ws.live(botid) else {
        ai.update(turn, |t| {
            t.callback = body;
            t.status = "failed".into();
            t.errors.push("the bot has no live WebSocket connection (not subscribed)".into());
        });
        return;
    };
    let id = req_id();
    ai.ws.register(
        id.clone(),
        ReqEntry {
            conn: live.conn,
            botid: botid.to_owned(),
            turn,
            kind,
            issued_ms: state.clock().now_ms(),
            used: false,
        },
    );
    let frame = json!({ "cmd": cmd, "headers": { "req_id": id }, "body": body }).to_string();
    ai.update(turn, |t| {
        t.callback = body;
        t.req_id = Some(id);
        t.tries = 1;
        t.status = "delivered".into();
    });
    if let Err(e) = live.tx.try_send(Outbound::Frame(frame)) {
        let why = match e {
            mpsc::error::TrySendError::Full(_) => {
                "the connection's callback queue is full (the bot is not reading)"
            }
            mpsc::error::TrySendError::Closed(_) => {
                "the connection closed before the callback was sent"
            }
        };
        ai.update(turn, |t| {
            t.status = "failed".into();
            t.errors.push(why.into());
        });
        return;
    }
    let Some(wait) = wait else { return };
    let deadline = tokio::time::Instant::now() + wait.timeout;
    loop {
        if ai.get(turn).is_none_or(|t| (wait.done)(&t)) {
            return;
        }
        match tokio::time::timeout_at(deadline, changes.recv()).await {
            Err(_) | Ok(Err(RecvError::Closed)) => return,
            Ok(Ok(_) | Err(RecvError::Lagged(_))) => {}
        }
    }
}
