//! One shared Redis connection, opened lazily, reopened after a failure, and a deadline on
//! every operation.
//!
//! A [`MultiplexedConnection`] carries every concurrent command of the process over one
//! socket. It is opened on first use (so a store can be built while Redis is down), dropped
//! when a command breaks it or times out, and reopened by the next operation. After a failure
//! operations fail at once for `retry_delay` instead of each waiting for its own connect
//! timeout: a Redis that is down costs callers nothing, and one that comes back is used again
//! within `retry_delay`.
//!

use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use ::redis::aio::MultiplexedConnection;
use ::redis::{AsyncConnectionConfig, RedisResult};

use crate::{Error, Tls};

/// Timeouts of a [`Connector`].
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// The most opening a connection may take.
    pub connect: Duration,
    /// The most one operation may take, opening a connection included.
    pub command: Duration,
    /// How long operations fail at once after a failure before a new connection is tried.
    pub retry_delay: Duration,
}

/// One shared Redis connection, opened lazily, with a deadline on every operation and a quick
/// failure while Redis is known to be down.
pub struct Connector {
    client: ::redis::Client,
    /// `host:port` (never the password), for errors and logs.
    addr: String,
    config: AsyncConnectionConfig,
    timeouts: Timeouts,
    state: Mutex<State>,
    /// Held while a connection is being opened, so concurrent callers open one, not many.
    connecting: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct State {
    /// The open connection and its number (from 1).
    conn: Option<(u64, MultiplexedConnection)>,
    opened: u64,
    /// Set by a failure, cleared by the next successful connect.
    down: Option<Down>,
}

struct Down {
    /// Until then, operations fail without trying to connect.
    until: Instant,
    reason: String,
}

impl Timeouts {
    /// The defaults both stores document: 500 ms to connect, 500 ms per operation (connecting
    /// included), and 1 s of failing fast after a failure.
    pub const DEFAULT: Timeouts = Timeouts {
        connect: Duration::from_millis(500),
        command: Duration::from_millis(500),
        retry_delay: Duration::from_secs(1),
    };
}

impl Connector {
    /// Checks `url` and `timeouts` and builds a connector; nothing is opened until the first
    /// operation. The error, in words, names what is wrong (never the password).
    pub fn open(url: &str, timeouts: Timeouts) -> Result<Self, String> {
        Self::open_with(url, timeouts, &Tls::default())
    }

    /// [`open`](Self::open) with TLS settings for a `rediss://` URL: the server's certificate
    /// must chain to `tls`'s CA when one is set, to the system's roots otherwise.
    pub fn open_with(url: &str, timeouts: Timeouts, tls: &Tls) -> Result<Self, String> {
        if timeouts.connect.is_zero() || timeouts.command.is_zero() {
            return Err("Redis timeouts must be greater than zero".into());
        }
        let client = crate::tls::client(url, tls)?;
        Ok(Self::new(client, timeouts))
    }

    /// A connector for `client`'s server; nothing is opened until the first operation.
    pub fn new(client: ::redis::Client, timeouts: Timeouts) -> Self {
        let addr = client.get_connection_info().addr().to_string();
        // The crate's own timeouts as a second line; ours below bound the whole operation.
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(timeouts.connect))
            .set_response_timeout(Some(timeouts.command));
        Self {
            client,
            addr,
            config,
            timeouts,
            state: Mutex::new(State::default()),
            connecting: tokio::sync::Mutex::new(()),
        }
    }

    /// Where the server is (`host:port`, no credentials).
    pub fn addr(&self) -> &str {
        &self.addr
    }

    /// The timeouts in force.
    pub fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    /// Runs `command` on the shared connection within the command timeout. `op` names the
    /// operation in errors (`GET wecom:token:…`: a command and key, never a value).
    pub async fn run<T, F, Fut>(&self, op: &str, command: F) -> Result<T, Error>
    where
        F: FnOnce(MultiplexedConnection) -> Fut,
        Fut: Future<Output = RedisResult<T>>,
    {
        // The connection the attempt used (0: none yet), for dropping it if it hangs.
        let used = AtomicU64::new(0);
        let attempt = async {
            let (id, conn) = self.connection(op).await?;
            used.store(id, Ordering::Relaxed);
            command(conn).await.map_err(|err| {
                if breaks_connection(&err) {
                    self.forget(Some(id), err.to_string());
                }
                Error::command(op, &self.addr, &err)
            })
        };
        if let Ok(result) = tokio::time::timeout(self.timeouts.command, attempt).await {
            return result;
        }
        let ms = millis(self.timeouts.command);
        let used = Some(used.load(Ordering::Relaxed)).filter(|&id| id != 0);
        self.forget(used, format!("no answer within {ms} ms"));
        Err(Error::timeout(op, &self.addr, self.timeouts.command))
    }

    async fn connection(&self, op: &str) -> Result<(u64, MultiplexedConnection), Error> {
        if let Some(open) = self.current(op)? {
            return Ok(open);
        }
        let _one_at_a_time = self.connecting.lock().await;
        if let Some(open) = self.current(op)? {
            return Ok(open);
        }
        let opening = self.client.get_multiplexed_async_connection_with_config(&self.config);
        let reason = match tokio::time::timeout(self.timeouts.connect, opening).await {
            Ok(Ok(conn)) => {
                let mut state = self.lock();
                state.opened += 1;
                let id = state.opened;
                state.conn = Some((id, conn.clone()));
                if let Some(down) = state.down.take() {
                    tracing::info!(
                        redis = %self.addr,
                        was = %down.reason,
                        "Redis is reachable again"
                    );
                }
                return Ok((id, conn));
            }
            // The crate's own connect timeout may fire first; both mean the same.
            Ok(Err(err)) if !err.is_timeout() => (err.to_string(), false),
            Ok(Err(_)) | Err(_) => {
                (format!("no answer within {} ms", millis(self.timeouts.connect)), true)
            }
        };
        let (reason, timed_out) = reason;
        let err = Error::connect_failed(op, &self.addr, &reason, timed_out);
        self.forget(None, reason);
        Err(err)
    }

    /// The open connection; an error while a recent failure holds new attempts back.
    fn current(&self, op: &str) -> Result<Option<(u64, MultiplexedConnection)>, Error> {
        let state = self.lock();
        if let Some(open) = &state.conn {
            return Ok(Some(open.clone()));
        }
        match &state.down {
            Some(down) => {
                let left = down.until.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    Ok(None)
                } else {
                    Err(Error::unavailable(op, &self.addr, &down.reason, left))
                }
            }
            None => Ok(None),
        }
    }

    /// Drops the connection (only connection `id` if given, so a newer one opened meanwhile
    /// stays; any if `None`) and holds new attempts back for the retry delay. Logs once per
    /// outage.
    fn forget(&self, id: Option<u64>, reason: String) {
        let mut state = self.lock();
        if id.is_none() || state.conn.as_ref().map(|(open, _)| *open) == id {
            state.conn = None;
        }
        if state.down.is_none() {
            tracing::warn!(
                redis = %self.addr,
                error = %reason,
                retry_ms = millis(self.timeouts.retry_delay),
                "Redis is unreachable or too slow; falling back until it answers again"
            );
        }
        state.down = Some(Down { until: Instant::now() + self.timeouts.retry_delay, reason });
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Every update replaces whole fields, so a panic elsewhere cannot leave the state
        // half-changed and a poisoned lock is safe to use.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for Connector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connector")
            .field("addr", &self.addr)
            .field("timeouts", &self.timeouts)
            .finish_non_exhaustive()
    }
}

/// Whether `err` means the connection is no longer usable (rather than one command failing).
fn breaks_connection(err: &::redis::RedisError) -> bool {
    err.is_io_error()
        || err.is_timeout()
        || err.is_connection_dropped()
        || err.is_connection_refusal()
        || err.is_unrecoverable_error()
}

/// A duration in whole milliseconds, saturating.
pub fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
