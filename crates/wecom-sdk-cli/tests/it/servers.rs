//! The long-running commands — `listen`, `emulator` — started as real processes, and the
//! demo end to end.

use crate::support;

use std::io::{BufRead as _, BufReader};
use std::process::{Child, ChildStderr, ChildStdout, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};
use support::{AGENT_ID, Emu, stdout_json, tempdir, wecom, wecom_std};

/// A child process killed when dropped.
pub(crate) struct Running(pub(crate) Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Lines of a pipe, read on a thread.
pub(crate) fn lines<R: std::io::Read + Send + 'static>(pipe: R) -> mpsc::Receiver<String> {
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

pub(crate) fn wait_for(rx: &mpsc::Receiver<String>, what: impl Fn(&str) -> bool) -> String {
    loop {
        let line = rx.recv_timeout(Duration::from_secs(30)).expect("the expected line in time");
        if what(&line) {
            return line;
        }
    }
}

/// Starts `wecom listen --port 0` with the demo app's callback settings; the process, its
/// stdout lines and the URL it listens on.
fn listen(
    emu: &Emu,
    dir: &tempfile::TempDir,
    extra: &[&str],
) -> (Running, mpsc::Receiver<String>, String) {
    let (token, key) = emu.callback_keys();
    let mut child = wecom_std(dir)
        .env("WECOM_TOKEN", token)
        .env("WECOM_AES_KEY", key)
        .env("WECOM_CORP_ID", emu.handle.corp_id())
        .args(["listen", "--port", "0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout: ChildStdout = child.stdout.take().unwrap();
    let stderr: ChildStderr = child.stderr.take().unwrap();
    let running = Running(child);
    let err_lines = lines(stderr);
    let line = wait_for(&err_lines, |l| l.contains("listening"));
    let url = line.split_whitespace().find(|w| w.starts_with("http://")).unwrap().to_owned();
    // Point the app's callback URL at it (the emulator verifies the URL first).
    let set = emu.call(
        reqwest::Method::PUT,
        &format!("/emulator/apps/{AGENT_ID}/callback"),
        Some(json!({ "url": url, "verify": true })),
    );
    assert_eq!(set["verified"], true, "{set}");
    (running, lines(stdout), url)
}

fn user_says(emu: &Emu, user: &str, text: &str) -> Value {
    emu.call(
        reqwest::Method::POST,
        &format!("/emulator/users/{user}/messages"),
        Some(json!({ "agentid": AGENT_ID, "msgtype": "text", "content": text })),
    )
}

#[test]
fn listen_prints_each_callback_as_a_json_line() {
    let emu = Emu::start();
    let dir = tempdir();
    let (_child, stdout, _) = listen(&emu, &dir, &[]);
    let record = user_says(&emu, "alice", "hello app");
    assert_eq!(record["outcome"], "delivered", "{record}");
    let line: Value = serde_json::from_str(&wait_for(&stdout, |_| true)).unwrap();
    assert_eq!(line["type"], "message");
    assert_eq!(line["msgtype"], "text");
    assert_eq!(line["content"], "hello app");
    assert_eq!(line["from_user_name"], "alice");
    assert_eq!(line["agent_id"], AGENT_ID);
    assert!(
        record.get("reply").is_none_or(|r| r["msgtype"].is_null()),
        "no reply without --reply: {record}"
    );

    // A card click arrives typed, with its ResponseCode.
    let out = emu
        .cmd(&dir)
        .args([
            "--json",
            "send",
            "button-card",
            "--title",
            "Go?",
            "--button",
            "go=Go",
            "--to",
            "alice",
        ])
        .output()
        .unwrap();
    let msgid = stdout_json(&out)["msgid"].as_str().unwrap().to_owned();
    emu.call(
        reqwest::Method::POST,
        &format!("/emulator/users/alice/cards/{msgid}/click"),
        Some(json!({ "key": "go" })),
    );
    let line: Value = serde_json::from_str(&wait_for(&stdout, |_| true)).unwrap();
    assert_eq!(line["event"], "template_card_event");
    assert_eq!(line["event_key"], "go");
    assert!(line["response_code"].as_str().is_some_and(|c| !c.is_empty()));
}

#[test]
fn listen_reply_answers_with_a_passive_text() {
    let emu = Emu::start();
    let dir = tempdir();
    let (_child, stdout, _) = listen(&emu, &dir, &["--reply", "Got it"]);
    let record = user_says(&emu, "bob", "ping");
    wait_for(&stdout, |l| l.contains("ping"));
    assert_eq!(record["reply"]["msgtype"], "text", "{record}");
    assert_eq!(record["reply"]["applied"], true, "{record}");
    let inbox = emu.call(reqwest::Method::GET, "/emulator/messages?user=bob", None);
    let reply = inbox["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["origin"] == "passive_reply")
        .unwrap();
    assert_eq!(reply["body"]["text"]["content"], "Got it", "{reply}");
}

#[test]
fn listen_exec_output_becomes_the_reply() {
    let emu = Emu::start();
    let dir = tempdir();
    // The command sees the JSON line on stdin.
    let (_child, _stdout, _) =
        listen(&emu, &dir, &["--exec", "grep -o '\"content\":\"[^\"]*\"' | tr a-z A-Z"]);
    let record = user_says(&emu, "carol", "shout");
    assert_eq!(record["reply"]["applied"], true, "{record}");
    let inbox = emu.call(reqwest::Method::GET, "/emulator/messages?user=carol", None);
    let reply = inbox["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["origin"] == "passive_reply")
        .unwrap();
    assert_eq!(reply["body"]["text"]["content"], "\"CONTENT\":\"SHOUT\"");
}

#[test]
fn the_emulator_command_serves_the_api_and_prints_its_credentials() {
    let dir = tempdir();
    let mut child =
        wecom_std(&dir).args(["emulator", "--port", "0"]).stdout(Stdio::piped()).spawn().unwrap();
    let stdout = lines(child.stdout.take().unwrap());
    let _running = Running(child);
    let banner: Vec<String> = (0..40)
        .map_while(|_| stdout.recv_timeout(Duration::from_secs(30)).ok())
        .take_while(|l| !l.contains("export WECOM_BASE_URL"))
        .collect();
    let text = banner.join("\n");
    assert!(text.contains("inbox: http://127.0.0.1:"), "{text}");
    let base = text
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap()
        .trim_end_matches('/');
    let secret =
        text.split("secret ").nth(1).and_then(|s| s.split_whitespace().next()).unwrap().to_owned();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let token: Value = rt.block_on(async {
        reqwest::Client::builder()
            .no_proxy()
            .build()
            .unwrap()
            .get(format!("{base}/cgi-bin/gettoken?corpid=wwdemo00000000001&corpsecret={secret}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    assert_eq!(token["errcode"], 0, "{token}");
    assert!(token["access_token"].as_str().is_some_and(|t| !t.is_empty()));
}

#[test]
fn the_emulator_command_reads_its_corp_file_from_corp_or_wecom_emulator_config() {
    let dir = tempdir();
    let corp = concat!(env!("CARGO_MANIFEST_DIR"), "/../wecom-emulator/examples/corp.toml");
    // A profile file in WECOM_CONFIG is the CLI's, not a corp: it is not read.
    std::fs::write(dir.path().join("wecom.toml"), "default_profile = \"x\"\n").unwrap();
    for (flag, env) in [(Some(corp), None), (None, Some(corp))] {
        let mut cmd = wecom_std(&dir);
        cmd.args(["emulator", "--port", "0"]).env("WECOM_CONFIG", dir.path().join("wecom.toml"));
        if let Some(corp) = flag {
            cmd.args(["--corp", corp]);
        }
        if let Some(corp) = env {
            cmd.env("WECOM_EMULATOR_CONFIG", corp);
        }
        let mut child = cmd.stdout(Stdio::piped()).spawn().unwrap();
        let stdout = lines(child.stdout.take().unwrap());
        let _running = Running(child);
        let line = wait_for(&stdout, |l| l.contains("corp_id"));
        assert!(line.contains("wwacme0000000001"), "{line}");
    }
    // `--config` on the command line names the profile file: refused with the right flag.
    wecom(&dir)
        .args(["emulator", "--port", "0", "--config", corp])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--corp FILE (or WECOM_EMULATOR_CONFIG)"));
}

#[test]
fn the_demo_runs_everything_and_ends_with_the_inbox() {
    let dir = tempdir();
    let out = wecom(&dir).arg("demo").timeout(Duration::from_secs(60)).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    for kind in [
        "text",
        "image",
        "voice",
        "video",
        "file",
        "textcard",
        "news",
        "mpnews",
        "markdown",
        "miniprogram_notice",
        "text_notice",
        "news_notice",
        "button_interaction",
        "vote_interaction",
        "multiple_interaction",
    ] {
        assert!(
            text.lines().any(|l| l.split_whitespace().any(|w| w == kind) && l.contains("msgid")),
            "{kind} not sent:\n{text}"
        );
    }
    assert!(text.contains("update_button \"Approved ✓\""), "{text}");
    assert!(text.contains("button \"Approved ✓\", disabled"), "{text}");
    assert!(text.contains("update_template_card (SDK) with the callback's ResponseCode"), "{text}");
    assert!(text.contains("card replaced"), "{text}");
    assert!(text.contains("recalled "), "{text}");
    let last = text.lines().last().unwrap();
    assert!(last.starts_with("Web inbox: http://127.0.0.1:"), "{last}");
    assert!(last.contains("/ (it stops with the demo: run `wecom demo --serve`"), "{last}");

    let out =
        wecom(&dir).args(["--json", "demo"]).timeout(Duration::from_secs(60)).output().unwrap();
    assert!(out.status.success());
    let v = stdout_json(&out);
    assert_eq!(v["ok"], true);
    assert_eq!(v["steps"].as_array().unwrap().iter().filter(|s| s["step"] == "send").count(), 15);
}

#[test]
fn the_emulator_command_saves_its_state_and_exits_on_sigterm() {
    let dir = tempdir();
    let state = dir.path().join("state.json");
    let mut child = wecom_std(&dir)
        .args(["emulator", "--port", "0", "--state-file"])
        .arg(&state)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = lines(child.stdout.take().unwrap());
    let started = (0..40)
        .map_while(|_| stdout.recv_timeout(Duration::from_secs(30)).ok())
        .any(|l| l.contains("export WECOM_BASE_URL"));
    assert!(started, "the emulator printed no banner");
    let status =
        std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    assert!(status.unwrap().success());
    let mut exited = None;
    for _ in 0..200 {
        if let Some(code) = child.try_wait().unwrap() {
            exited = Some(code);
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let Some(code) = exited else {
        let _ = child.kill();
        panic!("the emulator did not stop within 10 s of SIGTERM");
    };
    assert!(code.success(), "{code}");
    let saved = std::fs::read_to_string(&state).expect("the state file is written on SIGTERM");
    assert!(serde_json::from_str::<Value>(&saved).is_ok(), "{saved}");
}

#[test]
fn demo_serve_says_when_port_8025_is_taken_and_prints_the_export_line() {
    let dir = tempdir();
    // Taken by this test (or by something else already): either way not free for the demo.
    let _taken = std::net::TcpListener::bind("127.0.0.1:8025");
    let mut child = wecom_std(&dir)
        .args(["demo", "--serve"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = lines(child.stdout.take().unwrap());
    let stderr = lines(child.stderr.take().unwrap());
    let _running = Running(child);
    let note = wait_for(&stderr, |l| l.contains("8025"));
    assert!(note.contains("port 8025 is not free") && note.contains("--port N"), "{note}");
    let export = wait_for(&stdout, |l| l.trim_start().starts_with("export "));
    assert!(export.contains("WECOM_BASE_URL=http://127.0.0.1:"), "{export}");
    assert!(!export.contains("127.0.0.1:8025 "), "{export}");
    assert!(export.contains("WECOM_ENCODING_AES_KEY="), "{export}");
}

#[test]
fn listen_serves_only_its_path_and_says_where_callbacks_go() {
    let emu = Emu::start();
    let dir = tempdir();
    let (_child, _stdout, url) = listen(&emu, &dir, &[]);
    assert!(url.ends_with("/wecom/callback"), "the default path: {url}");
    let root = url.trim_end_matches("/wecom/callback");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let (status, body) = rt.block_on(async {
        let resp = reqwest::Client::builder().no_proxy().build().unwrap().get(root).send().await;
        let resp = resp.unwrap();
        (resp.status().as_u16(), resp.text().await.unwrap())
    });
    assert_eq!(status, 404);
    assert!(body.contains("callbacks are served at /wecom/callback"), "{body}");
    wecom(&dir)
        .args(["listen", "--path", "wecom/callback?x=1"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("starts with `/`"));
}
