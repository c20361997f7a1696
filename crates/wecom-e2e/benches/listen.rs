//! `wecom listen` against the library server it is built on, under the same load.
//!
//! Each round starts two servers, one after the other, as processes of their own with the
//! same number of worker threads: the library's `CallbackServer` answering every text with a
//! passive text (this binary, re-run as the server), and `wecom listen --reply ok` (which also
//! prints every callback as a JSON line, here into `/dev/null`). The same load generator then
//! drives each for the same time: keep-alive connections, one request in flight each, every
//! request a distinct pre-encrypted text callback. Requests/s and latency percentiles per
//! round, then the medians and the ratio of `listen` to the library.
//!
//! ```sh
//! cargo build --release -p wecom-sdk-cli
//! cargo bench -p wecom-e2e --bench listen -- [--secs 5] [--conns 64] [--rounds 3] [--wecom target/release/wecom]
//! ```

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::cast_precision_loss)]

use std::io::{BufRead as _, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::net::TcpStream;
use wecom_callback::{Callback, CallbackServer, MessageBody, Mode, Reply};
use wecom_msgcrypt::MsgCrypt;

#[path = "support/load.rs"]
mod load;

use load::{CORP, KEY, TOKEN, prepare, raw_roundtrip};

/// Set in the environment of this binary when it runs as the library server.
const SERVE_ENV: &str = "WECOM_BENCH_LIBRARY_SERVER";

struct Args {
    secs: u64,
    conns: usize,
    rounds: usize,
    wecom: PathBuf,
}

fn args() -> Args {
    let default_bin = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/release/wecom");
    let mut a = Args { secs: 5, conns: 64, rounds: 3, wecom: default_bin };
    let argv: Vec<String> = std::env::args().collect();
    let mut i = 1;
    while i < argv.len() {
        let value = argv.get(i + 1).cloned().unwrap_or_default();
        match argv[i].as_str() {
            "--secs" => a.secs = value.parse().expect("--secs N"),
            "--conns" => a.conns = value.parse().expect("--conns N"),
            "--rounds" => a.rounds = value.parse().expect("--rounds N"),
            "--wecom" => a.wecom = PathBuf::from(value),
            _ => {
                i += 1; // `--bench` and other flags cargo passes
                continue;
            }
        }
        i += 2;
    }
    a
}

/// A runtime of one worker per core: each server's, and the load generator's.
fn runtime() -> tokio::runtime::Runtime {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    tokio::runtime::Builder::new_multi_thread().worker_threads(cores).enable_all().build().unwrap()
}

/// The library server: what `wecom listen --reply ok` does, without the JSON lines.
fn serve_library() {
    runtime().block_on(async {
        let crypt = MsgCrypt::new(TOKEN, KEY, CORP).unwrap();
        let server = CallbackServer::new(crypt, |cb: Callback| async move {
            Ok::<_, std::convert::Infallible>(match cb {
                Callback::Message(m) if matches!(m.body, MessageBody::Text(_)) => {
                    Some(Reply::text("ok"))
                }
                _ => None,
            })
        })
        .mode(Mode::reply(Duration::from_secs(4)));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        println!("listening on http://{}/", listener.local_addr().unwrap());
        server.serve_on(listener).await.unwrap();
    });
}

struct Round {
    rps: f64,
    p50: u32,
    p99: u32,
}

/// Drives the server at `addr` with `requests` from `conns` connections for `secs`.
fn load(addr: &str, requests: &Arc<Vec<Vec<u8>>>, conns: usize, secs: u64) -> Round {
    runtime().block_on(async {
        let next = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let started = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..conns {
            let (requests, next, stop) =
                (Arc::clone(requests), Arc::clone(&next), Arc::clone(&stop));
            let addr = addr.to_owned();
            tasks.push(tokio::spawn(async move {
                let mut latencies: Vec<u32> = Vec::with_capacity(1 << 16);
                let mut stream = TcpStream::connect(&addr).await.unwrap();
                stream.set_nodelay(true).unwrap();
                let mut buf = Vec::with_capacity(4096);
                while !stop.load(Ordering::Relaxed) {
                    let Some(request) = requests.get(next.fetch_add(1, Ordering::Relaxed)) else {
                        break;
                    };
                    let t = Instant::now();
                    let (status, len) = raw_roundtrip(&mut stream, request, &mut buf).await;
                    assert!(status == 200 && len > 0, "bad response: status {status}, {len} bytes");
                    latencies.push(u32::try_from(t.elapsed().as_micros()).unwrap_or(u32::MAX));
                }
                latencies
            }));
        }
        tokio::time::sleep(Duration::from_secs(secs)).await;
        stop.store(true, Ordering::Relaxed);
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await.unwrap());
        }
        let elapsed = started.elapsed().as_secs_f64();
        assert!(next.load(Ordering::Relaxed) < requests.len(), "ran out of prepared requests");
        all.sort_unstable();
        let pct = |per_mille: usize| all[(all.len() * per_mille / 1000).min(all.len() - 1)];
        Round { rps: all.len() as f64 / elapsed, p50: pct(500), p99: pct(990) }
    })
}

/// Starts a server process and reads the address it prints (`http://HOST:PORT/PATH`).
fn start(mut command: Command, announced_on_stderr: bool) -> (Child, String, String) {
    let mut child = if announced_on_stderr {
        command.stdout(Stdio::null()).stderr(Stdio::piped())
    } else {
        command.stdout(Stdio::piped()).stderr(Stdio::inherit())
    }
    .spawn()
    .expect("cannot start the server");
    let pipe: Box<dyn std::io::Read + Send> = if announced_on_stderr {
        Box::new(child.stderr.take().unwrap())
    } else {
        Box::new(child.stdout.take().unwrap())
    };
    let mut lines = BufReader::new(pipe).lines();
    let url = loop {
        let line = lines.next().expect("the server exited before listening").unwrap();
        if let Some(at) = line.find("http://") {
            break line[at + "http://".len()..].split_whitespace().next().unwrap().to_owned();
        }
    };
    // Keep draining whatever the server prints afterwards.
    std::thread::spawn(move || lines.for_each(drop));
    let (host, path) = url.split_once('/').map_or((url.clone(), String::new()), |(h, p)| {
        (h.to_owned(), p.trim_end_matches('/').to_owned())
    });
    (child, host, format!("/{path}"))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    if std::env::var_os(SERVE_ENV).is_some() {
        serve_library();
        return;
    }
    let a = args();
    assert!(
        a.wecom.exists(),
        "{} not found: build it first (cargo build --release -p wecom-sdk-cli) or pass --wecom PATH",
        a.wecom.display()
    );
    // Enough distinct requests for 100,000 requests/s (about 100 MB per second of run).
    let count = usize::try_from(a.secs).unwrap() * 100_000;
    let crypt = MsgCrypt::new(TOKEN, KEY, CORP).unwrap();
    let callbacks = prepare(&crypt, count);
    let mut results: [Vec<Round>; 2] = [Vec::new(), Vec::new()];
    let names = ["library CallbackServer", "wecom listen --reply ok"];
    for round in 1..=a.rounds {
        for (which, name) in names.iter().enumerate() {
            let (mut child, host, path) = if which == 0 {
                let mut c = Command::new(std::env::current_exe().unwrap());
                c.env(SERVE_ENV, "1");
                start(c, false)
            } else {
                let mut c = Command::new(&a.wecom);
                c.args(["listen", "--port", "0", "--reply", "ok"])
                    .args(["--token", TOKEN, "--aes-key", KEY, "--corp-id", CORP])
                    .env("RUST_LOG", "warn");
                start(c, true)
            };
            let requests = Arc::new(callbacks.iter().map(|c| c.render(&host, &path)).collect());
            let r = load(&host, &requests, a.conns, a.secs);
            child.kill().ok();
            child.wait().ok();
            println!(
                "round {round} {name:<24} {:>9.0} req/s  p50 {:>6} µs  p99 {:>6} µs",
                r.rps, r.p50, r.p99
            );
            results[which].push(r);
        }
    }
    let summary: Vec<(f64, f64, f64)> = results
        .iter()
        .map(|rs| {
            (
                median(rs.iter().map(|r| r.rps).collect()),
                median(rs.iter().map(|r| f64::from(r.p50)).collect()),
                median(rs.iter().map(|r| f64::from(r.p99)).collect()),
            )
        })
        .collect();
    for (name, (rps, p50, p99)) in names.iter().zip(&summary) {
        println!("median {name:<24} {rps:>9.0} req/s  p50 {p50:>6.0} µs  p99 {p99:>6.0} µs");
    }
    let (lib, cli) = (summary[0], summary[1]);
    println!(
        "wecom listen / library: throughput {:.1}%, p99 {:.1}%",
        cli.0 / lib.0 * 100.0,
        cli.2 / lib.2 * 100.0
    );
}
