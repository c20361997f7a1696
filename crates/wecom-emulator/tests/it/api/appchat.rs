//! appchat/create|update|get|send, message/get_statistics and linkedcorp/message/send from raw
//! JSON: WeCom's codes for each refusal (48002 for an app whose range is not the root
//! department, 86001/86003/86004/86006/86007/86008/86215, 40008 for a template card, 45009
//! past the daily creations), silent per-member drops, the group listing of both kinds, the
//! statistics counts and the state file.

use serde_json::{Value, json};
use wecom_emulator::{Config, DEMO_CHAT_APP, Emulator};

use super::support::{BOT, Emu, assert_errcode, button_card, png_bytes};

const CHAT: i64 = DEMO_CHAT_APP;

async fn call(emu: &Emu, agentid: i64, verb: &str, body: &Value) -> Value {
    let token = emu.token(agentid).await;
    emu.post_json(&format!("/cgi-bin/appchat/{verb}?access_token={token}"), body).await
}

async fn get(emu: &Emu, agentid: i64, chatid: &str) -> Value {
    let token = emu.token(agentid).await;
    emu.get_json(&format!("/cgi-bin/appchat/get?access_token={token}&chatid={chatid}")).await
}

fn create_body(chatid: &str, members: &[&str]) -> Value {
    json!({ "name": "Ops night", "owner": members[0], "userlist": members, "chatid": chatid })
}

async fn create(emu: &Emu, chatid: &str, members: &[&str]) -> Value {
    call(emu, CHAT, "create", &create_body(chatid, members)).await
}

fn text(chatid: &str, content: &str) -> Value {
    json!({ "chatid": chatid, "msgtype": "text", "text": { "content": content }, "safe": 0 })
}

#[tokio::test]
async fn a_chat_is_created_read_updated_and_listed_next_to_webhook_groups() {
    let emu = Emu::demo().await;
    let v = create(&emu, "ops1", &["alice", "Bob", "erin"]).await;
    assert_eq!(v, json!({ "errcode": 0, "errmsg": "ok", "chatid": "ops1" }));
    let v = get(&emu, CHAT, "ops1").await;
    assert_eq!(v["errcode"], 0, "{v}");
    assert_eq!(
        v["chat_info"],
        json!({ "chatid": "ops1", "name": "Ops night", "owner": "alice", "userlist": ["alice", "bob", "erin"] })
    );
    let update = json!({
        "chatid": "ops1", "name": "Ops day", "owner": "bob",
        "add_user_list": ["carol"], "del_user_list": ["alice"]
    });
    assert_eq!(call(&emu, CHAT, "update", &update).await["errcode"], 0);
    let info = &get(&emu, CHAT, "ops1").await["chat_info"];
    assert_eq!(info["name"], "Ops day");
    assert_eq!(info["owner"], "bob");
    assert_eq!(info["userlist"], json!(["bob", "erin", "carol"]));
    // Without a chat id, one of 0-9a-zA-Z is generated.
    let v = call(&emu, CHAT, "create", &json!({ "name": "x", "userlist": ["alice", "bob"] })).await;
    let generated = v["chatid"].as_str().unwrap();
    assert!(generated.len() <= 32 && generated.bytes().all(|b| b.is_ascii_alphanumeric()), "{v}");
    let groups = emu.get_json("/emulator/groups").await;
    let groups = groups["groups"].as_array().unwrap();
    assert_eq!(groups[0]["kind"], "webhook");
    assert_eq!(groups[0]["chatid"], "wrdemo-ops");
    assert_eq!(groups[1]["kind"], "appchat");
    assert_eq!(groups[1]["chatid"], "ops1");
    assert_eq!(groups[1]["app"], "Chat ops");
    assert_eq!(groups[1]["agentid"], CHAT);
    assert_eq!(groups[2]["chatid"], generated);
}

#[tokio::test]
async fn apps_whose_range_is_not_the_root_department_get_48002() {
    let emu = Emu::demo().await;
    let v = call(&emu, BOT, "create", &create_body("ops1", &["alice", "bob"])).await;
    assert_errcode(&v, 48002);
    assert!(v["errmsg"].as_str().unwrap().contains("root department"), "{v}");
    assert_errcode(&get(&emu, BOT, "ops1").await, 48002);
    assert_errcode(&call(&emu, BOT, "send", &text("ops1", "hi")).await, 48002);
    assert_errcode(
        &call(&emu, BOT, "update", &json!({ "chatid": "ops1", "name": "n" })).await,
        48002,
    );
}

#[tokio::test]
async fn create_refuses_each_documented_violation() {
    let emu = Emu::demo().await;
    assert_errcode(&create(&emu, "solo", &["alice"]).await, 86006);
    assert_errcode(&create(&emu, "ghost", &["alice", "nobody"]).await, 86007);
    let bad_owner = json!({ "name": "n", "owner": "carol", "userlist": ["alice", "bob"] });
    assert_errcode(&call(&emu, CHAT, "create", &bad_owner).await, 86005);
    assert_errcode(&create(&emu, "ops-1", &["alice", "bob"]).await, 86001);
    assert_errcode(&create(&emu, &"a".repeat(33), &["alice", "bob"]).await, 86001);
    assert_eq!(create(&emu, &"a".repeat(32), &["alice", "bob"]).await["errcode"], 0);
    let name = |n: usize| json!({ "name": "群".repeat(n), "userlist": ["alice", "bob"] });
    assert_eq!(call(&emu, CHAT, "create", &name(50)).await["errcode"], 0);
    assert_errcode(&call(&emu, CHAT, "create", &name(51)).await, 86004);
    assert_eq!(create(&emu, "ops1", &["alice", "bob"]).await["errcode"], 0);
    assert_errcode(&create(&emu, "ops1", &["alice", "bob"]).await, 86215);
    assert_errcode(&call(&emu, CHAT, "create", &json!({ "name": "n" })).await, 40063);
}

#[tokio::test]
async fn member_counts_are_checked_at_and_past_2000() {
    let mut config = Config::demo();
    for i in 0..2001 {
        config.users.push(wecom_emulator::UserConfig {
            userid: format!("u{i}"),
            name: String::new(),
            departments: vec![1],
            licensed: true,
        });
    }
    let emu = Emu::with(config).await;
    let ids = |n: usize| (0..n).map(|i| format!("u{i}")).collect::<Vec<_>>();
    let body = |n: usize, id: &str| json!({ "name": "big", "userlist": ids(n), "chatid": id });
    assert_eq!(call(&emu, CHAT, "create", &body(2000, "big")).await["errcode"], 0);
    assert_errcode(&call(&emu, CHAT, "create", &body(2001, "bigger")).await, 86006);
    let add = json!({ "chatid": "big", "add_user_list": ["alice"] });
    assert_errcode(&call(&emu, CHAT, "update", &add).await, 86006);
}

#[tokio::test]
async fn creations_per_day_are_limited() {
    let mut config = Config::demo();
    config.options.chat_creates_per_day = 2;
    let emu = Emu::with(config).await;
    assert_eq!(create(&emu, "c1", &["alice", "bob"]).await["errcode"], 0);
    assert_eq!(create(&emu, "c2", &["alice", "bob"]).await["errcode"], 0);
    assert_errcode(&create(&emu, "c3", &["alice", "bob"]).await, 45009);
    emu.advance(24 * 3600).await;
    assert_eq!(create(&emu, "c3", &["alice", "bob"]).await["errcode"], 0);
}

#[tokio::test]
async fn updates_per_hour_are_limited() {
    let mut config = Config::demo();
    config.options.chat_updates_per_hour = 2;
    let emu = Emu::with(config).await;
    assert_eq!(create(&emu, "c1", &["alice", "bob"]).await["errcode"], 0);
    let rename = |n: &str| json!({ "chatid": "c1", "name": n });
    assert_eq!(call(&emu, CHAT, "update", &rename("a")).await["errcode"], 0);
    assert_eq!(call(&emu, CHAT, "update", &rename("b")).await["errcode"], 0);
    assert_errcode(&call(&emu, CHAT, "update", &rename("c")).await, 45009);
    assert_eq!(
        get(&emu, CHAT, "c1").await["chat_info"]["name"],
        "b",
        "the refused one changed nothing"
    );
    emu.advance(3600).await;
    assert_eq!(call(&emu, CHAT, "update", &rename("c")).await["errcode"], 0);
}

#[tokio::test]
async fn unknown_and_foreign_chats_are_refused() {
    let mut config = Config::demo();
    // A second whole-corp app, to own a chat the demo chat app may not touch.
    let mut other = config.app(CHAT).unwrap().clone();
    other.agentid = 1_000_009;
    other.secret = wecom_emulator::Secret::new("other-secret-0000000000000000000000000000");
    config.apps.push(other);
    let emu = Emu::with(config).await;
    assert_errcode(&get(&emu, CHAT, "nochat").await, 86003);
    assert_errcode(&call(&emu, CHAT, "send", &text("nochat", "hi")).await, 86003);
    let v = call(&emu, 1_000_009, "create", &create_body("theirs", &["alice", "bob"])).await;
    assert_eq!(v["errcode"], 0, "{v}");
    assert_errcode(&get(&emu, CHAT, "theirs").await, 86008);
    assert_errcode(&call(&emu, CHAT, "send", &text("theirs", "hi")).await, 86008);
    assert_errcode(&get(&emu, CHAT, "bad-id").await, 86001);
    let remove_all = json!({ "chatid": "theirs", "del_user_list": ["alice"] });
    assert_errcode(&call(&emu, 1_000_009, "update", &remove_all).await, 86006);
    let bad_owner = json!({ "chatid": "theirs", "owner": "carol" });
    assert_errcode(&call(&emu, 1_000_009, "update", &bad_owner).await, 86005);
}

#[tokio::test]
async fn every_allowed_kind_is_posted_and_cards_are_refused() {
    let emu = Emu::demo().await;
    assert_eq!(create(&emu, "ops1", &["alice", "bob"]).await["errcode"], 0);
    let up =
        emu.upload(CHAT, "/cgi-bin/media/upload?type=image", Some("a.png"), png_bytes(64)).await;
    let image = up["media_id"].as_str().unwrap().to_owned();
    let up = emu.upload(CHAT, "/cgi-bin/media/upload?type=file", Some("r.pdf"), vec![7; 100]).await;
    let file = up["media_id"].as_str().unwrap().to_owned();
    let article = json!({ "title": "T", "url": "https://example.com" });
    let mp = json!({ "title": "T", "thumb_media_id": image, "content": "<p>x</p>" });
    let bodies = [
        json!({ "chatid": "ops1", "msgtype": "text", "text": { "content": "hi" } }),
        json!({ "chatid": "ops1", "msgtype": "image", "image": { "media_id": image } }),
        json!({ "chatid": "ops1", "msgtype": "file", "file": { "media_id": file } }),
        json!({ "chatid": "ops1", "msgtype": "textcard", "textcard": { "title": "T", "description": "D", "url": "https://example.com" } }),
        json!({ "chatid": "ops1", "msgtype": "news", "news": { "articles": [article] } }),
        json!({ "chatid": "ops1", "msgtype": "mpnews", "mpnews": { "articles": [mp] } }),
        json!({ "chatid": "ops1", "msgtype": "markdown", "markdown": { "content": "**b**" } }),
    ];
    for body in &bodies {
        let v = call(&emu, CHAT, "send", body).await;
        assert_eq!(v, json!({ "errcode": 0, "errmsg": "ok" }), "{body}");
    }
    let mut card = button_card("t1");
    card.as_object_mut().unwrap().remove("touser");
    card.as_object_mut().unwrap().remove("agentid");
    card["chatid"] = json!("ops1");
    assert_errcode(&call(&emu, CHAT, "send", &card).await, 40008);
    let too_long =
        json!({ "chatid": "ops1", "msgtype": "text", "text": { "content": "x".repeat(2049) } });
    assert_errcode(&call(&emu, CHAT, "send", &too_long).await, 45002);
    let bad_media =
        json!({ "chatid": "ops1", "msgtype": "image", "image": { "media_id": "nope" } });
    assert_errcode(&call(&emu, CHAT, "send", &bad_media).await, 40007);
    let v = emu.get_json("/emulator/groups/ops1/messages").await;
    let list = v["messages"].as_array().unwrap();
    assert_eq!(list.len(), bodies.len());
    assert_eq!(list[0]["kind"], "appchat");
    assert_eq!(list[0]["bot"], "Chat ops");
    assert_eq!(list[0]["agentid"], CHAT);
    assert_eq!(list[0]["delivered"], 2);
    assert_eq!(list[0]["body"]["text"]["content"], "hi");
    assert_eq!(list[2]["attachment"]["filename"], "r.pdf");
}

#[tokio::test]
async fn copies_past_a_members_limit_are_dropped_silently() {
    let mut config = Config::demo();
    config.options.chat_member_limit_per_minute = 2;
    config.options.chat_member_limit_per_day = 3;
    let emu = Emu::with(config).await;
    assert_eq!(create(&emu, "c1", &["alice", "bob"]).await["errcode"], 0);
    assert_eq!(create(&emu, "c2", &["alice", "carol"]).await["errcode"], 0);
    for n in 0..2 {
        assert_eq!(call(&emu, CHAT, "send", &text("c1", &format!("m{n}"))).await["errcode"], 0);
    }
    // alice is full for the minute in every chat of this app; carol is not.
    let v = call(&emu, CHAT, "send", &text("c2", "third")).await;
    assert_eq!(v["errcode"], 0, "WeCom answers ok: {v}");
    let list = emu.get_json("/emulator/groups/c2/messages").await;
    assert_eq!(list["messages"][0]["dropped"], json!(["alice"]));
    assert_eq!(list["messages"][0]["delivered"], 1);
    emu.advance(61).await;
    call(&emu, CHAT, "send", &text("c1", "day")).await;
    call(&emu, CHAT, "send", &text("c1", "over the day")).await;
    let list = emu.get_json("/emulator/groups/c1/messages").await;
    assert_eq!(list["messages"][2]["dropped"], Value::Null, "third of the day fits");
    assert_eq!(list["messages"][3]["dropped"], json!(["alice", "bob"]));
}

#[tokio::test]
async fn statistics_count_person_messages_per_app_today_and_yesterday() {
    let emu = Emu::demo().await;
    let stats = |time_type: i64| {
        let emu = &emu;
        async move {
            let token = emu.token(BOT).await;
            let v = emu
                .post_json(
                    &format!("/cgi-bin/message/get_statistics?access_token={token}"),
                    &json!({ "time_type": time_type }),
                )
                .await;
            assert_eq!(v["errcode"], 0, "{v}");
            let count = |agentid: i64| {
                v["statistics"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|s| s["agentid"] == agentid)
                    .unwrap()["count"]
                    .as_u64()
                    .unwrap()
            };
            (count(BOT), count(CHAT))
        }
    };
    assert_eq!(stats(0).await, (0, 0));
    emu.send_text("alice|bob", "two copies").await;
    create(&emu, "c1", &["alice", "bob", "carol"]).await;
    call(&emu, CHAT, "send", &text("c1", "three copies")).await;
    assert_eq!(stats(0).await, (2, 3));
    assert_eq!(stats(1).await, (0, 0));
    emu.advance(24 * 3600).await;
    assert_eq!(stats(1).await, (2, 3));
    assert_eq!(stats(0).await, (0, 0));
    let token = emu.token(BOT).await;
    let path = format!("/cgi-bin/message/get_statistics?access_token={token}");
    assert_errcode(&emu.post_json(&path, &json!({ "time_type": 2 })).await, 40058);
}

#[tokio::test]
async fn linked_sends_deliver_to_this_corps_members_and_report_the_rest() {
    let emu = Emu::demo().await;
    let corp = emu.handle.corp_id().to_owned();
    let token = emu.token(BOT).await;
    let path = format!("/cgi-bin/linkedcorp/message/send?access_token={token}");
    let body = json!({
        "touser": [format!("{corp}/alice"), "bob", "wwother/zhang"],
        "toparty": ["lk1/2"],
        "msgtype": "text", "agentid": BOT, "text": { "content": "linked" }
    });
    let v = emu.post_json(&path, &body).await;
    assert_eq!(v["errcode"], 0, "{v}");
    assert_eq!(v["invaliduser"], json!(["wwother/zhang"]));
    assert_eq!(v["invalidparty"], json!(["lk1/2"]));
    let inbox = emu.messages("?user=alice").await;
    assert!(inbox.iter().any(|m| m["body"]["text"]["content"] == "linked"), "{inbox:?}");
    let only_linked = json!({ "touser": ["wwother/zhang"], "msgtype": "text", "agentid": BOT, "text": { "content": "x" } });
    assert_errcode(&emu.post_json(&path, &only_linked).await, 81013);
    let none = json!({ "msgtype": "text", "agentid": BOT, "text": { "content": "x" } });
    assert_errcode(&emu.post_json(&path, &none).await, 82001);
    let mut card = button_card("t9");
    card["touser"] = json!(["alice"]);
    assert_errcode(&emu.post_json(&path, &card).await, 40008);
    let many: Vec<String> = (0..1001).map(|i| format!("u{i}")).collect();
    let v = emu.post_json(&path, &json!({ "touser": many, "msgtype": "text", "agentid": BOT, "text": { "content": "x" } })).await;
    assert_errcode(&v, 40032);
    let all =
        json!({ "toall": 1, "msgtype": "text", "agentid": BOT, "text": { "content": "all" } });
    assert_eq!(emu.post_json(&path, &all).await["errcode"], 0);
}

#[tokio::test]
async fn app_chats_survive_a_restart_with_the_state_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let start = || Emulator::builder().config(Config::demo()).state_file(&path).start();
    let emu = Emu { handle: start().await.unwrap(), http: reqwest::Client::new() };
    assert_eq!(create(&emu, "kept", &["alice", "bob"]).await["errcode"], 0);
    emu.handle.shutdown().await.unwrap();
    let emu = Emu { handle: start().await.unwrap(), http: reqwest::Client::new() };
    assert_eq!(get(&emu, CHAT, "kept").await["chat_info"]["userlist"], json!(["alice", "bob"]));
    assert_eq!(call(&emu, CHAT, "send", &text("kept", "again")).await["errcode"], 0);
}
