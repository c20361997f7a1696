//! Webhook figures: splitting a 1 MiB markdown document into messages of 4,096 bytes, and
//! webhook sends per second against the emulator (in this process) with the throttle off.
//!
//! ```text
//! cargo bench -p wecom-e2e --bench webhook
//! ```
//!
//! Prints the median of several runs of each. The emulator's per-bot limit is lifted for the
//! send runs (every request is still parsed, validated and stored), so what is measured is the
//! client and the emulator, not WeCom's 20 per minute.
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::cast_precision_loss)]

use std::time::{Duration, Instant};

use futures::StreamExt as _;

use wecom::webhook::split::{SplitMode, split};
use wecom::webhook::{WebhookClient, WebhookText};
use wecom_emulator::{Config, DEMO_WEBHOOK_KEY, Emulator};

const RUNS: usize = 7;

/// A markdown document of at least `bytes` bytes: headings, paragraphs with CJK text, lists,
/// tables and code blocks, repeated.
fn document(bytes: usize) -> String {
    let section = "## 服务 order-svc 日报\n\n\
        发布 3 次，回滚 1 次；p99 延迟 180ms，连接池使用率 72%。**注意**：pay-svc 告警。\n\n\
        - order-svc v1.4.2 ✅\n  - canary 100%\n- pay-svc v2.0.0 ❌\n\n\
        | 服务 | p99 | 状态 |\n| :--- | :---: | ---: |\n| order | 180ms | 正常 |\n| pay | 2.1s | 告警 |\n\n\
        ```sh\nkubectl rollout undo deploy/pay-svc\nkubectl get pods -l app=pay-svc\n```\n\n";
    let mut doc = String::with_capacity(bytes + section.len());
    while doc.len() < bytes {
        doc.push_str(section);
    }
    doc
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn bench_split() {
    let doc = document(1 << 20);
    let mut times = Vec::new();
    let mut pieces = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        let out = split(&doc, 4096, SplitMode::Markdown);
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        pieces = std::hint::black_box(out).len();
    }
    let ms = median(times);
    println!(
        "split      {:.2} MiB markdown into {pieces} messages of ≤4096 bytes: median {ms:.2} ms ({:.0} MiB/s), {RUNS} runs",
        doc.len() as f64 / f64::from(1 << 20),
        doc.len() as f64 / f64::from(1 << 20) / (ms / 1000.0)
    );
}

async fn sends(client: &WebhookClient, total: usize, in_flight: usize) -> Duration {
    let started = Instant::now();
    let mut next = 0;
    let mut running = futures::stream::FuturesUnordered::new();
    while next < total || !running.is_empty() {
        while next < total && running.len() < in_flight {
            let client = client.clone();
            let text = WebhookText::new(format!("alert {next}: order-svc p99 = 2.4s"));
            running.push(async move { client.send(text).await });
            next += 1;
        }
        if let Some(result) = running.next().await {
            result.expect("the send succeeds");
        }
    }
    started.elapsed()
}

async fn bench_sends() {
    let mut config = Config::demo();
    config.options.webhook_limit = u32::MAX;
    config.options.webhook_window_ms = 1000;
    let emu = Emulator::start(config).await.expect("the emulator starts");
    let client = WebhookClient::builder(DEMO_WEBHOOK_KEY).base_url(emu.base_url()).build().unwrap();
    for (name, total, in_flight) in [("sequential", 2000, 1), ("inflight16", 4000, 16)] {
        sends(&client, 200, in_flight).await; // warm-up: connections, allocations
        let mut rates = Vec::new();
        for _ in 0..RUNS {
            let elapsed = sends(&client, total, in_flight).await;
            rates.push(total as f64 / elapsed.as_secs_f64());
        }
        println!(
            "send       {name:<10} {total} text messages: median {:.0} messages/s, {RUNS} runs",
            median(rates)
        );
        emu.state().reset();
    }
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    bench_split();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(bench_sends());
}
