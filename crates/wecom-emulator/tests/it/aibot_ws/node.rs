//! The official Node SDK (`@wecom/aibot-node-sdk`, pinned in `scripts/node-aibot-check`)
//! against `/aibot/ws`: it subscribes, receives a member's message and answers with a
//! streamed reply, which must reach the emulator complete.
//!
//! Needs `node` and the script's dependencies (`npm ci --prefix scripts/node-aibot-check`).
//! Without them the test prints a "skipped" line and passes, unless `WECOM_REQUIRE_NODE=1`
//! (CI) makes that a failure.

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use super::client::{WS_BOT, WS_SECRET};
use crate::api::support::Emu;

fn script_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/node-aibot-check")
}

/// `node` and the installed SDK, or why not.
fn available() -> Result<PathBuf, String> {
    let dir = script_dir();
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Err("`node` is not installed".into());
    }
    if !dir.join("node_modules/@wecom/aibot-node-sdk/package.json").is_file() {
        return Err("the script's dependencies are not installed (npm ci --prefix scripts/node-aibot-check)".into());
    }
    Ok(dir)
}

/// Kills the script if the test ends early.
struct Script(Child);

impl Drop for Script {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_node_sdk_subscribes_and_streams_an_answer() {
    let dir = match available() {
        Ok(dir) => dir,
        Err(why) => {
            assert!(
                std::env::var("WECOM_REQUIRE_NODE").as_deref() != Ok("1"),
                "WECOM_REQUIRE_NODE=1 but {why}"
            );
            // Straight to the terminal: the test harness captures only the print macros.
            let _ = writeln!(std::io::stderr(), "skipped: the Node SDK check needs node: {why}");
            return;
        }
    };
    let emu = Emu::demo().await;
    let mut child = Command::new("node")
        .arg("check.mjs")
        .current_dir(&dir)
        .env("WECOM_WS_URL", format!("ws://{}/aibot/ws", emu.handle.addr()))
        .env("WECOM_BOT_ID", WS_BOT)
        .env("WECOM_BOT_SECRET", WS_SECRET)
        .env("WECOM_CHECK_TIMEOUT_MS", "20000")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("node starts");
    let stdout = child.stdout.take().expect("piped");
    let mut script = Script(child);
    // The script's lines, read on a thread of their own.
    let (lines_tx, mut lines) = tokio::sync::mpsc::unbounded_channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let ready = tokio::time::timeout(Duration::from_secs(20), lines.recv()).await;
    assert_eq!(ready.ok().flatten().as_deref(), Some("READY"), "the SDK subscribed");

    let url = emu.url(&format!("/emulator/aibots/{WS_BOT}/messages?wait=finish"));
    let turn: Value = emu
        .http
        .post(url)
        .json(&json!({ "userid": "alice", "content": "hello from alice" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(turn["status"], "finished", "{turn}");
    assert_eq!(turn["stream"]["content"], "echo: hello from alice");
    assert_eq!(turn["stream"]["finish"], true);
    assert!(turn["stream"]["updates"].as_u64().unwrap() >= 3, "streamed in parts: {turn}");
    assert_eq!(turn["errors"], json!([]));

    let done = tokio::time::timeout(Duration::from_secs(10), lines.recv()).await;
    let done = done.ok().flatten().unwrap_or_default();
    assert!(done.starts_with("DONE stream_"), "the SDK saw every ack: {done:?}");
    assert_eq!(turn["stream"]["id"], done.trim_start_matches("DONE "));
    let status = tokio::task::spawn_blocking(move || script.0.wait()).await.unwrap().unwrap();
    assert!(status.success(), "the script exits 0");
}
