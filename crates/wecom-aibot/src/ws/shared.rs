//! The state every part of the client shares: the live connection (its generation, its
//! outbound queue, the frames waiting for acknowledgements), the per-`req_id` reply lanes,
//! counters, state and events. [`Shared::request`] is the one place a frame is sent and its
//! acknowledgement awaited.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use serde::Serialize;
use tokio::sync::{Notify, broadcast, mpsc, oneshot, watch};
use tokio_tungstenite::tungstenite::Message as WsMessage;

use super::config::{Credentials, WsConfig};
use super::error::WsError;
use super::frame::{self, Ack};
use super::status::{ConnState, Counters, WsEvent};
use crate::bot::{DynBot, Slots};

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One subscribed connection.
pub(crate) struct Conn {
    pub(crate) generation: u64,
    pub(crate) out: mpsc::Sender<WsMessage>,
    pending: Mutex<HashMap<String, oneshot::Sender<Ack>>>,
    /// Set when an acknowledgement says the socket lost its subscription.
    pub(crate) broken: Notify,
}

impl Conn {
    pub(crate) fn new(generation: u64, out: mpsc::Sender<WsMessage>) -> Arc<Self> {
        Arc::new(Conn { generation, out, pending: Mutex::default(), broken: Notify::new() })
    }

    /// Delivers an acknowledgement; `false` if nothing waited for it.
    pub(crate) fn acknowledge(&self, req_id: &str, ack: Ack) -> bool {
        match lock(&self.pending).remove(req_id) {
            Some(tx) => tx.send(ack).is_ok(),
            None => false,
        }
    }

    /// Fails everything waiting (their receivers see the sender dropped).
    pub(crate) fn fail_pending(&self) {
        lock(&self.pending).clear();
    }
}

/// A place in a lane; leaving (drop) frees it.
pub(crate) struct LaneTicket<'a> {
    shared: &'a Shared,
    req_id: String,
    lane: Arc<LaneGate>,
}

/// A per-`req_id` FIFO: one frame in flight, the rest waiting in order (tokio's mutex is
/// fair, so waiters are served first come, first served).
struct LaneGate(tokio::sync::Mutex<()>);

impl Drop for LaneTicket<'_> {
    fn drop(&mut self) {
        let mut lanes = lock(&self.shared.lanes);
        if let Some(lane) = lanes.get_mut(&self.req_id) {
            lane.waiting = lane.waiting.saturating_sub(1);
            if lane.waiting == 0 {
                lanes.remove(&self.req_id);
            }
        }
    }
}

pub(crate) struct Shared {
    pub(crate) credentials: Credentials,
    pub(crate) config: WsConfig,
    pub(crate) bot: Arc<dyn DynBot>,
    pub(crate) slots: Arc<Slots>,
    pub(crate) counters: Counters,
    pub(crate) limits: Arc<crate::bot::Limits>,
    conn: Mutex<Option<Arc<Conn>>>,
    generation: AtomicU64,
    lanes: Mutex<HashMap<String, LaneEntry>>,
    pub(crate) state: watch::Sender<ConnState>,
    pub(crate) events: broadcast::Sender<WsEvent>,
    pub(crate) shutdown: watch::Sender<bool>,
    pub(crate) seen: Mutex<super::dispatch::Seen>,
}

struct LaneEntry {
    gate: Arc<LaneGate>,
    waiting: usize,
}

impl Shared {
    pub(crate) fn new(credentials: Credentials, config: WsConfig, bot: Arc<dyn DynBot>) -> Self {
        let limits = Arc::new(config.limits.clone());
        Shared {
            credentials,
            config,
            bot,
            slots: Arc::new(Slots::default()),
            counters: Counters::default(),
            limits,
            conn: Mutex::new(None),
            generation: AtomicU64::new(0),
            lanes: Mutex::default(),
            state: watch::channel(ConnState::Idle).0,
            events: broadcast::channel(256).0,
            shutdown: watch::channel(false).0,
            seen: Mutex::default(),
        }
    }

    pub(crate) fn emit(&self, event: WsEvent) {
        let _ = self.events.send(event);
    }

    pub(crate) fn set_state(&self, state: ConnState) {
        self.state.send_replace(state);
    }

    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Installs a freshly subscribed connection and returns its generation.
    pub(crate) fn install(&self, out: mpsc::Sender<WsMessage>) -> Arc<Conn> {
        let generation = self.generation.fetch_add(1, Ordering::AcqRel) + 1;
        let conn = Conn::new(generation, out);
        *lock(&self.conn) = Some(Arc::clone(&conn));
        conn
    }

    /// Removes the live connection and fails its pending frames.
    pub(crate) fn uninstall(&self) {
        if let Some(conn) = lock(&self.conn).take() {
            conn.fail_pending();
        }
    }

    pub(crate) fn current(&self) -> Option<Arc<Conn>> {
        lock(&self.conn).clone()
    }

    /// Takes a place in `req_id`'s lane, or refuses if it is full.
    fn enter_lane(&self, req_id: &str) -> Result<LaneTicket<'_>, WsError> {
        let mut lanes = lock(&self.lanes);
        let entry = lanes.entry(req_id.to_owned()).or_insert_with(|| LaneEntry {
            gate: Arc::new(LaneGate(tokio::sync::Mutex::new(()))),
            waiting: 0,
        });
        if entry.waiting >= self.config.max_queue {
            return Err(WsError::QueueFull {
                req_id: req_id.to_owned(),
                limit: self.config.max_queue,
            });
        }
        entry.waiting += 1;
        Ok(LaneTicket { shared: self, req_id: req_id.to_owned(), lane: Arc::clone(&entry.gate) })
    }

    /// Answers callback `req_id` (received on connection `generation`) with one frame, in
    /// order behind the frames already queued for it, and waits for its acknowledgement.
    pub(crate) async fn respond<B: Serialize>(
        &self,
        cmd: &'static str,
        req_id: &str,
        generation: u64,
        body: &B,
    ) -> Result<Ack, WsError> {
        if self.generation() != generation {
            return Err(WsError::StaleReqId { req_id: req_id.to_owned() });
        }
        let ticket = self.enter_lane(req_id)?;
        let _turn = ticket.lane.0.lock().await;
        self.request(cmd, req_id, Some(generation), Some(body)).await
    }

    /// Sends one frame and waits for its acknowledgement. With `generation`, the frame is
    /// only sent on that connection.
    pub(crate) async fn request<B: Serialize>(
        &self,
        cmd: &'static str,
        req_id: &str,
        generation: Option<u64>,
        body: Option<&B>,
    ) -> Result<Ack, WsError> {
        let conn = self.current().ok_or(WsError::NotConnected)?;
        if generation.is_some_and(|g| g != conn.generation) {
            return Err(WsError::StaleReqId { req_id: req_id.to_owned() });
        }
        let text = frame::encode(cmd, req_id, body);
        let (tx, rx) = oneshot::channel();
        lock(&conn.pending).insert(req_id.to_owned(), tx);
        let after = self.config.ack_timeout;
        let waited = tokio::time::timeout(after, async {
            if conn.out.send(WsMessage::text(text)).await.is_err() {
                return Err(WsError::ConnectionLost);
            }
            rx.await.map_err(|_| WsError::ConnectionLost)
        })
        .await;
        match waited {
            Ok(Ok(ack)) if ack.errcode == 0 => Ok(ack),
            Ok(Ok(ack)) => {
                if WsError::breaks_connection(ack.errcode) {
                    tracing::warn!(
                        code = ack.errcode,
                        "acknowledgement says the subscription is gone; reconnecting"
                    );
                    conn.broken.notify_one();
                }
                Err(WsError::Api { code: ack.errcode, msg: ack.errmsg })
            }
            Ok(Err(e)) => {
                lock(&conn.pending).remove(req_id);
                Err(e)
            }
            Err(_) => {
                lock(&conn.pending).remove(req_id);
                Counters::bump(&self.counters.ack_timeouts);
                tracing::warn!(cmd, req_id, "no acknowledgement in time");
                Err(WsError::AckTimeout { cmd, req_id: req_id.to_owned(), after })
            }
        }
    }

    /// Waits until a connection is subscribed, up to `limit`; `false` if none came or the
    /// client stopped.
    pub(crate) async fn wait_connected(&self, limit: std::time::Duration) -> bool {
        self.wait_newer(0, limit).await
    }

    /// Waits until a connection newer than `generation` is subscribed, up to `limit`.
    pub(crate) async fn wait_newer(&self, generation: u64, limit: std::time::Duration) -> bool {
        let mut rx = self.state.subscribe();
        tokio::time::timeout(limit, async {
            loop {
                match *rx.borrow_and_update() {
                    ConnState::Connected if self.generation() > generation => return true,
                    ConnState::Displaced | ConnState::Stopped => return false,
                    _ => {}
                }
                if rx.changed().await.is_err() {
                    return false;
                }
            }
        })
        .await
        .unwrap_or(false)
    }
}
