//! [`RedisDedup`]: de-duplication shared by every instance of a callback service through Redis
//! (feature `redis`), with in-memory de-duplication as the fallback while Redis is down.
//!
//! Guide: [`docs/redis.md`](https://github.com/wecom-rs/wecom-rs/blob/main/docs/redis.md).

use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::{DedupError, DedupStore, MemoryDedup};
use wecom_redis::{ConnectOptions, Connector, Error as RedisStoreError, millis};

const DEFAULT_PREFIX: &str = "wecom:dedup:";
/// At most one warning about a failing Redis per store in this interval.
const WARN_EVERY: Duration = Duration::from_secs(60);

/// A [`DedupStore`] in Redis, so that a retry WeCom delivers to another instance behind the
/// load balancer is recognised too: `SET {prefix}{key} 1 NX PX {ttl}`.
///
/// ```no_run
/// use wecom_callback::{Callback, CallbackServer, RedisDedup};
/// use wecom_msgcrypt::MsgCrypt;
///
/// # fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let crypt = MsgCrypt::new("token", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "ww_corp_id")?;
/// let server = CallbackServer::new(crypt, |_: Callback| async {
///     Ok::<_, std::convert::Infallible>(None)
/// })
/// .dedup_store(RedisDedup::new("redis://127.0.0.1:6379/0")?);
/// # let _ = server; Ok(()) }
/// ```
///
/// Keys are the server's ([`Callback::dedup_key`](crate::Callback::dedup_key), or your
/// [`dedup_key`](crate::CallbackServer::dedup_key) function) after a prefix (default
/// `wecom:dedup:`); they expire in Redis after the server's de-duplication TTL.
///
/// **When Redis fails** (down, or slower than the command timeout, 500 ms by default — well
/// inside the server's 1 s cap), the callback is de-duplicated in this process's memory
/// instead, with a warning at most once a minute: retries that reach the same instance are
/// still recognised, retries that reach another one are not. Every key is recorded in memory
/// as well while Redis works, so a retry arriving during an outage is recognised if the first
/// delivery came to this instance. After a failure Redis is tried again after
/// [`retry_delay`](RedisDedupBuilder::retry_delay) (1 s); a recovery is logged.
///
/// Nothing is connected until the first callback; call [`ping`](Self::ping) to check the
/// configuration at start-up. `Debug` shows the server address and prefix, never a password.
pub struct RedisDedup {
    conn: Connector,
    prefix: String,
    local: MemoryDedup,
    health: Mutex<Health>,
}

#[derive(Default)]
struct Health {
    failing: bool,
    last_warning: Option<Instant>,
    unreported: u64,
}

/// Configures a [`RedisDedup`]; start with [`RedisDedup::builder`].
#[must_use]
#[derive(Clone)]
pub struct RedisDedupBuilder {
    connect: ConnectOptions,
    prefix: String,
    local_capacity: usize,
}

impl RedisDedupBuilder {
    wecom_redis::connect_setters!(connect);

    /// The start of every key (default `wecom:dedup:`). Instances that should recognise each
    /// other's callbacks need the same.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// How many keys the in-memory fallback holds (default
    /// [`MemoryDedup::DEFAULT_CAPACITY`]).
    pub fn local_capacity(mut self, keys: usize) -> Self {
        self.local_capacity = keys;
        self
    }

    /// Checks the URL and the timeouts and builds the store. Does not connect.
    ///
    /// # Errors
    /// A URL the `redis` crate does not accept (`redis://`, `redis+unix://`, and `rediss://`
    /// with feature `redis-tls`), a CA that is not PEM, or a zero timeout.
    pub fn build(self) -> Result<RedisDedup, DedupError> {
        Ok(RedisDedup {
            conn: self.connect.open().map_err(DedupError::new)?,
            prefix: self.prefix,
            local: MemoryDedup::new(self.local_capacity),
            health: Mutex::new(Health::default()),
        })
    }
}

impl fmt::Debug for RedisDedupBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisDedupBuilder")
            .field("prefix", &self.prefix)
            .field("connect", &self.connect)
            .field("local_capacity", &self.local_capacity)
            .finish_non_exhaustive()
    }
}

impl RedisDedup {
    /// A store on the Redis at `url` (`redis://[:password@]host:port/db`) with the default
    /// prefix and timeouts. Does not connect.
    pub fn new(url: &str) -> Result<Self, DedupError> {
        Self::builder(url).build()
    }

    /// Starts configuring a store on the Redis at `url`.
    pub fn builder(url: impl Into<String>) -> RedisDedupBuilder {
        RedisDedupBuilder {
            connect: ConnectOptions::new(url),
            prefix: DEFAULT_PREFIX.to_owned(),
            local_capacity: MemoryDedup::DEFAULT_CAPACITY,
        }
    }

    /// Checks that Redis answers (`PING`), connecting if needed.
    pub async fn ping(&self) -> Result<(), DedupError> {
        self.conn
            .run("PING", |mut conn| async move {
                ::redis::cmd("PING").query_async::<String>(&mut conn).await
            })
            .await
            .map(drop)
            .map_err(DedupError::new)
    }

    /// The Redis key of a de-duplication key: the prefix followed by it.
    pub fn redis_key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// `SET key 1 NX PX ttl`: whether the key was new in Redis.
    async fn set_new(&self, key: &str, ttl: Duration) -> Result<bool, RedisStoreError> {
        let redis_key = self.redis_key(key);
        let op = format!("SET {redis_key} NX");
        let cmd = ::redis::cmd("SET")
            .arg(&redis_key)
            .arg(1)
            .arg("NX")
            .arg("PX")
            .arg(millis(ttl).max(1))
            .clone();
        let set: Option<String> =
            self.conn.run(&op, |mut conn| async move { cmd.query_async(&mut conn).await }).await?;
        Ok(set.is_some())
    }

    fn worked(&self) {
        let mut health = self.health();
        if health.failing {
            tracing::info!(redis = %self.conn.addr(), "Redis de-duplication works again");
            *health = Health::default();
        }
    }

    fn failed(&self, err: &RedisStoreError) {
        let mut health = self.health();
        health.failing = true;
        let now = Instant::now();
        if health.last_warning.is_some_and(|at| now.duration_since(at) < WARN_EVERY) {
            health.unreported += 1;
            tracing::debug!(error = %err, cause = ?err.kind(), "Redis de-duplication failed; used memory");
            return;
        }
        tracing::warn!(
            error = %err,
            cause = ?err.kind(),
            failures_not_logged = health.unreported,
            "Redis de-duplication failed; de-duplicating in this process's memory until it \
             answers (logged at most once a minute)"
        );
        health.last_warning = Some(now);
        health.unreported = 0;
    }

    fn health(&self) -> std::sync::MutexGuard<'_, Health> {
        // Fields are updated with no invariant between them worth a panic.
        self.health.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for RedisDedup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisDedup")
            .field("redis", &self.conn.addr())
            .field("prefix", &self.prefix)
            .field("timeouts", &self.conn.timeouts())
            .finish_non_exhaustive()
    }
}

impl DedupStore for RedisDedup {
    async fn first_seen(&self, key: &str, ttl: Duration) -> Result<bool, DedupError> {
        // Always recorded in memory too: a retry during a later outage is still recognised.
        let new_here = self.local.first_seen_at(key, ttl, Instant::now());
        match self.set_new(key, ttl).await {
            Ok(new) => {
                self.worked();
                Ok(new)
            }
            Err(err) => {
                self.failed(&err);
                Ok(new_here)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn closed_port() -> u16 {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    }

    #[test]
    fn keys_are_prefixed_and_debug_hides_the_password() {
        let store = RedisDedup::builder("redis://:pa55word@10.1.2.3:6380/1")
            .prefix("prod:cb:")
            .build()
            .unwrap();
        assert_eq!(store.redis_key("m;2:ww;1;"), "prod:cb:m;2:ww;1;");
        let shown = format!("{store:?}");
        assert!(shown.contains("10.1.2.3:6380") && shown.contains("prod:cb:"), "{shown}");
        assert!(!shown.contains("pa55word"), "{shown}");
        assert_eq!(RedisDedup::new("redis://h").unwrap().redis_key("k"), "wecom:dedup:k");
    }

    #[test]
    fn bad_urls_and_zero_timeouts_are_refused_without_the_password() {
        let err = RedisDedup::new("http://u:pa55word@h:1").unwrap_err();
        assert!(!err.to_string().contains("pa55word"), "{err}");
        assert!(err.to_string().contains("Redis URL"), "{err}");
        let err = RedisDedup::builder("redis://h").connect_timeout(Duration::ZERO).build();
        assert!(err.unwrap_err().to_string().contains("greater than zero"));
    }

    #[tokio::test]
    async fn without_redis_keys_are_de_duplicated_in_memory() {
        let store = RedisDedup::builder(format!("redis://127.0.0.1:{}", closed_port()))
            .retry_delay(Duration::from_secs(60))
            .build()
            .unwrap();
        let ttl = Duration::from_secs(60);
        assert!(store.first_seen("a", ttl).await.unwrap());
        assert!(!store.first_seen("a", ttl).await.unwrap());
        assert!(store.first_seen("b", ttl).await.unwrap());
        let err = store.ping().await.unwrap_err().to_string();
        assert!(err.contains("not attempted") && err.contains("127.0.0.1:"), "{err}");
    }
}
