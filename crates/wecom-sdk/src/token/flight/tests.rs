//! The token path with in-memory stores: single flight, rejection, leases, the token kept in
//! memory, and what a failing store does.

use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::Notify;

use super::*;
use crate::error::StoreError;
use crate::token::{Lease, MemoryTokenStore};

fn cache_on(store: Arc<dyn TokenStore>) -> TokenCache {
    TokenCache::new(TokenKey::new("c", 1), store, timing(), false)
}

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
    let cache = cache_on(Arc::new(MemoryTokenStore::new()));
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
    let cache = cache_on(Arc::new(MemoryTokenStore::new()));
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
    let cache = cache_on(store.clone());
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
    let cache = TokenCache::new(key, store, timing(), false);
    let count = Arc::new(AtomicUsize::new(0));
    let token = cache.token(None, &counting_fetch(&count)).await.unwrap();
    assert_eq!(token, AccessToken::new("T1"));
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_failed_fetch_is_shared_and_not_cached() {
    let cache = cache_on(Arc::new(MemoryTokenStore::new()));
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
    let cache = cache_on(Arc::new(MemoryTokenStore::new()));
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

/// A [`MemoryTokenStore`] that counts calls, can be switched to failing, and can play another
/// process that stores a token just before our lease is granted.
#[derive(Default)]
struct Spy {
    inner: MemoryTokenStore,
    failing: std::sync::atomic::AtomicBool,
    gets: AtomicUsize,
    invalidates: AtomicUsize,
    stored_by_someone_else: Mutex<Option<CachedToken>>,
}

impl Spy {
    fn fail(&self, on: bool) {
        self.failing.store(on, Ordering::SeqCst);
    }

    fn check(&self) -> std::result::Result<(), StoreError> {
        if self.failing.load(Ordering::SeqCst) {
            return Err("connection refused".into());
        }
        Ok(())
    }
}

impl TokenStore for Spy {
    fn get<'a>(
        &'a self,
        key: &'a TokenKey,
    ) -> BoxFuture<'a, std::result::Result<Option<CachedToken>, StoreError>> {
        self.gets.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move {
            self.check()?;
            self.inner.get(key).await
        })
    }

    fn put<'a>(
        &'a self,
        key: &'a TokenKey,
        token: CachedToken,
    ) -> BoxFuture<'a, std::result::Result<(), StoreError>> {
        Box::pin(async move {
            self.check()?;
            self.inner.put(key, token).await
        })
    }

    fn invalidate<'a>(
        &'a self,
        key: &'a TokenKey,
        rejected: &'a AccessToken,
    ) -> BoxFuture<'a, std::result::Result<bool, StoreError>> {
        self.invalidates.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move {
            self.check()?;
            self.inner.invalidate(key, rejected).await
        })
    }

    fn try_lock<'a>(
        &'a self,
        key: &'a TokenKey,
        ttl: Duration,
    ) -> BoxFuture<'a, std::result::Result<Option<Lease>, StoreError>> {
        Box::pin(async move {
            self.check()?;
            let theirs = lock(&self.stored_by_someone_else).take();
            if let Some(theirs) = theirs {
                self.inner.put(key, theirs).await?;
            }
            self.inner.try_lock(key, ttl).await
        })
    }

    fn unlock<'a>(
        &'a self,
        key: &'a TokenKey,
        lease: Lease,
    ) -> BoxFuture<'a, std::result::Result<(), StoreError>> {
        Box::pin(async move {
            self.check()?;
            self.inner.unlock(key, lease).await
        })
    }
}

#[tokio::test]
async fn a_fresh_token_is_served_from_memory_without_asking_the_store() {
    let spy = Arc::new(Spy::default());
    let cache = cache_on(spy.clone());
    let count = Arc::new(AtomicUsize::new(0));
    let fetch = counting_fetch(&count);
    let first = cache.token(None, &fetch).await.unwrap();
    let asked = spy.gets.load(Ordering::SeqCst);
    for _ in 0..100 {
        assert_eq!(cache.token(None, &fetch).await.unwrap(), first);
    }
    assert_eq!(spy.gets.load(Ordering::SeqCst), asked);
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_token_near_expiry_in_memory_is_looked_up_again() {
    let spy = Arc::new(Spy::default());
    let cache = cache_on(spy.clone());
    // Another process stored a token that is about to expire; then a fresh one.
    let key = cache.key().clone();
    let old = CachedToken::new(
        AccessToken::new("OLD"),
        SystemTime::now() - Duration::from_secs(7000),
        Duration::from_secs(7200),
    );
    spy.inner.put(&key, old).await.unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let fetch = counting_fetch(&count);
    assert_eq!(cache.token(None, &fetch).await.unwrap(), AccessToken::new("T1"));
    let newer =
        CachedToken::new(AccessToken::new("NEW"), SystemTime::now(), Duration::from_secs(7200));
    spy.inner.put(&key, newer).await.unwrap();
    // T1 is fresh in memory: still used, the store is not asked.
    let asked = spy.gets.load(Ordering::SeqCst);
    assert_eq!(cache.token(None, &fetch).await.unwrap(), AccessToken::new("T1"));
    assert_eq!(spy.gets.load(Ordering::SeqCst), asked);
}

#[tokio::test]
async fn many_calls_rejecting_one_token_remove_it_from_the_store_once() {
    let spy = Arc::new(Spy::default());
    let cache = cache_on(spy.clone());
    let count = Arc::new(AtomicUsize::new(0));
    let fetch = counting_fetch(&count);
    let first = cache.token(None, &fetch).await.unwrap();
    let removals = futures::future::join_all((0..50).map(|_| cache.invalidate(&first))).await;
    assert_eq!(removals.into_iter().filter(|r| *r.as_ref().unwrap()).count(), 1);
    assert_eq!(spy.invalidates.load(Ordering::SeqCst), 1);
    let replies = futures::future::join_all((0..50).map(|_| cache.token(Some(&first), &fetch)));
    for token in replies.await {
        assert_eq!(token.unwrap(), AccessToken::new("T2"));
    }
    assert_eq!(count.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_token_stored_elsewhere_while_taking_the_lease_is_used_not_fetched_again() {
    let spy = Arc::new(Spy::default());
    let theirs =
        CachedToken::new(AccessToken::new("THEIRS"), SystemTime::now(), Duration::from_secs(7200));
    *lock(&spy.stored_by_someone_else) = Some(theirs);
    let cache = cache_on(spy.clone());
    let count = Arc::new(AtomicUsize::new(0));
    assert_eq!(
        cache.token(None, &counting_fetch(&count)).await.unwrap(),
        AccessToken::new("THEIRS")
    );
    assert_eq!(count.load(Ordering::SeqCst), 0);
    // The lease was released.
    let key = cache.key().clone();
    assert!(spy.inner.try_lock(&key, Duration::from_secs(1)).await.unwrap().is_some());
}

#[tokio::test]
async fn a_failing_store_is_worked_around_and_used_again_when_it_recovers() {
    let spy = Arc::new(Spy::default());
    spy.fail(true);
    let cache = cache_on(spy.clone());
    let count = Arc::new(AtomicUsize::new(0));
    let fetch = counting_fetch(&count);
    for _ in 0..10 {
        assert_eq!(cache.token(None, &fetch).await.unwrap(), AccessToken::new("T1"));
    }
    assert_eq!(count.load(Ordering::SeqCst), 1, "one token of its own, kept in memory");
    // Rejected while the store is down: a new one is fetched, nothing fails.
    assert!(!cache.invalidate(&AccessToken::new("T1")).await.unwrap());
    let t2 = cache.token(Some(&AccessToken::new("T1")), &fetch).await.unwrap();
    assert_eq!(t2, AccessToken::new("T2"));
    // Back up: the next refresh goes through the store and is shared from there.
    spy.fail(false);
    assert!(!cache.invalidate(&t2).await.unwrap());
    assert_eq!(cache.token(Some(&t2), &fetch).await.unwrap(), AccessToken::new("T3"));
    let key = cache.key().clone();
    assert_eq!(spy.inner.get(&key).await.unwrap().unwrap().token, AccessToken::new("T3"));
}

#[tokio::test]
async fn a_required_store_fails_the_call_instead() {
    let spy = Arc::new(Spy::default());
    spy.fail(true);
    let cache = TokenCache::new(TokenKey::new("c", 1), spy, timing(), true);
    let count = Arc::new(AtomicUsize::new(0));
    let err = cache.token(None, &counting_fetch(&count)).await.unwrap_err();
    assert!(matches!(&err, Error::TokenStore(_)), "{err:?}");
    assert!(err.to_string().contains("connection refused"), "{err}");
    assert_eq!(count.load(Ordering::SeqCst), 0);
}

#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        lock(&self.0).extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_failing_store_is_warned_about_once_not_per_call_and_its_recovery_noted() {
    let logs = Logs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    // The current-thread runtime runs everything on this thread, so this subscriber sees it.
    let _guard = tracing::subscriber::set_default(subscriber);

    let spy = Arc::new(Spy::default());
    spy.fail(true);
    let cache = cache_on(spy.clone());
    let count = Arc::new(AtomicUsize::new(0));
    let fetch = counting_fetch(&count);
    for round in 0..20 {
        let token = cache.token(None, &fetch).await.unwrap();
        if round % 2 == 0 {
            cache.invalidate(&token).await.unwrap();
        }
    }
    spy.fail(false);
    let token = cache.token(None, &fetch).await.unwrap();
    cache.invalidate(&token).await.unwrap();
    let text = String::from_utf8(lock(&logs.0).clone()).unwrap();
    assert_eq!(text.matches("access-token store failed").count(), 1, "{text}");
    assert!(text.contains("connection refused"), "{text}");
    assert_eq!(text.matches("access-token store works again").count(), 1, "{text}");
}
