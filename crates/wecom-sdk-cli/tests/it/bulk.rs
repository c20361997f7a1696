//! Bulk sends (`--to-file`): batches of 1,000, a summary, and a journal that keeps a re-run
//! from sending to anyone twice.

use crate::support;

use std::collections::HashMap;
use std::fmt::Write as _;

use predicates::prelude::*;
use serde_json::json;
use support::{Emu, stdout_json, tempdir};

/// Writes a users file of `n` members `u00000`…, with comments and blank lines.
fn users_file(dir: &tempfile::TempDir, n: usize) -> std::path::PathBuf {
    let mut text = String::from("# members to notify\n\n");
    for i in 0..n {
        let _ = writeln!(text, "u{i:05}");
        if i % 500 == 0 {
            text.push_str("   \n# a comment in the middle\n");
        }
    }
    let path = dir.path().join("users.txt");
    std::fs::write(&path, text).unwrap();
    path
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

#[test]
fn twenty_five_hundred_members_go_out_in_three_batches() {
    let emu = Emu::with_members(2500);
    let dir = tempdir();
    users_file(&dir, 2500);
    let out = emu
        .cmd(&dir)
        .args(["--json", "send", "text", "Office closed on Friday", "--to-file", "users.txt"])
        .args(["--rate", "50", "--concurrency", "2"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary = stdout_json(&out);
    assert_eq!(summary["delivered"], 2500, "{summary}");
    assert_eq!(summary["requests"], 3);
    assert_eq!(summary["complete"], true);
    assert_eq!(summary["failed"], 0);
    let mut sizes: Vec<usize> = emu.messages().iter().map(|m| m.recipients.len()).collect();
    sizes.sort_unstable();
    assert_eq!(sizes, [500, 1000, 1000]);
    assert!(copies(&emu).values().all(|&n| n == 1));
    // Every batch carries the same content.
    for m in emu.messages() {
        assert_eq!(m.body_json()["text"], json!({ "content": "Office closed on Friday" }));
    }
    // The journal says the send is complete; running again sends nothing.
    let journal = std::fs::read_to_string(dir.path().join("users.txt.journal")).unwrap();
    assert!(journal.contains("# complete"));
    assert_eq!(journal.lines().filter(|l| l.starts_with("delivered\t")).count(), 2500);
    emu.cmd(&dir)
        .args(["send", "text", "Office closed on Friday", "--to-file", "users.txt"])
        .assert()
        .success()
        .stdout(predicate::str::contains("nothing to send"));
    assert_eq!(emu.messages().len(), 3);
}

/// A run that ends with a failed batch is finished by a re-run; runs that are really
/// interrupted (Ctrl-C, SIGKILL) are in `bulk_crash.rs`.
#[test]
fn a_failed_batch_is_sent_again_by_a_rerun_without_sending_twice() {
    let emu = Emu::with_members(2500);
    let dir = tempdir();
    users_file(&dir, 2500);
    // The first batch to arrive fails: the run ends with 1,000 members failed.
    emu.call(
        reqwest::Method::POST,
        "/emulator/faults",
        Some(json!({ "path": "message/send", "count": 1, "kind": "errcode", "errcode": 45009 })),
    );
    let out = emu
        .cmd(&dir)
        .args(["--json", "send", "text", "Payday", "--to-file", "users.txt", "--concurrency", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    let summary = stdout_json(&out);
    assert_eq!(
        (summary["delivered"].as_u64(), summary["failed"].as_u64()),
        (Some(1500), Some(1000))
    );
    assert_eq!(summary["complete"], false);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("45009") && stderr.contains("run the same command again"), "{stderr}");
    assert_eq!(emu.messages().len(), 2);

    // The re-run sends only to the 1,000 that failed.
    let out = emu
        .cmd(&dir)
        .args(["--json", "send", "text", "Payday", "--to-file", "users.txt"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary = stdout_json(&out);
    assert_eq!(summary["delivered"], 1000, "{summary}");
    assert_eq!(summary["skipped"], 1500);
    assert_eq!(summary["complete"], true);
    let copies = copies(&emu);
    assert_eq!(copies.len(), 2500);
    assert!(copies.values().all(|&n| n == 1), "somebody got the message twice");
}

#[test]
fn the_summary_counts_invalid_unlicensed_and_duplicates() {
    let emu = Emu::start();
    let dir = tempdir();
    std::fs::write(dir.path().join("team.txt"), "alice\nbob\nALICE\ndave\nnobody\n# end\n")
        .unwrap();
    let out = emu
        .cmd(&dir)
        .args(["send", "markdown", "**hi**", "--to-file", "team.txt"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("delivered 2, invalid 1, unlicensed 1, held back 0, failed 0")
            && text.contains("duplicates ignored 1")
            && text.contains("complete"),
        "{text}"
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains('\r'), "no progress bar off a terminal");
    assert!(text.contains("\ninvalid: nobody") && text.contains("\nunlicensed: dave"), "{text}");
}

#[test]
fn the_summary_names_invalid_members_and_writes_them_all_to_a_file() {
    let emu = Emu::start();
    let dir = tempdir();
    let ghosts: Vec<String> = (0..15).map(|i| format!("ghost{i:02}")).collect();
    std::fs::write(dir.path().join("team.txt"), format!("alice\n{}\n", ghosts.join("\n"))).unwrap();
    let out = emu.cmd(&dir).args(["send", "text", "hi", "--to-file", "team.txt"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&format!("invalid: {} and 5 more", ghosts[..10].join(", "))), "{text}");
    assert!(text.contains("--invalid-out FILE"), "{text}");

    let out = emu
        .cmd(&dir)
        .args(["--json", "send", "text", "hi", "--to-file", "team.txt", "--journal", "j2"])
        .args(["--invalid-out", "refused.txt"])
        .output()
        .unwrap();
    assert_eq!(stdout_json(&out)["invalid_users"].as_array().unwrap().len(), 15);
    let listed = std::fs::read_to_string(dir.path().join("refused.txt")).unwrap();
    let ids: Vec<&str> = listed.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(ids, ghosts.iter().map(String::as_str).collect::<Vec<_>>());
}

#[test]
fn a_journal_of_another_message_is_refused() {
    let emu = Emu::start();
    let dir = tempdir();
    std::fs::write(dir.path().join("team.txt"), "alice\nbob\n").unwrap();
    emu.cmd(&dir).args(["send", "text", "first", "--to-file", "team.txt"]).assert().success();
    emu.cmd(&dir)
        .args(["send", "text", "second", "--to-file", "team.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("belongs to another message"));
    // With its own journal it goes out.
    emu.cmd(&dir)
        .args(["send", "text", "second", "--to-file", "team.txt", "--journal", "second.journal"])
        .assert()
        .success();
    assert_eq!(emu.messages().len(), 2);
}

#[test]
fn a_button_card_to_2500_members_gets_a_task_id_per_request_and_reaches_everyone() {
    let emu = Emu::with_members(2500);
    let dir = tempdir();
    users_file(&dir, 2500);
    // Concurrency 1: every wave is one request, so only per-request ids keep the emulator,
    // like WeCom, from refusing a reused task id.
    let out = emu
        .cmd(&dir)
        .args([
            "--json",
            "send",
            "button-card",
            "--title",
            "Deploy v1.4?",
            "--task-id",
            "deploy-14",
        ])
        .args(["--button", "go=Go", "--to-file", "users.txt", "--rate", "50", "--concurrency", "1"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary = stdout_json(&out);
    assert_eq!(summary["delivered"], 2500, "{summary}");
    assert_eq!(summary["requests"], 3);
    let mut task_ids: Vec<String> = emu
        .messages()
        .iter()
        .map(|m| {
            let body: serde_json::Value = serde_json::from_str(m.body.get()).unwrap();
            body["template_card"]["task_id"].as_str().unwrap().to_owned()
        })
        .collect();
    task_ids.sort();
    task_ids.dedup();
    assert_eq!(task_ids.len(), 3, "{task_ids:?}");
    assert!(task_ids.iter().all(|id| id.starts_with("deploy-14-")), "{task_ids:?}");
    assert!(copies(&emu).values().all(|&n| n == 1));
}
