//! [`RedisStoreError`]: what went wrong talking to Redis, in words an operator can act on.

use std::fmt;
use std::time::Duration;

use super::conn::millis;

/// Why a [`RedisTokenStore`](super::RedisTokenStore) operation failed: the command, the server (`host:port`, never a
/// password) and the cause. Never contains a token.
#[derive(Debug, Clone)]
pub struct RedisStoreError {
    kind: Kind,
    message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Timeout,
    Unavailable,
    Command,
}

impl RedisStoreError {
    pub(super) fn timeout(op: &str, addr: &str, after: Duration) -> Self {
        Self {
            kind: Kind::Timeout,
            message: format!("Redis `{op}` at {addr}: no answer within {} ms", millis(after)),
        }
    }

    pub(super) fn connect_failed(op: &str, addr: &str, reason: &str, timed_out: bool) -> Self {
        Self {
            kind: if timed_out { Kind::Timeout } else { Kind::Unavailable },
            message: format!("Redis `{op}` at {addr} failed: could not connect ({reason})"),
        }
    }

    pub(super) fn unavailable(op: &str, addr: &str, reason: &str, retry_in: Duration) -> Self {
        Self {
            kind: Kind::Unavailable,
            message: format!(
                "Redis `{op}` at {addr} not attempted: unavailable ({reason}); next attempt in {} ms",
                millis(retry_in)
            ),
        }
    }

    pub(super) fn command(op: &str, addr: &str, err: &::redis::RedisError) -> Self {
        Self { kind: Kind::Command, message: format!("Redis `{op}` at {addr} failed: {err}") }
    }

    /// Whether Redis did not answer in time (a connection or a command).
    pub fn is_timeout(&self) -> bool {
        self.kind == Kind::Timeout
    }

    /// Whether the operation was not attempted because Redis could not be reached (now, or
    /// moments ago: see
    /// [`RedisTokenStoreBuilder::retry_delay`](super::RedisTokenStoreBuilder::retry_delay)).
    pub fn is_unavailable(&self) -> bool {
        self.kind == Kind::Unavailable
    }
}

impl fmt::Display for RedisStoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RedisStoreError {}
