//! Load generator: `message/send` over keep-alive HTTP/1.1 connections against an emulator
//! on 127.0.0.1, many requests in flight, for a bounded time.
//!
//! ```sh
//! cargo bench -p wecom-emulator --bench load -- [--connections 64] [--seconds 10] [--runs 3] [--users 10000]
//! # raised limits: WeCom's per-member limits set to N a minute (60 N an hour), few members
//! cargo bench -p wecom-emulator --bench load -- --limit 100000 --users 100
//! # memory over a long run: send M messages in one run, report RSS along the way
//! cargo bench -p wecom-emulator --bench load -- --limit 100000 --users 100 --total 2000000 [--retain 100000]
//! ```
//!
//! The client is a minimal HTTP/1.1 writer/reader over tokio sockets (like `wrk`), so that
//! the client's own cost stays small next to the server's on a shared machine. Every answer
//! is checked for `"errcode":0`. After each run the process's resident memory is printed
//! (`VmRSS` and its peak `VmHWM` from `/proc/self/status`; server and client together).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use wecom_emulator::{AppConfig, Config, DepartmentConfig, Emulator, Options, Secret, UserConfig};

struct Args {
    connections: usize,
    seconds: u64,
    runs: usize,
    users: usize,
    /// Per-member limit per minute (the hour's is 60 times it); `None`: WeCom's.
    limit: Option<u32>,
    /// Send this many messages in one run and report memory along the way.
    total: Option<u64>,
    /// `retain_messages`; `None`: the default.
    retain: Option<usize>,
}

fn args() -> Args {
    let mut a = Args {
        connections: 64,
        seconds: 10,
        runs: 3,
        users: 10_000,
        limit: None,
        total: None,
        retain: None,
    };
    let argv: Vec<String> = std::env::args().collect();
    let mut i = 1;
    while i < argv.len() {
        let next = argv.get(i + 1).and_then(|v| v.parse::<u64>().ok());
        match (argv[i].as_str(), next) {
            ("--connections", Some(v)) => a.connections = usize::try_from(v).unwrap_or(64),
            ("--seconds", Some(v)) => a.seconds = v,
            ("--runs", Some(v)) => a.runs = usize::try_from(v).unwrap_or(3),
            ("--users", Some(v)) => a.users = usize::try_from(v).unwrap_or(10_000),
            ("--limit", Some(v)) => a.limit = u32::try_from(v).ok(),
            ("--total", Some(v)) => a.total = Some(v),
            ("--retain", Some(v)) => a.retain = usize::try_from(v).ok(),
            _ => {}
        }
        i += 1;
    }
    a
}

fn config(a: &Args) -> Config {
    let users = a.users;
    let mut options = Options::default();
    if let Some(limit) = a.limit {
        options.member_limit_per_minute = limit;
        options.member_limit_per_hour = limit.saturating_mul(60);
    }
    if let Some(retain) = a.retain {
        options.retain_messages = retain;
    }
    Config {
        corp_id: "wwload".to_owned(),
        corp_name: "Load".to_owned(),
        options,
        apps: vec![AppConfig {
            agentid: 1_000_002,
            name: "load".to_owned(),
            secret: Secret::new("load-secret"),
            enabled: true,
            visible_users: vec![],
            visible_parties: vec![1],
            visible_tags: vec![],
            callback_url: None,
            callback_token: None,
            encoding_aes_key: None,
            miniprogram_appid: None,
        }],
        users: (0..users)
            .map(|i| UserConfig {
                userid: format!("user{i}"),
                name: String::new(),
                departments: vec![1],
                licensed: true,
            })
            .collect(),
        departments: vec![DepartmentConfig { id: 1, name: "Load".to_owned(), parentid: 0 }],
        tags: vec![],
        aibots: vec![],
        groups: vec![],
    }
}

/// Requests cycled through by the connections: text messages to different members.
fn requests(addr: &str, token: &str, users: usize) -> Vec<Vec<u8>> {
    (0..1024)
        .map(|i| {
            let body = format!(
                r#"{{"touser":"user{}","msgtype":"text","agentid":1000002,"text":{{"content":"Build #{i} passed. See https://ci.example.com/builds/{i}"}},"safe":0}}"#,
                (i * 7919) % users
            );
            format!(
                "POST /cgi-bin/message/send?access_token={token} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
            .into_bytes()
        })
        .collect()
}

/// Reads one response; returns whether it was `errcode` 0.
async fn read_response(stream: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<bool> {
    buf.clear();
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = std::str::from_utf8(&buf[..end]).unwrap_or("");
            let len = head
                .lines()
                .find_map(|l| {
                    l.strip_prefix("content-length: ")
                        .or_else(|| l.strip_prefix("Content-Length: "))
                })
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            let total = end + 4 + len;
            while buf.len() < total {
                let mut chunk = [0u8; 4096];
                let n = stream.read(&mut chunk).await?;
                if n == 0 {
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let body = &buf[end + 4..total];
            return Ok(body.windows(12).any(|w| w == b"\"errcode\":0,"));
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// CPU time this process (server and client) has used, in seconds, from `/proc/self/stat`
/// (user + system; Linux reports it in USER_HZ = 100 ticks per second).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    // Fields 14 and 15 of stat are utime and stime; `fields` starts at field 3.
    #[allow(clippy::cast_precision_loss)]
    let secs = (ticks(11) + ticks(12)) as f64 / 100.0;
    secs
}

/// Resident memory of this process in MiB: now (`VmRSS`) and peak (`VmHWM`).
fn rss_mib() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (kib("VmRSS:") / 1024.0, kib("VmHWM:") / 1024.0)
}

/// Requests per second of wall time, requests per CPU-second, and bad answers.
async fn run_once(
    addr: &str,
    reqs: Arc<Vec<Vec<u8>>>,
    connections: usize,
    seconds: u64,
) -> (f64, f64, u64) {
    let ok = Arc::new(AtomicU64::new(0));
    let bad = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for c in 0..connections {
        let (reqs, ok, bad, stop, addr) =
            (reqs.clone(), ok.clone(), bad.clone(), stop.clone(), addr.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut stream = TcpStream::connect(&addr).await.expect("connect");
            stream.set_nodelay(true).ok();
            let mut buf = Vec::with_capacity(8192);
            let mut i = c * 131;
            while !stop.load(Ordering::Relaxed) {
                stream.write_all(&reqs[i % reqs.len()]).await.expect("write");
                match read_response(&mut stream, &mut buf).await {
                    Ok(true) => ok.fetch_add(1, Ordering::Relaxed),
                    Ok(false) => bad.fetch_add(1, Ordering::Relaxed),
                    Err(e) => panic!("connection failed: {e}"),
                };
                i += 1;
            }
        }));
    }
    let start = Instant::now();
    let cpu_start = cpu_seconds();
    let before = ok.load(Ordering::Relaxed);
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    let done = ok.load(Ordering::Relaxed) - before;
    let elapsed = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu_start;
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        let _ = t.await;
    }
    #[allow(clippy::cast_precision_loss)]
    let (rate, per_cpu) = (done as f64 / elapsed, done as f64 / cpu.max(0.01));
    (rate, per_cpu, bad.load(Ordering::Relaxed))
}

/// Sends `total` messages over `connections`, printing the rate and memory every tenth.
#[allow(clippy::print_stdout, clippy::cast_precision_loss)]
async fn run_total(addr: &str, reqs: Arc<Vec<Vec<u8>>>, connections: usize, total: u64) {
    let sent = Arc::new(AtomicU64::new(0));
    let bad = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for c in 0..connections {
        let (reqs, sent, bad, addr) = (reqs.clone(), sent.clone(), bad.clone(), addr.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut stream = TcpStream::connect(&addr).await.expect("connect");
            stream.set_nodelay(true).ok();
            let mut buf = Vec::with_capacity(8192);
            let mut i = c * 131;
            while sent.fetch_add(1, Ordering::Relaxed) < total {
                stream.write_all(&reqs[i % reqs.len()]).await.expect("write");
                if !read_response(&mut stream, &mut buf).await.expect("read") {
                    bad.fetch_add(1, Ordering::Relaxed);
                }
                i += 1;
            }
        }));
    }
    let start = Instant::now();
    let step = (total / 10).max(1);
    let mut next = step;
    let mut last = (Instant::now(), 0u64);
    while next <= total {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let done = sent.load(Ordering::Relaxed).min(total);
        if done >= next {
            let (rss, peak) = rss_mib();
            let rate = (done - last.1) as f64 / last.0.elapsed().as_secs_f64();
            println!(
                "{done:>9} messages after {:>5.1} s: {rate:.0}/s, RSS {rss:.0} MiB (peak {peak:.0} MiB)",
                start.elapsed().as_secs_f64()
            );
            last = (Instant::now(), done);
            next += step;
        }
    }
    for t in tasks {
        let _ = t.await;
    }
    let (rss, peak) = rss_mib();
    println!(
        "{total} messages in {:.1} s ({:.0}/s), {} answers without errcode 0, RSS {rss:.0} MiB, peak {peak:.0} MiB",
        start.elapsed().as_secs_f64(),
        total as f64 / start.elapsed().as_secs_f64(),
        bad.load(Ordering::Relaxed)
    );
}

#[allow(clippy::print_stdout)]
fn main() {
    let a = args();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let emu = Emulator::start(config(&a)).await.expect("emulator");
        let addr = emu.addr().to_string();
        let http = reqwest::Client::builder().no_proxy().build().expect("client");
        let token: serde_json::Value = http
            .get(format!(
                "{}/cgi-bin/gettoken?corpid=wwload&corpsecret=load-secret",
                emu.base_url()
            ))
            .send()
            .await
            .expect("gettoken")
            .json()
            .await
            .expect("token json");
        let token = token["access_token"].as_str().expect("token").to_owned();
        let reqs = Arc::new(requests(&addr, &token, a.users));
        if let Some(total) = a.total {
            let (rss, _) = rss_mib();
            println!("RSS before: {rss:.0} MiB ({} members)", a.users);
            run_total(&addr, reqs, a.connections, total).await;
            return;
        }
        // Warm up (connections, allocator, caches).
        run_once(&addr, reqs.clone(), a.connections, 2).await;
        let (mut rates, mut per_cpu) = (Vec::new(), Vec::new());
        for r in 0..a.runs {
            emu.state().reset_messages();
            let (rate, cpu_rate, bad) = run_once(&addr, reqs.clone(), a.connections, a.seconds).await;
            let (rss, peak) = rss_mib();
            println!(
                "run {}: {rate:.0} message/send per second, {cpu_rate:.0} per CPU-second of server + client \
                 ({bad} answers without errcode 0), RSS {rss:.0} MiB (peak {peak:.0} MiB)",
                r + 1
            );
            rates.push(rate);
            per_cpu.push(cpu_rate);
        }
        rates.sort_by(f64::total_cmp);
        per_cpu.sort_by(f64::total_cmp);
        println!(
            "median of {} runs: {:.0} requests/s, {:.0} requests per CPU-second ({} connections, {} s each, {} members, limits {})",
            a.runs,
            rates[rates.len() / 2],
            per_cpu[per_cpu.len() / 2],
            a.connections,
            a.seconds,
            a.users,
            a.limit.map_or_else(|| "30/min".to_owned(), |l| format!("{l}/min"))
        );
    });
}
