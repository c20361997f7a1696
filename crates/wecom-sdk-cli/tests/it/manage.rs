//! `recall`, `update-card`, `upload` and `token` through the real binary against an
//! in-process emulator.

use crate::support;

use predicates::prelude::*;
use serde_json::{Value, json};
use support::{Emu, stdout_json, tempdir};

fn send_json(emu: &Emu, dir: &tempfile::TempDir, args: &[&str]) -> Value {
    let out = emu.cmd(dir).arg("--json").arg("send").args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    stdout_json(&out)
}

fn status_of(emu: &Emu, msgid: &str, user: &str) -> Value {
    let m = emu.call(reqwest::Method::GET, &format!("/emulator/messages/{msgid}"), None);
    m["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["userid"] == user)
        .cloned()
        .unwrap_or(Value::Null)
}

#[test]
fn recall_withdraws_the_message() {
    let emu = Emu::start();
    let dir = tempdir();
    let receipt = send_json(&emu, &dir, &["text", "oops", "--to", "alice"]);
    let msgid = receipt["msgid"].as_str().unwrap();
    emu.cmd(&dir).args(["recall", msgid]).assert().success().stdout(format!("recalled {msgid}\n"));
    assert_eq!(status_of(&emu, msgid, "alice")["status"], "recalled");
    // Recalling again: WeCom's errcode, exit code 3.
    emu.cmd(&dir)
        .args(["recall", msgid])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("40058"));
}

#[test]
fn update_card_replaces_the_button_text() {
    let emu = Emu::start();
    let dir = tempdir();
    let receipt = send_json(
        &emu,
        &dir,
        &["button-card", "--title", "Deploy?", "--button", "go=Go", "--to", "alice,bob"],
    );
    let code = receipt["response_code"].as_str().unwrap();
    let msgid = receipt["msgid"].as_str().unwrap();
    let out = emu
        .cmd(&dir)
        .args(["--json", "update-card", code, "--button-text", "Deployed", "--all"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout_json(&out)["ok"], true);
    for user in ["alice", "bob"] {
        let card = &status_of(&emu, msgid, user)["card"];
        assert_eq!(card["button_text"], "Deployed", "{user}: {card}");
        assert_eq!(card["disabled"], true);
    }
    // The code is single use.
    emu.cmd(&dir).args(["update-card", code, "--button-text", "Again", "--all"]).assert().code(3);
}

#[test]
fn update_card_replaces_the_whole_card_from_a_file() {
    let emu = Emu::start();
    let dir = tempdir();
    let receipt = send_json(
        &emu,
        &dir,
        &[
            "vote-card",
            "--title",
            "Lunch?",
            "--option",
            "a=Noodles",
            "--task-id",
            "lunch-1",
            "--to",
            "alice",
        ],
    );
    let code = receipt["response_code"].as_str().unwrap();
    let replacement = json!({
        "card_type": "vote_interaction",
        "main_title": { "title": "Lunch: closed" },
        "task_id": "lunch-1",
        "checkbox": { "question_key": "vote", "option_list": [ { "id": "a", "text": "Noodles", "is_checked": true } ], "disable": true },
        "submit_button": { "text": "Vote", "key": "submit" },
        "replace_text": "Closed"
    });
    std::fs::write(dir.path().join("card.json"), replacement.to_string()).unwrap();
    emu.cmd(&dir)
        .args(["update-card", code, "--card", "card.json", "--to", "alice"])
        .assert()
        .success()
        .stdout("card updated\n");
    let card = &status_of(&emu, receipt["msgid"].as_str().unwrap(), "alice")["card"];
    assert_eq!(card["replaced_card"]["main_title"]["title"], "Lunch: closed", "{card}");
}

#[test]
fn upload_temporary_media_and_a_permanent_image() {
    let emu = Emu::start();
    let dir = tempdir();
    std::fs::write(dir.path().join("logo.png"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR0000").unwrap();
    let out =
        emu.cmd(&dir).args(["--json", "upload", "--type", "image", "logo.png"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = stdout_json(&out);
    assert_eq!(v["type"], "image");
    let created = v["created_at"].as_i64().unwrap();
    assert_eq!(v["expires_at"].as_i64().unwrap(), created + 3 * 24 * 3600);
    assert!(v["media_id"].as_str().unwrap().len() > 10);

    let out = emu.cmd(&dir).args(["upload", "--permanent-image", "logo.png"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let url = String::from_utf8(out.stdout).unwrap();
    assert!(url.starts_with(&format!("{}/emulator/uploads/", emu.base_url())), "{url}");

    // Checked before sending: a text file is not an image.
    std::fs::write(dir.path().join("notes.txt"), "hello world").unwrap();
    emu.cmd(&dir)
        .args(["upload", "--type", "image", "notes.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("JPG or PNG"));
}

#[test]
fn upload_infers_the_type_from_the_extension_and_shows_the_expiry_as_a_date() {
    let emu = Emu::start();
    let dir = tempdir();
    std::fs::write(dir.path().join("logo.PNG"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR0000").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "hello world").unwrap();
    let out = emu.cmd(&dir).args(["upload", "logo.PNG"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("type image (from the file's extension"), "{text}");
    // `expires 2026-12-05 06:40 UTC, in 3 days`
    let expires = text.split("expires ").nth(1).expect("an expiry").trim();
    assert!(expires.ends_with(" UTC, in 3 days"), "{text}");
    assert_eq!(expires.as_bytes()[4], b'-', "{text}");

    let out = emu.cmd(&dir).args(["--json", "upload", "notes.txt"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout_json(&out)["type"], "file");
}

#[test]
fn errors_state_their_cause_once() {
    let emu = Emu::start();
    let dir = tempdir();
    let out = emu.cmd(&dir).args(["upload", "missing.png"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.matches("os error 2").count(), 1, "{err}");
    // Nothing listens on the base URL: each cause once.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let out = emu
        .cmd(&dir)
        .env("WECOM_BASE_URL", format!("http://127.0.0.1:{port}"))
        .args(["-q", "token"])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.matches("error sending request").count(), 1, "{err}");
}

#[test]
fn token_shows_validity_and_the_token_only_when_asked() {
    let emu = Emu::start();
    let dir = tempdir();
    let out = emu.cmd(&dir).args(["--json", "token"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = stdout_json(&out);
    assert_eq!(v["valid"], true);
    let expires_in = v["expires_in"].as_u64().unwrap();
    assert!(expires_in > 7000 && expires_in <= 7200, "{v}");
    assert!(v.get("access_token").is_none());

    let shown = emu.cmd(&dir).args(["--json", "token", "--show"]).output().unwrap();
    let token = stdout_json(&shown)["access_token"].as_str().unwrap().to_owned();
    assert!(token.len() > 10);
    // Without --show the token appears nowhere, in either format.
    for args in [vec!["token"], vec!["--json", "token"]] {
        let out = emu.cmd(&dir).args(&args).output().unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(all.contains("expires in") || all.contains("expires_in"), "{all}");
        // Each run fetches its own token; none of them may be printed.
        let fresh = emu.cmd(&dir).args(["--json", "token", "--show"]).output().unwrap();
        let fresh = stdout_json(&fresh)["access_token"].as_str().unwrap().to_owned();
        assert!(!all.contains(&token) && !all.contains(&fresh), "token printed: {all}");
        assert!(!all.contains(&emu.secret()), "secret printed: {all}");
    }
}
