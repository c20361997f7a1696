//! What happens to messages after sending: recall, card updates, the duplicate check, the
//! per-member limits, and the admin view's filters.

use serde_json::{Value, json};

use super::support::{BOT, Emu, NOTICES, assert_errcode, button_card, status_of, text};

async fn recall(emu: &Emu, agentid: i64, msgid: &str) -> Value {
    let token = emu.token(agentid).await;
    emu.post_json(
        &format!("/cgi-bin/message/recall?access_token={token}"),
        &json!({ "msgid": msgid }),
    )
    .await
}

#[tokio::test]
async fn recall_within_24_hours_marks_copies_recalled() {
    let emu = Emu::demo().await;
    let msgid = emu.send_text("alice|bob", "oops").await["msgid"].as_str().unwrap().to_owned();
    emu.advance(23 * 3600).await;
    assert_eq!(recall(&emu, BOT, &msgid).await["errcode"], 0);
    let m = emu.message(&msgid).await;
    assert_eq!(status_of(&m, "alice"), "recalled");
    assert_eq!(status_of(&m, "bob"), "recalled");
    assert!(m["recalled_at_ms"].is_i64());
    assert_errcode(&recall(&emu, BOT, &msgid).await, 40058);
}

#[tokio::test]
async fn recall_refuses_old_unknown_and_foreign_messages() {
    let emu = Emu::demo().await;
    let msgid = emu.send_text("alice", "old").await["msgid"].as_str().unwrap().to_owned();
    assert_errcode(&recall(&emu, NOTICES, &msgid).await, 40058);
    assert_errcode(&recall(&emu, BOT, "no-such-msgid").await, 40058);
    let token = emu.token(BOT).await;
    assert_errcode(
        &emu.post_json(&format!("/cgi-bin/message/recall?access_token={token}"), &json!({})).await,
        40063,
    );
    emu.advance(24 * 3600 + 1).await;
    assert_errcode(&recall(&emu, BOT, &msgid).await, 40058);
    assert_eq!(status_of(&emu.message(&msgid).await, "alice"), "delivered");
}

async fn update(emu: &Emu, agentid: i64, body: Value) -> Value {
    let token = emu.token(agentid).await;
    emu.post_json(&format!("/cgi-bin/message/update_template_card?access_token={token}"), &body)
        .await
}

#[tokio::test]
async fn update_template_card_replaces_buttons_once_per_code() {
    let emu = Emu::demo().await;
    let sent = emu.send(BOT, &button_card("deploy-1")).await;
    let code = sent["response_code"].as_str().unwrap().to_owned();
    let msgid = sent["msgid"].as_str().unwrap().to_owned();
    let body = json!({ "userids": ["ALICE", "carol", "ghost"], "agentid": BOT, "response_code": code,
                       "button": { "replace_name": "Approved" } });
    let v = update(&emu, BOT, body.clone()).await;
    assert_eq!(v["errcode"], 0, "{v}");
    assert_eq!(v["invaliduser"], json!(["carol", "ghost"]), "an array of non-receivers");
    let m = emu.message(&msgid).await;
    let alice = &m["recipients"][0];
    assert_eq!(alice["userid"], "alice");
    assert_eq!(alice["card"]["button_text"], "Approved");
    assert_eq!(alice["card"]["disabled"], true);
    assert_eq!(m["recipients"][1]["card"]["disabled"], false, "bob was not targeted");
    // Single use.
    assert_errcode(&update(&emu, BOT, body).await, 40058);
}

#[tokio::test]
async fn update_template_card_rules() {
    let emu = Emu::demo().await;
    let sent = emu.send(BOT, &button_card("deploy-2")).await;
    let code = sent["response_code"].as_str().unwrap().to_owned();
    let button = |code: &str| json!({ "atall": 1, "agentid": BOT, "response_code": code, "button": { "replace_name": "Done" } });
    // Another app cannot update it (its own agentid and token: 42015).
    let mut foreign = button(&code);
    foreign["agentid"] = json!(NOTICES);
    assert_errcode(&update(&emu, NOTICES, foreign).await, 42015);
    assert_errcode(&update(&emu, BOT, button("unknown-code")).await, 40058);
    let mut neither = button(&code);
    neither.as_object_mut().unwrap().remove("button");
    assert_errcode(&update(&emu, BOT, neither).await, 40063);
    let mut no_code = button(&code);
    no_code.as_object_mut().unwrap().remove("response_code");
    assert_errcode(&update(&emu, BOT, no_code).await, 40063);
    let mut bad_card = button(&code);
    bad_card.as_object_mut().unwrap().remove("button");
    bad_card["template_card"] =
        json!({ "card_type": "button_interaction", "main_title": { "title": "x" } });
    assert_errcode(&update(&emu, BOT, bad_card).await, 40063);
    // Codes live 72 hours.
    emu.advance(72 * 3600).await;
    assert_errcode(&update(&emu, BOT, button(&code)).await, 40058);
}

#[tokio::test]
async fn update_with_a_replacement_card_for_everyone() {
    let emu = Emu::demo().await;
    let sent = emu.send(BOT, &button_card("deploy-3")).await;
    let body = json!({ "atall": 1, "agentid": BOT, "response_code": sent["response_code"],
        "template_card": { "card_type": "button_interaction", "main_title": { "title": "Deployed" },
            "button_list": [ { "text": "Approve", "key": "approve" } ], "replace_text": "Deployed by alice" } });
    let v = update(&emu, BOT, body).await;
    assert_eq!(v["errcode"], 0, "{v}");
    assert_eq!(v["invaliduser"], json!([]));
    let m = emu.message(sent["msgid"].as_str().unwrap()).await;
    for r in m["recipients"].as_array().unwrap() {
        assert_eq!(r["card"]["replaced_card"]["main_title"]["title"], "Deployed");
        assert_eq!(r["card"]["button_text"], "Deployed by alice");
        assert_eq!(r["card"]["disabled"], true);
    }
}

#[tokio::test]
async fn duplicate_check_suppresses_identical_bodies_within_the_interval() {
    let emu = Emu::demo().await;
    let mut body = text("alice", "deploy finished");
    body["enable_duplicate_check"] = json!(1);
    body["duplicate_check_interval"] = json!(600);
    let first = emu.send(BOT, &body).await;
    let again = emu.send(BOT, &body).await;
    assert_eq!(again["errcode"], 0);
    assert_eq!(again["msgid"], first["msgid"], "the original msgid is answered");
    let messages = emu.messages("").await;
    assert_eq!(messages.len(), 1, "not delivered again");
    assert_eq!(messages[0]["duplicates_suppressed"], 1);
    // A different body is a different message; without the flag nothing is suppressed.
    let mut other = body.clone();
    other["text"]["content"] = json!("another");
    assert_ne!(emu.send(BOT, &other).await["msgid"], first["msgid"]);
    let plain = text("alice", "same");
    assert_ne!(emu.send(BOT, &plain).await["msgid"], emu.send(BOT, &plain).await["msgid"]);
    // After the interval the same body is delivered again.
    emu.advance(600).await;
    assert_ne!(emu.send(BOT, &body).await["msgid"], first["msgid"]);
}

#[tokio::test]
async fn duplicate_check_defaults_to_1800_seconds() {
    let emu = Emu::demo().await;
    let mut body = text("bob", "nightly");
    body["enable_duplicate_check"] = json!(1);
    let first = emu.send(BOT, &body).await["msgid"].clone();
    emu.advance(1799).await;
    assert_eq!(emu.send(BOT, &body).await["msgid"], first);
    emu.advance(1).await;
    assert_ne!(emu.send(BOT, &body).await["msgid"], first);
}

#[tokio::test]
async fn per_member_limits_drop_silently_and_are_recorded() {
    let emu = Emu::demo().await;
    let token = emu.token(BOT).await;
    let path = format!("/cgi-bin/message/send?access_token={token}");
    let mut msgids = Vec::new();
    for i in 0..31 {
        let v = emu.post_json(&path, &text("alice|bob", &format!("n{i}"))).await;
        assert_eq!(v["errcode"], 0, "the excess is not an error");
        msgids.push(v["msgid"].as_str().unwrap().to_owned());
    }
    let last = emu.message(&msgids[30]).await;
    assert_eq!(status_of(&last, "alice"), "dropped");
    assert_eq!(status_of(&emu.message(&msgids[29]).await, "alice"), "delivered");
    // Bob has his own budget, but he got the same 31: also dropped; carol is fresh.
    assert_eq!(status_of(&last, "bob"), "dropped");
    assert_eq!(emu.send_text("carol", "hi").await["errcode"], 0);
    emu.advance(60).await;
    let v = emu.post_json(&path, &text("alice", "a minute later")).await;
    assert_eq!(status_of(&emu.message(v["msgid"].as_str().unwrap()).await, "alice"), "delivered");
}

#[tokio::test]
async fn messages_can_be_filtered_by_user_agent_and_type() {
    let emu = Emu::demo().await;
    emu.send_text("alice", "to alice").await;
    emu.send_text("bob", "to bob").await;
    let mut notice = text("carol", "from notices");
    notice["agentid"] = json!(NOTICES);
    emu.send(NOTICES, &notice).await;
    assert_eq!(emu.messages("?user=alice").await.len(), 1);
    assert_eq!(emu.messages("?user=BOB").await.len(), 1);
    assert_eq!(emu.messages(&format!("?agentid={NOTICES}")).await.len(), 1);
    assert_eq!(emu.messages("?msgtype=text").await.len(), 3);
    assert_eq!(emu.messages("?msgtype=news").await.len(), 0);
    let last = emu.messages("?limit=2").await;
    assert_eq!(last.len(), 2);
    assert_eq!(last[0]["body"]["text"]["content"], "to bob");
    assert_eq!(last[1]["body"]["text"]["content"], "from notices");
    emu.admin_post("/emulator/reset", json!({})).await;
    assert!(emu.messages("").await.is_empty());
}
