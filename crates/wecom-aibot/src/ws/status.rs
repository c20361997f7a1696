//! What the application can watch: the connection state ([`ConnState`]), counters
//! ([`WsStats`], a cheap snapshot of atomics), the lifecycle events ([`WsEvent`]) and why the
//! client stopped ([`Stopped`]).

use std::sync::atomic::{AtomicU64, Ordering};

use super::error::WsError;
use crate::model::MsgId;

/// Where the connection is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConnState {
    /// Not started yet.
    Idle,
    /// Opening TCP/TLS/WebSocket.
    Connecting,
    /// Waiting for the `aibot_subscribe` acknowledgement.
    Subscribing,
    /// Subscribed: callbacks flow, replies and pushes can be sent.
    Connected,
    /// Waiting before the next attempt.
    Backoff,
    /// Stopped because another connection took over the bot.
    Displaced,
    /// Stopped (shut down, or gave up).
    Stopped,
}

/// Why [`super::AibotWs::run`] returned without an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Stopped {
    /// [`super::WsHandle::shutdown`] was called.
    Shutdown,
    /// Another connection took over the bot (`disconnected_event`) and the policy is
    /// [`super::OnDisplaced::Stop`] (or its reconnect budget is spent).
    Displaced,
}

/// Something the application may want to know about; see [`super::WsHandle::events`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WsEvent {
    /// Subscribed; `generation` counts connections from 1.
    Connected {
        /// This connection's number.
        generation: u64,
    },
    /// A subscribed connection ended (the reason in words); pending replies failed.
    ConnectionLost {
        /// The connection's number.
        generation: u64,
        /// Why.
        reason: String,
    },
    /// WeCom refused `aibot_subscribe`.
    SubscribeRefused {
        /// `errcode`.
        code: i64,
        /// `errmsg`.
        msg: String,
    },
    /// The next attempt starts after `delay`.
    Reconnecting {
        /// Attempt number (1-based, reset by a successful subscribe).
        attempt: u32,
        /// The wait.
        delay: std::time::Duration,
    },
    /// Another connection took over the bot (`disconnected_event`).
    Displaced,
    /// An answer to a callback could not be (fully) delivered.
    ReplyFailed {
        /// The callback's `req_id`.
        req_id: String,
        /// The message's `msgid`, for messages.
        msgid: Option<MsgId>,
        /// The chat (group chat id, or the member's userid).
        conversation: String,
        /// Why.
        error: WsError,
    },
    /// An error frame WeCom sent without a `req_id` (cannot be matched to a request).
    Uncorrelated {
        /// `errcode`.
        code: i64,
        /// `errmsg`.
        msg: String,
    },
    /// The client stopped.
    Stopped,
}

/// A snapshot of the connection's state and counters, from [`super::WsHandle::stats`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WsStats {
    /// The state.
    pub state: ConnState,
    /// Connections subscribed so far (the current one's number while connected).
    pub generation: u64,
    /// Connection attempts after the first.
    pub reconnects: u64,
    /// Refused subscriptions.
    pub auth_failures: u64,
    /// Frames that got no acknowledgement in time.
    pub ack_timeouts: u64,
    /// Text frames received.
    pub frames_in: u64,
    /// Text frames sent.
    pub frames_out: u64,
    /// Message callbacks handled (duplicates excluded).
    pub messages: u64,
    /// Event callbacks handled.
    pub events: u64,
    /// Pings sent.
    pub pings: u64,
    /// Answers whose delivery failed (see [`WsEvent::ReplyFailed`]).
    pub replies_failed: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) reconnects: AtomicU64,
    pub(crate) auth_failures: AtomicU64,
    pub(crate) ack_timeouts: AtomicU64,
    pub(crate) frames_in: AtomicU64,
    pub(crate) frames_out: AtomicU64,
    pub(crate) messages: AtomicU64,
    pub(crate) events: AtomicU64,
    pub(crate) pings: AtomicU64,
    pub(crate) replies_failed: AtomicU64,
}

impl Counters {
    pub(crate) fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self, state: ConnState, generation: u64) -> WsStats {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        WsStats {
            state,
            generation,
            reconnects: get(&self.reconnects),
            auth_failures: get(&self.auth_failures),
            ack_timeouts: get(&self.ack_timeouts),
            frames_in: get(&self.frames_in),
            frames_out: get(&self.frames_out),
            messages: get(&self.messages),
            events: get(&self.events),
            pings: get(&self.pings),
            replies_failed: get(&self.replies_failed),
        }
    }
}
