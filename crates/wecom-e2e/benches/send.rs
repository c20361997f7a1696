//! Sending throughput, CPU cost and fan-out memory of the client, over loopback.
//!
//! ```text
//! cargo bench -p wecom-e2e --bench send                                  # against the stand-in
//! cargo bench -p wecom-e2e --bench send -- inflight64                    # one scenario
//! WECOM_BENCH_SERVER=emulator cargo bench -p wecom-e2e --bench send      # against the emulator
//! WECOM_BENCH_BASE_URL=http://127.0.0.1:8080 cargo bench -p wecom-e2e --bench send   # another server
//! ```
//!
//! The bench starts a server (this same binary, as a child process) and runs each scenario in
//! a child process of its own, so that the CPU time and the peak memory it reports are the
//! client's alone:
//!
//! * `sequential`: one text message at a time;
//! * `inflight64`: 64 messages in flight;
//! * `fanout`: one `send_bulk` to 100,000 recipients (100 requests of 1,000).
//!
//! Two servers are built in:
//!
//! * the **stand-in** (the default): a minimal WeCom that answers `gettoken` and
//!   `message/send` the way WeCom does, without parsing request bodies — the client's cost
//!   with the server's almost nil;
//! * the **emulator** (`WECOM_BENCH_SERVER=emulator`): `wecom-emulator` with a corp of
//!   100,000 members in one department visible to the app — every request fully validated,
//!   resolved against the visible range, checked against WeCom's per-member limits (30 a
//!   minute, 1,000 an hour, unchanged) and stored. So that no copy is dropped by those limits,
//!   messages in this mode go to the members in turn (`user000000`, `user000001`, …) instead
//!   of all to `alice`; the fan-out reaches all 100,000.
//!
//! For a server it started, the driver also prints the server's CPU time during each scenario.
//!
//! The client runs on tokio's multi-threaded runtime; `WECOM_BENCH_RUNTIME=current` runs it on
//! the single-threaded one instead.
//!
//! `WECOM_BENCH_BASE_URL` points the scenarios at a server started elsewhere that accepts corp
//! id `wwbench`, agent 1000002 and secret `bench-secret` (set `WECOM_BENCH_SERVER=emulator`
//! too if it only knows the members `user000000` to `user099999`).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use wecom::bulk::BulkOptions;
use wecom::{Client, Recipients, Text};

const CORP: &str = "wwbench";
const AGENT: i64 = 1_000_002;
const SECRET: &str = "bench-secret";
const SCENARIOS: [&str; 3] = ["sequential", "inflight64", "fanout"];
/// Members of the fan-out (and of the emulator's corp).
const FANOUT: u64 = 100_000;

/// Whether the server is the emulator (`WECOM_BENCH_SERVER=emulator`), read once by every
/// process.
fn emulator_mode() -> bool {
    static MODE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *MODE.get_or_init(|| std::env::var("WECOM_BENCH_SERVER").as_deref() == Ok("emulator"))
}

/// The `i`-th member id of the fan-out: `user000000` …
fn member(i: u64) -> String {
    format!("user{:06}", i % FANOUT)
}

/// Who the `i`-th message goes to: always `alice` for the stand-in; the members in turn for
/// the emulator, which applies WeCom's per-member limits.
fn recipient(i: u64) -> Recipients {
    if emulator_mode() {
        Recipients::user(member(i)).into()
    } else {
        Recipients::user("alice").into()
    }
}

fn main() {
    match std::env::var("WECOM_BENCH_ROLE").as_deref() {
        Ok("server") if emulator_mode() => emulator_server(),
        Ok("server") => server(),
        Ok("client") => {
            let scenario = std::env::var("WECOM_BENCH_SCENARIO").expect("WECOM_BENCH_SCENARIO");
            let base_url = std::env::var("WECOM_BENCH_BASE_URL").expect("WECOM_BENCH_BASE_URL");
            client(&scenario, &base_url);
        }
        _ => driver(),
    }
}

/// Starts the server (unless given one), runs every selected scenario in its own process and
/// prints their results.
fn driver() {
    let filters: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let exe = std::env::current_exe().expect("own path");
    let (base_url, mut server) = if let Ok(url) = std::env::var("WECOM_BENCH_BASE_URL") {
        (url, None)
    } else {
        let mut child = Command::new(&exe)
            .env("WECOM_BENCH_ROLE", "server")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the bench server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("server stdout"))
            .read_line(&mut line)
            .expect("server address");
        (line.trim().to_owned(), Some(child))
    };
    let kind = if emulator_mode() { "emulator" } else { "stand-in" };
    println!("server: {base_url} ({kind})");
    for scenario in SCENARIOS {
        if !filters.is_empty() && !filters.iter().any(|f| scenario.contains(f.as_str())) {
            continue;
        }
        let server_pid = server.as_ref().map(|s| s.id().to_string());
        let server_cpu = server_pid.as_deref().map(cpu_time_of);
        let output = Command::new(&exe)
            .env("WECOM_BENCH_ROLE", "client")
            .env("WECOM_BENCH_SCENARIO", scenario)
            .env("WECOM_BENCH_BASE_URL", &base_url)
            .stderr(Stdio::inherit())
            .output()
            .expect("run a scenario");
        std::io::stdout().write_all(&output.stdout).expect("stdout");
        assert!(output.status.success(), "scenario {scenario} failed");
        if let (Some(pid), Some(before)) = (server_pid.as_deref(), server_cpu) {
            let used = cpu_time_of(pid).saturating_sub(before);
            println!("  server CPU {:.0} ms (warm-up included)", used.as_secs_f64() * 1e3);
        }
    }
    if let Some(server) = &mut server {
        // Closing its stdin tells the server to stop.
        drop(server.stdin.take());
        let _ = server.wait();
    }
}

fn client(scenario: &str, base_url: &str) {
    // WECOM_BENCH_RUNTIME=current runs the client on a single-threaded runtime.
    let runtime = if std::env::var("WECOM_BENCH_RUNTIME").as_deref() == Ok("current") {
        tokio::runtime::Builder::new_current_thread().enable_all().build()
    } else {
        tokio::runtime::Builder::new_multi_thread().enable_all().build()
    }
    .expect("runtime");
    runtime.block_on(async {
        let client =
            Client::builder(CORP, AGENT, SECRET).base_url(base_url).build().expect("client");
        // Token and connections warm.
        for i in 0..200 {
            client.send(recipient(i), Text::new("warm-up")).await.expect("send");
        }
        match scenario {
            "sequential" => sequential(&client).await,
            "inflight64" => in_flight(&client, 64).await,
            "fanout" => fanout(&client).await,
            other => panic!("unknown scenario {other}"),
        }
    });
}

async fn sequential(client: &Client) {
    let n = 20_000;
    let cpu = cpu_time();
    let start = Instant::now();
    for i in 0..n {
        client.send(recipient(i), Text::new(format!("message {i}"))).await.expect("send");
    }
    report("sequential", n, start.elapsed(), cpu_time().saturating_sub(cpu));
}

async fn in_flight(client: &Client, tasks: u64) {
    let n: u64 = 200_000;
    let next = Arc::new(AtomicU64::new(0));
    let cpu = cpu_time();
    let start = Instant::now();
    let workers: Vec<_> = (0..tasks)
        .map(|_| {
            let client = client.clone();
            let next = Arc::clone(&next);
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    client.send(recipient(i), Text::new("build #42 passed")).await.expect("send");
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.expect("worker");
    }
    report(&format!("inflight{tasks}"), n, start.elapsed(), cpu_time().saturating_sub(cpu));
}

async fn fanout(client: &Client) {
    let n = FANOUT;
    let rss_before = rss_kib("VmRSS");
    let users: Vec<String> = (0..n).map(member).collect();
    let cpu = cpu_time();
    let start = Instant::now();
    let report = client
        .send_bulk(users, Text::new("The office is closed on Friday."), BulkOptions::new())
        .await
        .expect("bulk send");
    let elapsed = start.elapsed();
    assert_eq!(u64::try_from(report.totals().delivered).expect("count"), n);
    let cpu = cpu_time().saturating_sub(cpu);
    println!(
        "fanout: {n} recipients in {} requests, {:.0} ms, CPU {:.0} ms, RSS before {} KiB, peak \
         {} KiB (+{} KiB)",
        report.batches().len(),
        elapsed.as_secs_f64() * 1e3,
        cpu.as_secs_f64() * 1e3,
        rss_before,
        rss_kib("VmHWM"),
        rss_kib("VmHWM").saturating_sub(rss_before),
    );
}

fn report(name: &str, n: u64, elapsed: Duration, cpu: Duration) {
    #[allow(clippy::cast_precision_loss)]
    let n_f = n as f64;
    println!(
        "{name}: {n} messages in {:.2} s = {:.0} msg/s; client CPU {:.1} µs/msg",
        elapsed.as_secs_f64(),
        n_f / elapsed.as_secs_f64(),
        cpu.as_secs_f64() * 1e6 / n_f,
    );
}

/// User + system CPU time of this process (clock ticks of 10 ms).
fn cpu_time() -> Duration {
    cpu_time_of("self")
}

/// User + system CPU time of process `pid` (or `self`), from `/proc/<pid>/stat`.
fn cpu_time_of(pid: &str) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let rest = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 =
        fields.get(11..13).map_or(0, |f| f.iter().filter_map(|v| v.parse::<u64>().ok()).sum());
    Duration::from_millis(ticks * 10)
}

/// A memory figure of this process from `/proc/self/status`, in KiB.
fn rss_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| {
            line.strip_prefix(field)?
                .strip_prefix(':')?
                .trim()
                .strip_suffix("kB")?
                .trim()
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

/// The WeCom stand-in: `gettoken` issues one token, `message/send` answers a msgid without
/// parsing the body. Prints its address, serves until stdin closes.
fn server() {
    use axum::Router;
    use axum::http::{StatusCode, Uri, header};
    use axum::response::IntoResponse;
    use axum::routing::{get, post};

    static IDS: AtomicU64 = AtomicU64::new(0);
    const TOKEN: &str = "BENCH-ACCESS-TOKEN-0123456789abcdef";

    async fn gettoken(uri: Uri) -> impl IntoResponse {
        let q = uri.query().unwrap_or_default();
        let body = if q.contains(&format!("corpid={CORP}"))
            && q.contains(&format!("corpsecret={SECRET}"))
        {
            format!(r#"{{"errcode":0,"errmsg":"ok","access_token":"{TOKEN}","expires_in":7200}}"#)
        } else {
            r#"{"errcode":40001,"errmsg":"invalid credential"}"#.to_owned()
        };
        ([(header::CONTENT_TYPE, "application/json")], body)
    }

    async fn send(uri: Uri, body: axum::body::Bytes) -> impl IntoResponse {
        let authorised = uri.query().is_some_and(|q| q.contains(TOKEN));
        let reply = if !authorised {
            r#"{"errcode":40014,"errmsg":"invalid access_token"}"#.to_owned()
        } else if body.is_empty() {
            r#"{"errcode":40058,"errmsg":"invalid parameter"}"#.to_owned()
        } else {
            let id = IDS.fetch_add(1, Ordering::Relaxed);
            format!(r#"{{"errcode":0,"errmsg":"ok","msgid":"MSG{id}"}}"#)
        };
        (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], reply)
    }

    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let app = Router::new()
            .route("/cgi-bin/gettoken", get(gettoken))
            .route("/cgi-bin/message/send", post(send));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        println!("http://{}", listener.local_addr().expect("address"));
        std::io::stdout().flush().expect("flush");
        tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
        // Serve until the driver closes our stdin.
        tokio::task::spawn_blocking(|| {
            let mut sink = String::new();
            while std::io::stdin().read_line(&mut sink).is_ok_and(|n| n > 0) {}
        })
        .await
        .expect("stdin");
    });
}

/// The emulator as the server: a corp of [`FANOUT`] members in one department, all visible
/// to the app, with WeCom's limits. Prints its address, serves until stdin closes.
fn emulator_server() {
    let users: Vec<serde_json::Value> = (0..FANOUT)
        .map(|i| serde_json::json!({ "userid": member(i), "departments": [1] }))
        .collect();
    let config: wecom_emulator::Config = serde_json::from_value(serde_json::json!({
        "corp_id": CORP,
        "corp_name": "Bench Corp",
        "departments": [{ "id": 1, "name": "Bench Corp" }],
        "users": users,
        "apps": [{ "agentid": AGENT, "name": "Bench", "secret": SECRET, "visible_parties": [1] }],
    }))
    .expect("bench corp");
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let emulator = wecom_emulator::Emulator::start(config).await.expect("start the emulator");
        println!("{}", emulator.base_url());
        std::io::stdout().flush().expect("flush");
        tokio::task::spawn_blocking(|| {
            let mut sink = String::new();
            while std::io::stdin().read_line(&mut sink).is_ok_and(|n| n > 0) {}
        })
        .await
        .expect("stdin");
        drop(emulator);
    });
}
