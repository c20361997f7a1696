//! [`Error`]: what went wrong talking to Redis, in words an operator can act on.

use std::fmt;
use std::time::Duration;

use crate::connector::millis;

/// Why a Redis operation failed: the command, the server (`host:port`, never a password) and
/// the cause. Never contains a stored value.
#[derive(Debug, Clone)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

/// The kind of an [`Error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Redis did not answer in time (connecting or a command).
    Timeout,
    /// Redis could not be reached, now or moments ago.
    Unavailable,
    /// Redis answered with an error, or the connection broke during the command.
    Command,
    /// The arguments were refused before anything was sent.
    Invalid,
}

impl Error {
    pub(crate) fn timeout(op: &str, addr: &str, after: Duration) -> Self {
        Self {
            kind: ErrorKind::Timeout,
            message: format!("Redis `{op}` at {addr}: no answer within {} ms", millis(after)),
        }
    }

    pub(crate) fn connect_failed(op: &str, addr: &str, reason: &str, timed_out: bool) -> Self {
        Self {
            kind: if timed_out { ErrorKind::Timeout } else { ErrorKind::Unavailable },
            message: format!("Redis `{op}` at {addr} failed: could not connect ({reason})"),
        }
    }

    pub(crate) fn unavailable(op: &str, addr: &str, reason: &str, retry_in: Duration) -> Self {
        Self {
            kind: ErrorKind::Unavailable,
            message: format!(
                "Redis `{op}` at {addr} not attempted: unavailable ({reason}); next attempt in {} ms",
                millis(retry_in)
            ),
        }
    }

    pub(crate) fn command(op: &str, addr: &str, err: &::redis::RedisError) -> Self {
        Self { kind: ErrorKind::Command, message: format!("Redis `{op}` at {addr} failed: {err}") }
    }

    pub(crate) fn invalid(op: &str, why: &str) -> Self {
        Self { kind: ErrorKind::Invalid, message: format!("Redis `{op}` not sent: {why}") }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Whether Redis did not answer in time (a connection or a command).
    pub fn is_timeout(&self) -> bool {
        self.kind == ErrorKind::Timeout
    }

    /// Whether the operation was not attempted because Redis could not be reached (now, or
    /// within the connector's retry delay).
    pub fn is_unavailable(&self) -> bool {
        self.kind == ErrorKind::Unavailable
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
