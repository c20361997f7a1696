//! Load benchmark: the callback server on 127.0.0.1 and a load generator in the same
//! process, sharing the machine's cores.
//!
//! Every request is a distinct, pre-encrypted text-message callback (its own `MsgId`, so
//! de-duplication never short-circuits it) that goes through the whole path: body limit,
//! query parsing, signature, decryption, XML parsing, de-duplication, the handler on its own
//! task, and an encrypted text reply. Keep-alive connections each send one request at a
//! time; requests/s and latency percentiles are reported.
//!
//! ```sh
//! cargo bench -p wecom-e2e --bench callback -- [--secs 5] [--conns 64] [--threads 2] [--client raw|reqwest] [--split]
//! ```
//!
//! `--client raw` (default) is a minimal HTTP/1.1 keep-alive client on tokio (pre-rendered
//! requests, `Content-Length` responses), as light as a load generator can be so that most of
//! the shared CPU goes to the server; `--client reqwest` uses reqwest (heavier per request).
//!
//! `--split` runs the server on one runtime thread (`wecom-srv`) and the load generator on
//! another (`load-gen`) and reports each one's CPU time per request, a figure that holds
//! even when other work shares the machine.

#![allow(clippy::print_stdout, clippy::cast_precision_loss)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::net::TcpStream;
use wecom_callback::{Callback, CallbackServer, MessageBody, Reply};
use wecom_msgcrypt::MsgCrypt;

#[path = "support/load.rs"]
mod load;

use load::{CORP, KEY, TOKEN, prepare, raw_roundtrip};

struct Args {
    secs: usize,
    conns: usize,
    threads: usize,
    raw: bool,
    split: bool,
}

fn args() -> Args {
    let mut a = Args { secs: 5, conns: 64, threads: 2, raw: true, split: false };
    let argv: Vec<String> = std::env::args().collect();
    let mut i = 1;
    while i < argv.len() {
        let value = argv.get(i + 1).cloned().unwrap_or_default();
        match argv[i].as_str() {
            "--secs" => a.secs = value.parse().expect("--secs N"),
            "--conns" => a.conns = value.parse().expect("--conns N"),
            "--threads" => a.threads = value.parse().expect("--threads N"),
            "--client" => a.raw = value != "reqwest",
            "--split" => {
                a.split = true;
                i += 1;
                continue;
            }
            _ => {
                i += 1; // `--bench` and other flags cargo passes
                continue;
            }
        }
        i += 2;
    }
    a
}

/// CPU seconds used by each thread whose name starts with `prefix`.
fn threads_cpu_secs(prefix: &str) -> f64 {
    let Ok(dir) = std::fs::read_dir("/proc/self/task") else { return 0.0 };
    dir.filter_map(|e| std::fs::read_to_string(e.ok()?.path().join("stat")).ok())
        .filter_map(|stat| {
            let (head, rest) = stat.rsplit_once(')')?;
            let name = head.split_once('(')?.1;
            if !name.starts_with(prefix) {
                return None;
            }
            let f: Vec<&str> = rest.split_whitespace().collect();
            Some((f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?) as f64 / 100.0)
        })
        .sum()
}

/// CPU time this process has used (user + system), from `/proc/self/stat`; `None` where
/// that file does not exist. Linux reports it in clock ticks of 1/100 s.
fn process_cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

fn main() {
    let a = args();
    let crypt = MsgCrypt::new(TOKEN, KEY, CORP).unwrap();
    // Enough distinct bodies for 120,000 requests/s over the run (about 70 MB per second of
    // run time).
    let count = (a.secs * 120_000).max(10_000);
    let started = Instant::now();
    let prepared = Arc::new(prepare(&crypt, count));
    println!("prepared {count} distinct encrypted callbacks in {:.1?}", started.elapsed());

    let (client_threads, server_rt) = if a.split {
        let server_rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("wecom-srv")
            .enable_all()
            .build()
            .unwrap();
        (1, Some(server_rt))
    } else {
        (a.threads, None)
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(client_threads)
        .thread_name(if a.split { "load-gen" } else { "shared" })
        .enable_all()
        .build()
        .unwrap();
    let server_handle = server_rt.as_ref().map(tokio::runtime::Runtime::handle).cloned();
    let split = a.split;
    rt.block_on(async move {
        let handled = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&handled);
        let server = CallbackServer::new(crypt, move |cb: Callback| {
            counter.fetch_add(1, Ordering::Relaxed);
            async move {
                Ok::<_, std::convert::Infallible>(match cb {
                    Callback::Message(m) => match m.body {
                        MessageBody::Text(t) => Some(Reply::text(t.content)),
                        _ => None,
                    },
                    _ => None,
                })
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let serve = async move { server.serve_on(listener).await.unwrap() };
        match &server_handle {
            Some(h) => drop(h.spawn(serve)),
            None => drop(tokio::spawn(serve)),
        }

        let next = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let t0 = Instant::now();
        let cpu0 = process_cpu_secs();
        let (srv0, gen0) = (threads_cpu_secs("wecom-srv"), threads_cpu_secs("load-gen"));
        let mut tasks = Vec::new();
        for _ in 0..a.conns {
            let (prepared, next, stop) = (Arc::clone(&prepared), Arc::clone(&next), Arc::clone(&stop));
            let raw = a.raw;
            tasks.push(tokio::spawn(async move {
                let mut latencies: Vec<u32> = Vec::with_capacity(1 << 16);
                let mut bad = 0usize;
                let client = reqwest::Client::builder().http1_only().build().unwrap();
                let mut stream = if raw { Some(TcpStream::connect(addr).await.unwrap()) } else { None };
                if let Some(s) = &stream {
                    s.set_nodelay(true).unwrap();
                }
                let mut buf = Vec::with_capacity(4096);
                while !stop.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(p) = prepared.get(i) else { break };
                    let t = Instant::now();
                    let (status, len) = if let Some(s) = &mut stream {
                        let request = format!(
                            "POST /?{} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: text/xml\r\ncontent-length: {}\r\n\r\n{}",
                            p.query,
                            p.body.len(),
                            p.body
                        );
                        raw_roundtrip(s, request.as_bytes(), &mut buf).await
                    } else {
                        let resp = client
                            .post(format!("http://{addr}/?{}", p.query))
                            .header("content-type", "text/xml")
                            .body(p.body.clone())
                            .send()
                            .await
                            .unwrap();
                        let status = resp.status().as_u16();
                        (status, resp.bytes().await.unwrap().len())
                    };
                    latencies.push(u32::try_from(t.elapsed().as_micros()).unwrap_or(u32::MAX));
                    if status != 200 || len == 0 {
                        bad += 1;
                    }
                }
                (latencies, bad)
            }));
        }
        tokio::time::sleep(Duration::from_secs(a.secs as u64)).await;
        stop.store(true, Ordering::Relaxed);
        let mut all = Vec::new();
        let mut bad = 0;
        for t in tasks {
            let (l, b) = t.await.unwrap();
            all.extend(l);
            bad += b;
        }
        let elapsed = t0.elapsed().as_secs_f64();
        let cpu = process_cpu_secs().zip(cpu0).map(|(b, a)| b - a);
        let (srv, gen_cpu) =
            (threads_cpu_secs("wecom-srv") - srv0, threads_cpu_secs("load-gen") - gen0);
        all.sort_unstable();
        let pct = |per_mille: usize| all[(all.len() * per_mille / 1000).min(all.len() - 1)];
        println!(
            "client={} conns={} threads={} secs={:.1}: {} requests, {:.0} req/s, p50 {} µs, p99 {} µs, \
             handled {}, bad responses {}",
            if a.raw { "raw" } else { "reqwest" },
            a.conns,
            a.threads,
            elapsed,
            all.len(),
            all.len() as f64 / elapsed,
            pct(500),
            pct(990),
            handled.load(Ordering::Relaxed),
            bad
        );
        if let Some(cpu) = cpu {
            println!(
                "CPU used (server + load generator): {cpu:.2} s = {:.1} µs per request",
                cpu * 1e6 / all.len() as f64
            );
        }
        if split {
            let n = all.len() as f64;
            println!(
                "server thread: {srv:.2} s CPU = {:.1} µs per request; load generator thread: {gen_cpu:.2} s = {:.1} µs per request",
                srv * 1e6 / n,
                gen_cpu * 1e6 / n
            );
        }
        if next.load(Ordering::Relaxed) >= prepared.len() {
            println!("warning: ran out of prepared bodies; raise the pool size");
        }
    });
}
