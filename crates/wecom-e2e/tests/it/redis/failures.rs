//! Redis absent, hung, or killed mid-run: the client keeps sending on a token of its own, no
//! operation waits longer than its timeout, and sharing resumes when Redis is back.

use std::time::Duration;

use wecom::{Recipients, Text, TokenKey, TokenStore};

use super::support::{
    RedisServer, client, closed_port_url, emulator, expire_tokens, gettokens, silent_server_url,
    store, until_reachable,
};

/// Far above any timeout involved: reaching it means something hung.
const HANG: Duration = Duration::from_secs(20);

async fn send_all(clients: &[&wecom::Client], count: usize) {
    let sends = clients.iter().flat_map(|c| {
        (0..count).map(move |i| {
            c.send(Recipients::users(["alice"]), Text::new(format!("#{i}"))).into_future()
        })
    });
    let results = tokio::time::timeout(HANG, futures::future::join_all(sends))
        .await
        .expect("sending hung on Redis");
    for result in results {
        result.unwrap();
    }
}

#[tokio::test]
async fn with_nothing_listening_the_client_sends_on_a_token_of_its_own() {
    let emu = emulator().await;
    let client = client(&emu, store(&closed_port_url(), "wecom:"));
    send_all(&[&client], 20).await;
    assert_eq!(gettokens(&emu).await, 1, "fetched once, then kept in memory");
}

#[tokio::test]
async fn a_redis_that_never_answers_costs_a_timeout_not_a_hang() {
    let emu = emulator().await;
    let url = silent_server_url().await;
    let hung = store(&url, "wecom:");
    let err = tokio::time::timeout(HANG, hung.ping()).await.expect("ping hung").unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert!(err.to_string().contains("no answer within 500 ms"), "{err}");
    let key = TokenKey::new("corp", 1);
    let err = tokio::time::timeout(HANG, hung.get(&key)).await.expect("get hung").unwrap_err();
    assert!(err.to_string().contains("HMGET wecom:token:corp:1"), "{err}");

    let client = client(&emu, store(&url, "wecom:"));
    send_all(&[&client], 20).await;
    assert_eq!(gettokens(&emu).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_killed_mid_run_then_restarted_sharing_resumes() {
    let Some(mut redis) = RedisServer::start() else { return };
    let emu = emulator().await;
    let (store_a, store_b) = (store(&redis.url(), "wecom:"), store(&redis.url(), "wecom:"));
    let (a, b) = (client(&emu, store_a.clone()), client(&emu, store_b.clone()));
    send_all(&[&a, &b], 10).await;
    assert_eq!(gettokens(&emu).await, 1);

    // Redis dies and WeCom expires the token: each process fetches its own and carries on.
    redis.stop();
    expire_tokens(&emu).await;
    send_all(&[&a], 10).await;
    send_all(&[&b], 10).await;
    assert_eq!(gettokens(&emu).await, 3, "one gettoken per process while Redis is down");
    send_all(&[&a, &b], 10).await;
    assert_eq!(gettokens(&emu).await, 3, "and no more: each keeps its token in memory");

    // Redis is back (empty): the next refresh is shared again.
    redis.restart();
    until_reachable(&store_a).await;
    until_reachable(&store_b).await;
    expire_tokens(&emu).await;
    send_all(&[&a, &b], 10).await;
    assert_eq!(gettokens(&emu).await, 4, "one refresh for both processes");
    let late = client(&emu, store(&redis.url(), "wecom:"));
    send_all(&[&late], 1).await;
    assert_eq!(gettokens(&emu).await, 4, "a new process finds the token in Redis");
}

#[tokio::test]
async fn a_lease_left_by_a_crashed_process_delays_a_refresh_but_never_blocks_it() {
    let Some(redis) = RedisServer::start() else { return };
    let emu = emulator().await;
    let crashed = store(&redis.url(), "wecom:");
    let key = TokenKey::new(emu.corp_id(), super::support::AGENT);
    let _never_released = crashed.try_lock(&key, Duration::from_secs(600)).await.unwrap().unwrap();
    let secret = emu.app(super::support::AGENT).unwrap().secret.expose().to_owned();
    let client = wecom::Client::builder(emu.corp_id(), super::support::AGENT, secret)
        .base_url(emu.base_url())
        .token_store(store(&redis.url(), "wecom:"))
        .token_refresh_lease(Duration::from_secs(10), Duration::from_millis(300))
        .build()
        .unwrap();
    send_all(&[&client], 5).await;
    assert_eq!(gettokens(&emu).await, 1);
    // The token it fetched without the lease is shared all the same.
    assert!(crashed.get(&key).await.unwrap().is_some());
}

#[tokio::test]
async fn a_required_store_that_is_down_fails_calls_clearly_and_sends_nothing() {
    let emu = emulator().await;
    let secret = emu.app(super::support::AGENT).unwrap().secret.expose().to_owned();
    let client = wecom::Client::builder(emu.corp_id(), super::support::AGENT, secret.clone())
        .base_url(emu.base_url())
        .token_store(store(&closed_port_url(), "wecom:"))
        .token_store_required(true)
        .build()
        .unwrap();
    let err = tokio::time::timeout(
        HANG,
        client.send(Recipients::users(["alice"]), Text::new("x")).into_future(),
    )
    .await
    .expect("hung")
    .unwrap_err();
    assert!(matches!(err, wecom::Error::TokenStore(_)), "{err:?}");
    let shown = err.to_string();
    assert!(shown.contains("could not connect") && shown.contains("127.0.0.1:"), "{shown}");
    assert!(!shown.contains(&secret));
    assert_eq!(gettokens(&emu).await, 0);
}
