//! De-duplicating WeCom's retries.
//!
//! WeCom retries a callback (three deliveries in all) when it gets no answer within 5
//! seconds. The server asks a [`DedupStore`] whether each callback's key is new **when the
//! callback arrives**, before its handler runs, so a retry that comes in while the first
//! delivery is still being handled is recognised too.
//!
//! [`MemoryDedup`] is the default: one process, keys expire after their TTL, memory bounded.
//! Several server processes behind a load balancer need a shared store: `RedisDedup` (feature
//! `redis`, guide in [`docs/redis.md`](https://github.com/wecom-rs/wecom-rs/blob/main/docs/redis.md)),
//! or your own [`DedupStore`]. A store may fail, or take longer than 1 second; the server then
//! logs it and handles the callback anyway (a possible duplicate beats a lost message).
//! `RedisDedup` falls back to memory before that happens.
//!
//! Marking on arrival means "at most once" per key while the key lives: a callback whose
//! handler fails, or whose process dies mid-way, is not handled again when WeCom retries.
//! (The server answers 200 whenever it got that far, so WeCom has no reason to retry.)

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::future::BoxFuture;

#[cfg(feature = "redis")]
mod redis;
#[cfg(feature = "redis")]
pub use self::redis::{RedisDedup, RedisDedupBuilder};

/// Why a [`DedupStore`] could not answer (for example, a remote store is unreachable).
#[derive(Debug, thiserror::Error)]
#[error("de-duplication store failed: {0}")]
pub struct DedupError(Box<dyn std::error::Error + Send + Sync>);

impl DedupError {
    /// Wraps the store's own error.
    pub fn new(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        DedupError(error.into())
    }
}

/// Remembers which callbacks have been seen.
///
/// ```
/// use std::time::Duration;
/// use wecom_callback::{DedupError, DedupStore};
///
/// /// A store that never de-duplicates (every delivery is handled).
/// struct Nothing;
///
/// impl DedupStore for Nothing {
///     async fn first_seen(&self, _key: &str, _ttl: Duration) -> Result<bool, DedupError> {
///         Ok(true)
///     }
/// }
/// ```
pub trait DedupStore: Send + Sync + 'static {
    /// Atomically records `key` for `ttl` and returns whether it was new: `true` the first
    /// time within the TTL, `false` for every later call. (Redis: `SET key 1 NX PX ttl`.)
    fn first_seen(
        &self,
        key: &str,
        ttl: Duration,
    ) -> impl Future<Output = Result<bool, DedupError>> + Send;
}

impl<T: DedupStore> DedupStore for Arc<T> {
    fn first_seen(
        &self,
        key: &str,
        ttl: Duration,
    ) -> impl Future<Output = Result<bool, DedupError>> + Send {
        (**self).first_seen(key, ttl)
    }
}

/// The object-safe form of [`DedupStore`] the server keeps.
pub(crate) trait DynDedupStore: Send + Sync {
    fn first_seen_boxed<'a>(
        &'a self,
        key: &'a str,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<bool, DedupError>>;
}

impl<T: DedupStore> DynDedupStore for T {
    fn first_seen_boxed<'a>(
        &'a self,
        key: &'a str,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<bool, DedupError>> {
        Box::pin(self.first_seen(key, ttl))
    }
}

/// An in-process [`DedupStore`]: keys expire after their TTL and at most `capacity` keys are
/// kept (when full, the oldest key is forgotten early and a warning is logged once).
///
/// Clones share the same memory.
#[derive(Debug, Clone)]
pub struct MemoryDedup {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Debug)]
struct Inner {
    expiry: HashMap<Arc<str>, Instant>,
    /// Keys in insertion order with the expiry they were inserted with.
    order: VecDeque<(Instant, Arc<str>)>,
    capacity: usize,
    warned_full: bool,
}

impl Default for MemoryDedup {
    fn default() -> Self {
        Self::new(Self::DEFAULT_CAPACITY)
    }
}

impl MemoryDedup {
    /// Default capacity: 100,000 keys (about 15 MB at worst).
    pub const DEFAULT_CAPACITY: usize = 100_000;

    /// A store holding at most `capacity` keys (at least 1).
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        MemoryDedup {
            inner: Arc::new(Mutex::new(Inner {
                expiry: HashMap::with_capacity(capacity.min(4096)),
                order: VecDeque::with_capacity(capacity.min(4096)),
                capacity,
                warned_full: false,
            })),
        }
    }

    /// How many keys are held (expired ones included until they are swept).
    pub fn len(&self) -> usize {
        self.lock().expiry.len()
    }

    /// Whether no key is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding this lock cannot leave the maps inconsistent in a way that
        // matters (at worst a key is forgotten), so a poisoned lock is used as is.
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The synchronous core of [`DedupStore::first_seen`], at a given instant.
    pub(crate) fn first_seen_at(&self, key: &str, ttl: Duration, now: Instant) -> bool {
        let mut inner = self.lock();
        inner.sweep(now);
        if inner.expiry.get(key).is_some_and(|&until| until > now) {
            return false;
        }
        let until = now + ttl;
        let key: Arc<str> = Arc::from(key);
        inner.expiry.insert(Arc::clone(&key), until);
        inner.order.push_back((until, key));
        while inner.order.len() > inner.capacity {
            if !inner.warned_full {
                inner.warned_full = true;
                tracing::warn!(
                    capacity = inner.capacity,
                    "de-duplication memory is full: forgetting the oldest keys before they expire"
                );
            }
            inner.pop_oldest();
        }
        true
    }
}

impl Inner {
    /// Forgets keys whose TTL has passed (those at the front of the queue).
    fn sweep(&mut self, now: Instant) {
        while self.order.front().is_some_and(|(until, _)| *until <= now) {
            self.pop_oldest();
        }
    }

    fn pop_oldest(&mut self) {
        if let Some((until, key)) = self.order.pop_front() {
            // The key may have been inserted again later with a new expiry: keep that one
            // (rare, so remove first and put it back rather than look it up twice).
            if let Some(current) = self.expiry.remove(&key)
                && current != until
            {
                self.expiry.insert(key, current);
            }
        }
    }
}

impl DedupStore for MemoryDedup {
    fn first_seen(
        &self,
        key: &str,
        ttl: Duration,
    ) -> impl Future<Output = Result<bool, DedupError>> + Send {
        std::future::ready(Ok(self.first_seen_at(key, ttl, Instant::now())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TTL: Duration = Duration::from_secs(60);

    #[test]
    fn a_key_is_new_once_within_its_ttl() {
        let store = MemoryDedup::default();
        let t0 = Instant::now();
        assert!(store.first_seen_at("a", TTL, t0));
        assert!(!store.first_seen_at("a", TTL, t0));
        assert!(!store.first_seen_at("a", TTL, t0 + Duration::from_secs(59)));
        assert!(store.first_seen_at("b", TTL, t0));
        // After the TTL the key is new again, and the old entry is gone.
        assert!(store.first_seen_at("a", TTL, t0 + TTL));
        assert!(!store.first_seen_at("a", TTL, t0 + TTL));
    }

    #[test]
    fn expired_keys_are_swept_so_memory_stays_bounded() {
        let store = MemoryDedup::default();
        let t0 = Instant::now();
        for i in 0..1000 {
            assert!(store.first_seen_at(&format!("k{i}"), TTL, t0));
        }
        assert_eq!(store.len(), 1000);
        assert!(store.first_seen_at("late", TTL, t0 + TTL + Duration::from_secs(1)));
        assert_eq!(store.len(), 1);
    }

    #[test]
    fn capacity_forgets_the_oldest_first() {
        let store = MemoryDedup::new(3);
        let t0 = Instant::now();
        for k in ["a", "b", "c", "d"] {
            assert!(store.first_seen_at(k, TTL, t0));
        }
        assert_eq!(store.len(), 3);
        assert!(!store.first_seen_at("d", TTL, t0));
        assert!(!store.first_seen_at("b", TTL, t0));
        // "a" was forgotten to make room.
        assert!(store.first_seen_at("a", TTL, t0));
    }

    #[test]
    fn reinserted_key_survives_its_stale_queue_entry() {
        let store = MemoryDedup::default();
        let t0 = Instant::now();
        assert!(store.first_seen_at("a", Duration::from_secs(1), t0));
        // Expired, inserted again with a long TTL: the stale queue entry must not remove it.
        assert!(store.first_seen_at("a", TTL, t0 + Duration::from_secs(2)));
        assert!(!store.first_seen_at("a", TTL, t0 + Duration::from_secs(30)));
    }

    #[tokio::test]
    async fn the_trait_and_shared_clones_agree() {
        let store = Arc::new(MemoryDedup::default());
        let clone = Arc::clone(&store);
        assert!(store.first_seen("x", TTL).await.unwrap());
        assert!(!clone.first_seen("x", TTL).await.unwrap());
        let dyn_store: &dyn DynDedupStore = &*store;
        assert!(!dyn_store.first_seen_boxed("x", TTL).await.unwrap());
    }
}
