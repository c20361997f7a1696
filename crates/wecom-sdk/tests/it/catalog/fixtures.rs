//! The example bodies under `tests/fixtures/` (one per message kind, card kind and card
//! update form) parse, pass validation, and serialize back to exactly the same JSON. Other
//! crates (the CLI, the emulator) reuse these files, so they must stay valid.

// JSON bodies are copied verbatim from WeCom's documentation, agent ids without separators.
#![allow(clippy::unreadable_literal)]

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use wecom::update_card::UpdateTemplateCardBody;
use wecom::{Message, MessageRequest};

fn fixtures(dir: &str) -> Vec<(PathBuf, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(dir);
    let mut files: Vec<_> = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = fs::read_to_string(&path).unwrap();
            let value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
            (path, value)
        })
        .collect()
}

#[test]
fn every_message_fixture_parses_validates_and_reserializes_identically() {
    let mut kinds = BTreeSet::new();
    for (path, json) in fixtures("messages") {
        let req: MessageRequest = serde_json::from_value(json.clone())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        req.validate().unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(serde_json::to_value(&req).unwrap(), json, "{}", path.display());
        // The text form round-trips too, and parses to the same value.
        let text = serde_json::to_string(&req).unwrap();
        assert_eq!(serde_json::from_str::<MessageRequest>(&text).unwrap(), req);
        let kind = match &req.message {
            Message::TemplateCard(card) => format!("template_card_{}", card.card_type()),
            other => other.msgtype().to_owned(),
        };
        let stem = path.file_stem().unwrap().to_str().unwrap();
        assert_eq!(kind, stem, "{} holds a different kind", path.display());
        kinds.insert(kind);
    }
    let expected: BTreeSet<String> = [
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
        "template_card_text_notice",
        "template_card_news_notice",
        "template_card_button_interaction",
        "template_card_vote_interaction",
        "template_card_multiple_interaction",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(kinds, expected, "one fixture per message kind and card kind");
}

#[test]
fn every_update_fixture_parses_validates_and_reserializes_identically() {
    let files = fixtures("update_template_card");
    assert!(files.len() >= 4);
    for (path, json) in files {
        let body: UpdateTemplateCardBody<'static> = serde_json::from_value(json.clone())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        body.update.validate().unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(serde_json::to_value(&body).unwrap(), json, "{}", path.display());
        // The update alone, given the same agent id, produces the same body.
        let again = body.update.to_body(body.agent_id);
        assert_eq!(serde_json::to_value(&again).unwrap(), json, "{}", path.display());
    }
}

#[test]
fn update_only_fields_in_update_fixtures_are_refused_when_sending() {
    for (path, json) in fixtures("update_template_card") {
        let Some(card) = json.get("template_card") else { continue };
        let send = serde_json::json!({
            "touser": "alice",
            "msgtype": "template_card",
            "agentid": 1000002,
            "template_card": card,
        });
        let req: MessageRequest = serde_json::from_value(send).unwrap();
        let err = req.validate().expect_err(path.to_str().unwrap());
        assert!(err.problem.contains("update_template_card"), "{}: {err}", path.display());
    }
}
