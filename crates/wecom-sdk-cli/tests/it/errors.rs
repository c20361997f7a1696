//! Bad input gives a clear message and a non-zero exit code, and nothing is sent: 2 for
//! usage and input, 3 for a WeCom errcode (with its hint), 4 for the network.

use crate::support;

use predicates::prelude::*;
use support::{Emu, tempdir, wecom};

fn sent(emu: &Emu) -> usize {
    emu.messages().len()
}

#[test]
fn an_unknown_kind_is_a_usage_error() {
    let emu = Emu::start();
    let dir = tempdir();
    emu.cmd(&dir)
        .args(["send", "telegram", "hi", "--to", "alice"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unrecognized subcommand 'telegram'"));
    assert_eq!(sent(&emu), 0);
}

#[test]
fn missing_recipients_say_how_to_name_them() {
    let emu = Emu::start();
    let dir = tempdir();
    emu.cmd(&dir)
        .args(["send", "text", "hi"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no recipients").and(predicate::str::contains("--to")));
    assert_eq!(sent(&emu), 0);
}

#[test]
fn over_limit_text_names_the_field_and_the_limit() {
    let emu = Emu::start();
    let dir = tempdir();
    let long = "x".repeat(2049);
    emu.cmd(&dir)
        .args(["send", "text", &long, "--to", "alice"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("text.content").and(predicate::str::contains("2048")));
    assert_eq!(sent(&emu), 0);
    let stats = emu.call(reqwest::Method::GET, "/emulator/stats", None);
    assert_eq!(
        stats["calls"]["/cgi-bin/gettoken"].as_u64().unwrap_or(0),
        0,
        "no token fetched: {stats}"
    );
}

#[test]
fn malformed_json_is_refused_before_sending() {
    let emu = Emu::start();
    let dir = tempdir();
    emu.cmd(&dir)
        .args(["send", "json", "-", "--to", "alice"])
        .write_stdin("{\"msgtype\": \"text\", ")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("stdin is not valid JSON"));
    emu.cmd(&dir)
        .args(["send", "json", "-", "--to", "alice"])
        .write_stdin(r#"{"msgtype": "fax", "fax": {}}"#)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a message WeCom accepts"));
    emu.cmd(&dir)
        .args(["send", "json", "missing.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read missing.json"));
    assert_eq!(sent(&emu), 0);
}

#[test]
fn missing_settings_name_the_flag_and_the_variable() {
    let dir = tempdir();
    wecom(&dir).args(["send", "text", "hi", "--to", "alice"]).assert().code(2).stderr(
        predicate::str::contains("--agent-id").and(predicate::str::contains("WECOM_AGENT_ID")),
    );
    wecom(&dir)
        .env("WECOM_CORP_ID", "ww1")
        .env("WECOM_AGENT_ID", "1000002")
        .args(["token"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("WECOM_SECRET"));
}

#[test]
fn a_wecom_errcode_exits_3_with_the_code_and_a_hint() {
    let emu = Emu::start();
    let dir = tempdir();
    emu.call(
        reqwest::Method::POST,
        "/emulator/faults",
        Some(serde_json::json!({ "path": "message/send", "count": 1, "kind": "errcode", "errcode": 45009 })),
    );
    let out =
        emu.cmd(&dir).args(["--json", "send", "text", "hi", "--to", "alice"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["ok"], false);
    assert_eq!(err["errcode"], 45009);
    assert!(err["hint"].as_str().is_some_and(|h| !h.is_empty()), "{err}");
    assert!(err["error"].as_str().unwrap().contains("45009"));
}

#[test]
fn a_wrong_secret_exits_3_and_is_never_printed() {
    let emu = Emu::start();
    let dir = tempdir();
    emu.cmd(&dir)
        .env("WECOM_SECRET", "wrong-secret-value")
        .args(["send", "text", "hi", "--to", "alice"])
        .assert()
        .code(3)
        .stderr(
            predicate::str::contains("credentials")
                .and(predicate::str::contains("wrong-secret-value").not()),
        );
}

#[test]
fn an_unreachable_server_exits_4() {
    let dir = tempdir();
    // A port nobody listens on: bind one, then free it.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    wecom(&dir)
        .env("WECOM_BASE_URL", format!("http://127.0.0.1:{port}"))
        .env("WECOM_CORP_ID", "ww1")
        .env("WECOM_AGENT_ID", "1000002")
        .env("WECOM_SECRET", "s")
        .args(["recall", "m1"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("hint:"));
}

#[test]
fn a_card_update_needs_an_audience() {
    let emu = Emu::start();
    let dir = tempdir();
    let out =
        emu.cmd(&dir).args(["update-card", "rc-1", "--button-text", "Done"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--all"));
    // And a bad button spec is refused before anything is sent.
    let out = emu
        .cmd(&dir)
        .args([
            "--json",
            "send",
            "button-card",
            "--title",
            "T",
            "--button",
            "k=Go:9",
            "--to",
            "alice",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert!(err["error"].as_str().unwrap().contains("style must be 1 to 4"));
    assert!(out.stdout.is_empty());
}
