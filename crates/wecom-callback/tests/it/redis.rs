//! `RedisDedup` against a real `redis-server` (started per test on a free port): keys and
//! expiry, two server instances sharing one Redis, and Redis down, hung or restarted.
//!
//! Without `redis-server` on PATH the tests that need it print a "skipped" line and pass,
//! unless `WECOM_REQUIRE_REDIS=1` (as in CI), which makes them fail instead.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use redis::Commands;
use reqwest::StatusCode;
use wecom_callback::{Callback, CallbackServer, DedupStore, RedisDedup};

use crate::support::wecom as support;
use support::*;

use wecom_redis::test_server::{RedisServer, closed_port_url, silent_server_url};

/// Far above any timeout involved: reaching it means something hung.
const HANG: Duration = Duration::from_secs(20);

fn dedup(url: &str) -> RedisDedup {
    RedisDedup::builder(url).retry_delay(Duration::from_millis(100)).build().unwrap()
}

/// A server de-duplicating through `store` that counts the callbacks its handler sees.
async fn counting_server(store: RedisDedup, handled: &Arc<AtomicUsize>) -> String {
    let handled = Arc::clone(handled);
    let server = CallbackServer::new(crypt(), move |_: Callback| {
        handled.fetch_add(1, Ordering::SeqCst);
        async { Ok::<_, std::convert::Infallible>(None) }
    })
    .dedup_store(store);
    start(server).await
}

/// Delivers the text callback `msg_id` to `base` as WeCom would; fails the test on a hang.
async fn deliver(base: &str, msg_id: u64) {
    let (status, _) = tokio::time::timeout(HANG, post_text(base, "hello", msg_id))
        .await
        .expect("the callback answer hung");
    assert_eq!(status, StatusCode::OK);
}

async fn until_reachable(store: &RedisDedup) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while let Err(err) = store.ping().await {
        assert!(Instant::now() < deadline, "Redis still unreachable: {err}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_key_is_new_once_across_instances_until_its_ttl_ends() {
    let Some(redis) = RedisServer::start() else { return };
    let (a, b) = (dedup(&redis.url()), dedup(&redis.url()));
    let ttl = Duration::from_secs(60);
    assert!(a.first_seen("m;1;", ttl).await.unwrap());
    assert!(!b.first_seen("m;1;", ttl).await.unwrap(), "the other instance knows it");
    assert!(!a.first_seen("m;1;", ttl).await.unwrap());
    assert!(b.first_seen("m;2;", ttl).await.unwrap());

    let mut conn = redis.inspect();
    let mut keys: Vec<String> = conn.keys("*").unwrap();
    keys.sort();
    assert_eq!(keys, ["wecom:dedup:m;1;", "wecom:dedup:m;2;"]);
    let ttl_ms: i64 = conn.pttl("wecom:dedup:m;1;").unwrap();
    assert!(ttl_ms > 59_000 && ttl_ms <= 60_000, "PTTL {ttl_ms}");

    // After its TTL a key is new again, for either instance.
    assert!(a.first_seen("short", Duration::from_millis(200)).await.unwrap());
    let deadline = Instant::now() + Duration::from_secs(10);
    while !b.first_seen("short", Duration::from_millis(200)).await.unwrap() {
        assert!(Instant::now() < deadline, "the key outlived its TTL");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn prefixes_keep_services_apart() {
    let Some(redis) = RedisServer::start() else { return };
    let one = RedisDedup::builder(redis.url()).prefix("one:").build().unwrap();
    let two = RedisDedup::builder(redis.url()).prefix("two:").build().unwrap();
    let ttl = Duration::from_secs(60);
    assert!(one.first_seen("k", ttl).await.unwrap());
    assert!(two.first_seen("k", ttl).await.unwrap());
    assert!(!one.first_seen("k", ttl).await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_handle_a_retried_callback_once() {
    let Some(redis) = RedisServer::start() else { return };
    let handled = Arc::new(AtomicUsize::new(0));
    let first = counting_server(dedup(&redis.url()), &handled).await;
    let second = counting_server(dedup(&redis.url()), &handled).await;
    // WeCom's three deliveries of one message, spread over both instances.
    deliver(&first, 42).await;
    deliver(&second, 42).await;
    deliver(&first, 42).await;
    assert_eq!(handled.load(Ordering::SeqCst), 1);
    // Another message is handled, once.
    deliver(&second, 43).await;
    deliver(&first, 43).await;
    assert_eq!(handled.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_redis_down_each_instance_de_duplicates_in_memory_then_shares_again() {
    let Some(mut redis) = RedisServer::start() else { return };
    let (store_a, store_b) = (Arc::new(dedup(&redis.url())), Arc::new(dedup(&redis.url())));
    let handled = Arc::new(AtomicUsize::new(0));
    let a = {
        let handled = Arc::clone(&handled);
        let server = CallbackServer::new(crypt(), move |_: Callback| {
            handled.fetch_add(1, Ordering::SeqCst);
            async { Ok::<_, std::convert::Infallible>(None) }
        })
        .dedup_store(Arc::clone(&store_a));
        start(server).await
    };
    let b = {
        let handled = Arc::clone(&handled);
        let server = CallbackServer::new(crypt(), move |_: Callback| {
            handled.fetch_add(1, Ordering::SeqCst);
            async { Ok::<_, std::convert::Infallible>(None) }
        })
        .dedup_store(Arc::clone(&store_b));
        start(server).await
    };
    // Seen by `a` while Redis works.
    deliver(&a, 1).await;
    assert_eq!(handled.load(Ordering::SeqCst), 1);

    redis.stop();
    // A retry of it reaching `a` during the outage is still recognised (kept in memory).
    deliver(&a, 1).await;
    assert_eq!(handled.load(Ordering::SeqCst), 1);
    // New callbacks are handled, and their retries to the same instance are not.
    deliver(&a, 2).await;
    deliver(&a, 2).await;
    assert_eq!(handled.load(Ordering::SeqCst), 2);
    // Memory is per instance: a retry to the other one is handled again while Redis is down.
    deliver(&b, 2).await;
    assert_eq!(handled.load(Ordering::SeqCst), 3);

    redis.restart();
    until_reachable(&store_a).await;
    until_reachable(&store_b).await;
    deliver(&a, 3).await;
    deliver(&b, 3).await;
    deliver(&b, 3).await;
    assert_eq!(handled.load(Ordering::SeqCst), 4, "shared again once Redis is back");
}

#[tokio::test]
async fn with_nothing_listening_callbacks_are_handled_once_per_instance() {
    let handled = Arc::new(AtomicUsize::new(0));
    let base = counting_server(dedup(&closed_port_url()), &handled).await;
    for _ in 0..3 {
        deliver(&base, 7).await;
    }
    assert_eq!(handled.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_redis_that_never_answers_falls_back_to_memory_not_to_handling_twice() {
    let url = silent_server_url().await;
    let store = dedup(&url);
    let err = tokio::time::timeout(HANG, store.ping()).await.expect("ping hung").unwrap_err();
    assert!(err.to_string().contains("no answer within 500 ms"), "{err}");

    let handled = Arc::new(AtomicUsize::new(0));
    let base = counting_server(dedup(&url), &handled).await;
    // The server gives a store 1 s; this one times out after 500 ms and answers from memory,
    // so the retries are recognised rather than handled "anyway".
    for _ in 0..3 {
        deliver(&base, 9).await;
    }
    assert_eq!(handled.load(Ordering::SeqCst), 1);
}
