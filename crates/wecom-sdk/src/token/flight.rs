//! Single-flight token refresh over a [`TokenStore`], with the current token kept in memory.
//!
//! A fresh token is served from memory: a remote store (Redis) is not asked on every call,
//! only when the token nears its expiry or WeCom rejects it. All callers of one client that
//! need a new token at the same time await one shared refresh future: 1,000 concurrent cold
//! calls cause one `gettoken`. Across processes the refresh is serialised by the store's lease
//! ([`TokenStore::try_lock`]) with bounded waiting, and the store is read again once the lease
//! is held, so a token another process stored a moment earlier is used instead of fetching a
//! second one. What a failing store means is decided in [`store`].

mod store;

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use futures::FutureExt;
use futures::future::{BoxFuture, Shared, WeakShared};

use super::{AccessToken, CachedToken, TokenKey, TokenStore};
use crate::error::{Error, Result};
use store::{GuardedStore, Lock};

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

type Flight = BoxFuture<'static, Result<CachedToken>>;

/// The token of one app: its store, key, the token in memory and the refresh in flight.
pub(crate) struct TokenCache {
    key: TokenKey,
    store: Arc<GuardedStore>,
    timing: TokenTiming,
    /// The token this process uses while it is fresh, without asking the store.
    local: Mutex<Option<CachedToken>>,
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
    /// `required`: whether a failing store fails calls instead of being worked around.
    pub(crate) fn new(
        key: TokenKey,
        store: Arc<dyn TokenStore>,
        timing: TokenTiming,
        required: bool,
    ) -> Self {
        Self {
            key,
            store: Arc::new(GuardedStore::new(store, required)),
            timing,
            local: Mutex::new(None),
            flight: Mutex::new(None),
            rejected_credentials: Mutex::new(None),
        }
    }

    #[cfg(test)]
    fn key(&self) -> &TokenKey {
        &self.key
    }

    /// A usable token other than `rejected`: the one in memory if fresh, else the stored one
    /// if fresh, else the result of the refresh in flight (joined, or started with `fetch`).
    pub(crate) async fn token<F>(
        &self,
        rejected: Option<&AccessToken>,
        fetch: F,
    ) -> Result<AccessToken>
    where
        F: Fn() -> BoxFuture<'static, Result<CachedToken>>,
    {
        if let Some(token) = self.local_token(rejected) {
            return Ok(token);
        }
        let stored = self.store.get(&self.key).await?;
        if let Some(cached) = usable(stored, rejected, self.timing.margin) {
            return Ok(self.remember(cached));
        }
        if let Some(err) = self.recent_credentials_error() {
            return Err(err);
        }
        let mut result = self.join_or_start(rejected, &fetch).await;
        if result.as_ref().is_ok_and(|cached| rejected == Some(&cached.token)) {
            // The refresh we joined read the store before the rejected token was removed.
            // Run one of our own (the joined one has completed, so it is not joined again);
            // if that still yields the same token, the caller's single retry fails and the
            // error is returned — never a loop.
            result = self.join_or_start(rejected, &fetch).await;
        }
        match result {
            Ok(cached) => Ok(self.remember(cached)),
            Err(err) => {
                if let Error::Credentials { .. } = &err {
                    *lock(&self.rejected_credentials) = Some((Instant::now(), err.clone()));
                }
                Err(err)
            }
        }
    }

    fn local_token(&self, rejected: Option<&AccessToken>) -> Option<AccessToken> {
        let local = lock(&self.local);
        let cached = local.as_ref()?;
        (cached.is_fresh(SystemTime::now(), self.timing.margin) && Some(&cached.token) != rejected)
            .then(|| cached.token.clone())
    }

    /// Keeps `cached` in memory unless a token that lives longer is already there (a slow
    /// caller's stale read must not replace a newer token), and returns its token.
    fn remember(&self, cached: CachedToken) -> AccessToken {
        let token = cached.token.clone();
        let mut local = lock(&self.local);
        if local.as_ref().is_none_or(|held| held.expires_at <= cached.expires_at) {
            *local = Some(cached);
        }
        token
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

    /// Forgets `rejected` and removes it from the store if it is still the stored token.
    ///
    /// Only the first caller to report a token (the one that finds it in memory) asks the
    /// store: when 50 calls fail with the same token at once, the store sees one removal.
    pub(crate) async fn invalidate(&self, rejected: &AccessToken) -> Result<bool> {
        {
            let mut local = lock(&self.local);
            if local.as_ref().is_none_or(|held| &held.token != rejected) {
                return Ok(false);
            }
            *local = None;
        }
        self.store.invalidate(&self.key, rejected).await
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

/// The mutexes guard values that are replaced whole, so a panic elsewhere cannot leave them
/// inconsistent and a poisoned lock is safe to use.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn usable(
    stored: Option<CachedToken>,
    rejected: Option<&AccessToken>,
    margin: Duration,
) -> Option<CachedToken> {
    stored.filter(|t| t.is_fresh(SystemTime::now(), margin) && Some(&t.token) != rejected)
}

async fn refresh(
    store: Arc<GuardedStore>,
    key: TokenKey,
    timing: TokenTiming,
    rejected: Option<AccessToken>,
    fetch: BoxFuture<'static, Result<CachedToken>>,
) -> Result<CachedToken> {
    let give_up_waiting = Instant::now() + timing.lease_wait;
    loop {
        let stored = store.get(&key).await?;
        if let Some(cached) = usable(stored, rejected.as_ref(), timing.margin) {
            return Ok(cached);
        }
        match store.try_lock(&key, timing.lease_ttl).await? {
            Lock::Held(lease) => {
                // Another process may have stored a token and released the lease between our
                // read and our lock: read again rather than fetch a second token.
                let result = match store.get(&key).await {
                    Ok(stored) => match usable(stored, rejected.as_ref(), timing.margin) {
                        Some(cached) => Ok(cached),
                        None => fetch_and_put(&store, &key, fetch).await,
                    },
                    Err(err) => Err(err),
                };
                store.unlock(&key, lease).await;
                return result;
            }
            Lock::NoStore => return fetch_and_put(&store, &key, fetch).await,
            Lock::Busy if Instant::now() >= give_up_waiting => {
                tracing::warn!(
                    app = %key,
                    waited_ms = timing.lease_wait.as_millis(),
                    "token refresh lease held elsewhere too long; fetching a token without it"
                );
                return fetch_and_put(&store, &key, fetch).await;
            }
            Lock::Busy => tokio::time::sleep(timing.poll).await,
        }
    }
}

async fn fetch_and_put(
    store: &GuardedStore,
    key: &TokenKey,
    fetch: BoxFuture<'static, Result<CachedToken>>,
) -> Result<CachedToken> {
    let cached = fetch.await?;
    // The caller gets the new token even if it cannot be stored: failing a call that holds a
    // good token would only make things worse.
    store.put(key, cached.clone()).await;
    tracing::debug!(app = %key, "access token refreshed");
    Ok(cached)
}

#[cfg(test)]
mod tests;
