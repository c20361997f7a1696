//! The client's reliability paths against the emulator's admin controls: tokens expired early
//! or by the clock, system busy, rate limits, stalls past the client's timeout, a cold start
//! under load, and two apps side by side.

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use wecom::message::MessageRequest;
use wecom::{Error, MemoryTokenStore, Recipients, Text};

use super::support::{BOT, Env, NOTICES, eventually, fast_retries};

fn alice() -> Recipients {
    Recipients::user("alice").into()
}

#[tokio::test]
async fn a_token_expired_early_is_fetched_again_once_and_the_call_succeeds() {
    let env = Env::demo().await;
    let client = env.client(BOT);
    client.send(alice(), Text::new("one")).await.unwrap();
    let first = client.access_token().await.unwrap().expose().to_owned();

    for (round, errcode) in [(2, 42001), (3, 40014)] {
        let v = env
            .post("/emulator/tokens/expire", json!({ "agentid": BOT, "errcode": errcode }))
            .await;
        assert_eq!(v["expired"], 1, "{v}");
        client.send(alice(), Text::new(format!("after {errcode}"))).await.unwrap();
        assert_eq!(env.tokens_issued(BOT).await, round, "one fetch per expiry ({errcode})");
    }
    assert_ne!(client.access_token().await.unwrap().expose(), first);
    // Each expiry cost exactly one rejected send and its one repeat.
    assert_eq!(env.calls("/cgi-bin/message/send").await, 1 + 2 + 2);
    assert_eq!(env.messages("").await.len(), 3, "every send recorded once");
}

#[tokio::test]
async fn a_token_past_its_7200_seconds_on_the_emulator_clock_is_refreshed() {
    let env = Env::demo().await;
    let client = env.client(BOT);
    client.send(alice(), Text::new("before")).await.unwrap();
    // The client's own clock still trusts the token; WeCom's (the emulator's) says 42001.
    env.post("/emulator/clock/advance", json!({ "seconds": 7300 })).await;
    client.send(alice(), Text::new("after")).await.unwrap();
    assert_eq!(env.tokens_issued(BOT).await, 2);
    assert_eq!(env.calls("/cgi-bin/message/send").await, 3);
}

#[tokio::test]
async fn system_busy_is_retried_within_the_budget_and_typed_beyond_it() {
    let env = Env::demo().await;
    let client = env.builder(BOT).retry_policy(fast_retries().max_attempts(3)).build().unwrap();
    env.fault(json!({ "path": "message/send", "count": 2, "kind": "errcode", "errcode": -1 }))
        .await;
    client.send(alice(), Text::new("third time lucky")).await.unwrap();
    assert_eq!(env.calls("/cgi-bin/message/send").await, 3);
    assert_eq!(env.messages("").await.len(), 1);

    env.fault(json!({ "path": "message/send", "count": 3, "kind": "errcode", "errcode": -1 }))
        .await;
    let err = client.send(alice(), Text::new("never")).await.unwrap_err();
    assert!(err.is_system_busy(), "{err}");
    assert!(matches!(err, Error::Api { code: -1, .. }));
    assert_eq!(env.calls("/cgi-bin/message/send").await, 3 + 3, "exactly the budget");
    assert_eq!(env.messages("").await.len(), 1, "nothing recorded");
    assert_eq!(env.tokens_issued(BOT).await, 1, "busy is not a token problem");
}

#[tokio::test]
async fn rate_limited_45009_is_typed_and_not_retried() {
    let env = Env::demo().await;
    let client = env.client(BOT);
    env.fault(json!({ "path": "message/send", "count": 1, "kind": "errcode", "errcode": 45009 }))
        .await;
    let err = client.send(alice(), Text::new("too fast")).await.unwrap_err();
    assert!(err.is_rate_limited(), "{err}");
    assert_eq!(err.code(), Some(45009));
    assert!(err.hint().is_some());
    assert_eq!(env.calls("/cgi-bin/message/send").await, 1);
    client.send(alice(), Text::new("later")).await.unwrap();
}

#[tokio::test]
async fn a_send_stalled_past_the_timeout_is_delivery_unknown_without_duplicate_check() {
    let env = Env::demo().await;
    let client = env.builder(BOT).request_timeout(Duration::from_millis(300)).build().unwrap();
    client.access_token().await.unwrap();
    env.fault(json!({ "path": "message/send", "count": 1, "kind": "stall", "ms": 800 })).await;
    let err = client.send(alice(), Text::new("did it arrive?")).await.unwrap_err();
    assert!(matches!(err, Error::DeliveryUnknown { attempts: 1, .. }), "{err:?}");
    assert!(err.is_timeout() && err.is_delivery_unknown());
    assert_eq!(env.calls("/cgi-bin/message/send").await, 1, "not repeated blindly");
    // It did arrive, once: the stalled request completed on the server.
    let messages = eventually("the stalled send", Duration::from_secs(5), || async {
        let m = env.messages("").await;
        (!m.is_empty()).then_some(m)
    })
    .await;
    assert_eq!(messages.len(), 1);
}

#[tokio::test]
async fn with_duplicate_check_a_timed_out_send_is_retried_and_recorded_once() {
    let env = Env::demo().await;
    let client = env.builder(BOT).request_timeout(Duration::from_millis(300)).build().unwrap();
    client.access_token().await.unwrap();
    env.fault(json!({ "path": "message/send", "count": 1, "kind": "stall", "ms": 800 })).await;
    let receipt = client
        .send(alice(), Text::new("exactly once"))
        .duplicate_check(Duration::from_secs(600))
        .await
        .unwrap();
    assert_eq!(env.calls("/cgi-bin/message/send").await, 2, "retried once after the timeout");
    // The stalled first request lands after the retry and is suppressed as a duplicate.
    let record = eventually("the suppressed duplicate", Duration::from_secs(5), || async {
        let m = env.message(&receipt.msgid).await;
        (m["duplicates_suppressed"] == 1).then_some(m)
    })
    .await;
    assert_eq!(record["recipients"][0]["status"], "delivered");
    assert_eq!(env.messages("").await.len(), 1, "recorded once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_cold_sends_fetch_one_token() {
    let env = Env::demo().await;
    let client = env.client(BOT);
    let mut sends = tokio::task::JoinSet::new();
    for i in 0..1000 {
        let client = client.clone();
        let to = ["alice", "bob", "carol"][i % 3];
        sends.spawn(
            async move { client.send(Recipients::user(to), Text::new(format!("#{i}"))).await },
        );
    }
    while let Some(result) = sends.join_next().await {
        result.unwrap().unwrap();
    }
    assert_eq!(env.tokens_issued(BOT).await, 1);
    assert_eq!(env.calls("/cgi-bin/gettoken").await, 1);
    assert_eq!(env.calls("/cgi-bin/message/send").await, 1000);
    assert_eq!(env.messages("").await.len(), 1000);
}

#[tokio::test]
async fn two_apps_side_by_side_keep_their_own_tokens() {
    let env = Env::demo().await;
    // One token store for both: the app is part of the key, so neither overwrites the other.
    let store = Arc::new(MemoryTokenStore::new());
    let bot = env.builder(BOT).token_store(store.clone()).build().unwrap();
    let notices = env.builder(NOTICES).token_store(store).build().unwrap();
    let (a, b) = tokio::join!(
        bot.send(alice(), Text::new("from the build bot")),
        notices.send(alice(), Text::new("from notices")),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(env.message(&a.msgid).await["agentid"], BOT);
    assert_eq!(env.message(&b.msgid).await["agentid"], NOTICES);
    assert_eq!((env.tokens_issued(BOT).await, env.tokens_issued(NOTICES).await), (1, 1));
    assert_ne!(
        bot.access_token().await.unwrap().expose(),
        notices.access_token().await.unwrap().expose()
    );

    // Expiring one app's tokens costs only that app a fetch.
    env.post("/emulator/tokens/expire", json!({ "agentid": BOT })).await;
    bot.send(alice(), Text::new("again")).await.unwrap();
    notices.send(alice(), Text::new("again")).await.unwrap();
    assert_eq!((env.tokens_issued(BOT).await, env.tokens_issued(NOTICES).await), (2, 1));

    // A request for the other app is refused before any I/O (WeCom would answer 301002).
    let sends = env.calls("/cgi-bin/message/send").await;
    let foreign = MessageRequest::new(NOTICES, alice(), Text::new("wrong client"));
    let err = bot.send_request(foreign).await.unwrap_err();
    assert!(matches!(&err, Error::InvalidArgument(a) if a.field == "agentid"), "{err}");
    assert_eq!(env.calls("/cgi-bin/message/send").await, sends);
}
