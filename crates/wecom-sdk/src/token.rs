//! Access tokens: the value types, the [`TokenStore`] trait and the in-memory default store.
//!
//! A token belongs to one app of one corp, so it is keyed by [`TokenKey`] — the corp id and
//! the agent id, never the secret. The client keeps tokens in a [`TokenStore`]; the default is
//! [`MemoryTokenStore`], and a shared remote store can implement the same small trait so that
//! several processes share one token and one refresh. `RedisTokenStore` (feature `redis`) is
//! one; [`docs/redis.md`](https://github.com/wecom-rs/wecom-rs/blob/main/docs/redis.md) explains when and how to use it.
//!
//! # What the client does with a store
//!
//! 1. It keeps its current token in memory and uses it, without asking the store, until it is
//!    within the refresh margin of its expiry.
//! 2. Then it [`get`](TokenStore::get)s the stored token and uses it if it is fresh (another
//!    process may have refreshed it). Otherwise one caller per process refreshes (single
//!    flight; everyone else waits for its result): it takes the refresh lease with
//!    [`try_lock`](TokenStore::try_lock), reads the store once more, calls `gettoken`,
//!    [`put`](TokenStore::put)s the new token and [`unlock`](TokenStore::unlock)s. A process
//!    that does not get the lease polls [`get`](TokenStore::get) for a fresh token for a
//!    bounded time, then fetches one itself.
//! 3. When WeCom rejects a token (40001, 40014, 41001, 42001), the client forgets it and calls
//!    [`invalidate`](TokenStore::invalidate) with it, once however many calls failed with it:
//!    the store removes it only if it is still the stored one, so a fresh token stored by
//!    someone else survives. Then it goes on as in step 2.
//!
//! If the store fails, the client carries on with a token of its own and tries the store again
//! next time it needs it (warning at most once a minute), unless told with
//! [`ClientBuilder::token_store_required`](crate::ClientBuilder::token_store_required) to fail
//! calls instead.

mod flight;
mod memory;
#[cfg(feature = "redis")]
mod redis;

use std::fmt;
use std::time::{Duration, SystemTime};

use futures::future::BoxFuture;

#[cfg(feature = "redis")]
pub use self::redis::{RedisStoreError, RedisTokenStore, RedisTokenStoreBuilder};
pub(crate) use flight::{TokenCache, TokenTiming};
pub use memory::MemoryTokenStore;

use crate::error::StoreError;
use crate::secret::Secret;

/// An access token. Prints as `AccessToken(***)`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct AccessToken(Secret);

impl AccessToken {
    /// Wraps a token string.
    pub fn new(token: impl Into<String>) -> Self {
        Self(Secret::new(token))
    }

    /// The token string, for the `access_token` query parameter. Never log it.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(***)")
    }
}

/// A token with its lifetime, as kept in a [`TokenStore`].
///
/// Times are wall-clock ([`SystemTime`]) so they mean the same in every process sharing a
/// store; a remote store can keep them as Unix milliseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedToken {
    /// The token.
    pub token: AccessToken,
    /// When it was obtained from `gettoken`.
    pub obtained_at: SystemTime,
    /// When WeCom says it expires (`obtained_at + expires_in`).
    pub expires_at: SystemTime,
}

impl CachedToken {
    /// A token obtained at `obtained_at` that WeCom says lives for `expires_in`.
    pub fn new(token: AccessToken, obtained_at: SystemTime, expires_in: Duration) -> Self {
        Self { token, obtained_at, expires_at: obtained_at + expires_in }
    }

    /// Whether the token can still be used at `now`, keeping `margin` before its expiry.
    ///
    /// The margin is capped at half the token's lifetime, so a short-lived token (as an
    /// emulator might issue) is still used for a while instead of being refreshed on every
    /// call.
    pub fn is_fresh(&self, now: SystemTime, margin: Duration) -> bool {
        let lifetime = self.expires_at.duration_since(self.obtained_at).unwrap_or_default();
        let margin = margin.min(lifetime / 2);
        match self.expires_at.checked_sub(margin) {
            Some(refresh_at) => now < refresh_at,
            None => false,
        }
    }
}

/// Which app a token belongs to: corp id and agent id. The secret is never part of the key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TokenKey {
    /// The corp id (CorpID).
    pub corp_id: String,
    /// The app's agent id.
    pub agent_id: i64,
}

impl TokenKey {
    /// The key of one app.
    pub fn new(corp_id: impl Into<String>, agent_id: i64) -> Self {
        Self { corp_id: corp_id.into(), agent_id }
    }
}

impl fmt::Display for TokenKey {
    /// `corp_id/agent_id`, suitable as part of a remote store key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.corp_id, self.agent_id)
    }
}

/// Proof of holding the refresh lease of one key, returned by [`TokenStore::try_lock`].
///
/// The id is random per acquisition so a store can release the lease only if it still holds
/// it (a Redis store: `SET key id NX PX ttl`, then delete-if-equal in a script).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Lease(String);

impl Lease {
    /// A lease with this id.
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// A lease with a fresh random id.
    pub fn random() -> Self {
        Self(format!("{:032x}", rand::random::<u128>()))
    }

    /// The lease id.
    pub fn id(&self) -> &str {
        &self.0
    }
}

/// Where access tokens live. Implement it to share tokens between processes.
///
/// The methods return boxed futures so the trait can be used as `Arc<dyn TokenStore>`. Every
/// method may fail with a [`StoreError`]: the client then works around the store with a token
/// of its own, or — with
/// [`ClientBuilder::token_store_required`](crate::ClientBuilder::token_store_required) —
/// reports [`Error::TokenStore`](crate::Error::TokenStore) (failures of `put` and `unlock` are
/// only logged either way, since the caller already holds a good token).
///
/// The client asks the store only when its token in memory is near expiry or rejected, but
/// many processes may do so at once: implementations must be safe to call concurrently, and
/// every method should give up after a timeout of its own rather than hang.
pub trait TokenStore: Send + Sync + 'static {
    /// The stored token for `key`, if any. It may be returned even if expired; the client
    /// checks [`CachedToken::is_fresh`] itself.
    fn get<'a>(
        &'a self,
        key: &'a TokenKey,
    ) -> BoxFuture<'a, Result<Option<CachedToken>, StoreError>>;

    /// Stores `token` for `key`, replacing whatever is there (the latest `gettoken` answer
    /// always wins). A remote store should expire the entry at `token.expires_at`.
    fn put<'a>(
        &'a self,
        key: &'a TokenKey,
        token: CachedToken,
    ) -> BoxFuture<'a, Result<(), StoreError>>;

    /// Removes the token for `key` only if it is still `rejected` (compare-and-delete), and
    /// says whether it removed it. A different token — fetched meanwhile by another caller —
    /// must be kept.
    fn invalidate<'a>(
        &'a self,
        key: &'a TokenKey,
        rejected: &'a AccessToken,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;

    /// Tries to take the refresh lease for `key` for at most `ttl`; `None` if someone else
    /// holds it. The lease must expire by itself after `ttl` so a crashed holder cannot block
    /// refreshes.
    ///
    /// The default always grants a lease: right for a store used by one process, where the
    /// client's own single flight already prevents concurrent refreshes.
    fn try_lock<'a>(
        &'a self,
        key: &'a TokenKey,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<Option<Lease>, StoreError>> {
        let _ = (key, ttl);
        Box::pin(async { Ok(Some(Lease::new("local"))) })
    }

    /// Releases `lease` if it is still held (compare-and-delete on the lease id).
    fn unlock<'a>(
        &'a self,
        key: &'a TokenKey,
        lease: Lease,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        let _ = (key, lease);
        Box::pin(async { Ok(()) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_until_margin_before_expiry() {
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let tok = CachedToken::new(AccessToken::new("t"), t0, Duration::from_secs(7200));
        let margin = Duration::from_secs(300);
        assert!(tok.is_fresh(t0, margin));
        assert!(tok.is_fresh(t0 + Duration::from_secs(6899), margin));
        assert!(!tok.is_fresh(t0 + Duration::from_secs(6900), margin));
        assert!(!tok.is_fresh(t0 + Duration::from_secs(8000), margin));
    }

    #[test]
    fn margin_is_capped_at_half_the_lifetime() {
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let tok = CachedToken::new(AccessToken::new("t"), t0, Duration::from_secs(60));
        let margin = Duration::from_secs(300);
        assert!(tok.is_fresh(t0 + Duration::from_secs(29), margin));
        assert!(!tok.is_fresh(t0 + Duration::from_secs(30), margin));
    }

    #[test]
    fn token_and_key_never_print_the_token() {
        let tok =
            CachedToken::new(AccessToken::new("tok-VALUE"), SystemTime::now(), Duration::ZERO);
        assert!(!format!("{tok:?}").contains("tok-VALUE"));
        assert_eq!(TokenKey::new("ww1", 1_000_002).to_string(), "ww1/1000002");
    }

    #[test]
    fn random_leases_differ() {
        assert_ne!(Lease::random(), Lease::random());
        assert_eq!(Lease::random().id().len(), 32);
    }
}
