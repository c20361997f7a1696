//! [`RedisLimitStore`]: the throttle's counts in Redis, shared by every process of a service
//! (feature `redis`), so per-member limits, the app-wide rate and webhook limits hold for the
//! fleet.
//!
//! Guide: [`docs/redis.md`](https://github.com/wecom-rs/wecom-rs/blob/main/docs/redis.md) (key
//! layout, TTLs, Redis Cluster, TLS, what happens when Redis is down).
//!
//! # Key layout
//!
//! With the default prefix `wecom:`, for agent `1000002` of corp `ww0123`:
//!
//! * `wecom:limit:{ww0123:1000002}:m:alice` — a sorted set of the send times to member
//!   `alice` (one entry per message, within the longest window);
//! * `wecom:limit:{ww0123:1000002}:rate` — the app-wide rate's next slot (GCRA);
//! * `wecom:limit:{webhook:<hash>}:sent` — a webhook's reserved send slots, named by the first
//!   16 bytes of the SHA-256 of its key (the key itself is never stored).
//!
//! Every key expires by itself (`PEXPIRE`) a second after the longest window it serves. The
//! part in braces is a Redis Cluster hash tag: all keys of one decision (a message to 1,000
//! members is one decision) live in one slot.
//!
//! # One decision, one round trip
//!
//! Each decision is one Lua script (`EVALSHA`): it reads the clock of Redis (`TIME`), drops
//! sends that left the windows, checks, and records — atomically, so two processes never
//! both take the last slot, and hosts with skewed clocks still agree.

mod lua;

use std::fmt;
use std::time::Duration;

use ::redis::Script;
use futures::future::BoxFuture;

use super::store::{LimitScope, LimitStore, MemberDecision, WebhookScope};
use super::{Limit, OnLimit};
use crate::error::{Error, Result, StoreError};
use crate::token::RedisStoreError;
use wecom_redis::{ConnectOptions, Connector};

const DEFAULT_PREFIX: &str = "wecom:";

/// The most member keys in one script call: a larger request is decided in batches.
pub(crate) const MEMBERS_PER_CALL: usize = 1000;

/// A [`LimitStore`] in Redis: per-member windows, the app-wide rate and webhook limits
/// counted for every process of a service together.
///
/// Each decision is one Lua script (one round trip; a message to up to 1,000 members is one
/// call) that reads Redis's clock, checks and records atomically. Keys (default prefix
/// `wecom:`): `wecom:limit:{corp_id:agent_id}:m:{member}` (sorted set of send times),
/// `wecom:limit:{corp_id:agent_id}:rate` (GCRA), `wecom:limit:{webhook:<hash>}:sent` (the
/// webhook key only as a SHA-256 prefix); each expires by itself, and the braces are Redis
/// Cluster hash tags keeping each decision in one slot. When Redis fails, clients decide on
/// their own counts until it answers again. Guide:
/// [`docs/redis.md`](https://github.com/wecom-rs/wecom-rs/blob/main/docs/redis.md).
///
/// ```no_run
/// use std::sync::Arc;
/// use wecom::{Client, RedisLimitStore, Throttle};
///
/// # fn run() -> wecom::Result<()> {
/// let limits = Arc::new(RedisLimitStore::new("redis://127.0.0.1:6379/0")?);
/// let client = Client::builder("ww0123456789abcdef", 1_000_002, "app-secret")
///     .throttle(Throttle::new().requests_per_second(100))
///     .limit_store(limits)
///     .build()?;
/// # let _ = client; Ok(()) }
/// ```
///
/// `Debug` shows the server address and the prefix, never a password.
pub struct RedisLimitStore {
    conn: Connector,
    prefix: String,
    members_all: Script,
    members_each: Script,
    rate: Script,
    webhook: Script,
}

/// Configures a [`RedisLimitStore`]; start with [`RedisLimitStore::builder`].
#[must_use]
#[derive(Clone)]
pub struct RedisLimitStoreBuilder {
    connect: ConnectOptions,
    prefix: String,
}

impl RedisLimitStoreBuilder {
    wecom_redis::connect_setters!(connect);

    /// The start of every key (default `wecom:`); processes that share limits need the same.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// Checks the URL, the TLS settings and the timeouts and builds the store. Does not
    /// connect.
    pub fn build(self) -> Result<RedisLimitStore> {
        Ok(RedisLimitStore {
            conn: self.connect.open().map_err(Error::Config)?,
            prefix: self.prefix,
            members_all: Script::new(&lua::members_all()),
            members_each: Script::new(&lua::members_each()),
            rate: Script::new(lua::RATE),
            webhook: Script::new(lua::WEBHOOK),
        })
    }
}

impl fmt::Debug for RedisLimitStoreBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisLimitStoreBuilder")
            .field("prefix", &self.prefix)
            .field("connect", &self.connect)
            .finish_non_exhaustive()
    }
}

impl RedisLimitStore {
    /// A store on the Redis at `url` (`redis://[:password@]host:port/db`, or `rediss://` with
    /// feature `redis-tls`) with the default prefix and timeouts. Does not connect.
    pub fn new(url: &str) -> Result<Self> {
        Self::builder(url).build()
    }

    /// Starts configuring a store on the Redis at `url`.
    pub fn builder(url: impl Into<String>) -> RedisLimitStoreBuilder {
        RedisLimitStoreBuilder {
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

    /// The hash tag of `scope`: `{corp_id:agent_id}`.
    fn tag(scope: &LimitScope) -> String {
        format!("{{{}:{}}}", scope.corp_id, scope.agent_id)
    }

    /// The key of `member`'s send times: `{prefix}limit:{corp_id:agent_id}:m:{member}`.
    pub fn member_key(&self, scope: &LimitScope, member: &str) -> String {
        format!("{}limit:{}:m:{member}", self.prefix, Self::tag(scope))
    }

    /// The key of the app-wide rate: `{prefix}limit:{corp_id:agent_id}:rate`.
    pub fn rate_key(&self, scope: &LimitScope) -> String {
        format!("{}limit:{}:rate", self.prefix, Self::tag(scope))
    }

    /// The key of a webhook's send slots: `{prefix}limit:{webhook:<hash>}:sent`.
    pub fn webhook_key(&self, scope: &WebhookScope) -> String {
        format!("{}limit:{{webhook:{}}}:sent", self.prefix, scope.hash())
    }

    async fn members(
        &self,
        scope: &LimitScope,
        members: &[&str],
        limits: &[Limit],
        mode: OnLimit,
    ) -> Result<MemberDecision, RedisStoreError> {
        let mut held = Vec::new();
        for (batch, chunk) in members.chunks(MEMBERS_PER_CALL).enumerate() {
            let script = match mode {
                OnLimit::Delay => &self.members_all,
                OnLimit::Report => &self.members_each,
            };
            let mut call = script.prepare_invoke();
            for member in chunk {
                call.key(self.member_key(scope, member));
            }
            call.arg(limits.len());
            for limit in limits {
                call.arg(limit.max()).arg(micros(member_window(limit.per())));
            }
            call.arg(tag());
            let op = format!("member limits {}limit:{}:m:…", self.prefix, Self::tag(scope));
            match mode {
                OnLimit::Delay => {
                    let wait: u64 = self
                        .conn
                        .run(&op, |mut conn| async move { call.invoke_async(&mut conn).await })
                        .await?;
                    // WeCom takes at most 1,000 members per message, so a message is one
                    // batch. Were there more, a later batch that must wait would leave the
                    // earlier ones counted: more waiting, never more sends.
                    if wait > 0 {
                        return Ok(MemberDecision::Wait(Duration::from_micros(wait)));
                    }
                }
                OnLimit::Report => {
                    let positions: Vec<usize> = self
                        .conn
                        .run(&op, |mut conn| async move { call.invoke_async(&mut conn).await })
                        .await?;
                    held.extend(positions.into_iter().map(|p| p + batch * MEMBERS_PER_CALL));
                }
            }
        }
        Ok(MemberDecision::Admitted { held })
    }

    async fn request(
        &self,
        scope: &LimitScope,
        per_second: u32,
    ) -> Result<Duration, RedisStoreError> {
        let per_second = per_second.max(1);
        let interval = 1_000_000 / u64::from(per_second);
        let tolerance = interval * u64::from(per_second - 1);
        let key = self.rate_key(scope);
        let op = format!("rate {key}");
        let mut call = self.rate.key(&key);
        call.arg(interval).arg(tolerance);
        let wait: u64 = self
            .conn
            .run(&op, |mut conn| async move { call.invoke_async(&mut conn).await })
            .await?;
        Ok(Duration::from_micros(wait))
    }

    async fn webhook(
        &self,
        scope: &WebhookScope,
        limit: Limit,
        mode: OnLimit,
    ) -> Result<Result<Duration, Duration>, RedisStoreError> {
        let key = self.webhook_key(scope);
        let op = format!("webhook limit {key}");
        // As in memory: a twentieth of the window on top, for the way to WeCom.
        let window = limit.per() + limit.per() / 20;
        let mut call = self.webhook.key(&key);
        call.arg(limit.max()).arg(micros(window)).arg(u8::from(mode == OnLimit::Report)).arg(tag());
        let wait: i64 = self
            .conn
            .run(&op, |mut conn| async move { call.invoke_async(&mut conn).await })
            .await?;
        let us = Duration::from_micros(wait.unsigned_abs());
        Ok(if wait < 0 { Err(us) } else { Ok(us) })
    }
}

/// A member window as checked in Redis: the limit's window plus a thirtieth of it (two of
/// the in-memory windows' ticks), for the time a request takes to reach WeCom and the
/// seconds WeCom may count in.
fn member_window(per: Duration) -> Duration {
    per + per / 30
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// A random tag that keeps the entries of concurrent decisions distinct.
fn tag() -> String {
    format!("{:016x}", rand::random::<u64>())
}

impl fmt::Debug for RedisLimitStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisLimitStore")
            .field("redis", &self.conn.addr())
            .field("prefix", &self.prefix)
            .field("timeouts", &self.conn.timeouts())
            .finish_non_exhaustive()
    }
}

impl LimitStore for RedisLimitStore {
    fn admit_members<'a>(
        &'a self,
        scope: &'a LimitScope,
        members: &'a [&'a str],
        limits: &'a [Limit],
        mode: OnLimit,
    ) -> BoxFuture<'a, Result<MemberDecision, StoreError>> {
        Box::pin(async move { Ok(self.members(scope, members, limits, mode).await?) })
    }

    fn reserve_request<'a>(
        &'a self,
        scope: &'a LimitScope,
        per_second: u32,
    ) -> BoxFuture<'a, Result<Duration, StoreError>> {
        Box::pin(async move { Ok(self.request(scope, per_second).await?) })
    }

    fn reserve_webhook<'a>(
        &'a self,
        scope: &'a WebhookScope,
        limit: Limit,
        mode: OnLimit,
    ) -> BoxFuture<'a, Result<Result<Duration, Duration>, StoreError>> {
        Box::pin(async move { Ok(self.webhook(scope, limit, mode).await?) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_share_a_hash_tag_per_app_and_never_hold_the_webhook_key() {
        let store = RedisLimitStore::builder("redis://127.0.0.1:1").prefix("t:").build().unwrap();
        let app = LimitScope::new("ww0123", 1_000_002);
        assert_eq!(store.member_key(&app, "alice"), "t:limit:{ww0123:1000002}:m:alice");
        assert_eq!(store.rate_key(&app), "t:limit:{ww0123:1000002}:rate");
        let key = "693a91f6-7b2c-4bc4-97a0-0ec2a1fa5aaa";
        let hook = store.webhook_key(&WebhookScope::from_key(key));
        assert!(hook.starts_with("t:limit:{webhook:") && hook.ends_with("}:sent"), "{hook}");
        assert!(!hook.contains("693a91f6"), "{hook}");
        assert_eq!(WebhookScope::from_key(key).hash().len(), 32);
        assert_ne!(WebhookScope::from_key(key), WebhookScope::from_key("another"));
    }

    #[test]
    fn debug_hides_the_password() {
        let store = RedisLimitStore::new("redis://:pa55word@10.1.2.3:6380/2").unwrap();
        let shown = format!("{store:?}");
        assert!(shown.contains("10.1.2.3:6380"), "{shown}");
        assert!(!shown.contains("pa55word"), "{shown}");
    }
}
