//! Throttle figures with the counts in Redis (`RedisLimitStore`): limiter decisions per
//! second straight to the store (one caller, and 32 concurrent), and the latency a send gains
//! when its per-member decision goes through Redis instead of memory.
//!
//! ```text
//! cargo bench -p wecom-e2e --bench limiter
//! ```
//!
//! Starts its own `redis-server` (it must be installed) and the emulator in this process;
//! prints the median of several runs. The emulator's per-member limits are lifted, so what
//! is measured is the client, the limiter and Redis.
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::cast_precision_loss)]

use std::sync::Arc;
use std::time::Instant;

use wecom::throttle::{Limit, LimitScope, LimitStore};
use wecom::{Client, MemoryLimitStore, OnLimit, Recipients, RedisLimitStore, Text, Throttle};
use wecom_emulator::{Config, Emulator, EmulatorHandle};
use wecom_redis::test_server::RedisServer;

const RUNS: usize = 5;
const DECISIONS: usize = 20_000;
const SENDS: usize = 2_000;
/// High enough that no decision ever has to wait.
const LIMITS: [Limit; 2] = [Limit::per_minute(1_000_000), Limit::per_hour(10_000_000)];

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// Decisions per second by `concurrency` callers, each to a member of its own.
async fn decisions(store: &Arc<dyn LimitStore>, concurrency: usize) -> f64 {
    let scope = LimitScope::new("ww-bench", 1);
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|t| {
            let (store, scope) = (store.clone(), scope.clone());
            tokio::spawn(async move {
                let member = format!("user{t}");
                for _ in 0..DECISIONS / concurrency {
                    store
                        .admit_members(&scope, &[member.as_str()], &LIMITS, OnLimit::Report)
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    DECISIONS as f64 / started.elapsed().as_secs_f64()
}

/// Mean milliseconds per send, one after another, with the counts in `store`.
async fn send_latency(emu: &EmulatorHandle, store: Arc<dyn LimitStore>) -> f64 {
    let secret = emu.app(1_000_002).unwrap().secret.expose().to_owned();
    let client = Client::builder(emu.corp_id(), 1_000_002, secret)
        .base_url(emu.base_url())
        .throttle(Throttle::new().member_limits(LIMITS).on_member_limit(OnLimit::Report))
        .limit_store(store)
        .build()
        .unwrap();
    client.access_token().await.unwrap();
    let started = Instant::now();
    for i in 0..SENDS {
        client.send(Recipients::user("alice"), Text::new(format!("#{i}"))).await.unwrap();
    }
    started.elapsed().as_secs_f64() * 1000.0 / SENDS as f64
}

fn main() {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let Some(redis) = RedisServer::start() else { return };
    runtime.block_on(async {
        let mut config = Config::demo();
        config.options.member_limit_per_minute = u32::MAX;
        config.options.member_limit_per_hour = u32::MAX;
        config.options.retain_messages = 10_000;
        let emu = Emulator::start(config).await.unwrap();
        let redis_store: Arc<dyn LimitStore> = Arc::new(RedisLimitStore::new(&redis.url()).unwrap());
        let memory: Arc<dyn LimitStore> = Arc::new(MemoryLimitStore::new());
        decisions(&redis_store, 1).await; // warm-up: connect, load the script

        for concurrency in [1, 32] {
            let mut runs = Vec::with_capacity(RUNS);
            for _ in 0..RUNS {
                runs.push(decisions(&redis_store, concurrency).await);
            }
            println!(
                "limiter decisions through Redis, {concurrency:>2} concurrent: {:>8.0} /s (median of {RUNS})",
                median(runs)
            );
        }
        let mut with_memory = Vec::new();
        let mut with_redis = Vec::new();
        for _ in 0..RUNS {
            with_memory.push(send_latency(&emu, memory.clone()).await);
            with_redis.push(send_latency(&emu, redis_store.clone()).await);
        }
        let (m, r) = (median(with_memory), median(with_redis));
        println!("send latency, counts in memory: {m:.3} ms; in Redis: {r:.3} ms; added {:.3} ms", r - m);
    });
}
