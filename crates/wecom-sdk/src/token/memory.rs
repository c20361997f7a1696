//! The default [`TokenStore`]: a map in process memory.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use futures::future::BoxFuture;

use super::{AccessToken, CachedToken, Lease, TokenKey, TokenStore};
use crate::error::StoreError;

/// Tokens and refresh leases in process memory, keyed by [`TokenKey`].
///
/// Every client gets its own unless given one with
/// [`ClientBuilder::token_store`](crate::ClientBuilder::token_store); share one
/// `Arc<MemoryTokenStore>` between clients of the same app in one process to share the token.
#[derive(Default)]
pub struct MemoryTokenStore {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    tokens: HashMap<TokenKey, CachedToken>,
    leases: HashMap<TokenKey, (Lease, Instant)>,
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding this lock cannot leave the maps half-updated (every update
        // is a single insert or remove), so a poisoned lock is safe to use.
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl fmt::Debug for MemoryTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("MemoryTokenStore")
            .field("keys", &state.tokens.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl TokenStore for MemoryTokenStore {
    fn get<'a>(
        &'a self,
        key: &'a TokenKey,
    ) -> BoxFuture<'a, Result<Option<CachedToken>, StoreError>> {
        let found = self.lock().tokens.get(key).cloned();
        Box::pin(async move { Ok(found) })
    }

    fn put<'a>(
        &'a self,
        key: &'a TokenKey,
        token: CachedToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.lock().tokens.insert(key.clone(), token);
        Box::pin(async { Ok(()) })
    }

    fn invalidate<'a>(
        &'a self,
        key: &'a TokenKey,
        rejected: &'a AccessToken,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        let mut state = self.lock();
        let removed = if state.tokens.get(key).is_some_and(|t| &t.token == rejected) {
            state.tokens.remove(key);
            true
        } else {
            false
        };
        Box::pin(async move { Ok(removed) })
    }

    fn try_lock<'a>(
        &'a self,
        key: &'a TokenKey,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<Option<Lease>, StoreError>> {
        let now = Instant::now();
        let mut state = self.lock();
        let held = state.leases.get(key).is_some_and(|(_, until)| *until > now);
        let granted = if held {
            None
        } else {
            let lease = Lease::random();
            state.leases.insert(key.clone(), (lease.clone(), now + ttl));
            Some(lease)
        };
        Box::pin(async move { Ok(granted) })
    }

    fn unlock<'a>(
        &'a self,
        key: &'a TokenKey,
        lease: Lease,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        let mut state = self.lock();
        if state.leases.get(key).is_some_and(|(held, _)| *held == lease) {
            state.leases.remove(key);
        }
        Box::pin(async { Ok(()) })
    }
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;

    fn token(s: &str) -> CachedToken {
        CachedToken::new(AccessToken::new(s), SystemTime::now(), Duration::from_secs(7200))
    }

    #[tokio::test]
    async fn keys_do_not_collide_between_apps() {
        let store = MemoryTokenStore::new();
        let a = TokenKey::new("corp", 1);
        let b = TokenKey::new("corp", 2);
        store.put(&a, token("A")).await.unwrap();
        store.put(&b, token("B")).await.unwrap();
        assert_eq!(store.get(&a).await.unwrap().unwrap().token, AccessToken::new("A"));
        assert_eq!(store.get(&b).await.unwrap().unwrap().token, AccessToken::new("B"));
        assert!(store.get(&TokenKey::new("other", 1)).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn invalidate_compares_before_removing() {
        let store = MemoryTokenStore::new();
        let key = TokenKey::new("corp", 1);
        store.put(&key, token("new")).await.unwrap();
        assert!(!store.invalidate(&key, &AccessToken::new("old")).await.unwrap());
        assert_eq!(store.get(&key).await.unwrap().unwrap().token, AccessToken::new("new"));
        assert!(store.invalidate(&key, &AccessToken::new("new")).await.unwrap());
        assert!(store.get(&key).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn lease_is_exclusive_until_released_or_expired() {
        let store = MemoryTokenStore::new();
        let key = TokenKey::new("corp", 1);
        let lease = store.try_lock(&key, Duration::from_secs(60)).await.unwrap().unwrap();
        assert!(store.try_lock(&key, Duration::from_secs(60)).await.unwrap().is_none());
        // Releasing with a lease that is not held changes nothing.
        store.unlock(&key, Lease::new("someone-else")).await.unwrap();
        assert!(store.try_lock(&key, Duration::from_secs(60)).await.unwrap().is_none());
        store.unlock(&key, lease).await.unwrap();
        let expiring = store.try_lock(&key, Duration::ZERO).await.unwrap();
        assert!(expiring.is_some());
        // A zero-length lease has already expired.
        assert!(store.try_lock(&key, Duration::from_secs(60)).await.unwrap().is_some());
    }

    #[test]
    fn debug_lists_keys_not_tokens() {
        let store = MemoryTokenStore::new();
        store.lock().tokens.insert(TokenKey::new("corp", 7), token("tok-SECRET"));
        let shown = format!("{store:?}");
        assert!(shown.contains("corp"));
        assert!(!shown.contains("tok-SECRET"));
    }
}
