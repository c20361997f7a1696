//! The AI-bot WebSocket long connection: the `wecom-aibot` client against the emulator's
//! `/aibot/ws`, both in this process on one multi-threaded runtime.
//!
//! * **Frames per second through one connection**: `--inflight` concurrent
//!   `WsHandle::send_markdown` pushes, each waiting for its acknowledgement, for `--secs`
//!   seconds; every push is checked and recorded by the emulator (a turn of kind `push`).
//! * **Reconnect time**: with the backoff base and jitter at 0, the time from the admin API's
//!   drop (`POST /emulator/aibots/{botid}/ws/drop`, timed from just before the request) to
//!   the client's `WsEvent::Connected`; the median and range of `--drops` drops.
//! * **Memory per connection**: the process's resident memory before and after `--conns`
//!   idle subscribed connections, each a client of its own bot (distinct bots, since one bot
//!   keeps one connection), reported per 100 connections. Both ends live in this process, so
//!   the figure is client + emulator together.
//!
//! ```sh
//! cargo bench -p wecom-e2e --bench aibot_ws -- [--secs 3] [--inflight 32] [--drops 15] [--conns 200]
//! ```

#![allow(clippy::print_stdout, clippy::cast_precision_loss)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use wecom_aibot::bot::{Responder, bot_fn};
use wecom_aibot::model::Message;
use wecom_aibot::ws::{AibotWs, Backoff, Credentials, WsConfig, WsEvent, WsHandle};
use wecom_emulator::{Config, Emulator, EmulatorHandle};

struct Args {
    secs: u64,
    inflight: usize,
    drops: usize,
    conns: usize,
}

fn args() -> Args {
    let mut a = Args { secs: 3, inflight: 32, drops: 15, conns: 200 };
    let argv: Vec<String> = std::env::args().collect();
    let mut i = 1;
    while i < argv.len() {
        let value = argv.get(i + 1).cloned().unwrap_or_default();
        match argv[i].as_str() {
            "--secs" => a.secs = value.parse().expect("--secs N"),
            "--inflight" => a.inflight = value.parse().expect("--inflight N"),
            "--drops" => a.drops = value.parse().expect("--drops N"),
            "--conns" => a.conns = value.parse().expect("--conns N"),
            _ => {
                i += 1; // `--bench` and other flags cargo passes
                continue;
            }
        }
        i += 2;
    }
    a
}

const SECRET: &str = "bench-aibot-ws-secret-0000000000000000000000";

/// The demo corp with `n` more WebSocket bots (`aib_ws_bench_0`, …) sharing one secret.
fn config(n: usize) -> Config {
    let mut config = Config::demo();
    config.options.aibot_ws_max_connections = n + 16;
    let template = config.aibots.iter().find(|b| b.botid == "aib_ws_demo").unwrap().clone();
    for i in 0..n {
        let mut bot = template.clone();
        bot.botid = format!("aib_ws_bench_{i}");
        bot.secret = Some(wecom_emulator::Secret::new(SECRET));
        config.aibots.push(bot);
    }
    config
}

fn client(emu: &EmulatorHandle, bot: &str) -> WsHandle {
    let mut config = WsConfig::default();
    config.url = emu.aibot_ws_url();
    let mut backoff = Backoff::default();
    backoff.base = Duration::ZERO;
    backoff.jitter = 0.0;
    config.reconnect = backoff;
    let bot_impl = bot_fn(|_: Message, reply: Responder| async move {
        let _ = reply.markdown("ok");
    });
    let (handle, _task) = AibotWs::new(Credentials::new(bot, SECRET), config, bot_impl).spawn();
    handle
}

async fn connected(handle: &WsHandle) {
    assert!(handle.wait_connected(Duration::from_secs(30)).await, "{:?}", handle.stats());
}

async fn frames_per_second(emu: &EmulatorHandle, a: &Args) {
    let handle = client(emu, "aib_ws_bench_0");
    connected(&handle).await;
    let done = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let workers: Vec<_> = (0..a.inflight)
        .map(|w| {
            let (handle, done, sent) = (handle.clone(), Arc::clone(&done), Arc::clone(&sent));
            tokio::spawn(async move {
                let text = format!("**push** from worker {w}: disk usage 91% on db-1");
                while !done.load(Ordering::Relaxed) {
                    handle.send_markdown("alice", text.as_str()).await.expect("push acked");
                    sent.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(a.secs)).await;
    done.store(true, Ordering::Relaxed);
    for w in workers {
        w.await.unwrap();
    }
    let elapsed = start.elapsed().as_secs_f64();
    let n = sent.load(Ordering::Relaxed);
    println!(
        "pushes: {n} acked in {elapsed:.2} s with {} in flight → {:.0} frames/s (acks as many)",
        a.inflight,
        n as f64 / elapsed
    );
    handle.shutdown();
}

async fn reconnect_time(emu: &EmulatorHandle, a: &Args) {
    let bot = "aib_ws_bench_1";
    let handle = client(emu, bot);
    connected(&handle).await;
    let http = reqwest::Client::new();
    let url = format!("{}/emulator/aibots/{bot}/ws/drop", emu.base_url());
    let mut times = Vec::with_capacity(a.drops);
    for _ in 0..a.drops {
        let mut events = handle.events();
        let t0 = Instant::now();
        let resp = http.post(&url).send().await.unwrap();
        assert!(resp.status().is_success(), "{}", resp.text().await.unwrap());
        loop {
            if let Ok(WsEvent::Connected { .. }) = events.recv().await {
                break;
            }
        }
        times.push(t0.elapsed());
        // Let the emulator log the old connection's end before the next drop.
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "reconnect after a drop: median {:.2} ms (min {:.2}, max {:.2}) over {} drops",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    );
    handle.shutdown();
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

async fn memory_per_connection(emu: &EmulatorHandle, a: &Args) {
    // Bots 2.. are untouched by the other measurements.
    let warm = client(emu, "aib_ws_bench_2");
    connected(&warm).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let before = rss_kib();
    let mut handles = Vec::with_capacity(a.conns);
    for i in 0..a.conns {
        handles.push(client(emu, &format!("aib_ws_bench_{}", i + 3)));
    }
    for h in &handles {
        connected(h).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = rss_kib();
    let growth = after.saturating_sub(before);
    println!(
        "memory: RSS +{growth} KiB for {} idle subscribed connections (client + emulator) → \
         {:.0} KiB per 100 connections",
        a.conns,
        growth as f64 * 100.0 / a.conns as f64
    );
    for h in handles {
        h.shutdown();
    }
    warm.shutdown();
}

fn main() {
    let a = args();
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(async {
        let emu = Emulator::start(config(a.conns + 3)).await.unwrap();
        frames_per_second(&emu, &a).await;
        reconnect_time(&emu, &a).await;
        memory_per_connection(&emu, &a).await;
    });
}
