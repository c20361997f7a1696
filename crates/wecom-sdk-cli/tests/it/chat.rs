//! `wecom chat create|update|get|send` and `wecom stats` through the real binary against an
//! in-process emulator: the whole-corp demo app manages and posts to a chat, the Build bot
//! (whose range is not the root department) gets 48002 with its hint, template cards are
//! refused before anything is sent, and the statistics count the sends.

use crate::support;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{Value, json};
use support::{Emu, stdout_json, tempdir};
use wecom_emulator::DEMO_CHAT_APP;

/// A `wecom` command with the whole-corp app's credentials.
fn chat_cmd(emu: &Emu, dir: &tempfile::TempDir) -> Command {
    let secret = emu.handle.app(DEMO_CHAT_APP).expect("chat app").secret.expose().to_owned();
    let mut cmd = emu.cmd(dir);
    cmd.env("WECOM_AGENT_ID", DEMO_CHAT_APP.to_string()).env("WECOM_SECRET", secret);
    cmd
}

fn json_of(mut cmd: Command, args: &[&str]) -> Value {
    let out = cmd.arg("--json").args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    stdout_json(&out)
}

#[test]
fn a_chat_is_created_changed_shown_and_posted_to() {
    let emu = Emu::start();
    let dir = tempdir();
    chat_cmd(&emu, &dir)
        .args(["chat", "create", "Release 1.4", "--member", "alice,bob", "--owner", "alice"])
        .args(["--chatid", "rel14"])
        .assert()
        .success()
        .stdout("created chat rel14\n");
    chat_cmd(&emu, &dir)
        .args(["chat", "update", "rel14", "--add", "carol", "--remove", "bob", "--name", "R 1.4"])
        .assert()
        .success();
    let info = json_of(chat_cmd(&emu, &dir), &["chat", "get", "rel14"]);
    assert_eq!(info["name"], "R 1.4");
    assert_eq!(info["userlist"], json!(["alice", "carol"]));
    chat_cmd(&emu, &dir)
        .args(["chat", "get", "rel14"])
        .assert()
        .success()
        .stdout(predicate::str::contains("members (2): alice, carol"));
    let sent = json_of(chat_cmd(&emu, &dir), &["chat", "send", "rel14", "text", "branch cut"]);
    assert_eq!(sent["ok"], true);
    let file = dir.path().join("notes.pdf");
    std::fs::write(&file, b"%PDF-1.7 notes").unwrap();
    chat_cmd(&emu, &dir)
        .args(["chat", "send", "rel14", "file", "--file"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("sent file message to chat rel14"));
    let body = dir.path().join("md.json");
    std::fs::write(&body, r#"{"msgtype":"markdown","markdown":{"content":"**done**"}}"#).unwrap();
    chat_cmd(&emu, &dir).args(["chat", "send", "rel14", "json"]).arg(&body).assert().success();
    let list = emu.call(reqwest::Method::GET, "/emulator/groups/rel14/messages", None);
    let kinds: Vec<&str> = list["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["msgtype"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["text", "file", "markdown"]);
    assert_eq!(list["messages"][1]["attachment"]["filename"], "notes.pdf");
}

#[test]
fn cards_and_bad_input_are_refused_before_anything_is_sent() {
    let emu = Emu::start();
    let dir = tempdir();
    chat_cmd(&emu, &dir)
        .args(["chat", "send", "rel14", "button-card", "--title", "Deploy?", "--button", "go=Go"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("msgtype").and(predicate::str::contains("template_card")));
    chat_cmd(&emu, &dir)
        .args(["chat", "create", "Solo", "--member", "alice"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("userlist"));
    chat_cmd(&emu, &dir)
        .args(["chat", "send", "bad-id", "text", "hi"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("chatid"));
    let stats = emu.call(reqwest::Method::GET, "/emulator/stats", None);
    assert_eq!(stats["calls"]["/cgi-bin/appchat/send"], 0);
    assert_eq!(stats["calls"]["/cgi-bin/appchat/create"], 0);
}

#[test]
fn an_app_outside_the_root_department_gets_48002_and_the_hint() {
    let emu = Emu::start();
    let dir = tempdir();
    emu.cmd(&dir)
        .args(["chat", "create", "Ops", "--member", "alice,bob"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("48002").and(predicate::str::contains("root department")));
}

#[test]
fn stats_counts_each_apps_sends_today_and_yesterday() {
    let emu = Emu::start();
    let dir = tempdir();
    emu.cmd(&dir).args(["send", "text", "hi", "--to", "alice,bob"]).assert().success();
    chat_cmd(&emu, &dir)
        .args(["chat", "create", "Ops", "--member", "alice,bob,carol", "--chatid", "ops"])
        .assert()
        .success();
    chat_cmd(&emu, &dir).args(["chat", "send", "ops", "text", "three"]).assert().success();
    let today = json_of(emu.cmd(&dir), &["stats"]);
    let count = |v: &Value, agentid: i64| {
        v["statistics"].as_array().unwrap().iter().find(|s| s["agentid"] == agentid).unwrap()["count"]
            .clone()
    };
    assert_eq!(count(&today, 1_000_002), 2);
    assert_eq!(count(&today, DEMO_CHAT_APP), 3);
    let yesterday = json_of(emu.cmd(&dir), &["stats", "--yesterday"]);
    assert_eq!(yesterday["day"], "yesterday");
    assert_eq!(count(&yesterday, DEMO_CHAT_APP), 0);
    emu.cmd(&dir).arg("stats").assert().success().stdout(
        predicate::str::contains("messages sent today").and(predicate::str::contains("Chat ops")),
    );
}
