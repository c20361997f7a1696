//! The client's view of its [`TokenStore`]: what a failing store means for a call, and
//! warnings about it that do not flood the log.
//!
//! By default a store failure never fails a call: a failed read counts as "nothing stored", a
//! lease that cannot be taken as "fetch without one", and a token that cannot be stored or
//! removed is only reported. The client then lives on a token of its own (kept in its memory)
//! until the store answers again. With
//! [`ClientBuilder::token_store_required`](crate::ClientBuilder::token_store_required), reads,
//! leases and removals fail the call with [`Error::TokenStore`] instead.
//!
//! A failing store is reported with one warning a minute per app at most (the rest at
//! `debug`), and its recovery with one `info` line.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::error::{Error, Result, StoreError};
use crate::token::{AccessToken, CachedToken, Lease, TokenKey, TokenStore};

/// At most one warning about a failing store per app in this interval.
const WARN_EVERY: Duration = Duration::from_secs(60);

/// What taking the refresh lease came to.
pub(super) enum Lock {
    /// We hold it: refresh, then release it.
    Held(Lease),
    /// Someone else holds it: wait for their token.
    Busy,
    /// The store failed (and is not required): refresh without a lease.
    NoStore,
}

pub(super) struct GuardedStore {
    inner: Arc<dyn TokenStore>,
    required: bool,
    health: Mutex<Health>,
}

#[derive(Default)]
struct Health {
    failing: bool,
    last_warning: Option<Instant>,
    /// Failures since the last warning that were not warned about.
    unreported: u64,
}

impl GuardedStore {
    pub(super) fn new(inner: Arc<dyn TokenStore>, required: bool) -> Self {
        Self { inner, required, health: Mutex::new(Health::default()) }
    }

    /// The stored token; `None` as well when a store that is not required fails.
    pub(super) async fn get(&self, key: &TokenKey) -> Result<Option<CachedToken>> {
        match self.inner.get(key).await {
            Ok(found) => {
                self.worked(key);
                Ok(found)
            }
            Err(err) if self.required => Err(Error::store(err)),
            Err(err) => {
                self.failed(key, "get", &err, "using a token of this process's own");
                Ok(None)
            }
        }
    }

    pub(super) async fn try_lock(&self, key: &TokenKey, ttl: Duration) -> Result<Lock> {
        match self.inner.try_lock(key, ttl).await {
            Ok(lease) => {
                self.worked(key);
                Ok(lease.map_or(Lock::Busy, Lock::Held))
            }
            Err(err) if self.required => Err(Error::store(err)),
            Err(err) => {
                self.failed(key, "try_lock", &err, "fetching a token without the refresh lease");
                Ok(Lock::NoStore)
            }
        }
    }

    /// Stores `token`; a failure is only reported (the caller already holds a good token).
    pub(super) async fn put(&self, key: &TokenKey, token: CachedToken) {
        match self.inner.put(key, token).await {
            Ok(()) => self.worked(key),
            Err(err) => self.failed(key, "put", &err, "the new token is kept in memory only"),
        }
    }

    /// Releases `lease`; a failure is only reported (the lease expires by itself).
    pub(super) async fn unlock(&self, key: &TokenKey, lease: Lease) {
        match self.inner.unlock(key, lease).await {
            Ok(()) => self.worked(key),
            Err(err) => self.failed(key, "unlock", &err, "the refresh lease will expire by itself"),
        }
    }

    /// Removes `rejected` if it is still stored; `false` as well when a store that is not
    /// required fails.
    pub(super) async fn invalidate(&self, key: &TokenKey, rejected: &AccessToken) -> Result<bool> {
        match self.inner.invalidate(key, rejected).await {
            Ok(removed) => {
                self.worked(key);
                Ok(removed)
            }
            Err(err) if self.required => Err(Error::store(err)),
            Err(err) => {
                self.failed(key, "invalidate", &err, "the rejected token is ignored locally");
                Ok(false)
            }
        }
    }

    fn worked(&self, key: &TokenKey) {
        let mut health = self.health();
        if health.failing {
            tracing::info!(app = %key, "access-token store works again");
            *health = Health::default();
        }
    }

    fn failed(&self, key: &TokenKey, operation: &str, err: &StoreError, consequence: &str) {
        let mut health = self.health();
        health.failing = true;
        let now = Instant::now();
        if health.last_warning.is_some_and(|at| now.duration_since(at) < WARN_EVERY) {
            health.unreported += 1;
            tracing::debug!(app = %key, operation, error = %err, consequence, "access-token store failed");
            return;
        }
        tracing::warn!(
            app = %key,
            operation,
            error = %err,
            consequence,
            failures_not_logged = health.unreported,
            "access-token store failed (logged at most once a minute per app)"
        );
        health.last_warning = Some(now);
        health.unreported = 0;
    }

    fn health(&self) -> std::sync::MutexGuard<'_, Health> {
        // Replaced or updated field by field with no invariant between fields worth a panic.
        self.health.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
