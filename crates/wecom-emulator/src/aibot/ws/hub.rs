//! The bookkeeping of the WebSocket side: which connection owns each bot (one per bot), the
//! callback `req_id`s handed out and the connection each belongs to, the connection log, and
//! the armed connection faults. Chunked uploads live in [`super::upload`].

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde::Serialize;
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::upload::Uploads;

/// Log entries kept per bot.
const LOG_MAX: usize = 200;
/// Callback `req_id`s remembered at most; the oldest are forgotten first (they are long
/// past every time limit by then).
const REQS_MAX: usize = 20_000;

/// What the hub asks a connection to do.
#[derive(Debug)]
pub(crate) enum Outbound {
    /// Send this text frame (a callback).
    Frame(String),
    /// Another connection subscribed the bot: send `disconnected_event`, then close.
    Kick,
    /// A fault: drop the TCP connection at once, without a close frame.
    Drop,
    /// A fault: the connection loses its subscription but stays open; every command on it
    /// (pings included) then answers 846609 until it subscribes again. Told when done.
    Unsubscribe(tokio::sync::oneshot::Sender<()>),
}

/// Frame counters of one connection.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) frames_in: AtomicU64,
    pub(crate) frames_out: AtomicU64,
}

/// The connection that owns a bot.
#[derive(Debug, Clone)]
pub(crate) struct Live {
    pub(crate) conn: u64,
    pub(crate) tx: mpsc::Sender<Outbound>,
    pub(crate) since_ms: i64,
    pub(crate) peer: String,
    pub(crate) counters: Arc<Counters>,
}

/// What a callback `req_id` answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ReqKind {
    /// A member's message (`aibot_respond_msg`).
    Message,
    /// `enter_chat` (`aibot_respond_welcome_msg`, once, within 5 s).
    EnterChat,
    /// `template_card_event` (`aibot_respond_update_msg`, once, within 5 s) on the card of
    /// turn `card_turn` with this task id.
    CardEvent { task_id: String, card_turn: u64 },
    /// An event that takes no answer (`feedback_event`).
    NoAnswer,
}

/// One callback `req_id`.
#[derive(Debug, Clone)]
pub(crate) struct ReqEntry {
    pub(crate) conn: u64,
    pub(crate) botid: String,
    pub(crate) turn: u64,
    pub(crate) kind: ReqKind,
    /// Virtual time of the callback.
    pub(crate) issued_ms: i64,
    /// A one-shot answer (welcome, card update) was given.
    pub(crate) used: bool,
}

/// One line of a bot's connection log.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LogEntry {
    pub(crate) at_ms: i64,
    /// `subscribed`, `refused`, `displaced` (got `disconnected_event`), `dropped` (fault),
    /// `unsubscribed` (fault: the subscription was lost, the socket stays), `closed`.
    pub(crate) what: &'static str,
    pub(crate) connection: u64,
    pub(crate) detail: String,
}

/// The connection faults armed for one bot.
#[derive(Debug, Default, Clone)]
pub(crate) struct WsFaults {
    /// Acks are held until then, and sent afterwards in order.
    pub(crate) stall_until: Option<Instant>,
    /// The next N acks are never sent.
    pub(crate) swallow: u32,
    /// Subscriptions are refused with `refuse_errcode` until then.
    pub(crate) refuse_until: Option<Instant>,
    pub(crate) refuse_errcode: i64,
}

impl WsFaults {
    fn view(&self) -> Value {
        let left = |t: Option<Instant>| {
            t.map(|t| t.saturating_duration_since(Instant::now()).as_millis()).filter(|ms| *ms > 0)
        };
        json!({
            "stall_acks_ms": left(self.stall_until),
            "swallow_acks": self.swallow,
            "refuse_subscribe_ms": left(self.refuse_until),
            "refuse_errcode": left(self.refuse_until).map(|_| self.refuse_errcode),
        })
    }
}

/// What to do with one ack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AckFate {
    Send,
    HoldUntil(Instant),
    Swallow,
}

#[derive(Debug, Default)]
struct Slot {
    live: Option<Live>,
    log: VecDeque<LogEntry>,
    faults: WsFaults,
}

impl Slot {
    fn log(&mut self, entry: LogEntry) {
        if self.log.len() == LOG_MAX {
            self.log.pop_front();
        }
        self.log.push_back(entry);
    }
}

#[derive(Debug, Default)]
struct Inner {
    bots: HashMap<String, Slot>,
    reqs: HashMap<String, ReqEntry>,
    /// `req_id`s in the order handed out (to forget the oldest).
    order: VecDeque<String>,
}

/// The WebSocket side of every AI bot.
#[derive(Debug, Default)]
pub(crate) struct Hub {
    inner: Mutex<Inner>,
    next_conn: AtomicU64,
    /// Whether a fault was ever armed since the last reset: acks skip the lock otherwise.
    faults_used: AtomicBool,
    /// Open connections (the cap of `options.aibot_ws_max_connections`).
    pub(crate) open: AtomicU64,
    pub(crate) uploads: Uploads,
}

impl Hub {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A fresh connection id.
    pub(crate) fn next_conn(&self) -> u64 {
        self.next_conn.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Makes `live` the bot's connection; the connection it displaces (if any) is told to
    /// send `disconnected_event` and close.
    pub(crate) fn subscribe(&self, botid: &str, live: Live) {
        let mut inner = self.lock();
        let slot = inner.bots.entry(botid.to_owned()).or_default();
        let entry = LogEntry {
            at_ms: live.since_ms,
            what: "subscribed",
            connection: live.conn,
            detail: format!("from {}", live.peer),
        };
        let new_conn = live.conn;
        let since = live.since_ms;
        if let Some(old) = slot.live.replace(live)
            && old.conn != new_conn
        {
            // The old connection may already be gone: then nothing is sent. If its queue is
            // full, the kick waits behind the queued callbacks rather than leaving a
            // connection open that no longer owns the bot.
            let sent = match old.tx.try_send(Outbound::Kick) {
                Ok(()) => true,
                Err(mpsc::error::TrySendError::Full(kick)) => {
                    let tx = old.tx.clone();
                    tokio::spawn(async move {
                        let _ = tx.send(kick).await;
                    });
                    true
                }
                Err(mpsc::error::TrySendError::Closed(_)) => false,
            };
            slot.log(LogEntry {
                at_ms: since,
                what: "displaced",
                connection: old.conn,
                detail: format!(
                    "connection {new_conn} subscribed; disconnected_event {}",
                    if sent { "sent" } else { "not sent (connection gone)" }
                ),
            });
        }
        slot.log(entry);
    }

    /// Records a refused subscription.
    pub(crate) fn refused(&self, botid: &str, conn: u64, at_ms: i64, detail: String) {
        let mut inner = self.lock();
        inner.bots.entry(botid.to_owned()).or_default().log(LogEntry {
            at_ms,
            what: "refused",
            connection: conn,
            detail,
        });
    }

    /// A connection ended; it stops owning its bot.
    pub(crate) fn closed(&self, botid: &str, conn: u64, at_ms: i64, what: &'static str, why: &str) {
        let mut inner = self.lock();
        let slot = inner.bots.entry(botid.to_owned()).or_default();
        if slot.live.as_ref().is_some_and(|l| l.conn == conn) {
            slot.live = None;
        }
        slot.log(LogEntry { at_ms, what, connection: conn, detail: why.to_owned() });
    }

    /// The bot's live connection.
    pub(crate) fn live(&self, botid: &str) -> Option<Live> {
        self.lock().bots.get(botid).and_then(|s| s.live.clone())
    }

    /// Remembers a callback `req_id`.
    pub(crate) fn register(&self, req_id: String, entry: ReqEntry) {
        let mut inner = self.lock();
        while inner.order.len() >= REQS_MAX {
            if let Some(old) = inner.order.pop_front() {
                inner.reqs.remove(&old);
            }
        }
        inner.order.push_back(req_id.clone());
        inner.reqs.insert(req_id, entry);
    }

    /// Looks up a callback `req_id` and lets `f` decide (and mark it used).
    pub(crate) fn with_req<T>(
        &self,
        req_id: &str,
        f: impl FnOnce(Option<&mut ReqEntry>) -> T,
    ) -> T {
        f(self.lock().reqs.get_mut(req_id))
    }

    /// Decides the fate of the next ack on a connection of `botid`.
    pub(crate) fn ack_fate(&self, botid: Option<&str>) -> AckFate {
        let Some(botid) = botid else { return AckFate::Send };
        if !self.faults_used.load(Ordering::Acquire) {
            return AckFate::Send;
        }
        let mut inner = self.lock();
        let Some(slot) = inner.bots.get_mut(botid) else { return AckFate::Send };
        let f = &mut slot.faults;
        if f.swallow > 0 {
            f.swallow -= 1;
            return AckFate::Swallow;
        }
        match f.stall_until {
            Some(t) if t > Instant::now() => AckFate::HoldUntil(t),
            _ => AckFate::Send,
        }
    }

    /// The errcode a subscription of `botid` is refused with by a fault, if one is armed.
    pub(crate) fn refusal(&self, botid: &str) -> Option<i64> {
        let inner = self.lock();
        let f = &inner.bots.get(botid)?.faults;
        f.refuse_until.filter(|t| *t > Instant::now()).map(|_| f.refuse_errcode)
    }

    /// Changes the bot's faults.
    pub(crate) fn with_faults<T>(&self, botid: &str, f: impl FnOnce(&mut WsFaults) -> T) -> T {
        self.faults_used.store(true, Ordering::Release);
        f(&mut self.lock().bots.entry(botid.to_owned()).or_default().faults)
    }

    /// The bot's connection state for the admin API.
    pub(crate) fn status(&self, botid: &str) -> Value {
        let inner = self.lock();
        let slot = inner.bots.get(botid);
        let live = slot.and_then(|s| s.live.as_ref());
        json!({
            "connected": live.is_some(),
            "connection": live.map(|l| l.conn),
            "since_ms": live.map(|l| l.since_ms),
            "peer": live.map(|l| l.peer.clone()),
            "frames_in": live.map_or(0, |l| l.counters.frames_in.load(Ordering::Relaxed)),
            "frames_out": live.map_or(0, |l| l.counters.frames_out.load(Ordering::Relaxed)),
            "faults": slot.map_or_else(|| WsFaults::default().view(), |s| s.faults.view()),
        })
    }

    /// The bot's connection log, oldest first.
    pub(crate) fn log(&self, botid: &str) -> Vec<LogEntry> {
        self.lock().bots.get(botid).map(|s| s.log.iter().cloned().collect()).unwrap_or_default()
    }

    /// Forgets `req_id`s, logs, faults and uploads; live connections stay.
    pub(crate) fn reset(&self) {
        let mut inner = self.lock();
        inner.reqs.clear();
        inner.order.clear();
        for slot in inner.bots.values_mut() {
            slot.log.clear();
            slot.faults = WsFaults::default();
        }
        self.faults_used.store(false, Ordering::Release);
        drop(inner);
        self.uploads.reset();
    }
}

/// How long after now a fault lasts.
pub(crate) fn after(seconds: f64) -> Instant {
    Instant::now() + Duration::from_secs_f64(seconds.max(0.0))
}
