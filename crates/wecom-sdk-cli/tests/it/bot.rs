//! `wecom bot send` through the real binary against an in-process emulator's demo group:
//! each kind arrives, the webhook comes from the flag, the environment or a profile, and bad
//! input exits 2 having sent nothing.

use crate::support;

use serde_json::Value;
use support::{Emu, stdout_json, tempdir, wecom};
use wecom_emulator::DEMO_WEBHOOK_KEY;

fn url(emu: &Emu) -> String {
    format!("{}/cgi-bin/webhook/send?key={DEMO_WEBHOOK_KEY}", emu.base_url())
}

fn group(emu: &Emu) -> Vec<Value> {
    emu.handle.state().group_messages().iter().map(|m| serde_json::to_value(m).unwrap()).collect()
}

#[test]
fn every_kind_from_the_command_line() {
    let emu = Emu::start();
    let dir = tempdir();
    // A 1×1 PNG (the reference's golden image).
    let png: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F,
        0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0xFC,
        0xCF, 0xC0, 0x50, 0x0F, 0x00, 0x04, 0x85, 0x01, 0x80, 0x84, 0xA9, 0x8C, 0x21, 0x00, 0x00,
        0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];
    std::fs::write(dir.path().join("dot.png"), png).unwrap();
    std::fs::write(dir.path().join("report.txt"), "hello world").unwrap();
    std::fs::write(
        dir.path().join("card.json"),
        r#"{"card_type":"text_notice","main_title":{"title":"disk 91%"},"card_action":{"type":1,"url":"https://x.example.com"}}"#,
    )
    .unwrap();
    let runs: [&[&str]; 7] = [
        &["text", "deploy failed", "--mention", "alice,@all"],
        &["markdown", "## done", "--mention", "bob"],
        &["markdown-v2", "| a | b |\n| - | - |"],
        &["image", "dot.png"],
        &["file", "report.txt"],
        &["news", "--title", "Notes", "--url", "https://example.com/n"],
        &["card", "--json", "card.json"],
    ];
    for args in runs {
        let out = wecom(&dir)
            .env("WECOM_WEBHOOK_URL", url(&emu))
            .args(["--json", "bot", "send"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(stdout_json(&out)["ok"], true);
    }
    let kinds: Vec<String> =
        group(&emu).iter().map(|m| m["msgtype"].as_str().unwrap().to_owned()).collect();
    assert_eq!(
        kinds,
        ["text", "markdown", "markdown_v2", "image", "file", "news", "template_card"]
    );
    let messages = group(&emu);
    assert_eq!(messages[0]["mentions"], serde_json::json!(["@all", "alice"]));
    assert_eq!(messages[1]["body"]["markdown"]["content"], "## done <@bob>");
}

#[test]
fn stdin_and_split_and_a_key_from_a_profile() {
    let emu = Emu::start();
    let dir = tempdir();
    std::fs::write(
        dir.path().join("wecom.toml"),
        format!("default_profile = \"ops\"\n[profiles.ops]\nwebhook = \"{DEMO_WEBHOOK_KEY}\"\nbase_url = \"{}\"\n", emu.base_url()),
    )
    .unwrap();
    let long = "告警 line\n".repeat(800); // about 9.6 KB
    let out = wecom(&dir)
        .args(["bot", "send", "markdown", "--split"])
        .write_stdin(long.clone())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("as 3 messages"));
    let joined: String = group(&emu)
        .iter()
        .map(|m| m["body"]["markdown"]["content"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(joined, long);
}

#[test]
fn bad_input_exits_2_and_sends_nothing() {
    let emu = Emu::start();
    let dir = tempdir();
    let out = wecom(&dir)
        .env("WECOM_WEBHOOK_KEY", DEMO_WEBHOOK_KEY)
        .env("WECOM_BASE_URL", emu.base_url())
        .args(["bot", "send", "markdown", &"x".repeat(5000)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("markdown.content") && err.contains("--split"), "{err}");
    std::fs::write(dir.path().join("anim.gif"), "GIF89a......").unwrap();
    let out = wecom(&dir)
        .args(["bot", "send", "--webhook", &url(&emu), "image", "anim.gif"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let out = wecom(&dir).args(["bot", "send", "text", "hi"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("WECOM_WEBHOOK_URL"));
    assert!(group(&emu).is_empty());
    // An unknown key: WeCom's 93000 with the hint, exit 3, the key nowhere in the output.
    let out = wecom(&dir)
        .env("WECOM_BASE_URL", emu.base_url())
        .args(["bot", "send", "--webhook", "SECRET-KEY-123", "text", "hi"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("93000") && err.contains("copy the webhook URL again"), "{err}");
    assert!(!err.contains("SECRET-KEY-123"), "{err}");
}
