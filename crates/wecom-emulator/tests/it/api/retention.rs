//! What the emulator keeps besides app messages is bounded by the same retention: group
//! messages and AI-bot turns (count and virtual age, oldest first, never the newest), and
//! `response_url` codes past their hour are forgotten. The listings say what was dropped.

use reqwest::Method;
use serde_json::{Value, json};
use wecom_emulator::{Config, DEMO_WEBHOOK_KEY};

use super::support::Emu;

const CHAT: &str = "wrdemo-ops";
const AIBOT: &str = "aib_demo";

async fn webhook_text(emu: &Emu, content: &str) {
    let body = json!({ "msgtype": "text", "text": { "content": content } });
    let v = emu.post_json(&format!("/cgi-bin/webhook/send?key={DEMO_WEBHOOK_KEY}"), &body).await;
    assert_eq!(v["errcode"], 0, "{v}");
}

fn contents(list: &Value) -> Vec<String> {
    let messages = list["messages"].as_array().expect("messages");
    messages.iter().map(|m| m["body"]["text"]["content"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn group_messages_keep_only_the_newest_and_say_how_many_were_dropped() {
    let mut config = Config::demo();
    config.options.retain_messages = 3;
    let emu = Emu::with(config).await;
    for i in 0..5 {
        webhook_text(&emu, &format!("g{i}")).await;
    }
    let v = emu.get_json(&format!("/emulator/groups/{CHAT}/messages")).await;
    assert_eq!(contents(&v), ["g2", "g3", "g4"], "{v}");
    assert_eq!(
        v["retention"],
        json!({"retained": 3, "dropped_oldest": 2, "retain_messages": 3, "retain_seconds": 0})
    );
    // The inbox sees the same three.
    let member = emu.handle.member("alice");
    assert_eq!(member.group_messages(CHAT).await.unwrap().len(), 3);
}

#[tokio::test]
async fn group_messages_older_than_the_retention_age_are_dropped_by_the_virtual_clock() {
    let mut config = Config::demo();
    config.options.retain_seconds = 3600;
    let emu = Emu::with(config).await;
    webhook_text(&emu, "old").await;
    webhook_text(&emu, "old too").await;
    emu.advance(3601).await;
    webhook_text(&emu, "new").await;
    let v = emu.get_json(&format!("/emulator/groups/{CHAT}/messages")).await;
    assert_eq!(contents(&v), ["new"], "{v}");
    assert_eq!(v["retention"]["dropped_oldest"], 2, "{v}");
    assert_eq!(v["retention"]["retained"], 1, "{v}");
}

/// A member asks the bot; the turn, whose callback carries its `response_url`.
async fn ask(emu: &Emu, content: &str) -> Value {
    let path = format!("/emulator/aibots/{AIBOT}/messages");
    let body = json!({ "userid": "alice", "content": content });
    let (status, turn) = emu.admin(Method::POST, &path, Some(body)).await;
    assert_eq!(status, 200, "{turn}");
    turn
}

/// The path of a turn's `response_url` on the emulator.
fn response_path(turn: &Value) -> String {
    let url = turn["callback"]["response_url"].as_str().expect("a response_url");
    url[url.find("/cgi-bin/").unwrap()..].to_owned()
}

async fn follow_up(emu: &Emu, path: &str) -> Value {
    emu.post_json(path, &json!({ "msgtype": "markdown", "markdown": { "content": "later" } })).await
}

#[tokio::test]
async fn ai_bot_turns_keep_only_the_newest_and_forgotten_ones_are_unknown() {
    let emu = Emu::with_quiet_bot(|c| c.options.retain_messages = 3).await;
    let mut turns = Vec::new();
    for i in 0..5 {
        turns.push(ask(&emu, &format!("q{i}")).await);
    }
    let v = emu.get_json(&format!("/emulator/aibots/{AIBOT}/turns")).await;
    let ids: Vec<&Value> = v["turns"].as_array().unwrap().iter().map(|t| &t["id"]).collect();
    assert_eq!(ids, [&turns[2]["id"], &turns[3]["id"], &turns[4]["id"]], "{v}");
    assert_eq!(v["retention"]["retained"], 3, "{v}");
    assert_eq!(v["retention"]["dropped_oldest"], 2, "{v}");
    // Lookups go by id: a forgotten turn is unknown, a kept one is itself.
    let first = &turns[0]["id"];
    let (status, _) =
        emu.admin(Method::GET, &format!("/emulator/aibots/{AIBOT}/turns/{first}"), None).await;
    assert_eq!(status, 404);
    let kept = emu.get_json(&format!("/emulator/aibots/{AIBOT}/turns/{}", turns[3]["id"])).await;
    assert_eq!(kept["callback"]["text"]["content"], "q3", "{kept}");
    let click = json!({ "userid": "alice", "event_key": "k" });
    let path = format!("/emulator/aibots/{AIBOT}/turns/{first}/click");
    assert_eq!(emu.admin(Method::POST, &path, Some(click)).await.0, 404);
    // The response_url of a forgotten turn answers as an unknown code; the newest works.
    let v = follow_up(&emu, &response_path(&turns[0])).await;
    assert_eq!((&v["errcode"], &v["errmsg"]), (&json!(40008), &json!("invalid response_code")));
    assert_eq!(follow_up(&emu, &response_path(&turns[4])).await["errcode"], 0);
    let newest = emu.get_json(&format!("/emulator/aibots/{AIBOT}/turns/{}", turns[4]["id"])).await;
    assert_eq!(newest["follow_ups"].as_array().unwrap().len(), 1, "{newest}");
}

#[tokio::test]
async fn ai_bot_turns_older_than_the_retention_age_are_dropped_by_the_virtual_clock() {
    let emu = Emu::with_quiet_bot(|c| c.options.retain_seconds = 3600).await;
    ask(&emu, "old").await;
    emu.advance(3601).await;
    let new = ask(&emu, "new").await;
    let v = emu.get_json(&format!("/emulator/aibots/{AIBOT}/turns")).await;
    let turns = v["turns"].as_array().unwrap();
    assert_eq!(turns.len(), 1, "{v}");
    assert_eq!(turns[0]["id"], new["id"]);
    assert_eq!(v["retention"]["dropped_oldest"], 1, "{v}");
}

#[tokio::test]
async fn a_response_url_expires_after_an_hour_of_virtual_time_and_is_then_forgotten() {
    let emu = Emu::with_quiet_bot(|_| {}).await;
    let path = response_path(&ask(&emu, "hello").await);
    emu.advance(3600).await;
    let v = follow_up(&emu, &path).await;
    assert_eq!((&v["errcode"], &v["errmsg"]), (&json!(40008), &json!("response_code expired")));
    let v = follow_up(&emu, &path).await;
    assert_eq!(v["errmsg"], "invalid response_code", "the expired code was removed: {v}");
}
