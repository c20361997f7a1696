//! `wecom send <card>` for the five template cards through the real binary against an
//! in-process emulator: the card the emulator received is exactly the one documented.

use crate::support;

use serde_json::{Value, json};
use support::{Emu, stdout_json, tempdir};

/// Sends with `args` (`--json` output), asserts success, returns the receipt and the body
/// the emulator recorded.
fn send(emu: &Emu, dir: &tempfile::TempDir, args: &[&str]) -> (Value, Value) {
    let out = emu.cmd(dir).arg("--json").arg("send").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "send {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (stdout_json(&out), emu.last_body())
}

#[test]
fn notice_cards() {
    let emu = Emu::start();
    let dir = tempdir();
    let (_, body) = send(
        &emu,
        &dir,
        &[
            "text-notice",
            "--title",
            "Backup done",
            "--desc",
            "14 databases",
            "--url",
            "https://ops.example.com",
            "--source",
            "Ops",
            "--emphasis",
            "14/14=verified",
            "--row",
            "Took=6 min",
            "--jump",
            "Log=https://ops.example.com/log",
            "--quote",
            "All green",
            "--to",
            "alice",
        ],
    );
    assert_eq!(
        body["template_card"],
        json!({
            "card_type": "text_notice",
            "source": { "desc": "Ops" },
            "main_title": { "title": "Backup done", "desc": "14 databases" },
            "quote_area": { "quote_text": "All green" },
            "emphasis_content": { "title": "14/14", "desc": "verified" },
            "horizontal_content_list": [ { "keyname": "Took", "value": "6 min" } ],
            "jump_list": [ { "type": 1, "title": "Log", "url": "https://ops.example.com/log" } ],
            "card_action": { "type": 1, "url": "https://ops.example.com" }
        })
    );
    let (_, body) = send(
        &emu,
        &dir,
        &[
            "news-notice",
            "--title",
            "Offsite",
            "--url",
            "https://e.com/o",
            "--image",
            "https://e.com/o.png",
            "--aspect-ratio",
            "1.5",
            "--paragraph",
            "Where=Lake house",
            "--menu",
            "mute=Mute",
            "--task-id",
            "offsite-1",
            "--to",
            "alice",
        ],
    );
    assert_eq!(
        body["template_card"],
        json!({
            "card_type": "news_notice",
            "action_menu": { "action_list": [ { "text": "Mute", "key": "mute" } ] },
            "main_title": { "title": "Offsite" },
            "card_image": { "url": "https://e.com/o.png", "aspect_ratio": 1.5 },
            "vertical_content_list": [ { "title": "Where", "desc": "Lake house" } ],
            "card_action": { "type": 1, "url": "https://e.com/o" },
            "task_id": "offsite-1"
        })
    );
}

#[test]
fn interactive_cards_print_response_code_and_task_id() {
    let emu = Emu::start();
    let dir = tempdir();
    let (receipt, body) = send(
        &emu,
        &dir,
        &[
            "button-card",
            "--title",
            "Deploy v1.4?",
            "--desc",
            "by bob",
            "--task-id",
            "deploy-14",
            "--button",
            "approve=Approve",
            "--button",
            "reject=Reject:2",
            "--link-button",
            "Logs=https://ci.example.com/14",
            "--to",
            "alice",
        ],
    );
    assert_eq!(
        body["template_card"],
        json!({
            "card_type": "button_interaction",
            "main_title": { "title": "Deploy v1.4?", "desc": "by bob" },
            "task_id": "deploy-14",
            "button_list": [
                { "text": "Approve", "key": "approve" },
                { "text": "Reject", "style": 2, "key": "reject" },
                { "type": 1, "text": "Logs", "url": "https://ci.example.com/14" }
            ]
        })
    );
    assert_eq!(receipt["task_id"], "deploy-14");
    assert_eq!(
        receipt["response_code"],
        emu.messages().last().unwrap().response_code.clone().unwrap()
    );

    let (receipt, body) = send(
        &emu,
        &dir,
        &[
            "vote-card",
            "--title",
            "Lunch?",
            "--option",
            "a=Noodles",
            "--option",
            "b=Rice",
            "--checked",
            "b",
            "--multiple",
            "--question-key",
            "lunch",
            "--submit",
            "Vote",
            "--submit-key",
            "lunch_submit",
            "--to",
            "alice",
        ],
    );
    let card = &body["template_card"];
    assert_eq!(card["card_type"], "vote_interaction");
    assert_eq!(
        card["checkbox"],
        json!({ "question_key": "lunch", "mode": 1, "option_list": [
            { "id": "a", "text": "Noodles", "is_checked": false },
            { "id": "b", "text": "Rice", "is_checked": true } ] })
    );
    assert_eq!(card["submit_button"], json!({ "text": "Vote", "key": "lunch_submit" }));
    let generated = card["task_id"].as_str().unwrap();
    assert!(
        generated.starts_with('t') && generated.len() > 10,
        "a task id is generated: {generated}"
    );
    assert_eq!(receipt["task_id"], generated);

    let (_, body) = send(
        &emu,
        &dir,
        &[
            "multiple-card",
            "--title",
            "Survey",
            "--select",
            "team:Team=infra:Infra,app:Apps",
            "--select",
            "size=s:Small,l:Large",
            "--to",
            "alice",
        ],
    );
    let card = &body["template_card"];
    assert_eq!(card["card_type"], "multiple_interaction");
    assert_eq!(
        card["select_list"],
        json!([
            { "question_key": "team", "title": "Team", "option_list": [ { "id": "infra", "text": "Infra" }, { "id": "app", "text": "Apps" } ] },
            { "question_key": "size", "option_list": [ { "id": "s", "text": "Small" }, { "id": "l", "text": "Large" } ] }
        ])
    );
    assert_eq!(card["submit_button"], json!({ "key": "submit" }));
}
