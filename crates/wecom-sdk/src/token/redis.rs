//! [`RedisTokenStore`]: access tokens and refresh leases in Redis, shared by every process of a
//! service (feature `redis`).
//!
//! Guide: [`docs/redis.md`](https://github.com/wecom-rs/wecom-rs/blob/main/docs/redis.md) (when to use it, configuration, key
//! layout, what happens when Redis is down).
//!
//! # Key layout
//!
//! With the default prefix `wecom:`, the token of agent `1000002` of corp `ww0123` is the hash
//! `wecom:token:ww0123:1000002` with the fields `token`, `obtained_ms` and `expires_ms` (Unix
//! milliseconds), expiring in Redis when the token does. Its refresh lease is the string
//! `wecom:token:ww0123:1000002:lock` holding a random lease id, set with
//! `SET … NX PX <lease>`. The app secret is never stored and never part of a key.
//!
//! # Atomicity
//!
//! Storing a token (delete, write the fields, set the expiry), removing a rejected token only
//! if it is still the stored one, and releasing a lease only if it is still ours are each one
//! Lua script, so no other process can come in between.
//!
//! # Failures
//!
//! Every operation has a deadline ([`command_timeout`](RedisTokenStoreBuilder::command_timeout),
//! 500 ms by default, connecting included) and fails with a [`RedisStoreError`] saying which
//! command, which server, and what went wrong. After a failure, operations fail at once for
//! [`retry_delay`](RedisTokenStoreBuilder::retry_delay) (1 s) rather than each waiting for a
//! dead server; then a new connection is tried. The client does not stop sending because of
//! it: it carries on with a token of its own (see
//! [`ClientBuilder::token_store_required`](crate::ClientBuilder::token_store_required)).

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ::redis::Script;
use futures::future::BoxFuture;

use super::{AccessToken, CachedToken, Lease, TokenKey, TokenStore};
use crate::error::{Error, Result, StoreError};
pub use wecom_redis::Error as RedisStoreError;
use wecom_redis::{ConnectOptions, Connector, millis};

const DEFAULT_PREFIX: &str = "wecom:";

/// Replaces the token hash whole and sets its expiry, in one step.
const PUT: &str = r"
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'token', ARGV[1], 'obtained_ms', ARGV[2], 'expires_ms', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
";

/// Deletes the token hash only if it still holds the rejected token.
const INVALIDATE: &str = r"
if redis.call('HGET', KEYS[1], 'token') == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

/// Deletes the lease only if it still holds our lease id.
const UNLOCK: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

/// A [`TokenStore`] in Redis: several processes (or hosts) share one access token per app and
/// one refresh at a time.
///
/// Build it once and hand the same `Arc` to every client of the process:
///
/// ```no_run
/// use std::sync::Arc;
/// use wecom::{Client, RedisTokenStore};
///
/// # fn run() -> wecom::Result<()> {
/// let store = Arc::new(RedisTokenStore::new("redis://127.0.0.1:6379/0")?);
/// let client = Client::builder("ww0123456789abcdef", 1_000_002, "app-secret")
///     .token_store(store)
///     .build()?;
/// # let _ = client; Ok(()) }
/// ```
///
/// Nothing is connected until the first use, so a service starts even while Redis is down;
/// call [`ping`](Self::ping) to check the configuration at start-up. The client keeps a fresh
/// token in memory and asks Redis only when it needs a new one (near expiry, or when WeCom
/// rejects it), so Redis is not on the path of every call.
///
/// `Debug` shows the server address and the prefix, never a password or a token.
pub struct RedisTokenStore {
    conn: Connector,
    prefix: String,
    put: Script,
    invalidate: Script,
    unlock: Script,
}

/// Configures a [`RedisTokenStore`]; start with [`RedisTokenStore::builder`].
#[must_use]
#[derive(Clone)]
pub struct RedisTokenStoreBuilder {
    connect: ConnectOptions,
    prefix: String,
}

impl RedisTokenStoreBuilder {
    wecom_redis::connect_setters!(connect);

    /// The start of every key (default `wecom:`). Use one per environment when several share
    /// a Redis database (`staging:wecom:`); processes that should share tokens need the same.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// Checks the URL and the timeouts and builds the store. Does not connect.
    ///
    /// # Errors
    /// [`Error::Config`] for a URL the `redis` crate does not accept (`redis://`,
    /// `redis+unix://`, and `rediss://` with feature `redis-tls`), a CA that is not PEM, or a
    /// zero timeout.
    pub fn build(self) -> Result<RedisTokenStore> {
        Ok(RedisTokenStore {
            conn: self.connect.open().map_err(Error::Config)?,
            prefix: self.prefix,
            put: Script::new(PUT),
            invalidate: Script::new(INVALIDATE),
            unlock: Script::new(UNLOCK),
        })
    }
}

impl fmt::Debug for RedisTokenStoreBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisTokenStoreBuilder")
            .field("prefix", &self.prefix)
            .field("connect", &self.connect)
            .finish_non_exhaustive()
    }
}

impl RedisTokenStore {
    /// A store on the Redis at `url` (`redis://[:password@]host:port/db`) with the default
    /// prefix and timeouts. Does not connect.
    pub fn new(url: &str) -> Result<Self> {
        Self::builder(url).build()
    }

    /// Starts configuring a store on the Redis at `url`.
    pub fn builder(url: impl Into<String>) -> RedisTokenStoreBuilder {
        RedisTokenStoreBuilder {
            connect: ConnectOptions::new(url),
            prefix: DEFAULT_PREFIX.to_owned(),
        }
    }

    /// Checks that Redis answers (`PING`), connecting if needed.
    pub async fn ping(&self) -> Result<(), RedisStoreError> {
        self.conn
            .run("PING", |mut conn| async move {
                ::redis::cmd("PING").query_async::<String>(&mut conn).await
            })
            .await
            .map(drop)
    }

    /// The Redis key of `key`'s token: `{prefix}token:{corp_id}:{agent_id}`.
    pub fn token_key(&self, key: &TokenKey) -> String {
        format!("{}token:{}:{}", self.prefix, key.corp_id, key.agent_id)
    }

    /// The Redis key of `key`'s refresh lease: the token key followed by `:lock`. (A token
    /// key always ends in the agent id's digits, so no token key is ever a lease key.)
    pub fn lock_key(&self, key: &TokenKey) -> String {
        format!("{}:lock", self.token_key(key))
    }

    async fn read(&self, key: &TokenKey) -> Result<Option<CachedToken>, RedisStoreError> {
        let redis_key = self.token_key(key);
        let op = format!("HMGET {redis_key}");
        let fields: (Option<String>, Option<String>, Option<String>) = self
            .conn
            .run(&op, |mut conn| {
                let cmd = ::redis::cmd("HMGET")
                    .arg(&redis_key)
                    .arg(&["token", "obtained_ms", "expires_ms"])
                    .clone();
                async move { cmd.query_async(&mut conn).await }
            })
            .await?;
        let (Some(token), obtained, expires) = fields else { return Ok(None) };
        let at = |ms: Option<String>| {
            ms.and_then(|ms| ms.parse::<u64>().ok())
                .map(|ms| UNIX_EPOCH + Duration::from_millis(ms))
        };
        match (at(obtained), at(expires)) {
            (Some(obtained_at), Some(expires_at)) if !token.is_empty() => {
                Ok(Some(CachedToken { token: AccessToken::new(token), obtained_at, expires_at }))
            }
            _ => {
                // Written by something else, or by hand: treat as absent, so the client fetches
                // a token and `put` overwrites the entry.
                tracing::warn!(key = %redis_key, "ignoring a malformed token entry in Redis");
                Ok(None)
            }
        }
    }

    async fn write(&self, key: &TokenKey, token: CachedToken) -> Result<(), RedisStoreError> {
        let Some(ttl) = token.expires_at.duration_since(SystemTime::now()).ok() else {
            return Ok(()); // already expired: nothing worth sharing
        };
        let redis_key = self.token_key(key);
        let op = format!("put {redis_key}");
        let mut call = self.put.key(&redis_key);
        call.arg(token.token.expose())
            .arg(unix_ms(token.obtained_at))
            .arg(unix_ms(token.expires_at))
            .arg(millis(ttl).max(1));
        self.conn
            .run(&op, |mut conn| async move { call.invoke_async::<i64>(&mut conn).await })
            .await
            .map(drop)
    }

    async fn remove_if(
        &self,
        key: &TokenKey,
        rejected: &AccessToken,
    ) -> Result<bool, RedisStoreError> {
        let redis_key = self.token_key(key);
        let op = format!("invalidate {redis_key}");
        let mut call = self.invalidate.key(&redis_key);
        call.arg(rejected.expose());
        let removed = self
            .conn
            .run(&op, |mut conn| async move { call.invoke_async::<i64>(&mut conn).await })
            .await?;
        Ok(removed > 0)
    }

    async fn lease(&self, key: &TokenKey, ttl: Duration) -> Result<Option<Lease>, RedisStoreError> {
        let lock_key = self.lock_key(key);
        let op = format!("SET {lock_key} NX");
        let lease = Lease::random();
        let cmd = ::redis::cmd("SET")
            .arg(&lock_key)
            .arg(lease.id())
            .arg("NX")
            .arg("PX")
            .arg(millis(ttl).max(1))
            .clone();
        let set: Option<String> =
            self.conn.run(&op, |mut conn| async move { cmd.query_async(&mut conn).await }).await?;
        Ok(set.map(|_| lease))
    }

    async fn release(&self, key: &TokenKey, lease: &Lease) -> Result<(), RedisStoreError> {
        let lock_key = self.lock_key(key);
        let op = format!("unlock {lock_key}");
        let mut call = self.unlock.key(&lock_key);
        call.arg(lease.id());
        self.conn
            .run(&op, |mut conn| async move { call.invoke_async::<i64>(&mut conn).await })
            .await
            .map(drop)
    }
}

impl fmt::Debug for RedisTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisTokenStore")
            .field("redis", &self.conn.addr())
            .field("prefix", &self.prefix)
            .field("timeouts", &self.conn.timeouts())
            .finish_non_exhaustive()
    }
}

impl TokenStore for RedisTokenStore {
    fn get<'a>(
        &'a self,
        key: &'a TokenKey,
    ) -> BoxFuture<'a, Result<Option<CachedToken>, StoreError>> {
        Box::pin(async move { Ok(self.read(key).await?) })
    }

    fn put<'a>(
        &'a self,
        key: &'a TokenKey,
        token: CachedToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move { Ok(self.write(key, token).await?) })
    }

    fn invalidate<'a>(
        &'a self,
        key: &'a TokenKey,
        rejected: &'a AccessToken,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(async move { Ok(self.remove_if(key, rejected).await?) })
    }

    fn try_lock<'a>(
        &'a self,
        key: &'a TokenKey,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<Option<Lease>, StoreError>> {
        Box::pin(async move { Ok(self.lease(key, ttl).await?) })
    }

    fn unlock<'a>(
        &'a self,
        key: &'a TokenKey,
        lease: Lease,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move { Ok(self.release(key, &lease).await?) })
    }
}

fn unix_ms(at: SystemTime) -> u64 {
    millis(at.duration_since(UNIX_EPOCH).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_corp_and_agent_and_never_the_secret() {
        let store = RedisTokenStore::builder("redis://127.0.0.1:1/0").prefix("t:").build().unwrap();
        let key = TokenKey::new("ww0123", 1_000_002);
        assert_eq!(store.token_key(&key), "t:token:ww0123:1000002");
        assert_eq!(store.lock_key(&key), "t:token:ww0123:1000002:lock");
        let default = RedisTokenStore::new("redis://127.0.0.1:1").unwrap();
        assert_eq!(default.token_key(&key), "wecom:token:ww0123:1000002");
    }

    #[test]
    fn bad_urls_and_zero_timeouts_are_config_errors_without_the_password() {
        let err = RedisTokenStore::new("http://user:pa55word@host:6379").unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err:?}");
        assert!(!err.to_string().contains("pa55word"), "{err}");
        let err = RedisTokenStore::builder("redis://127.0.0.1:6379")
            .command_timeout(Duration::ZERO)
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("greater than zero"), "{err}");
    }

    #[test]
    fn debug_shows_the_server_but_not_the_password() {
        let store = RedisTokenStore::new("redis://:pa55word@10.1.2.3:6380/2").unwrap();
        let shown = format!("{store:?}");
        assert!(shown.contains("10.1.2.3:6380") && shown.contains("wecom:"), "{shown}");
        assert!(!shown.contains("pa55word"), "{shown}");
        let builder = RedisTokenStore::builder("redis://:pa55word@10.1.2.3:6380/2");
        assert!(!format!("{builder:?}").contains("pa55word"));
    }

    #[tokio::test]
    async fn a_closed_port_fails_fast_and_clearly() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let store = RedisTokenStore::builder(format!("redis://127.0.0.1:{port}"))
            .retry_delay(Duration::from_secs(60))
            .build()
            .unwrap();
        let key = TokenKey::new("ww1", 1);
        let first = store.read(&key).await.unwrap_err();
        assert!(first.is_unavailable(), "{first}");
        assert!(first.to_string().contains(&format!("127.0.0.1:{port}")), "{first}");
        assert!(first.to_string().contains("HMGET wecom:token:ww1:1"), "{first}");
        // Within the retry delay nothing is attempted: the error says so.
        let second = store.lease(&key, Duration::from_secs(1)).await.unwrap_err();
        assert!(
            second.is_unavailable() && second.to_string().contains("not attempted"),
            "{second}"
        );
    }
}
