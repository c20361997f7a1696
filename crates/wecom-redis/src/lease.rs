//! [`Lease`]: one holder at a time across every process sharing a Redis, for as long as it
//! keeps renewing — for work that must run exactly once in a fleet (one WebSocket connection,
//! one scheduler), with a quick hand-over when the holder dies.
//!
//! A lease is a Redis string holding a random holder token, set with `SET key token NX PX
//! ttl`: whoever sets it holds it. Renewing (`PEXPIRE`) and releasing (`DEL`) are Lua scripts
//! that act only while the key still holds *this* holder's token, so a holder that lost the
//! lease (it expired while the holder stalled) cannot extend or delete its successor's.
//!
//! Each holder also keeps a local deadline, [`Lease::valid_until`]: the moment it sent the
//! command that set or last renewed the lease, plus the TTL. Redis started the TTL only when
//! the command arrived, so nobody else can hold the lease before that deadline; a holder
//! that stops acting on the lease by then never overlaps its successor (on one clock; keep the
//! TTL well above the clock drift between hosts). [`Lease::keep`] renews in the background
//! of a task and returns — reporting the loss — before that deadline whenever it could not
//! renew, or when a health check says the holder should let go.

mod keep;

use std::fmt::{self, Write as _};
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use ::redis::Script;
use tokio::time::Instant;

pub use keep::{KeepOptions, LeaseEnd};

use crate::connector::millis;
use crate::{Connector, Error};

/// Extends the lease only if it still holds our token.
const RENEW: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
";

/// Deletes the lease only if it still holds our token.
const RELEASE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

/// A lease held in Redis: one holder at a time across every process sharing the Redis, for
/// as long as it keeps renewing.
///
/// The key holds a random holder token, set with `SET key token NX PX ttl`; renewing
/// (`PEXPIRE`) and releasing (`DEL`) are Lua scripts that act only while the key still holds
/// this holder's token, so a holder whose lease expired never extends or deletes its
/// successor's. [`valid_until`](Self::valid_until) is the moment the last successful acquire
/// or renewal was sent plus the TTL: nobody else can hold the lease before then.
/// [`keep`](Self::keep) renews while a health check passes and reports a loss before that
/// deadline.
///
/// ```no_run
/// use std::sync::{Arc, LazyLock};
/// use std::time::Duration;
/// use wecom_redis::{Connector, Lease, Timeouts};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let redis = Arc::new(Connector::open("redis://127.0.0.1:6379", Timeouts::DEFAULT)?);
/// if let Some(lease) = Lease::acquire(redis, "wecom:{aibot:bot-1}:lease", Duration::from_secs(10)).await? {
///     // Only this process gets here until the lease ends.
///     let end = lease.keep(Default::default(), || true).await;
///     println!("stopped holding: {end:?}");
/// }
/// # Ok(()) }
/// ```
pub struct Lease {
    redis: Arc<Connector>,
    key: String,
    token: String,
    ttl: Duration,
    valid_until: Instant,
}

impl Lease {
    /// Takes the lease `key` for `ttl` if nobody holds it; `None` if somebody does.
    ///
    /// `ttl` must be at least 10 ms (and should be a few seconds: renewing takes a round
    /// trip), and `key` must not be empty; otherwise nothing is sent and the error
    /// ([`ErrorKind::Invalid`](crate::ErrorKind::Invalid)) says which.
    pub async fn acquire(
        redis: Arc<Connector>,
        key: impl Into<String>,
        ttl: Duration,
    ) -> Result<Option<Lease>, Error> {
        let key = key.into();
        let op = format!("SET {key} NX");
        if key.is_empty() {
            return Err(Error::invalid(&op, "the lease key is empty"));
        }
        if ttl < Duration::from_millis(10) {
            return Err(Error::invalid(
                &op,
                &format!("the lease TTL must be at least 10 ms, got {} ms", millis(ttl)),
            ));
        }
        let token = holder_token();
        let cmd =
            ::redis::cmd("SET").arg(&key).arg(&token).arg("NX").arg("PX").arg(millis(ttl)).clone();
        let sent = Instant::now();
        let set: Option<String> =
            redis.run(&op, |mut conn| async move { cmd.query_async(&mut conn).await }).await?;
        Ok(set.map(|_| Lease { redis, key, token, ttl, valid_until: sent + ttl }))
    }

    /// Extends the lease by its TTL from now. `Ok(false)`: it is no longer ours (it expired
    /// and somebody else may hold it) — stop acting on it at once.
    pub async fn renew(&mut self) -> Result<bool, Error> {
        let op = format!("renew {}", self.key);
        let mut call = renew_script().key(&self.key);
        call.arg(&self.token).arg(millis(self.ttl));
        let sent = Instant::now();
        let renewed: i64 = self
            .redis
            .run(&op, |mut conn| async move { call.invoke_async(&mut conn).await })
            .await?;
        if renewed == 1 {
            self.valid_until = sent + self.ttl;
        }
        Ok(renewed == 1)
    }

    /// Gives the lease up, so another contender can take it at once. `Ok(false)`: it was no
    /// longer ours.
    pub async fn release(self) -> Result<bool, Error> {
        let op = format!("release {}", self.key);
        let mut call = release_script().key(&self.key);
        call.arg(&self.token);
        let deleted: i64 = self
            .redis
            .run(&op, |mut conn| async move { call.invoke_async(&mut conn).await })
            .await?;
        Ok(deleted == 1)
    }

    /// Until when this holder may act on the lease: nobody else can hold it before then.
    /// After it, without a successful [`renew`](Self::renew), assume it is lost.
    pub fn valid_until(&self) -> Instant {
        self.valid_until
    }

    /// The Redis key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The random token this holder stored in the key (not a secret; useful in logs).
    pub fn holder(&self) -> &str {
        &self.token
    }

    /// The TTL set on each acquire and renew.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }
}

impl fmt::Debug for Lease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lease")
            .field("key", &self.key)
            .field("holder", &self.token)
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

fn renew_script() -> &'static Script {
    static SCRIPT: LazyLock<Script> = LazyLock::new(|| Script::new(RENEW));
    &SCRIPT
}

fn release_script() -> &'static Script {
    static SCRIPT: LazyLock<Script> = LazyLock::new(|| Script::new(RELEASE));
    &SCRIPT
}

/// `{pid}-{32 random hex digits}`: unique per holder, and says which process holds it.
fn holder_token() -> String {
    let mut bytes = [0_u8; 16];
    // Without the OS's randomness, fall back to the time: unique enough between processes
    // together with the pid.
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        bytes = nanos.to_le_bytes();
    }
    let mut token = format!("{}-", std::process::id());
    for b in bytes {
        // Writing to a String cannot fail.
        let _ = write!(token, "{b:02x}");
    }
    token
}
