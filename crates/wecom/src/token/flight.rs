//! Single-flight token refresh over a [`TokenStore`].
//!
//! All callers of one client that need a new token at the same time await one shared refresh
//! future: 1,000 concurrent cold calls cause one `gettoken`. Across processes the refresh is
//! serialised by the store's lease ([`TokenStore::try_lock`]) with bounded waiting.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use futures::FutureExt;
use futures::future::{BoxFuture, Shared, WeakShared};

use super::{AccessToken, CachedToken, TokenKey, TokenStore};
use crate::error::{Error, Result};

/// How tokens are refreshed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TokenTiming {
    /// Refresh this long before expiry (capped at half the token's lifetime).
    pub(crate) margin: Duration,
    /// How long a refresh lease lasts in the store.
    pub(crate) lease_ttl: Duration,
    /// How long to wait for another process's refresh before fetching anyway.
    pub(crate) lease_wait: Duration,
    /// How often to look for that refresh's result while waiting.
    pub(crate) poll: Duration,
}

type Flight = BoxFuture<'static, Result<AccessToken>>;

/// The token of one app: its store, key and the refresh in flight, if any.
pub(crate) struct TokenCache {
    key: TokenKey,
    store: Arc<dyn TokenStore>,
    timing: TokenTiming,
    // Weak, so a refresh abandoned by every caller is dropped instead of keeping the client
    // (captured by the fetch future) alive.
    flight: Mutex<Option<WeakShared<Flight>>>,
    // The last credentials error and when it happened (see `CREDENTIALS_HOLD`).
    rejected_credentials: Mutex<Option<(Instant, Error)>>,
}

/// How long a [`Error::Credentials`] answer from `gettoken` is repeated to callers without
/// asking WeCom again. The secret cannot change inside a running client, and WeCom blocks an
/// IP for an hour after repeated wrong secrets; an app re-enabled by an admin is picked up
/// after this delay.
const CREDENTIALS_HOLD: Duration = Duration::from_secs(60);

impl TokenCache {
    pub(crate) fn new(key: TokenKey, store: Arc<dyn TokenStore>, timing: TokenTiming) -> Self {
        Self {
            key,
            store,
            timing,
            flight: Mutex::new(None),
            rejected_credentials: Mutex::new(None),
        }
    }

    #[cfg(test)]
    fn key(&self) -> &TokenKey {
        &self.key
    }

    /// A usable token: the stored one if fresh and not `rejected`, else the result of the
    /// refresh in flight (joined, or started with `fetch`).
    pub(crate) async fn token<F>(
        &self,
        rejected: Option<&AccessToken>,
        fetch: F,
    ) -> Result<AccessToken>
    where
        F: Fn() -> BoxFuture<'static, Result<CachedToken>>,
    {
        let stored = self.store.get(&self.key).await.map_err(Error::store)?;
        if let Some(token) = usable(stored, rejected, self.timing.margin) {
            return Ok(token);
        }
        if let Some(err) = self.recent_credentials_error() {
            return Err(err);
        }
        let mut result = self.join_or_start(rejected, &fetch).await;
        if result.as_ref().is_ok_and(|token| rejected == Some(token)) {
            // The refresh we joined read the store before the rejected token was removed.
            // Run one of our own (the joined one has completed, so it is not joined again);
            // if that still yields the same token, the caller's single retry fails and the
            // error is returned — never a loop.
            result = self.join_or_start(rejected, &fetch).await;
        }
        if let Err(err @ Error::Credentials { .. }) = &result {
            *lock(&self.rejected_credentials) = Some((Instant::now(), err.clone()));
        }
        result
    }

    fn recent_credentials_error(&self) -> Option<Error> {
        let mut slot = lock(&self.rejected_credentials);
        match &*slot {
            Some((at, err)) if at.elapsed() < CREDENTIALS_HOLD => Some(err.clone()),
            Some(_) => {
                *slot = None;
                None
            }
            None => None,
        }
    }

    /// Removes `rejected` from the store if it is still the stored token.
    pub(crate) async fn invalidate(&self, rejected: &AccessToken) -> Result<bool> {
        self.store.invalidate(&self.key, rejected).await.map_err(Error::store)
    }

    fn join_or_start<F>(&self, rejected: Option<&AccessToken>, fetch: &F) -> Shared<Flight>
    where
        F: Fn() -> BoxFuture<'static, Result<CachedToken>>,
    {
        let mut slot = lock(&self.flight);
        if let Some(flight) = slot.as_ref().and_then(WeakShared::upgrade)
            && flight.peek().is_none()
        {
            return flight;
        }
        let flight = refresh(
            Arc::clone(&self.store),
            self.key.clone(),
            self.timing,
            rejected.cloned(),
            fetch(),
        )
        .boxed()
        .shared();
        *slot = flight.downgrade();
        flight
    }
}

/// Both mutexes guard a single `Option` that is replaced whole, so a panic elsewhere cannot
/// leave them inconsistent and a poisoned lock is safe to use.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn usable(
    stored: Option<CachedToken>,
    rejected: Option<&AccessToken>,
    margin: Duration,
) -> Option<AccessToken> {
    stored
        .filter(|t| t.is_fresh(SystemTime::now(), margin) && Some(&t.token) != rejected)
        .map(|t| t.token)
}

async fn refresh(
    store: Arc<dyn TokenStore>,
    key: TokenKey,
    timing: TokenTiming,
    rejected: Option<AccessToken>,
    fetch: BoxFuture<'static, Result<CachedToken>>,
) -> Result<AccessToken> {
    let give_up_waiting = Instant::now() + timing.lease_wait;
    loop {
        let stored = store.get(&key).await.map_err(Error::store)?;
        if let Some(token) = usable(stored, rejected.as_ref(), timing.margin) {
            return Ok(token);
        }
        match store.try_lock(&key, timing.lease_ttl).await.map_err(Error::store)? {
            Some(lease) => {
                let result = fetch_and_put(&*store, &key, fetch).await;
                if let Err(err) = store.unlock(&key, lease).await {
                    tracing::warn!(
                        app = %key,
                        error = %err,
                        "could not release the token refresh lease"
                    );
                }
                return result;
            }
            None if Instant::now() >= give_up_waiting => {
                tracing::warn!(
                    app = %key,
                    waited_ms = timing.lease_wait.as_millis(),
                    "token refresh lease held elsewhere too long; fetching a token without it"
                );
                return fetch_and_put(&*store, &key, fetch).await;
            }
            None => tokio::time::sleep(timing.poll).await,
        }
    }
}

async fn fetch_and_put(
    store: &dyn TokenStore,
    key: &TokenKey,
    fetch: BoxFuture<'static, Result<CachedToken>>,
) -> Result<AccessToken> {
    let cached = fetch.await?;
    let token = cached.token.clone();
    // The caller gets the new token even if it cannot be stored: failing a call that holds a
    // good token would only make things worse.
    if let Err(err) = store.put(key, cached).await {
        tracing::warn!(app = %key, error = %err, "could not store the new access token");
    }
    tracing::debug!(app = %key, "access token refreshed");
    Ok(token)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use tokio::sync::Notify;

    use super::*;
    use crate::token::MemoryTokenStore;

    fn timing() -> TokenTiming {
        TokenTiming {
            margin: Duration::from_secs(300),
            lease_ttl: Duration::from_secs(10),
            lease_wait: Duration::from_millis(50),
            poll: Duration::from_millis(5),
        }
    }

    fn counting_fetch(
        count: &Arc<AtomicUsize>,
    ) -> impl Fn() -> BoxFuture<'static, Result<CachedToken>> + use<> {
        let count = Arc::clone(count);
        move || {
            let count = Arc::clone(&count);
            async move {
                let n = count.fetch_add(1, Ordering::SeqCst) + 1;
                Ok(CachedToken::new(
                    AccessToken::new(format!("T{n}")),
                    SystemTime::now(),
                    Duration::from_secs(7200),
                ))
            }
            .boxed()
        }
    }

    /// A fetch that waits for `gate` before answering `answer`, counting its calls.
    fn gated_fetch(
        count: &Arc<AtomicUsize>,
        gate: &Arc<Notify>,
        answer: Result<CachedToken>,
    ) -> impl Fn() -> BoxFuture<'static, Result<CachedToken>> + use<> {
        let (count, gate) = (Arc::clone(count), Arc::clone(gate));
        move || {
            let (count, gate, answer) = (Arc::clone(&count), Arc::clone(&gate), answer.clone());
            async move {
                count.fetch_add(1, Ordering::SeqCst);
                gate.notified().await;
                answer
            }
            .boxed()
        }
    }

    /// Runs `callers` concurrently and opens `gate` once all of them are waiting.
    async fn with_gate<T>(gate: &Notify, callers: impl Future<Output = T>) -> T {
        let (out, ()) = tokio::join!(callers, async {
            tokio::task::yield_now().await;
            gate.notify_waiters();
        });
        out
    }

    #[tokio::test]
    async fn concurrent_callers_share_one_fetch() {
        let cache =
            TokenCache::new(TokenKey::new("c", 1), Arc::new(MemoryTokenStore::new()), timing());
        let (count, gate) = (Arc::new(AtomicUsize::new(0)), Arc::new(Notify::new()));
        let token =
            CachedToken::new(AccessToken::new("T1"), SystemTime::now(), Duration::from_secs(7200));
        let fetch = gated_fetch(&count, &gate, Ok(token));
        let callers = futures::future::join_all((0..200).map(|_| cache.token(None, &fetch)));
        let results = with_gate(&gate, callers).await;
        assert_eq!(count.load(Ordering::SeqCst), 1);
        for r in results {
            assert_eq!(r.unwrap(), AccessToken::new("T1"));
        }
        // Later callers use the stored token.
        assert_eq!(cache.token(None, &fetch).await.unwrap(), AccessToken::new("T1"));
        assert_eq!(count.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn rejected_token_is_replaced_once() {
        let cache =
            TokenCache::new(TokenKey::new("c", 1), Arc::new(MemoryTokenStore::new()), timing());
        let count = Arc::new(AtomicUsize::new(0));
        let fetch = counting_fetch(&count);
        let first = cache.token(None, &fetch).await.unwrap();
        assert!(cache.invalidate(&first).await.unwrap());
        let second = cache.token(Some(&first), &fetch).await.unwrap();
        assert_eq!(second, AccessToken::new("T2"));
        assert_eq!(count.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_token_already_replaced_by_someone_else_is_reused() {
        let store = Arc::new(MemoryTokenStore::new());
        let cache = TokenCache::new(TokenKey::new("c", 1), store.clone(), timing());
        let count = Arc::new(AtomicUsize::new(0));
        let fetch = counting_fetch(&count);
        let old = cache.token(None, &fetch).await.unwrap();
        // Another process stored a newer token; our rejected one must not evict it.
        let newer =
            CachedToken::new(AccessToken::new("N"), SystemTime::now(), Duration::from_secs(7200));
        store.put(cache.key(), newer).await.unwrap();
        assert!(!cache.invalidate(&old).await.unwrap());
        assert_eq!(cache.token(Some(&old), &fetch).await.unwrap(), AccessToken::new("N"));
        assert_eq!(count.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn waits_for_a_lease_held_elsewhere_then_fetches_anyway() {
        let store = Arc::new(MemoryTokenStore::new());
        let key = TokenKey::new("c", 1);
        let _held = store.try_lock(&key, Duration::from_secs(60)).await.unwrap().unwrap();
        let cache = TokenCache::new(key, store, timing());
        let count = Arc::new(AtomicUsize::new(0));
        let token = cache.token(None, &counting_fetch(&count)).await.unwrap();
        assert_eq!(token, AccessToken::new("T1"));
        assert_eq!(count.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_failed_fetch_is_shared_and_not_cached() {
        let cache =
            TokenCache::new(TokenKey::new("c", 1), Arc::new(MemoryTokenStore::new()), timing());
        let (count, gate) = (Arc::new(AtomicUsize::new(0)), Arc::new(Notify::new()));
        let busy = Err(Error::Api { code: -1, msg: "system busy".into() });
        let fetch = gated_fetch(&count, &gate, busy);
        let callers = futures::future::join_all((0..50).map(|_| cache.token(None, &fetch)));
        let results = with_gate(&gate, callers).await;
        assert_eq!(count.load(Ordering::SeqCst), 1);
        assert!(results.iter().all(|r| r.as_ref().is_err_and(Error::is_system_busy)));
        // The next call tries again.
        let again = with_gate(&gate, cache.token(None, &fetch)).await;
        assert!(again.is_err());
        assert_eq!(count.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn rejected_credentials_are_not_retried_for_a_while() {
        let cache =
            TokenCache::new(TokenKey::new("c", 1), Arc::new(MemoryTokenStore::new()), timing());
        let count = Arc::new(AtomicUsize::new(0));
        let fetch = {
            let count = Arc::clone(&count);
            move || {
                count.fetch_add(1, Ordering::SeqCst);
                async { Err(Error::Credentials { code: 40001, msg: "invalid credential".into() }) }
                    .boxed()
            }
        };
        for _ in 0..5 {
            let err = cache.token(None, &fetch).await.unwrap_err();
            assert!(err.is_credentials());
        }
        assert_eq!(count.load(Ordering::SeqCst), 1);
    }
}
