//! One AI-bot WebSocket connection across three replica processes, decided by a Redis lease
//! (`LeasedAibotWs`): one subscription at a time, every message answered once, a killed
//! holder replaced within the TTL without a single displacement, and a holder cut off from
//! Redis closing before the TTL while nobody else connects until Redis is back.
//!
//! The replicas are this test binary run again on the ignored `replica_process` test, each
//! with an echo bot that names itself in its answers.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wecom_aibot::bot::{Responder, bot_fn};
use wecom_aibot::model::Message;
use wecom_aibot::ws::{
    AibotWs, Backoff, ConnState, Credentials, LeaderEvent, LeaderState, LeaseOptions,
    LeasedAibotWs, LeasedStopped, WsConfig,
};
use wecom_emulator::EmulatorHandle;
use wecom_redis::{Connector, Timeouts};

use super::processes::{Worker, say};
use super::support::{RedisServer, emulator};

const BOT: &str = "aib_ws_demo";
const SECRET: &str = "demo-aibot-ws-secret-00000000000000000000000";
const REPLICAS: usize = 3;
/// Slack on every timing bound: the machine may be loaded.
const SLACK: Duration = Duration::from_secs(6);

fn spawn_replicas(emu: &EmulatorHandle, redis: &RedisServer, ttl: Duration) -> Vec<Worker> {
    (0..REPLICAS)
        .map(|i| {
            let vars = [
                ("WECOM_LEASE_WS_URL", emu.aibot_ws_url()),
                ("WECOM_LEASE_REDIS_URL", redis.url()),
                ("WECOM_LEASE_NAME", format!("r{i}")),
                ("WECOM_LEASE_TTL_MS", ttl.as_millis().to_string()),
            ];
            Worker::spawn("redis::aibot_lease::replica_process", &vars)
        })
        .collect()
}

async fn get(emu: &EmulatorHandle, path: &str) -> Value {
    reqwest::get(format!("{}{path}", emu.base_url())).await.unwrap().json().await.unwrap()
}

/// The bot's connection state and log.
async fn ws_status(emu: &EmulatorHandle) -> Value {
    get(emu, &format!("/emulator/aibots/{BOT}/ws")).await
}

/// How many log lines say `what` (`subscribed`, `displaced`, `closed`, …).
fn count(status: &Value, what: &str) -> usize {
    status["log"].as_array().unwrap().iter().filter(|e| e["what"] == what).count()
}

/// Waits until a connection other than `not` is live; its id and when it was seen.
async fn until_connected(emu: &EmulatorHandle, not: Option<u64>, within: Duration) -> u64 {
    let deadline = Instant::now() + within;
    loop {
        let s = ws_status(emu).await;
        if let Some(conn) = s["connection"].as_u64().filter(|c| Some(*c) != not) {
            return conn;
        }
        assert!(Instant::now() < deadline, "no new connection within {within:?}: {s}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A member writes; waits for the finished answer; returns the replica that answered.
async fn ask(emu: &EmulatorHandle, text: &str) -> String {
    let turn: Value = reqwest::Client::new()
        .post(format!("{}/emulator/aibots/{BOT}/messages?wait=finish", emu.base_url()))
        .json(&json!({ "userid": "alice", "content": text }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(turn["status"], "finished", "{turn}");
    assert_eq!(turn["errors"], json!([]), "{turn}");
    let content = turn["stream"]["content"].as_str().unwrap();
    let (name, echoed) = content.split_once(": ").unwrap();
    assert_eq!(echoed, text, "{turn}");
    name.trim_start_matches("echo ").to_owned()
}

/// Every turn of the bot was answered once, by a stream that finished, and nothing was
/// re-sent as a push.
async fn every_turn_answered_once(emu: &EmulatorHandle, expected: usize) {
    let turns = get(emu, &format!("/emulator/aibots/{BOT}/turns")).await;
    let turns = turns["turns"].as_array().unwrap();
    assert_eq!(turns.len(), expected, "{turns:?}");
    for t in turns {
        assert_eq!(t["kind"], "message", "{t}");
        assert_eq!(t["status"], "finished", "{t}");
        assert_eq!(t["errors"], json!([]), "{t}");
    }
}

async fn exit_all(workers: &mut [Worker]) {
    for w in workers.iter_mut() {
        w.tell("exit").await;
    }
    for w in workers.iter_mut() {
        assert_eq!(w.hear().await, "stopped Ok(Shutdown)");
        let status =
            tokio::time::timeout(Duration::from_secs(30), w.child.wait()).await.unwrap().unwrap();
        assert!(status.success(), "replica exited with {status}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_replicas_keep_one_connection_and_a_killed_holder_is_replaced_within_the_ttl() {
    let Some(redis) = RedisServer::start() else { return };
    let emu = emulator().await;
    let ttl = Duration::from_secs(2);
    let mut workers = spawn_replicas(&emu, &redis, ttl);
    for w in &mut workers {
        assert_eq!(w.hear().await, "ready");
    }
    let first = until_connected(&emu, None, ttl + SLACK * 2).await;

    // For a while (several renewals), the one connection stays and nobody else subscribes.
    let watch_until = Instant::now() + ttl * 2;
    while Instant::now() < watch_until {
        let s = ws_status(&emu).await;
        assert_eq!(s["connection"].as_u64(), Some(first), "{s}");
        assert_eq!(count(&s, "subscribed"), 1, "{s}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut holder = String::new();
    for i in 0..5 {
        let name = ask(&emu, &format!("before #{i}")).await;
        assert!(holder.is_empty() || holder == name, "answered by {name} and {holder}");
        holder = name;
    }

    // SIGKILL the holder: it cannot release; its lease runs out and a standby takes over.
    let index: usize = holder.trim_start_matches('r').parse().unwrap();
    let killed_at = Instant::now();
    workers[index].child.start_kill().unwrap();
    workers[index].child.wait().await.unwrap();
    let second = until_connected(&emu, Some(first), ttl + SLACK).await;
    let took = killed_at.elapsed();
    // Not before the lease could expire (the holder renewed at most ttl/3 before the kill).
    assert!(took >= ttl / 2, "a standby connected {took:?} after the kill, before the TTL");
    let mut successor = String::new();
    for i in 0..5 {
        let name = ask(&emu, &format!("after #{i}")).await;
        assert_ne!(name, holder, "answered by the killed replica");
        assert!(successor.is_empty() || successor == name, "answered by {name} and {successor}");
        successor = name;
    }

    let s = ws_status(&emu).await;
    assert_eq!(count(&s, "subscribed"), 2, "{s}");
    assert_eq!(count(&s, "displaced"), 0, "no disconnected_event ping-pong: {s}");
    assert_eq!(s["connection"].as_u64(), Some(second), "{s}");
    every_turn_answered_once(&emu, 10).await;

    workers.remove(index);
    exit_all(&mut workers).await;
    let s = ws_status(&emu).await;
    assert_eq!(s["connected"], false, "the leader closed on shutdown: {s}");
    assert_eq!(count(&s, "displaced"), 0, "{s}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_holder_cut_off_from_redis_closes_before_the_ttl_and_nobody_connects_until_it_is_back() {
    let Some(mut redis) = RedisServer::start() else { return };
    let emu = emulator().await;
    let ttl = Duration::from_secs(3);
    let mut workers = spawn_replicas(&emu, &redis, ttl);
    for w in &mut workers {
        assert_eq!(w.hear().await, "ready");
    }
    let first = until_connected(&emu, None, ttl + SLACK * 2).await;
    let holder = ask(&emu, "hello").await;

    let stopped_at = Instant::now();
    redis.stop();
    loop {
        let s = ws_status(&emu).await;
        if s["connected"] == false {
            break;
        }
        let after = stopped_at.elapsed();
        assert!(after < ttl, "still connected {after:?} after Redis stopped (TTL {ttl:?})");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // No Redis, no lease: nobody connects, for twice the TTL.
    let watch_until = Instant::now() + ttl * 2;
    while Instant::now() < watch_until {
        let s = ws_status(&emu).await;
        assert_eq!(s["connected"], false, "a replica connected without Redis: {s}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    redis.restart();
    let second = until_connected(&emu, Some(first), ttl + SLACK).await;
    let name = ask(&emu, "back").await;
    let s = ws_status(&emu).await;
    assert_eq!(s["connection"].as_u64(), Some(second), "{s}");
    assert_eq!(count(&s, "subscribed"), 2, "{s}");
    assert_eq!(count(&s, "displaced"), 0, "{s}");
    every_turn_answered_once(&emu, 2).await;
    let _ = (holder, name);
    exit_all(&mut workers).await;
}

/// A replica named `name` with an echo bot, polling every 200 ms.
fn replica(name: &str, ws_url: String, redis_url: &str, ttl: Duration) -> LeasedAibotWs {
    let mut options = LeaseOptions::default();
    options.ttl = ttl;
    options.poll = Duration::from_millis(200);
    replica_with(name, ws_url, redis_url, options)
}

/// [`replica`] with lease settings of the test's own.
fn replica_with(
    name: &str,
    ws_url: String,
    redis_url: &str,
    options: LeaseOptions,
) -> LeasedAibotWs {
    let me = name.to_owned();
    let bot = bot_fn(move |msg: Message, reply: Responder| {
        let me = me.clone();
        async move {
            let _ = reply.markdown(format!("echo {me}: {}", msg.text()));
        }
    });
    let mut config = WsConfig::default();
    config.url = ws_url;
    let mut backoff = Backoff::default();
    backoff.base = Duration::from_millis(200);
    backoff.max = Duration::from_secs(1);
    backoff.max_attempts = None;
    config.reconnect = backoff;
    let timeouts = Timeouts {
        connect: Duration::from_millis(300),
        command: Duration::from_millis(300),
        retry_delay: Duration::from_millis(100),
    };
    let redis = Connector::open(redis_url, timeouts).unwrap();
    LeasedAibotWs::with_connector(
        Credentials::new(BOT, SECRET),
        config,
        bot,
        std::sync::Arc::new(redis),
    )
    .lease_options(options)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_shut_down_releases_the_lease_and_a_standby_takes_over_before_the_ttl() {
    let Some(redis) = RedisServer::start() else { return };
    let emu = emulator().await;
    // A long TTL: a takeover well within it shows the lease was released, not expired.
    let ttl = Duration::from_secs(20);
    let (a, a_task) = replica("a", emu.aibot_ws_url(), &redis.url(), ttl).spawn();
    let first = until_connected(&emu, None, SLACK).await;
    assert_eq!(a.state(), LeaderState::Leader);
    assert!(a.ws().is_some_and(|ws| ws.state() == ConnState::Connected));
    let (b, b_task) = replica("b", emu.aibot_ws_url(), &redis.url(), ttl).spawn();
    let mut b_events = b.events();
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(b.state(), LeaderState::Standby);
    assert!(b.ws().is_none());
    assert_eq!(ask(&emu, "one").await, "a");

    let asked = Instant::now();
    a.shutdown();
    assert_eq!(a_task.await.unwrap().unwrap(), LeasedStopped::Shutdown);
    assert_eq!(a.state(), LeaderState::Stopped);
    until_connected(&emu, Some(first), SLACK).await;
    assert!(asked.elapsed() < ttl / 2, "took {:?}: the lease was not released", asked.elapsed());
    assert_eq!(ask(&emu, "two").await, "b");
    assert_eq!(b.state(), LeaderState::Leader);
    let first_event = tokio::time::timeout(SLACK, b_events.recv()).await.unwrap().unwrap();
    let LeaderEvent::Acquired { holder: acquired } = first_event else {
        panic!("unexpected event before the lease: {first_event:?}");
    };
    assert!(acquired.starts_with(&format!("{}-", std::process::id())), "{acquired}");
    let s = ws_status(&emu).await;
    assert_eq!(count(&s, "displaced"), 0, "{s}");
    b.shutdown();
    assert_eq!(b_task.await.unwrap().unwrap(), LeasedStopped::Shutdown);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn displaced_by_a_connection_outside_the_lease_the_replica_stops_instead_of_fighting() {
    let Some(redis) = RedisServer::start() else { return };
    let emu = emulator().await;
    let ttl = Duration::from_secs(20);
    let (leased, task) = replica("a", emu.aibot_ws_url(), &redis.url(), ttl).spawn();
    let mut events = leased.events();
    let first = until_connected(&emu, None, SLACK).await;

    // A plain client of the same bot (another deployment, say) takes over.
    let mut config = WsConfig::default();
    config.url = emu.aibot_ws_url();
    let echo = bot_fn(|msg: Message, reply: Responder| async move {
        let _ = reply.markdown(format!("echo rogue: {}", msg.text()));
    });
    let (rogue, rogue_task) = AibotWs::new(Credentials::new(BOT, SECRET), config, echo).spawn();
    assert!(rogue.wait_connected(SLACK).await);
    let stopped = tokio::time::timeout(SLACK, task).await.unwrap().unwrap().unwrap();
    assert_eq!(stopped, LeasedStopped::Displaced);
    assert_eq!(leased.state(), LeaderState::Displaced);
    let mut seen = Vec::new();
    while let Ok(event) = events.try_recv() {
        if !matches!(event, LeaderEvent::Connection(_)) {
            seen.push(event);
        }
    }
    assert!(matches!(seen[0], LeaderEvent::Acquired { .. }), "{seen:?}");
    assert_eq!(
        seen[1..],
        [LeaderEvent::Released { confirmed: true }, LeaderEvent::Displaced, LeaderEvent::Stopped]
    );
    // The lease was released, and nobody fought back.
    let key = LeaseOptions::default_key(BOT);
    let held: Option<String> = redis::Cmd::get(&key).query(&mut redis.inspect()).unwrap();
    assert_eq!(held, None);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let s = ws_status(&emu).await;
    // The emulator logs a displacement twice: when it sends `disconnected_event`, and when the
    // displaced connection closes. Only the leased replica's connection was displaced.
    let displaced: Vec<&Value> =
        s["log"].as_array().unwrap().iter().filter(|e| e["what"] == "displaced").collect();
    assert!(displaced.iter().all(|e| e["connection"] == first), "{s}");
    assert_ne!(s["connection"].as_u64(), Some(first), "{s}");
    assert_eq!(ask(&emu, "who?").await, "rogue");
    rogue.shutdown();
    rogue_task.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn displaced_after_the_lease_vanished_the_old_holder_stands_by_instead_of_stopping() {
    let Some(redis) = RedisServer::start() else { return };
    let emu = emulator().await;
    // Renewals 15 s apart: the old holder learns nothing from Redis during the test.
    let mut options = LeaseOptions::default();
    options.ttl = Duration::from_secs(20);
    options.renew_every = Some(Duration::from_secs(15));
    options.poll = Duration::from_millis(200);
    let (a, a_task) = replica_with("a", emu.aibot_ws_url(), &redis.url(), options.clone()).spawn();
    let mut a_events = a.events();
    let first = until_connected(&emu, None, SLACK).await;
    let (b, b_task) = replica_with("b", emu.aibot_ws_url(), &redis.url(), options).spawn();
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(b.state(), LeaderState::Standby);

    // What a Redis restarted without persistence does: the lease is gone. B takes it and
    // connects; WeCom displaces A, whose lease is no longer its own: a hand-over, not a
    // conflict, so A stands by.
    let _: () =
        redis::Cmd::del(LeaseOptions::default_key(BOT)).query(&mut redis.inspect()).unwrap();
    until_connected(&emu, Some(first), SLACK).await;
    let handed_over = async {
        loop {
            match a_events.recv().await.unwrap() {
                LeaderEvent::HandedOver => return,
                LeaderEvent::Displaced | LeaderEvent::Stopped => panic!("A stopped"),
                _ => {}
            }
        }
    };
    tokio::time::timeout(SLACK, handed_over).await.expect("A never reported the hand-over");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(a.state(), LeaderState::Standby);
    assert!(!a_task.is_finished());
    assert_eq!(b.state(), LeaderState::Leader);
    assert_eq!(ask(&emu, "who?").await, "b");

    for (handle, task) in [(a, a_task), (b, b_task)] {
        handle.shutdown();
        assert_eq!(task.await.unwrap().unwrap(), LeasedStopped::Shutdown);
    }
}

/// One replica of the tests above; does nothing when run by hand.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a replica process of the aibot_lease tests"]
async fn replica_process() {
    let var = |name: &str| std::env::var(name).ok();
    let Some(ws_url) = var("WECOM_LEASE_WS_URL") else { return };
    let name = var("WECOM_LEASE_NAME").unwrap();
    let ttl = Duration::from_millis(var("WECOM_LEASE_TTL_MS").unwrap().parse().unwrap());
    let replica = replica(&name, ws_url, &var("WECOM_LEASE_REDIS_URL").unwrap(), ttl);
    let (handle, task) = replica.spawn();

    let mut stdin =
        tokio::io::AsyncBufReadExt::lines(tokio::io::BufReader::new(tokio::io::stdin()));
    say("ready");
    // One instruction: exit (or the parent went away).
    let line = stdin.next_line().await.unwrap();
    assert!(line.as_deref().is_none_or(|l| l == "exit"), "unexpected instruction {line:?}");
    handle.shutdown();
    let stopped = task.await.unwrap();
    say(&format!("stopped {stopped:?}"));
}
