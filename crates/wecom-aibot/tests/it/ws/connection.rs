//! Connection lifecycle: subscribe, heartbeat, dead-connection detection, reconnect with
//! re-subscribe, refused credentials, displacement, shutdown.

use std::time::Duration;

use wecom_aibot::bot::{Responder, bot_fn};
use wecom_aibot::model::Message;
use wecom_aibot::ws::{AibotWs, Backoff, ConnState, OnDisplaced, Stopped, WsError, WsEvent};

use super::server::{self, BOT_ID, SECRET, WsServer};

fn echo() -> impl wecom_aibot::bot::Bot {
    bot_fn(|msg: Message, reply: Responder| async move {
        let _ = reply.markdown(msg.text());
    })
}

#[test]
fn backoff_doubles_to_its_cap_and_jitter_stays_in_bounds() {
    let b = Backoff::default();
    let secs: Vec<u64> = (1..=8).map(|n| b.delay(n, 0.5).as_secs()).collect();
    assert_eq!(secs, [1, 2, 4, 8, 16, 30, 30, 30]);
    assert_eq!(b.delay(1, 0.0), Duration::from_millis(800));
    assert_eq!(b.delay(1, 1.0), Duration::from_millis(1200));
    assert_eq!(b.delay(40, 1.0), Duration::from_secs(30), "never past the cap");
    assert!(!b.exhausted(10));
    assert!(b.exhausted(11));
}

#[tokio::test]
async fn subscribes_with_the_credentials_and_reports_connected() {
    let mut srv = WsServer::start().await;
    let client = AibotWs::new(server::credentials(), server::config(&srv.url), echo());
    let handle = client.handle();
    assert_eq!(handle.state(), ConnState::Idle);
    let mut events = handle.events();
    let task = tokio::spawn(client.run());
    let mut conn = srv.accept().await;
    conn.subscribe(0).await;
    assert!(handle.wait_connected(Duration::from_secs(2)).await);
    assert_eq!(events.recv().await.unwrap(), WsEvent::Connected { generation: 1 });
    let stats = handle.stats();
    assert_eq!((stats.state, stats.generation, stats.reconnects), (ConnState::Connected, 1, 0));
    assert!(stats.frames_out >= 1 && stats.frames_in >= 1);
    // The secret is in no Debug output.
    let debug = format!("{handle:?} {:?}", server::credentials());
    assert!(debug.contains(BOT_ID) && !debug.contains(SECRET), "{debug}");

    handle.shutdown();
    let stopped = tokio::time::timeout(Duration::from_secs(2), task).await.unwrap().unwrap();
    assert_eq!(stopped.unwrap(), Stopped::Shutdown);
    assert_eq!(handle.state(), ConnState::Stopped);
}

#[tokio::test]
async fn pings_on_the_interval_and_reconnects_after_two_missed_acks() {
    let mut srv = WsServer::start().await;
    let mut config = server::config(&srv.url);
    config.heartbeat_interval = Duration::from_millis(60);
    let client = AibotWs::new(server::credentials(), config, echo());
    let (handle, _task) = client.spawn();
    let mut first = srv.accept().await;
    first.subscribe(0).await;
    // Acknowledged pings keep the connection.
    tokio::time::sleep(Duration::from_millis(330)).await;
    let acked = first.pings.load(std::sync::atomic::Ordering::SeqCst);
    assert!((2..=7).contains(&acked), "{acked} pings in 330 ms at 60 ms");
    assert_eq!(handle.stats().generation, 1);
    // Unacknowledged: the first ping is missed, the second too; before the third the
    // connection is declared dead and replaced, with a new subscription.
    first.set_ack_pings(false);
    let mut second = srv.accept().await;
    second.subscribe(0).await;
    assert!(handle.wait_connected(Duration::from_secs(2)).await);
    let stats = handle.stats();
    assert_eq!(stats.generation, 2);
    assert!(stats.reconnects >= 1);
    assert!(stats.pings >= acked + 2);
    handle.shutdown();
}

#[tokio::test]
async fn refused_credentials_end_with_a_clear_error_after_the_budget() {
    let mut srv = WsServer::start().await;
    let mut config = server::config(&srv.url);
    // Two retries: three refusals in all, as the reference SDK counts.
    config.max_auth_failures = Some(2);
    let client = AibotWs::new(server::credentials(), config, echo());
    let handle = client.handle();
    let task = tokio::spawn(client.run());
    for _ in 0..3 {
        let mut conn = srv.accept().await;
        conn.subscribe(40_001).await;
    }
    let err =
        tokio::time::timeout(Duration::from_secs(3), task).await.unwrap().unwrap().unwrap_err();
    assert_eq!(err, WsError::AuthFailed { code: 40_001, msg: "error".into(), attempts: 3 });
    let text = err.to_string();
    assert!(text.contains("Bot ID and Secret") && !text.contains(SECRET), "{text}");
    srv.no_connection(Duration::from_millis(300)).await;
    assert_eq!(handle.stats().auth_failures, 3);
    assert_eq!(handle.state(), ConnState::Stopped);
}

#[tokio::test]
async fn unreachable_endpoint_gives_up_after_the_attempt_budget() {
    // A port that was just free: connections are refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut config = server::config(&format!("ws://127.0.0.1:{port}/aibot/ws"));
    config.reconnect.max_attempts = Some(2);
    let client = AibotWs::new(server::credentials(), config, echo());
    let err =
        tokio::time::timeout(Duration::from_secs(3), client.run()).await.unwrap().unwrap_err();
    assert!(matches!(err, WsError::ReconnectExhausted { attempts: 3, .. }), "{err:?}");
}

#[tokio::test]
async fn displaced_connection_stops_without_reconnecting() {
    let mut srv = WsServer::start().await;
    let client = AibotWs::new(server::credentials(), server::config(&srv.url), echo());
    let handle = client.handle();
    let mut events = handle.events();
    let task = tokio::spawn(client.run());
    let mut conn = srv.accept().await;
    conn.subscribe(0).await;
    assert!(handle.wait_connected(Duration::from_secs(2)).await);
    conn.event("Dc0nN3cT", "m-disc", serde_json::json!({"eventtype": "disconnected_event"}));
    let stopped = tokio::time::timeout(Duration::from_secs(2), task).await.unwrap().unwrap();
    assert_eq!(stopped.unwrap(), Stopped::Displaced);
    assert_eq!(handle.state(), ConnState::Displaced);
    srv.no_connection(Duration::from_millis(300)).await;
    let mut seen = Vec::new();
    while let Ok(e) = events.try_recv() {
        seen.push(e);
    }
    assert!(seen.contains(&WsEvent::Displaced), "{seen:?}");
    assert_eq!(seen.last(), Some(&WsEvent::Stopped));
    // The socket was closed by the client.
    assert!(conn.try_recv(Duration::from_millis(200)).await.is_none());
}

#[tokio::test]
async fn displacement_policy_can_reconnect_after_a_cooldown() {
    let mut srv = WsServer::start().await;
    let mut config = server::config(&srv.url);
    config.on_displaced = OnDisplaced::Reconnect { cooldown: Duration::from_millis(50), max: 1 };
    let client = AibotWs::new(server::credentials(), config, echo());
    let handle = client.handle();
    let task = tokio::spawn(client.run());
    let mut conn = srv.accept().await;
    conn.subscribe(0).await;
    conn.event("d1", "m-d1", serde_json::json!({"eventtype": "disconnected_event"}));
    let mut again = srv.accept().await;
    again.subscribe(0).await;
    assert!(handle.wait_connected(Duration::from_secs(2)).await);
    // The budget is one reconnect: the second displacement stops.
    again.event("d2", "m-d2", serde_json::json!({"eventtype": "disconnected_event"}));
    let stopped = tokio::time::timeout(Duration::from_secs(2), task).await.unwrap().unwrap();
    assert_eq!(stopped.unwrap(), Stopped::Displaced);
}

#[tokio::test]
async fn an_ack_saying_not_subscribed_replaces_the_connection() {
    let mut srv = WsServer::start().await;
    let client = AibotWs::new(server::credentials(), server::config(&srv.url), echo());
    let (handle, _task) = client.spawn();
    let mut first = srv.accept().await;
    first.subscribe(0).await;
    assert!(handle.wait_connected(Duration::from_secs(2)).await);
    let h = handle.clone();
    let sent = tokio::spawn(async move { h.send_markdown("lisi", "hi").await });
    let f = first.recv().await;
    first.ack(&f, WsError::NOT_SUBSCRIBED);
    let mut second = srv.accept().await;
    second.subscribe(0).await;
    // The push is tried once more on the new connection, with a new req_id.
    let again = second.recv().await;
    assert_eq!(again["cmd"], "aibot_send_msg");
    assert_ne!(again["headers"]["req_id"], f["headers"]["req_id"]);
    assert_eq!(again["body"], f["body"]);
    second.ack(&again, 0);
    sent.await.unwrap().unwrap();
    assert_eq!(handle.stats().generation, 2);
    handle.shutdown();
}
