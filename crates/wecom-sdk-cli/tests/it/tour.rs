//! The README's tour, literally: `wecom emulator` prints an `export` line; `wecom listen`
//! runs with that environment where the emulator calls back; `wecom send button-card` sends
//! a card; alice clicks it through the admin API; `wecom listen` prints the click.
//!
//! The README uses the default ports (8025 and 3000); the test picks free ones and passes
//! them with `--port` and `--callback-url`, which is the only difference.

use std::process::Stdio;

use serde_json::Value;

use crate::servers::{Running, lines, wait_for};
use crate::support::{tempdir, wecom_std};

/// A port nothing listens on right now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// `export A=1 B='x?y'` → [("A", "1"), ("B", "x?y")].
fn parse_export(line: &str) -> Vec<(String, String)> {
    let rest = line.trim().strip_prefix("export ").expect("an export line");
    let mut vars = Vec::new();
    let mut chars = rest.chars().peekable();
    while chars.peek().is_some() {
        let name: String = chars.by_ref().take_while(|c| *c != '=').collect();
        let mut value = String::new();
        if chars.peek() == Some(&'\'') {
            chars.next();
            value.extend(chars.by_ref().take_while(|c| *c != '\''));
            chars.next(); // the space after the closing quote
        } else {
            value.extend(chars.by_ref().take_while(|c| *c != ' '));
        }
        vars.push((name.trim().to_owned(), value));
    }
    vars
}

#[test]
fn the_readme_tour_from_emulator_to_a_handled_click() {
    let dir = tempdir();
    let (emu_port, app_port) = (free_port(), free_port());
    let callback_url = format!("http://127.0.0.1:{app_port}/wecom/callback");

    // 1. wecom emulator
    let mut emulator = wecom_std(&dir)
        .args(["emulator", "--port", &emu_port.to_string(), "--callback-url", &callback_url])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let emu_out = lines(emulator.stdout.take().unwrap());
    let _emulator = Running(emulator);
    let env = parse_export(&wait_for(&emu_out, |l| l.trim_start().starts_with("export ")));
    let names: Vec<&str> = env.iter().map(|(k, _)| k.as_str()).collect();
    for needed in ["WECOM_BASE_URL", "WECOM_CORP_ID", "WECOM_AGENT_ID", "WECOM_SECRET"] {
        assert!(names.contains(&needed), "{needed} missing from {names:?}");
    }
    assert!(names.contains(&"WECOM_TOKEN") && names.contains(&"WECOM_ENCODING_AES_KEY"));
    let base_url = env.iter().find(|(k, _)| k == "WECOM_BASE_URL").unwrap().1.clone();

    // 2. wecom listen, with that environment, where the emulator calls back.
    let mut listen = wecom_std(&dir)
        .envs(env.iter().cloned())
        .args(["listen", "--port", &app_port.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let listen_out = lines(listen.stdout.take().unwrap());
    let listen_err = lines(listen.stderr.take().unwrap());
    let _listen = Running(listen);
    let ready = wait_for(&listen_err, |l| l.contains("listening"));
    assert!(ready.contains(&callback_url), "listen serves the emulator's callback URL: {ready}");

    // 3. wecom send button-card
    let sent = wecom_std(&dir)
        .envs(env.iter().cloned())
        .args(["--json", "send", "button-card", "--title", "Deploy v1.4?"])
        .args(["--button", "approve=Approve", "--button", "reject=Reject:2", "--to", "alice"])
        .output()
        .unwrap();
    assert!(sent.status.success(), "{}", String::from_utf8_lossy(&sent.stderr));
    let receipt: Value = serde_json::from_slice(&sent.stdout).unwrap();
    let msgid = receipt["msgid"].as_str().unwrap().to_owned();

    // 4. alice clicks Approve (the admin API, as curl in the README would call it).
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let alice = wecom_emulator::AdminClient::new(&base_url).member("alice");
    let record = rt.block_on(alice.click(&msgid, "approve")).expect("the click is accepted");
    assert_eq!(record.outcome, wecom_emulator::Outcome::Delivered, "{:?}", record.error);

    // 5. wecom listen prints the click.
    let line = wait_for(&listen_out, |l| l.contains("template_card_event"));
    let event: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(event["event_key"], "approve", "{line}");
    assert_eq!(event["from_user_name"], "alice", "{line}");
}
