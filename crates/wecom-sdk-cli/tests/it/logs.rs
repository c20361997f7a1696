//! The binary's log lines: on stderr only, filtered by `RUST_LOG` or `-v`/`-q`, giving the
//! reason for every rejected callback, failing `--exec` commands and failed emulator state
//! saves — and never a secret.

use crate::support;

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;
use support::{AES_KEY, CORP_ID, TOKEN, tempdir, wecom_std};
use wecom_msgcrypt::MsgCrypt;

/// A child process killed when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn lines<R: std::io::Read + Send + 'static>(pipe: R) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Waits for a line matching `what`; every line seen on the way, that one last.
fn wait_for(rx: &mpsc::Receiver<String>, what: impl Fn(&str) -> bool) -> Vec<String> {
    let mut seen = Vec::new();
    loop {
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("no such line in time; saw {seen:#?}"));
        let found = what(&line);
        seen.push(line);
        if found {
            return seen;
        }
    }
}

/// `wecom listen --port 0` with vector A's keys: the process, stdout and stderr lines, URL.
fn listen(
    dir: &tempfile::TempDir,
    args: &[&str],
    rust_log: Option<&str>,
) -> (Running, mpsc::Receiver<String>, mpsc::Receiver<String>, String) {
    let mut cmd = wecom_std(dir);
    cmd.env("WECOM_TOKEN", TOKEN).env("WECOM_AES_KEY", AES_KEY).env("WECOM_CORP_ID", CORP_ID);
    if let Some(filter) = rust_log {
        cmd.env("RUST_LOG", filter);
    }
    let mut child = cmd
        .args(["listen", "--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = lines(child.stdout.take().unwrap());
    let err = lines(child.stderr.take().unwrap());
    let running = Running(child);
    let seen = wait_for(&err, |l| l.contains("listening for WeCom callbacks"));
    let url = seen
        .last()
        .unwrap()
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap()
        .to_owned();
    (running, out, err, url)
}

fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

/// POSTs a text message callback; the HTTP status.
fn post(url: &str, content: &str, msg_id: u64, timestamp: u64, corrupt_signature: bool) -> u16 {
    let crypt = MsgCrypt::new(TOKEN, AES_KEY, CORP_ID).unwrap();
    let xml = format!(
        "<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[alice]]></FromUserName>\
         <CreateTime>{timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType>\
         <Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId><AgentID>1</AgentID></xml>"
    );
    let ts = timestamp.to_string();
    let enc = crypt.encrypt(&xml, &ts, "77").unwrap();
    let sig = if corrupt_signature { "0".repeat(40) } else { enc.msg_signature.to_string() };
    let body = format!("<xml><Encrypt><![CDATA[{}]]></Encrypt></xml>", enc.encrypt);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        reqwest::Client::builder()
            .no_proxy()
            .build()
            .unwrap()
            .post(format!("{url}?msg_signature={sig}&timestamp={ts}&nonce=77"))
            .body(body)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    })
}

fn no_secrets(lines: &[String]) {
    let secret_key = AES_KEY;
    for line in lines {
        assert!(!line.contains(secret_key) && !line.contains(TOKEN), "a secret in: {line}");
    }
}

#[test]
fn rejected_callbacks_and_failing_exec_commands_are_logged_on_stderr() {
    let dir = tempdir();
    let (_child, out, err, url) =
        listen(&dir, &["--replay-window", "5", "--exec", "cat >/dev/null; exit 3"], None);

    assert_eq!(post(&url, "forged", 1, now(), true), 403);
    let seen = wait_for(&err, |l| l.contains("rejected WeCom callback"));
    let line = seen.last().unwrap();
    assert!(line.contains("WARN") && line.contains("signature"), "{line}");

    // Outside the replay window.
    assert_eq!(post(&url, "replayed", 2, now() - 3600, false), 403);
    let seen = wait_for(&err, |l| l.contains("rejected WeCom callback"));
    let line = seen.last().unwrap();
    assert!(line.contains("timestamp") && line.contains("limit 300 s"), "{line}");

    // A fresh one reaches --exec, which fails.
    assert_eq!(post(&url, "hello", 3, now(), false), 200);
    let seen = wait_for(&err, |l| l.contains("--exec command failed"));
    let line = seen.last().unwrap();
    assert!(line.contains("ERROR") && line.contains("exit status: 3"), "{line}");
    no_secrets(&seen);

    // stdout holds the callback's JSON line and nothing else.
    let printed: Value = serde_json::from_str(&out.recv_timeout(Duration::from_secs(10)).unwrap())
        .expect("stdout holds JSON only");
    assert_eq!(printed["content"], "hello");
    assert!(out.recv_timeout(Duration::from_millis(300)).is_err(), "only one line on stdout");
}

#[test]
fn verbosity_comes_from_the_flags_or_rust_log() {
    let dir = tempdir();
    // Default: warnings only, so the server's own info line is absent.
    let (_a, _, err, url) = listen(&dir, &[], None);
    assert_eq!(post(&url, "x", 1, now(), true), 403);
    let seen = wait_for(&err, |l| l.contains("rejected WeCom callback"));
    assert!(!seen.iter().any(|l| l.contains("INFO")), "{seen:#?}");
    // -v adds information.
    let (_b, _, err, _) = listen(&dir, &["-v"], None);
    wait_for(&err, |l| l.contains("INFO") && l.contains("callback server listening"));
    // RUST_LOG wins over the flags.
    let (_c, _, err, _) = listen(&dir, &["-q"], Some("info"));
    wait_for(&err, |l| l.contains("INFO") && l.contains("callback server listening"));
}

#[test]
fn a_failed_emulator_state_save_is_logged_at_once() {
    let dir = tempdir();
    // The state is written to `state.json.tmp`, then renamed: a directory there makes every
    // save fail.
    std::fs::create_dir(dir.path().join("state.json.tmp")).unwrap();
    let mut child = wecom_std(&dir)
        .args(["--json", "emulator", "--port", "0", "--state-file", "state.json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = lines(child.stdout.take().unwrap());
    let err = lines(child.stderr.take().unwrap());
    let _running = Running(child);
    let banner: Value =
        serde_json::from_str(&out.recv_timeout(Duration::from_secs(30)).unwrap()).unwrap();
    let base = banner["base_url"].as_str().unwrap().to_owned();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let resp = reqwest::Client::builder()
            .no_proxy()
            .build()
            .unwrap()
            .post(format!("{base}/emulator/clock/advance"))
            .json(&serde_json::json!({ "seconds": 60 }))
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success());
    });
    let seen = wait_for(&err, |l| l.contains("saving the emulator state failed"));
    let line = seen.last().unwrap();
    assert!(line.contains("ERROR") && line.contains("state.json"), "{line}");
}
