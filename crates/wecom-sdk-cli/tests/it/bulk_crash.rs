//! Bulk sends that are really interrupted: killed with SIGKILL while requests are in flight,
//! or stopped with Ctrl-C, then run again. Every member gets the message exactly once.
//!
//! A proxy between `wecom` and the emulator forwards every request, but holds the answers
//! to `message/send` past a chosen count: those requests have landed in the emulator while
//! `wecom` has not heard back — exactly the requests a crash leaves in doubt.

use crate::support;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::process::{Child, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use support::{Emu, stdout_json, tempdir, wecom_std};

const MEMBERS: usize = 4500;

/// Forwards to the emulator; answers to `message/send` number `pass + 1` and later wait
/// until `pass` is raised.
struct Proxy {
    upstream: String,
    http: reqwest::Client,
    landed: AtomicUsize,
    pass: AtomicUsize,
}

async fn forward(State(proxy): State<Arc<Proxy>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    let path = parts.uri.path_and_query().map(ToString::to_string).unwrap_or_default();
    let mut upstream = proxy.http.request(parts.method, format!("{}{path}", proxy.upstream));
    if let Some(ct) = parts.headers.get("content-type") {
        upstream = upstream.header("content-type", ct.as_bytes());
    }
    let answer = upstream.body(body).send().await.unwrap();
    let status = answer.status();
    let bytes = answer.bytes().await.unwrap();
    if parts.uri.path().ends_with("/message/send") {
        let n = proxy.landed.fetch_add(1, Ordering::SeqCst) + 1;
        while n > proxy.pass.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    Response::builder()
        .status(status.as_u16())
        .header("content-type", "application/json")
        .body(Body::from(bytes))
        .unwrap()
}

impl Proxy {
    fn start(emu: &Emu) -> (Arc<Proxy>, String) {
        let proxy = Arc::new(Proxy {
            upstream: emu.base_url().to_owned(),
            http: reqwest::Client::builder().no_proxy().build().unwrap(),
            landed: AtomicUsize::new(0),
            pass: AtomicUsize::new(usize::MAX),
        });
        let app = axum::Router::new().fallback(forward).with_state(Arc::clone(&proxy));
        let url = emu.rt.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let url = format!("http://{}", listener.local_addr().unwrap());
            tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
            url
        });
        (proxy, url)
    }

    fn landed(&self) -> usize {
        self.landed.load(Ordering::SeqCst)
    }

    /// Waits until more than `n` sends have landed.
    fn wait_landed_past(&self, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.landed() <= n {
            assert!(Instant::now() < deadline, "only {} sends landed", self.landed());
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

fn users_file(dir: &tempfile::TempDir) {
    let mut text = String::new();
    for i in 0..MEMBERS {
        let _ = writeln!(text, "u{i:05}");
    }
    std::fs::write(dir.path().join("users.txt"), text).unwrap();
}

fn spawn(emu: &Emu, proxy_url: &str, dir: &tempfile::TempDir, args: &[&str]) -> Child {
    wecom_std(dir)
        .env("WECOM_BASE_URL", proxy_url)
        .env("WECOM_CORP_ID", emu.handle.corp_id())
        .env("WECOM_AGENT_ID", support::AGENT_ID.to_string())
        .env("WECOM_SECRET", emu.secret())
        .arg("--json")
        .args(args)
        .args(["--to-file", "users.txt", "--concurrency", "2", "--rate", "100"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// How many copies of app messages each member got.
fn copies(emu: &Emu) -> HashMap<String, usize> {
    let mut count = HashMap::new();
    for m in emu.messages() {
        for r in &m.recipients {
            *count.entry(r.userid.clone()).or_default() += 1;
        }
    }
    count
}

/// Kills runs with SIGKILL while sends are in flight — after 0, 3 and 1 more answered
/// sends — then lets a last run finish; checks that everyone got exactly one copy.
fn killed_at_several_points_then_resumed(args: &[&str]) -> Emu {
    let emu = Emu::with_members(MEMBERS);
    let (proxy, url) = Proxy::start(&emu);
    let dir = tempdir();
    users_file(&dir);
    for answered in [0, 3, 1] {
        let before = proxy.landed();
        proxy.pass.store(before + answered, Ordering::SeqCst);
        let mut child = spawn(&emu, &url, &dir, args);
        proxy.wait_landed_past(before + answered);
        // Let the other batch of the wave land too, then kill.
        std::thread::sleep(Duration::from_millis(300));
        child.kill().unwrap();
        child.wait().unwrap();
    }
    proxy.pass.store(usize::MAX, Ordering::SeqCst);
    let out = spawn(&emu, &url, &dir, args).wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("resuming"), "{stderr}");
    assert_eq!(stdout_json(&out)["complete"], true);
    let copies = copies(&emu);
    assert_eq!(copies.len(), MEMBERS);
    let twice: Vec<_> = copies.iter().filter(|(_, n)| **n != 1).collect();
    assert!(
        twice.is_empty(),
        "{} member(s) got it more than once, e.g. {:?}",
        twice.len(),
        &twice[..twice.len().min(5)]
    );
    emu
}

#[test]
fn a_text_bulk_send_killed_mid_flight_reaches_everyone_exactly_once() {
    let emu = killed_at_several_points_then_resumed(&[
        "send",
        "text",
        "Payday",
        "--duplicate-check",
        "600",
    ]);
    let suppressed: u32 = emu.messages().iter().map(|m| m.duplicates_suppressed).sum();
    assert!(suppressed > 0, "no request was in flight at a kill");
}

#[test]
fn a_card_bulk_send_killed_mid_flight_reaches_everyone_exactly_once() {
    let emu = killed_at_several_points_then_resumed(&[
        "send",
        "button-card",
        "--title",
        "Deploy v1.4?",
        "--task-id",
        "deploy42",
        "--button",
        "go=Go",
        "--duplicate-check",
        "600",
    ]);
    let suppressed: u32 = emu.messages().iter().map(|m| m.duplicates_suppressed).sum();
    assert!(suppressed > 0, "no request was in flight at a kill");
    // One task id per request, none used twice.
    let mut ids: Vec<String> = emu
        .messages()
        .iter()
        .map(|m| m.body_json()["template_card"]["task_id"].as_str().unwrap().to_owned())
        .collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n);
}

#[test]
fn an_interrupted_run_finishes_its_batches_in_flight_and_resumes_without_sending_twice() {
    let emu = Emu::with_members(MEMBERS);
    let (proxy, url) = Proxy::start(&emu);
    let dir = tempdir();
    users_file(&dir);
    // Two sends answered, the next ones held: Ctrl-C arrives with batches in flight.
    proxy.pass.store(2, Ordering::SeqCst);
    let child = spawn(&emu, &url, &dir, &["send", "text", "Payday"]);
    proxy.wait_landed_past(2);
    std::thread::sleep(Duration::from_millis(300));
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    std::thread::sleep(Duration::from_millis(300));
    // The held answers arrive: the interrupted run journals them and stops.
    proxy.pass.store(usize::MAX, Ordering::SeqCst);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    let summary = stdout_json(&out);
    assert_eq!(summary["complete"], false, "{summary}");
    let first = summary["delivered"].as_u64().unwrap();
    assert!(first > 0 && first < MEMBERS as u64, "{summary}");
    assert!(summary["not_sent"].as_u64().unwrap() > 0, "{summary}");

    // The re-run sends to the rest only.
    let out = spawn(&emu, &url, &dir, &["send", "text", "Payday"]).wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary = stdout_json(&out);
    assert_eq!(summary["delivered"].as_u64().unwrap() + first, MEMBERS as u64, "{summary}");
    let copies = copies(&emu);
    assert_eq!(copies.len(), MEMBERS);
    assert!(copies.values().all(|&n| n == 1), "somebody got the message twice");
}
