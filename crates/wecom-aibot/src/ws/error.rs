//! [`WsError`]: everything the WebSocket transport can report. No variant carries the secret;
//! connection errors carry the endpoint's error text only.

use std::time::Duration;

/// An error of the WebSocket transport.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WsError {
    /// TCP, TLS or the WebSocket handshake failed, or the connection broke.
    #[error("connection: {0}")]
    Connect(String),
    /// WeCom refused the subscription (wrong Bot ID or Secret, or rate limited) again after
    /// the [`super::WsConfig::max_auth_failures`] retries.
    #[error(
        "aibot_subscribe refused {attempts} time(s) in a row (last: errcode {code}: {msg}); check the Bot ID and Secret"
    )]
    AuthFailed {
        /// The last refusal's `errcode`.
        code: i64,
        /// Its `errmsg`.
        msg: String,
        /// Refusals in a row.
        attempts: u32,
    },
    /// Connection attempts in a row reached [`super::Backoff::max_attempts`].
    #[error("gave up after {attempts} connection attempt(s); last error: {last}")]
    ReconnectExhausted {
        /// Attempts made.
        attempts: u32,
        /// The last failure.
        last: String,
    },
    /// WeCom acknowledged a frame with a non-zero `errcode`.
    #[error("WeCom error {code}: {msg}")]
    Api {
        /// `errcode`.
        code: i64,
        /// `errmsg`.
        msg: String,
    },
    /// No acknowledgement within [`super::WsConfig::ack_timeout`].
    #[error("{cmd} {req_id}: no acknowledgement within {after:?}")]
    AckTimeout {
        /// The command.
        cmd: &'static str,
        /// The frame's `req_id`.
        req_id: String,
        /// The timeout.
        after: Duration,
    },
    /// The `req_id`'s queue already holds [`super::WsConfig::max_queue`] frames; nothing was
    /// sent.
    #[error("reply queue of {req_id} is full ({limit} frames); nothing sent")]
    QueueFull {
        /// The callback's `req_id`.
        req_id: String,
        /// The limit.
        limit: usize,
    },
    /// The callback being answered arrived on an earlier connection; WeCom would answer
    /// 846605. Nothing was sent: deliver through [`super::WsHandle::send`] instead.
    #[error("req_id {req_id} belongs to an earlier connection; nothing sent")]
    StaleReqId {
        /// The callback's `req_id`.
        req_id: String,
    },
    /// No subscribed connection right now; nothing was sent.
    #[error("not connected; nothing sent")]
    NotConnected,
    /// The connection closed before the acknowledgement arrived (the frame may or may not
    /// have been delivered).
    #[error("the connection closed before the acknowledgement")]
    ConnectionLost,
    /// A welcome or card update came too late (WeCom allows 5 s after the event).
    #[error("{what}: not answered within {limit:?}")]
    DeadlinePassed {
        /// What was late.
        what: &'static str,
        /// The deadline.
        limit: Duration,
    },
    /// A text or file breaks a size limit; nothing was sent.
    #[error("{field}: {size} bytes pass the {limit}-byte limit; nothing sent")]
    TooLarge {
        /// The field or item.
        field: &'static str,
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// An argument breaks one of WeCom's rules; nothing was sent.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// An acknowledgement lacked a field it must have.
    #[error("decode: {0}")]
    Decode(String),
}

impl WsError {
    /// `errcode` 846605: the `req_id` is not valid on this connection.
    pub const INVALID_REQ_ID: i64 = 846_605;
    /// `errcode` 846608: the stream passed its lifetime.
    pub const STREAM_EXPIRED: i64 = 846_608;
    /// `errcode` 846609: this socket has no valid subscription.
    pub const NOT_SUBSCRIBED: i64 = 846_609;
    /// `errcode` 45009: rate limited.
    pub const RATE_LIMITED: i64 = 45_009;

    /// WeCom's `errcode`, for [`WsError::Api`] and [`WsError::AuthFailed`].
    pub fn code(&self) -> Option<i64> {
        match self {
            WsError::Api { code, .. } | WsError::AuthFailed { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// Whether the reply can never be delivered on its `req_id` again (stale, lost, or
    /// rejected as invalid by WeCom).
    pub fn is_req_id_dead(&self) -> bool {
        matches!(self, WsError::StaleReqId { .. } | WsError::ConnectionLost | WsError::NotConnected)
            || self.code() == Some(Self::INVALID_REQ_ID)
    }

    /// Whether an acknowledgement with `code` means the socket lost its subscription and
    /// must be replaced (846609; 846601 and 846602, whose meaning is unknown, are treated
    /// the same way, as field reports do).
    pub(crate) fn breaks_connection(code: i64) -> bool {
        matches!(code, Self::NOT_SUBSCRIBED | 846_601 | 846_602)
    }
}
