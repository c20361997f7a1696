//! `GET /emulator/users/{userid}/conversations` and `POST …/conversations/{key}/read`: the
//! member's conversation list (apps, groups, AI bots), its order, previews and unread counts.

use serde_json::{Value, json};
use wecom_emulator::DEMO_WEBHOOK_KEY;

use super::support::{BOT, Emu, NOTICES};

async fn conversations(emu: &Emu, userid: &str) -> Value {
    emu.get_json(&format!("/emulator/users/{userid}/conversations")).await
}

fn keys(list: &Value) -> Vec<String> {
    list["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap().to_owned())
        .collect()
}

fn conversation<'v>(list: &'v Value, key: &str) -> &'v Value {
    list["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == key)
        .unwrap_or_else(|| panic!("no conversation {key} in {list}"))
}

async fn post_to_group(emu: &Emu, content: &str) {
    let body = json!({ "msgtype": "text", "text": { "content": content } });
    let v = emu.post_json(&format!("/cgi-bin/webhook/send?key={DEMO_WEBHOOK_KEY}"), &body).await;
    assert_eq!(v["errcode"], 0, "{v}");
}

async fn read(emu: &Emu, userid: &str, key: &str) -> Value {
    emu.admin_post(&format!("/emulator/users/{userid}/conversations/{key}/read"), json!({})).await
}

#[tokio::test]
async fn the_list_holds_apps_groups_and_ai_bots_newest_activity_first() {
    let emu = Emu::demo().await;
    // Nothing yet: bob's apps (Build bot and the whole-corp Chat ops are visible to him,
    // Notices is not), his group and the AI bots, in kind order.
    let empty = conversations(&emu, "bob").await;
    assert_eq!(
        keys(&empty),
        ["app:1000002", "app:1000004", "group:wrdemo-ops", "aibot:aib_demo", "aibot:aib_ws_demo"]
    );
    assert_eq!(empty["unread"], 0);
    assert_eq!(empty["in_any_app_range"], true);
    assert!(conversation(&empty, "group:wrdemo-ops").get("last").is_none());

    assert_eq!(emu.send_text("bob", "build 41 passed").await["errcode"], 0);
    emu.advance(60).await;
    post_to_group(&emu, "disk almost full").await;
    emu.advance(60).await;
    assert_eq!(emu.send_text("bob", "build 42 failed").await["errcode"], 0);

    let list = conversations(&emu, "bob").await;
    // Newest activity first, then the quiet ones in kind order.
    assert_eq!(
        keys(&list),
        ["app:1000002", "group:wrdemo-ops", "app:1000004", "aibot:aib_demo", "aibot:aib_ws_demo"]
    );
    let app = conversation(&list, "app:1000002");
    assert_eq!(app["unread"], 2, "{app}");
    assert_eq!(app["last"]["preview"], "build 42 failed");
    assert_eq!(app["last"]["from"], "Build bot");
    assert_eq!(app["can_send"], true);
    let group = conversation(&list, "group:wrdemo-ops");
    assert_eq!(group["unread"], 1);
    assert_eq!(group["kind"], "group");
    assert_eq!(group["group_kind"], "webhook");
    assert_eq!(group["last"]["preview"], "disk almost full");
    assert_eq!(group["last"]["from"], "Alert bot");
    assert!(app["last"]["at_ms"].as_i64() > group["last"]["at_ms"].as_i64());
    assert_eq!(list["unread"], 3);

    // A newer group message puts the group first.
    emu.advance(60).await;
    post_to_group(&emu, "disk full").await;
    let list = conversations(&emu, "bob").await;
    assert_eq!(keys(&list)[0], "group:wrdemo-ops");
    assert_eq!(conversation(&list, "group:wrdemo-ops")["unread"], 2);

    // erin is in no group and only in the whole-corp chat app's range.
    assert_eq!(
        keys(&conversations(&emu, "erin").await),
        ["app:1000004", "aibot:aib_demo", "aibot:aib_ws_demo"]
    );
    // alice sees Notices too.
    let alice = conversations(&emu, "alice").await;
    assert!(keys(&alice).contains(&format!("app:{NOTICES}")), "{alice}");
}

#[tokio::test]
async fn opening_a_conversation_clears_its_unread_count_and_only_later_messages_count() {
    let emu = Emu::demo().await;
    for n in 0..3 {
        assert_eq!(emu.send_text("bob", &format!("message {n}")).await["errcode"], 0);
    }
    post_to_group(&emu, "alert").await;
    let key = format!("app:{BOT}");
    assert_eq!(conversation(&conversations(&emu, "bob").await, &key)["unread"], 3);

    let opened = read(&emu, "bob", &key).await;
    assert_eq!(opened["unread"], 0, "{opened}");
    let list = conversations(&emu, "bob").await;
    assert_eq!(conversation(&list, &key)["unread"], 0);
    assert_eq!(
        conversation(&list, "group:wrdemo-ops")["unread"],
        1,
        "other conversations keep theirs"
    );
    // Per member: alice's copies stay unread.
    assert_eq!(emu.send_text("alice", "for alice").await["errcode"], 0);
    assert_eq!(conversation(&conversations(&emu, "alice").await, &key)["unread"], 1);

    // In the same virtual millisecond as the read: still counted (the mark is the message).
    assert_eq!(emu.send_text("bob", "after").await["errcode"], 0);
    let list = conversations(&emu, "bob").await;
    assert_eq!(conversation(&list, &key)["unread"], 1);
    assert_eq!(conversation(&list, &key)["last"]["preview"], "after");

    // A recalled message is not unread.
    let sent = emu.send_text("bob", "oops").await;
    let token = emu.token(BOT).await;
    let v = emu
        .post_json(
            &format!("/cgi-bin/message/recall?access_token={token}"),
            &json!({ "msgid": sent["msgid"] }),
        )
        .await;
    assert_eq!(v["errcode"], 0, "{v}");
    let list = conversations(&emu, "bob").await;
    assert_eq!(conversation(&list, &key)["unread"], 1);
    assert_eq!(conversation(&list, &key)["last"]["preview"], "[Recalled]");

    // Opening an empty conversation is fine; a reset forgets the marks.
    assert_eq!(read(&emu, "bob", "aibot:aib_demo").await["unread"], 0);
    read(&emu, "bob", &key).await;
    emu.admin_post("/emulator/reset", json!({})).await;
    assert_eq!(emu.send_text("bob", "fresh").await["errcode"], 0);
    assert_eq!(conversation(&conversations(&emu, "bob").await, &key)["unread"], 1);
}

#[tokio::test]
async fn a_member_outside_every_range_gets_the_apps_and_no_app_conversation() {
    let emu = Emu::demo_erin_outside().await;
    let list = conversations(&emu, "erin").await;
    assert_eq!(list["in_any_app_range"], false);
    let apps = list["apps"].as_array().unwrap();
    assert_eq!(apps.len(), 2);
    assert!(apps.iter().all(|a| a["in_range"] == false), "{list}");
    assert_eq!(apps[0]["name"], "Build bot");
    assert!(keys(&list).iter().all(|k| !k.starts_with("app:")));
    // An app whose range does not hold the member and that never wrote to them: not listed.
    let list = conversations(&emu, "bob").await;
    assert!(!keys(&list).contains(&format!("app:{NOTICES}")));
}

#[tokio::test]
async fn bad_keys_and_unknown_members_are_refused() {
    let emu = Emu::demo().await;
    let (status, v) =
        emu.admin(reqwest::Method::GET, "/emulator/users/nobody/conversations", None).await;
    assert_eq!(status, 404, "{v}");
    let post = |path: &'static str| emu.admin(reqwest::Method::POST, path, Some(json!({})));
    let (status, v) = post("/emulator/users/bob/conversations/chat:1/read").await;
    assert_eq!(status, 400, "{v}");
    assert!(v["error"].as_str().unwrap().contains("app:{agentid}"), "{v}");
    let (status, v) = post("/emulator/users/bob/conversations/app:1000003/read").await;
    assert_eq!(status, 404, "Notices is not bob's conversation: {v}");
    let (status, _) = post("/emulator/users/erin/conversations/group:wrdemo-ops/read").await;
    assert_eq!(status, 404, "erin is not in the group");
}

#[tokio::test]
async fn an_ai_bot_conversation_shows_the_members_question() {
    // The bot's server answers 200 with no body: no answer, the question stays.
    let emu = Emu::with_quiet_bot(|_| {}).await;
    let (status, v) = emu
        .admin(
            reqwest::Method::POST,
            "/emulator/aibots/aib_demo/messages",
            Some(json!({ "userid": "carol", "content": "你好，今天谁值班？" })),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    let list = conversations(&emu, "carol").await;
    assert_eq!(keys(&list)[0], "aibot:aib_demo", "{list}");
    let bot = conversation(&list, "aibot:aib_demo");
    assert_eq!(bot["last"]["preview"], "你好，今天谁值班？");
    assert_eq!(bot["last"]["from"], "me");
    assert_eq!(bot["unread"], 0, "the member's own message is not unread");
    assert_eq!(bot["can_send"], true);
    assert!(keys(&conversations(&emu, "bob").await).contains(&"aibot:aib_demo".to_owned()));
    assert!(
        conversation(&conversations(&emu, "bob").await, "aibot:aib_demo").get("last").is_none()
    );
}
