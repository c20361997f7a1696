//! The store's own guarantees against a real Redis: what is written where, expiry, the
//! compare-and-delete of a rejected token, and the refresh lease.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use redis::Commands;
use wecom::{AccessToken, CachedToken, Recipients, Text, TokenKey, TokenStore, token::Lease};

use super::support::{RedisServer, client, emulator, gettokens, store};

fn cached(token: &str, lives: Duration) -> CachedToken {
    CachedToken::new(AccessToken::new(token), SystemTime::now(), lives)
}

/// `at` as Redis keeps it: whole milliseconds.
fn ms(at: SystemTime) -> u64 {
    u64::try_from(at.duration_since(UNIX_EPOCH).unwrap().as_millis()).unwrap()
}

#[tokio::test]
async fn a_token_is_written_as_a_hash_under_corp_and_agent_and_expires_with_it() {
    let Some(redis) = RedisServer::start() else { return };
    let store = store(&redis.url(), "wecom:");
    let key = TokenKey::new("ww0123", 1_000_002);
    let token = cached("TOKEN-VALUE-1", Duration::from_secs(7200));
    store.put(&key, token.clone()).await.unwrap();

    let read = store.get(&key).await.unwrap().unwrap();
    assert_eq!(read.token, token.token);
    assert_eq!(ms(read.obtained_at), ms(token.obtained_at));
    assert_eq!(ms(read.expires_at), ms(token.expires_at));

    let mut redis_conn = redis.inspect();
    let keys: Vec<String> = redis_conn.keys("*").unwrap();
    assert_eq!(keys, ["wecom:token:ww0123:1000002"]);
    let fields: std::collections::HashMap<String, String> =
        redis_conn.hgetall("wecom:token:ww0123:1000002").unwrap();
    assert_eq!(fields["token"], "TOKEN-VALUE-1");
    assert_eq!(fields["expires_ms"], ms(token.expires_at).to_string());
    let ttl_ms: i64 = redis_conn.pttl("wecom:token:ww0123:1000002").unwrap();
    assert!(ttl_ms > 7_100_000 && ttl_ms <= 7_200_000, "PTTL {ttl_ms}");

    // A short-lived token disappears from Redis when it expires.
    store.put(&key, cached("SHORT", Duration::from_millis(300))).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while store.get(&key).await.unwrap().is_some() {
        assert!(Instant::now() < deadline, "the token outlived its expiry in Redis");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // An already expired token is not written at all.
    let expired = CachedToken::new(
        AccessToken::new("OLD"),
        SystemTime::now() - Duration::from_secs(10),
        Duration::from_secs(5),
    );
    store.put(&key, expired).await.unwrap();
    assert!(store.get(&key).await.unwrap().is_none());
}

#[tokio::test]
async fn apps_and_prefixes_never_share_a_token() {
    let Some(redis) = RedisServer::start() else { return };
    let (prod, staging) = (store(&redis.url(), "prod:"), store(&redis.url(), "staging:"));
    let (a, b) = (TokenKey::new("corp", 1), TokenKey::new("corp", 2));
    prod.put(&a, cached("A", Duration::from_secs(60))).await.unwrap();
    prod.put(&b, cached("B", Duration::from_secs(60))).await.unwrap();
    assert_eq!(prod.get(&a).await.unwrap().unwrap().token, AccessToken::new("A"));
    assert_eq!(prod.get(&b).await.unwrap().unwrap().token, AccessToken::new("B"));
    assert!(staging.get(&a).await.unwrap().is_none());
    assert!(prod.get(&TokenKey::new("corp2", 1)).await.unwrap().is_none());
}

#[tokio::test]
async fn invalidate_removes_only_the_token_that_was_rejected() {
    let Some(redis) = RedisServer::start() else { return };
    // Two stores on one Redis: two processes.
    let (p1, p2) = (store(&redis.url(), "wecom:"), store(&redis.url(), "wecom:"));
    let key = TokenKey::new("corp", 1);
    p1.put(&key, cached("OLD", Duration::from_secs(60))).await.unwrap();
    // p2 already replaced it; p1's report about OLD must not remove NEW.
    p2.put(&key, cached("NEW", Duration::from_secs(60))).await.unwrap();
    assert!(!p1.invalidate(&key, &AccessToken::new("OLD")).await.unwrap());
    assert_eq!(p1.get(&key).await.unwrap().unwrap().token, AccessToken::new("NEW"));
    assert!(p2.invalidate(&key, &AccessToken::new("NEW")).await.unwrap());
    assert!(p1.get(&key).await.unwrap().is_none());
    assert!(!p1.invalidate(&key, &AccessToken::new("NEW")).await.unwrap());
}

#[tokio::test]
async fn the_lease_is_exclusive_expires_and_is_released_only_by_its_holder() {
    let Some(redis) = RedisServer::start() else { return };
    let (p1, p2) = (store(&redis.url(), "wecom:"), store(&redis.url(), "wecom:"));
    let key = TokenKey::new("corp", 1);
    let long = Duration::from_secs(60);
    let held = p1.try_lock(&key, long).await.unwrap().expect("the first lease is granted");
    assert!(p2.try_lock(&key, long).await.unwrap().is_none());
    assert!(p1.try_lock(&key, long).await.unwrap().is_none(), "not re-entrant either");
    // Someone else's id releases nothing.
    p2.unlock(&key, Lease::new("not-the-holder")).await.unwrap();
    assert!(p2.try_lock(&key, long).await.unwrap().is_none());
    let lease_value: String = redis.inspect().get(p1.lock_key(&key)).unwrap();
    assert_eq!(lease_value, held.id());

    p1.unlock(&key, held).await.unwrap();
    let short = p2.try_lock(&key, Duration::from_millis(200)).await.unwrap().unwrap();
    // A crashed holder's lease expires by itself.
    let deadline = Instant::now() + Duration::from_secs(10);
    let after_expiry = loop {
        if let Some(lease) = p1.try_lock(&key, long).await.unwrap() {
            break lease;
        }
        assert!(Instant::now() < deadline, "the lease never expired");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    // The late holder's unlock must not release the lease someone took after expiry.
    p2.unlock(&key, short).await.unwrap();
    assert!(p2.try_lock(&key, long).await.unwrap().is_none());
    p1.unlock(&key, after_expiry).await.unwrap();
    assert!(p2.try_lock(&key, long).await.unwrap().is_some());
}

#[tokio::test]
async fn a_malformed_entry_is_treated_as_absent_and_then_overwritten() {
    let Some(redis) = RedisServer::start() else { return };
    let store = store(&redis.url(), "wecom:");
    let key = TokenKey::new("corp", 1);
    let () = redis.inspect().hset(store.token_key(&key), "token", "X").unwrap();
    assert!(store.get(&key).await.unwrap().is_none());
    store.put(&key, cached("GOOD", Duration::from_secs(60))).await.unwrap();
    assert_eq!(store.get(&key).await.unwrap().unwrap().token, AccessToken::new("GOOD"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_on_separate_stores_share_one_token_and_redis_never_sees_the_secret() {
    let Some(redis) = RedisServer::start() else { return };
    let emu = emulator().await;
    // Four clients with four stores: four processes as far as the client can tell.
    let clients: Vec<_> = (0..4).map(|_| client(&emu, store(&redis.url(), "wecom:"))).collect();
    let sends = clients.iter().flat_map(|c| {
        (0..25).map(move |i| {
            c.send(Recipients::users(["alice"]), Text::new(format!("#{i}"))).into_future()
        })
    });
    for sent in futures::future::join_all(sends).await {
        sent.unwrap();
    }
    assert_eq!(gettokens(&emu).await, 1);

    let mut conn = redis.inspect();
    let secret = emu.app(super::support::AGENT).unwrap().secret.expose().to_owned();
    let keys: Vec<String> = conn.keys("*").unwrap();
    let expected = format!("wecom:token:{}:{}", emu.corp_id(), super::support::AGENT);
    assert_eq!(keys, std::slice::from_ref(&expected), "the lease is released after the refresh");
    let fields: Vec<String> = conn.hvals(&expected).unwrap();
    assert!(fields.iter().chain(&keys).all(|v| !v.contains(&secret)));
}
