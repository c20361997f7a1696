//! `RedisLimitStore` in one process: a message to 1,000 members is one script call, two
//! clients share one app-wide rate, and Redis stopped mid-run leaves the clients sending on
//! their own counts (and saying so) until it is back, when the shared counts resume.

use std::sync::Arc;
use std::time::{Duration, Instant};

use wecom::throttle::{Limit, LimitScope, LimitStore, MemberDecision};
use wecom::{Client, OnLimit, Recipients, RedisLimitStore, Text, Throttle};

use super::support::{AGENT, RedisServer, emulator};

fn limits(url: &str) -> Arc<RedisLimitStore> {
    Arc::new(RedisLimitStore::builder(url).retry_delay(Duration::from_millis(100)).build().unwrap())
}

fn client(
    emu: &wecom_emulator::EmulatorHandle,
    throttle: Throttle,
    store: Arc<RedisLimitStore>,
) -> Client {
    let secret = emu.app(AGENT).unwrap().secret.expose().to_owned();
    Client::builder(emu.corp_id(), AGENT, secret)
        .base_url(emu.base_url())
        .throttle(throttle)
        .limit_store(store)
        .build()
        .unwrap()
}

/// Sends `n` messages to `member` one after another; how many were held back.
async fn held(client: &Client, member: &str, n: usize) -> usize {
    let mut held = 0;
    for i in 0..n {
        let receipt =
            client.send(Recipients::user(member), Text::new(format!("#{i}"))).await.unwrap();
        held += usize::from(!receipt.held_back.is_empty());
    }
    held
}

fn evalsha_calls(redis: &RedisServer) -> u64 {
    let info: String = redis::cmd("INFO").arg("commandstats").query(&mut redis.inspect()).unwrap();
    info.lines()
        .find_map(|l| l.strip_prefix("cmdstat_evalsha:calls="))
        .and_then(|rest| rest.split(',').next())
        .map_or(0, |n| n.parse().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_members_are_one_script_call() {
    let Some(redis) = RedisServer::start() else { return };
    let store = limits(&redis.url());
    let scope = LimitScope::new("ww-batch", 1);
    let limits = [Limit::per_minute(2)];
    let ids: Vec<String> = (0..1001).map(|i| format!("user{i}")).collect();
    let members: Vec<&str> = ids.iter().map(String::as_str).collect();
    // Loads both scripts (NOSCRIPT, SCRIPT LOAD, EVALSHA) on a member of their own.
    store.admit_members(&scope, &["warm"], &limits, OnLimit::Report).await.unwrap();
    store.admit_members(&scope, &["warm"], &limits, OnLimit::Delay).await.unwrap();
    let _: () = redis::cmd("CONFIG").arg("RESETSTAT").query(&mut redis.inspect()).unwrap();

    let decision = store.admit_members(&scope, &members[..1000], &limits, OnLimit::Report).await;
    assert_eq!(decision.unwrap(), MemberDecision::Admitted { held: vec![] });
    assert_eq!(evalsha_calls(&redis), 1, "1,000 members, one round trip");
    let decision = store.admit_members(&scope, &members, &limits, OnLimit::Delay).await.unwrap();
    assert_eq!(decision, MemberDecision::Admitted { held: vec![] });
    assert_eq!(evalsha_calls(&redis), 3, "1,001 members: two calls");
    // Each of the first 1,000 has had two now; the 1,001st one.
    let decision = store.admit_members(&scope, &members[998..], &limits, OnLimit::Report).await;
    assert_eq!(decision.unwrap(), MemberDecision::Admitted { held: vec![0, 1] });
    let decision = store.admit_members(&scope, &members[..1], &limits, OnLimit::Delay).await;
    let MemberDecision::Wait(wait) = decision.unwrap() else { panic!("user0 is full") };
    assert!(wait > Duration::from_secs(55) && wait <= Duration::from_secs(62), "{wait:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_clients_share_one_app_rate() {
    let Some(redis) = RedisServer::start() else { return };
    let emu = emulator().await;
    let throttle = Throttle::new().without_member_limits().requests_per_second(5);
    let a = client(&emu, throttle.clone(), limits(&redis.url()));
    let b = client(&emu, throttle, limits(&redis.url()));
    // Tokens first, so only sends are timed.
    a.access_token().await.unwrap();
    b.access_token().await.unwrap();
    let start = Instant::now();
    let sends = (0..10).flat_map(|i| {
        [&a, &b]
            .map(|c| c.send(Recipients::user("alice"), Text::new(format!("#{i}"))).into_future())
    });
    for result in futures::future::join_all(sends).await {
        result.unwrap();
    }
    // A burst of 5, then 5 a second: the 20th request goes at 3 s. Each client alone would
    // finish its 10 in 1 s.
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(2900), "20 requests at 5/s together took {took:?}");
    assert_eq!(a.throttle_fallbacks() + b.throttle_fallbacks(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_stopped_mid_run_falls_back_to_local_counts_then_shares_again() {
    let Some(mut redis) = RedisServer::start() else { return };
    let emu = emulator().await;
    let throttle = Throttle::new()
        .member_limits([Limit::per_minute(5)])
        .requests_per_second(1000)
        .on_member_limit(OnLimit::Report);
    let (store_a, store_b) = (limits(&redis.url()), limits(&redis.url()));
    let a = client(&emu, throttle.clone(), store_a.clone());
    let b = client(&emu, throttle, store_b.clone());

    // Shared: 3 + 3 to bob, and b's third is held back (5 in all).
    assert_eq!(held(&a, "bob", 3).await, 0);
    assert_eq!(held(&b, "bob", 3).await, 1);
    assert_eq!(a.throttle_fallbacks() + b.throttle_fallbacks(), 0);

    // Redis dies: each client counts its own sends, and keeps sending. a remembers the three
    // it sent to bob while Redis counted them: two more fit.
    redis.stop();
    assert_eq!(held(&a, "bob", 3).await, 1, "a's own earlier sends still count");
    assert_eq!(held(&a, "carol", 6).await, 1, "a alone: 5 fit");
    assert_eq!(held(&b, "carol", 6).await, 1, "b alone: 5 fit");
    assert!(a.throttle_fallbacks() >= 9 && b.throttle_fallbacks() >= 6);

    // Redis is back (empty): the counts are shared again.
    redis.restart();
    for store in [&store_a, &store_b] {
        let deadline = Instant::now() + Duration::from_secs(10);
        while store.ping().await.is_err() {
            assert!(Instant::now() < deadline, "Redis still unreachable");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    let fallbacks = (a.throttle_fallbacks(), b.throttle_fallbacks());
    assert_eq!(held(&a, "alice", 3).await, 0);
    assert_eq!(held(&b, "alice", 3).await, 1, "shared again: b's third is the sixth");
    assert_eq!((a.throttle_fallbacks(), b.throttle_fallbacks()), fallbacks);

    // WeCom (the emulator, 30 a minute) dropped nothing throughout.
    let sent: serde_json::Value = reqwest::get(format!("{}/emulator/messages", emu.base_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let messages = sent["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 5 + 2 + 10 + 5);
    assert!(messages.iter().all(|m| m["recipients"][0]["status"] == "delivered"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_send_is_one_script_call_per_batch_and_reports_who_is_held_back() {
    use wecom::bulk::BulkOptions;
    let Some(redis) = RedisServer::start() else { return };
    let mut config = wecom_emulator::Config::demo();
    for i in 0..2_400 {
        let user = serde_json::json!({ "userid": format!("m{i:04}"), "departments": [2] });
        config.users.push(serde_json::from_value(user).unwrap());
    }
    let emu = wecom_emulator::Emulator::start(config).await.unwrap();
    let throttle = Throttle::new().member_limits([Limit::per_minute(1)]);
    let client = client(&emu, throttle, limits(&redis.url()));
    let users: Vec<String> = (0..2_400).map(|i| format!("m{i:04}")).collect();
    // Load both scripts first, on a member of their own.
    client.send(Recipients::user("alice"), Text::new("warm")).await.unwrap();
    client
        .send(Recipients::user("bob"), Text::new("warm"))
        .on_member_limit(OnLimit::Report)
        .await
        .unwrap();
    let _: () = redis::cmd("CONFIG").arg("RESETSTAT").query(&mut redis.inspect()).unwrap();

    let report =
        client.send_bulk(users.clone(), Text::new("notice"), BulkOptions::new()).await.unwrap();
    let totals = report.totals();
    assert_eq!((totals.batches_total, totals.delivered), (3, 2_400));
    assert_eq!(evalsha_calls(&redis), 3, "one script call per batch of up to 1,000");

    // A second notice within the minute: every member is held back and reported, none sent.
    let report = client
        .send_bulk(users, Text::new("again"), BulkOptions::new().on_member_limit(OnLimit::Report))
        .await
        .unwrap();
    assert_eq!((report.totals().held_back, report.totals().delivered), (2_400, 0));
    assert_eq!(evalsha_calls(&redis), 6);
    assert_eq!(client.throttle_fallbacks(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_webhook_window_reserves_slots_in_order_or_reports() {
    use wecom::throttle::WebhookScope;
    let Some(redis) = RedisServer::start() else { return };
    let (a, b) = (limits(&redis.url()), limits(&redis.url()));
    let hook = WebhookScope::from_key("693a91f6-7b2c-4bc4-97a0-0ec2a1fa5aaa");
    let limit = Limit::per_minute(2);
    assert_eq!(a.reserve_webhook(&hook, limit, OnLimit::Delay).await.unwrap(), Ok(Duration::ZERO));
    assert_eq!(b.reserve_webhook(&hook, limit, OnLimit::Report).await.unwrap(), Ok(Duration::ZERO));
    // Full for this minute (plus a twentieth): reported without reserving …
    let Err(wait) = a.reserve_webhook(&hook, limit, OnLimit::Report).await.unwrap() else {
        panic!("the window is full")
    };
    assert!(wait > Duration::from_secs(60) && wait <= Duration::from_secs(63), "{wait:?}");
    // … or reserved for later, in order: the third and fourth slots free when the first two do.
    let third = b.reserve_webhook(&hook, limit, OnLimit::Delay).await.unwrap().unwrap();
    let fourth = a.reserve_webhook(&hook, limit, OnLimit::Delay).await.unwrap().unwrap();
    assert!(third > Duration::from_secs(60) && fourth >= third, "{third:?} {fourth:?}");
    let fifth = a.reserve_webhook(&hook, limit, OnLimit::Delay).await.unwrap().unwrap();
    assert!(fifth >= Duration::from_secs(125), "the fifth waits for the third: {fifth:?}");
}
