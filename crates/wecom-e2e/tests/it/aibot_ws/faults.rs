//! The long connection under faults injected by the emulator: a drop in the middle of a
//! stream, a second client of the same bot, stalled acknowledgements, wrong credentials.

#![allow(clippy::format_collect)]

use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::broadcast;
use wecom_aibot::ws::{AibotWs, Credentials, Stopped, WsError, WsEvent};

use super::{BOT, WsBot, emulator, ws_config};

/// The next event matching `want` (5 s at most).
async fn next_event(
    events: &mut broadcast::Receiver<WsEvent>,
    want: impl Fn(&WsEvent) -> bool,
) -> WsEvent {
    let mut seen = Vec::new();
    let found = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match events.recv().await {
                Ok(e) if want(&e) => return e,
                Ok(e) => seen.push(e),
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => panic!("events closed"),
            }
        }
    })
    .await;
    found.unwrap_or_else(|_| panic!("no such event in time; saw {seen:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_drop_mid_stream_reconnects_and_never_answers_on_the_stale_req_id() {
    let s = emulator().await;
    let (handle, _task) = s.client(WsBot::default(), |_| {}).await;
    let mut events = handle.events();
    let turn = s.ask("alice", "slow", "false").await;
    let id = turn["id"].clone();
    let streaming = s.turn_until(&id, |t| t["status"] == "streaming").await;
    assert_eq!(streaming["status"], "streaming", "{streaming}");

    let dropped = s.post("ws/drop", json!({})).await;
    assert_eq!(dropped["dropped"], 1);
    // The application hears of the lost connection, the failed answer and the new
    // connection (the answer may fail before or after the new connection is up).
    let mut seen = Vec::new();
    let all = tokio::time::timeout(Duration::from_secs(5), async {
        while !(seen.iter().any(|e| matches!(e, WsEvent::ConnectionLost { generation: 1, .. }))
            && seen.iter().any(|e| matches!(e, WsEvent::ReplyFailed { .. }))
            && seen.contains(&WsEvent::Connected { generation: 2 }))
        {
            if let Ok(e) = events.recv().await {
                seen.push(e);
            }
        }
    })
    .await;
    assert!(all.is_ok(), "{seen:?}");
    let Some(WsEvent::ReplyFailed { req_id, conversation, error, .. }) =
        seen.iter().find(|e| matches!(e, WsEvent::ReplyFailed { .. }))
    else {
        unreachable!()
    };
    assert_eq!(Some(req_id.as_str()), streaming["req_id"].as_str());
    assert_eq!(conversation, "alice");
    assert!(error.is_req_id_dead(), "{error:?}");
    assert_eq!(s.get("ws").await["connected"], true);
    assert_eq!(s.log("subscribed").await.len(), 2);
    assert_eq!(s.log("dropped").await.len(), 1);

    // The handler finishes; its whole answer arrives as a push on the new connection.
    let expected: String = (0..40).map(|i| format!("s{i} ")).collect();
    let mut push = None;
    for _ in 0..300 {
        push = s.turns().await.into_iter().find(|t| t["kind"] == "push");
        if push.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let push = push.expect("the lost answer is pushed");
    assert_eq!(push["userid"], "alice");
    assert_eq!(push["reply"]["markdown"]["content"], expected.as_str());
    // Nothing more was written on the old req_id: the emulator refused nothing.
    let turn = s.turn(&id).await;
    assert_eq!(turn["status"], "streaming", "{turn}");
    assert_eq!(turn["errors"], json!([]), "{turn}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_client_displaces_the_first_once() {
    let s = emulator().await;
    let (first, first_task) = s.client(WsBot::default(), |_| {}).await;
    let mut first_events = first.events();
    let (second, _second_task) = s.client(WsBot::default(), |_| {}).await;
    let stopped = tokio::time::timeout(Duration::from_secs(5), first_task).await.unwrap().unwrap();
    assert_eq!(stopped.unwrap(), Stopped::Displaced);
    next_event(&mut first_events, |e| *e == WsEvent::Displaced).await;
    assert_eq!(first.state(), wecom_aibot::ws::ConnState::Displaced);
    // The displaced client does not come back: no ping-pong.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(s.log("displaced").await.len(), 1, "{}", s.get("ws").await);
    assert_eq!(s.log("subscribed").await.len(), 2);
    assert_eq!(second.state(), wecom_aibot::ws::ConnState::Connected);
    // The bot answers through the second client.
    let turn = s.ask("alice", "hi", "finish").await;
    assert_eq!(turn["stream"]["content"], "echo: hi", "{turn}");
    assert_eq!(s.get("ws").await["connection"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_acks_give_typed_timeouts_and_a_bounded_queue() {
    let s = emulator().await;
    let bot = WsBot::default();
    let (handle, _task) = s
        .client(bot.clone(), |c| {
            c.ack_timeout = Duration::from_millis(200);
            c.max_queue = 3;
        })
        .await;
    s.post("ws/faults", json!({ "kind": "stall_acks", "seconds": 30 })).await;

    let err = handle.send_markdown("alice", "stalled").await.unwrap_err();
    let WsError::AckTimeout { cmd, after, .. } = &err else { panic!("{err:?}") };
    assert_eq!((*cmd, *after), ("aibot_send_msg", Duration::from_millis(200)));

    // Six replies at once on one req_id: three queue (each then times out), three are
    // refused at once without being sent.
    s.ask("alice", "flood", "false").await;
    let mut results = Vec::new();
    for _ in 0..300 {
        results = bot.flood.lock().unwrap().iter().map(|r| r.clone().err()).collect();
        if !results.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let full =
        results.iter().flatten().filter(|e| matches!(e, WsError::QueueFull { limit: 3, .. }));
    let timed = results.iter().flatten().filter(|e| matches!(e, WsError::AckTimeout { .. }));
    assert_eq!((full.count(), timed.count()), (3, 3), "{results:?}");
    assert!(handle.stats().ack_timeouts >= 4, "{:?}", handle.stats());

    // Once the fault is gone, the connection works again.
    let _ = s.http.delete(s.url("ws/faults")).send().await.unwrap();
    let before = s.turns().await.len();
    handle.send_markdown("alice", "after the stall").await.unwrap();
    assert_eq!(s.turns().await.len(), before + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_credentials_end_with_auth_failed_after_bounded_retries() {
    let s = emulator().await;
    let mut config = ws_config(&s.emu);
    config.max_auth_failures = Some(2);
    let secret = "not-the-secret-0123456789";
    let client = AibotWs::new(Credentials::new(BOT, secret), config, WsBot::default());
    let handle = client.handle();
    let mut events = handle.events();
    let err =
        tokio::time::timeout(Duration::from_secs(10), client.run()).await.unwrap().unwrap_err();
    let WsError::AuthFailed { code, attempts, .. } = &err else { panic!("{err:?}") };
    assert_eq!((*code, *attempts), (40001, 3));
    let text = err.to_string();
    assert!(text.contains("check the Bot ID and Secret"), "{text}");
    assert!(!text.contains(secret) && !format!("{err:?}").contains(secret));
    let refused = next_event(&mut events, |e| matches!(e, WsEvent::SubscribeRefused { .. })).await;
    assert!(matches!(refused, WsEvent::SubscribeRefused { code: 40001, .. }));
    assert_eq!(handle.stats().auth_failures, 3);
    let log: Vec<Value> = s.log("refused").await;
    assert_eq!(log.len(), 3, "{log:?}");
    assert_eq!(s.get("ws").await["connected"], false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unacknowledged_heartbeats_replace_the_connection() {
    let s = emulator().await;
    let (handle, _task) =
        s.client(WsBot::default(), |c| c.heartbeat_interval = Duration::from_millis(100)).await;
    let mut events = handle.events();
    // Two pings in a row get no acknowledgement: the connection counts as dead.
    s.post("ws/faults", json!({ "kind": "stall_acks", "frames": 2 })).await;
    let lost = next_event(&mut events, |e| matches!(e, WsEvent::ConnectionLost { .. })).await;
    let WsEvent::ConnectionLost { generation: 1, reason } = &lost else { panic!("{lost:?}") };
    assert!(reason.contains("heartbeats unacknowledged"), "{reason}");
    next_event(&mut events, |e| *e == WsEvent::Connected { generation: 2 }).await;
    assert!(handle.stats().pings >= 2);
    let turn = s.ask("alice", "still there?", "finish").await;
    assert_eq!(turn["stream"]["content"], "echo: still there?", "{turn}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limited_subscription_is_retried_until_it_is_accepted() {
    let s = emulator().await;
    s.post("ws/faults", json!({ "kind": "refuse_subscribe", "seconds": 0.3 })).await;
    let (handle, _task) = s.client(WsBot::default(), |c| c.max_auth_failures = Some(50)).await;
    let stats = handle.stats();
    assert!(stats.auth_failures >= 1, "{stats:?}");
    assert_eq!(stats.generation, 1);
    let refused = s.log("refused").await;
    assert!(!refused.is_empty());
    assert!(refused[0]["detail"].as_str().unwrap().contains("45009"), "{refused:?}");
    assert_eq!(s.log("subscribed").await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_subscription_on_a_live_socket_reconnects_and_the_push_is_retried_once() {
    let s = emulator().await;
    let (handle, _task) = s.client(WsBot::default(), |_| {}).await;
    s.post("ws/faults", json!({ "kind": "lose_subscription" })).await;
    assert_eq!(s.get("ws").await["connected"], false);
    // The push meets 846609, the client replaces the connection and sends it again.
    handle.send_markdown("alice", "after the loss").await.unwrap();
    assert_eq!(handle.stats().generation, 2);
    let pushes: Vec<Value> = s.turns().await.into_iter().filter(|t| t["kind"] == "push").collect();
    assert_eq!(pushes.len(), 1, "{pushes:?}");
    assert_eq!(pushes[0]["reply"]["markdown"]["content"], "after the loss");
    assert_eq!(s.log("unsubscribed").await.len(), 1);
    assert_eq!(s.log("subscribed").await.len(), 2);
    let turn = s.ask("alice", "back?", "finish").await;
    assert_eq!(turn["stream"]["content"], "echo: back?", "{turn}");
}
