//! Member actions over the long connection: messages and streamed answers, the welcome,
//! card clicks and updates, feedback, pushes — recorded in the same turns the inbox shows.

use serde_json::{Value, json};

use super::client::{Client, WS_BOT, ask, stream, turn, turn_until};
use crate::api::support::Emu;

/// The doc's `button_interaction` card.
fn button_card(task_id: &str) -> Value {
    crate::api::support::button_card(task_id)["template_card"].clone()
}

#[tokio::test]
async fn a_message_becomes_a_callback_and_200_stream_updates_arrive_in_order_and_complete() {
    let emu = Emu::demo().await;
    let mut c = Client::subscribed(&emu).await;
    let t = ask(&emu, "alice", "count to 200").await;
    assert_eq!(t["status"], "delivered", "{t}");
    let cb = c.callback().await;
    assert_eq!(cb["cmd"], "aibot_msg_callback");
    let body = &cb["body"];
    assert_eq!(body["aibotid"], WS_BOT);
    assert_eq!(body["chattype"], "single");
    assert_eq!(body["from"]["userid"], "alice");
    assert_eq!(body["msgtype"], "text");
    assert_eq!(body["text"]["content"], "count to 200");
    assert!(body["msgid"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(body.get("response_url").is_none(), "{body}");
    let req_id = cb["headers"]["req_id"].as_str().unwrap().to_owned();
    assert_eq!(t["id"], turn(&emu, &t["id"]).await["id"]);

    // Each update is sent after the previous ack, as the SDK's per-req_id queue does.
    let mut text = String::new();
    for i in 1..=200 {
        text.push_str(&i.to_string());
        text.push(' ');
        let ack = c.reply("aibot_respond_msg", &req_id, stream("st-1", &text, i == 200)).await;
        assert_eq!(ack["errcode"], 0, "update {i}: {ack}");
        if i == 1 {
            let shown = turn_until(&emu, &t["id"], |t| t["status"] == "streaming").await;
            assert_eq!(shown["stream"]["content"], "1 ");
        }
    }
    let done = turn_until(&emu, &t["id"], |t| t["status"] == "finished").await;
    assert_eq!(done["stream"]["content"], text.as_str());
    assert_eq!(done["stream"]["finish"], true);
    assert_eq!(done["stream"]["updates"], 200);
    assert_eq!(done["req_id"], req_id.as_str());
    assert_eq!(done["errors"], json!([]));
    // A finished stream takes no more frames.
    let after = c.reply("aibot_respond_msg", &req_id, stream("st-1", "more", true)).await;
    assert_eq!(after["errcode"], 846_608, "{after}");
}

#[tokio::test]
async fn the_admin_call_waits_for_the_first_answer_and_for_the_finish() {
    let emu = Emu::demo().await;
    let mut c = Client::subscribed(&emu).await;
    let url = emu.url(&format!("/emulator/aibots/{WS_BOT}/messages?wait=finish"));
    let http = emu.http.clone();
    let asked = tokio::spawn(async move {
        let r = http.post(url).json(&json!({ "userid": "bob", "content": "hi" })).send().await;
        r.unwrap().json::<Value>().await.unwrap()
    });
    let cb = c.callback().await;
    let req = cb["headers"]["req_id"].as_str().unwrap().to_owned();
    assert_eq!(c.reply("aibot_respond_msg", &req, stream("s", "he", false)).await["errcode"], 0);
    assert!(!asked.is_finished(), "wait=finish waits past the first frame");
    assert_eq!(c.reply("aibot_respond_msg", &req, stream("s", "hello", true)).await["errcode"], 0);
    let t = asked.await.unwrap();
    assert_eq!(t["status"], "finished", "{t}");
    assert_eq!(t["stream"]["content"], "hello");
}

#[tokio::test]
async fn stream_content_is_limited_to_20480_bytes_and_text_replies_are_refused() {
    let emu = Emu::demo().await;
    let mut c = Client::subscribed(&emu).await;
    let t = ask(&emu, "alice", "long").await;
    let req = c.callback().await["headers"]["req_id"].as_str().unwrap().to_owned();
    let over = c.reply("aibot_respond_msg", &req, stream("s", &"é".repeat(10_241), false)).await;
    assert_eq!(over["errcode"], 40_058, "{over}");
    assert!(over["errmsg"].as_str().unwrap().contains("20480"), "{over}");
    let text = json!({ "msgtype": "text", "text": { "content": "plain" } });
    assert_eq!(c.reply("aibot_respond_msg", &req, text).await["errcode"], 40_008);
    let markdown = json!({ "msgtype": "markdown", "markdown": { "content": "**x**" } });
    assert_eq!(c.reply("aibot_respond_msg", &req, markdown).await["errcode"], 40_008);
    let image = json!({ "msgtype": "image", "image": { "media_id": "3unknown" } });
    assert_eq!(c.reply("aibot_respond_msg", &req, image).await["errcode"], 40_007);
    let no_id = stream("", "x", false);
    assert_eq!(c.reply("aibot_respond_msg", &req, no_id).await["errcode"], 40_058);
    let full = "é".repeat(10_240);
    assert_eq!(c.reply("aibot_respond_msg", &req, stream("s", &full, true)).await["errcode"], 0);
    let done = turn_until(&emu, &t["id"], |t| t["status"] == "finished").await;
    assert_eq!(done["stream"]["content"].as_str().unwrap().len(), 20_480);
}

#[tokio::test]
async fn enter_chat_takes_one_welcome_within_5_s_on_its_own_command() {
    let emu = Emu::demo().await;
    let mut c = Client::subscribed(&emu).await;
    let url = emu.url(&format!("/emulator/aibots/{WS_BOT}/enter_chat"));
    let http = emu.http.clone();
    let entered = tokio::spawn(async move {
        let r = http.post(url).json(&json!({ "userid": "carol" })).send().await;
        r.unwrap().json::<Value>().await.unwrap()
    });
    let cb = c.callback().await;
    assert_eq!(cb["cmd"], "aibot_event_callback");
    assert_eq!(cb["body"]["event"]["eventtype"], "enter_chat");
    assert_eq!(cb["body"]["from"]["userid"], "carol");
    let req = cb["headers"]["req_id"].as_str().unwrap().to_owned();
    // Its req_id is not for aibot_respond_msg.
    let wrong = c.reply("aibot_respond_msg", &req, stream("s", "hi", true)).await;
    assert_eq!(wrong["errcode"], 846_605, "{wrong}");
    let welcome = json!({ "msgtype": "text", "text": { "content": "Welcome, Carol" } });
    assert_eq!(c.reply("aibot_respond_welcome_msg", &req, welcome.clone()).await["errcode"], 0);
    let t = entered.await.unwrap();
    assert_eq!(t["status"], "answered", "{t}");
    assert_eq!(t["reply"]["text"]["content"], "Welcome, Carol");
    let twice = c.reply("aibot_respond_welcome_msg", &req, welcome.clone()).await;
    assert_eq!(twice["errcode"], 846_605, "one welcome per event: {twice}");

    // Later than 5 s (virtual clock): refused.
    let url = emu.url(&format!("/emulator/aibots/{WS_BOT}/enter_chat"));
    let http = emu.http.clone();
    let entered = tokio::spawn(async move {
        http.post(url).json(&json!({ "userid": "alice" })).send().await.unwrap();
    });
    let req = c.callback().await["headers"]["req_id"].as_str().unwrap().to_owned();
    emu.advance(6).await;
    let late = c.reply("aibot_respond_welcome_msg", &req, welcome).await;
    assert_eq!(late["errcode"], 846_605, "{late}");
    entered.await.unwrap();
}

#[tokio::test]
async fn a_card_click_reaches_the_bot_and_its_update_replaces_the_card() {
    let emu = Emu::demo().await;
    let mut c = Client::subscribed(&emu).await;
    let t = ask(&emu, "alice", "deploy?").await;
    let req = c.callback().await["headers"]["req_id"].as_str().unwrap().to_owned();
    let mut card = button_card("task-ws-1");
    card["feedback"] = json!({ "id": "fb-1" });
    let answer = json!({ "msgtype": "template_card", "template_card": card });
    assert_eq!(c.reply("aibot_respond_msg", &req, answer).await["errcode"], 0);
    let shown = turn_until(&emu, &t["id"], |t| t["status"] == "answered").await;
    assert_eq!(shown["card"]["task_id"], "task-ws-1");

    let url = emu.url(&format!("/emulator/aibots/{WS_BOT}/turns/{}/click", t["id"]));
    let http = emu.http.clone();
    let clicked = tokio::spawn(async move {
        let r = http.post(url).json(&json!({ "userid": "alice", "event_key": "approve" })).send();
        r.await.unwrap().json::<Value>().await.unwrap()
    });
    let cb = c.callback().await;
    let event = &cb["body"]["event"];
    assert_eq!(event["eventtype"], "template_card_event", "{cb}");
    assert_eq!(event["template_card_event"]["event_key"], "approve");
    assert_eq!(event["template_card_event"]["task_id"], "task-ws-1");
    let req = cb["headers"]["req_id"].as_str().unwrap().to_owned();
    let mut wrong = button_card("another-task");
    wrong["main_title"]["title"] = json!("x");
    let refused = c
        .reply(
            "aibot_respond_update_msg",
            &req,
            json!({ "response_type": "update_template_card", "template_card": wrong }),
        )
        .await;
    assert_eq!(refused["errcode"], 40_058, "task_id must match: {refused}");
    let mut updated = button_card("task-ws-1");
    updated["main_title"]["title"] = json!("Approved");
    let update = json!({ "response_type": "update_template_card", "userids": ["alice"], "template_card": updated });
    assert_eq!(c.reply("aibot_respond_update_msg", &req, update).await["errcode"], 0);
    let click = clicked.await.unwrap();
    assert_eq!(click["status"], "answered", "{click}");
    let card_turn = turn(&emu, &t["id"]).await;
    assert_eq!(card_turn["card_updates"][0]["main_title"]["title"], "Approved");

    // Feedback on the answer reaches the bot and takes no answer.
    let fb = emu
        .admin_post(
            &format!("/emulator/aibots/{WS_BOT}/turns/{}/feedback", t["id"]),
            json!({ "userid": "alice", "type": 1 }),
        )
        .await;
    assert_eq!(fb["status"], "delivered");
    let cb = c.callback().await;
    assert_eq!(cb["body"]["event"]["feedback_event"]["id"], "fb-1");
    let req = cb["headers"]["req_id"].as_str().unwrap().to_owned();
    assert_eq!(
        c.reply("aibot_respond_msg", &req, stream("s", "x", true)).await["errcode"],
        846_605
    );
}

#[tokio::test]
async fn pushes_reach_a_member_and_a_group_and_show_in_their_conversations() {
    let emu = Emu::demo().await;
    let mut c = Client::subscribed(&emu).await;
    let md = |to: &str, text: &str| json!({ "chatid": to, "msgtype": "markdown", "markdown": { "content": text } });
    assert_eq!(c.request("aibot_send_msg", Some(md("alice", "**reminder**"))).await["errcode"], 0);
    assert_eq!(c.request("aibot_send_msg", Some(md("wrdemo-ops", "deployed"))).await["errcode"], 0);
    let card = json!({ "chatid": "bob", "msgtype": "template_card", "template_card": button_card("push-1") });
    assert_eq!(c.request("aibot_send_msg", Some(card)).await["errcode"], 0);

    let alice = emu.get_json(&format!("/emulator/aibots/{WS_BOT}/turns?userid=alice")).await;
    let pushes: Vec<&Value> = alice["turns"].as_array().unwrap().iter().collect();
    assert_eq!(pushes.len(), 2, "alice's push and her group's: {alice}");
    assert_eq!(pushes[0]["kind"], "push");
    assert_eq!(pushes[0]["status"], "pushed");
    assert_eq!(pushes[0]["reply"]["markdown"]["content"], "**reminder**");
    assert_eq!(pushes[1]["chatid"], "wrdemo-ops");
    let bob = emu.get_json(&format!("/emulator/aibots/{WS_BOT}/turns?userid=bob")).await;
    let bob = bob["turns"].as_array().unwrap();
    assert_eq!(bob.len(), 2, "the group push and bob's card");
    assert_eq!(bob[1]["card"]["task_id"], "push-1");
    let erin = emu.get_json(&format!("/emulator/aibots/{WS_BOT}/turns?userid=erin")).await;
    assert_eq!(erin["turns"], json!([]), "erin is in no group and got nothing");

    let text = json!({ "chatid": "alice", "msgtype": "text", "text": { "content": "x" } });
    assert_eq!(c.request("aibot_send_msg", Some(text)).await["errcode"], 40_008);
    assert_eq!(c.request("aibot_send_msg", Some(md("nobody-here", "x"))).await["errcode"], 40_003);
    let no_chat = json!({ "msgtype": "markdown", "markdown": { "content": "x" } });
    assert_eq!(c.request("aibot_send_msg", Some(no_chat)).await["errcode"], 40_058);
    let image = json!({ "chatid": "alice", "msgtype": "image", "image": { "media_id": "3nope" } });
    assert_eq!(c.request("aibot_send_msg", Some(image)).await["errcode"], 40_007);
    let no_id =
        json!({ "chatid": "alice", "msgtype": "image", "image": { "url": "http://x/y.png" } });
    assert_eq!(c.request("aibot_send_msg", Some(no_id)).await["errcode"], 40_058);
    let long = md("alice", &"x".repeat(20_481));
    assert_eq!(c.request("aibot_send_msg", Some(long)).await["errcode"], 40_058);
}

#[tokio::test]
async fn a_message_to_a_bot_without_a_connection_fails_visibly() {
    let emu = Emu::demo().await;
    let t = ask(&emu, "alice", "anyone?").await;
    assert_eq!(t["status"], "failed", "{t}");
    assert!(t["errors"][0].as_str().unwrap().contains("no live WebSocket connection"));
}

#[tokio::test]
async fn members_write_to_a_websocket_bot_from_its_conversation() {
    let emu = Emu::demo().await;
    let key = format!("aibot:{WS_BOT}");
    let find = |list: &Value| {
        list["conversations"].as_array().unwrap().iter().find(|c| c["key"] == key).cloned()
    };
    // Writable with or without a live connection (without one, the message fails visibly).
    let list = emu.get_json("/emulator/users/carol/conversations").await;
    let bot = find(&list).unwrap_or_else(|| panic!("{list}"));
    assert_eq!(bot["can_send"], true, "{bot}");
    assert!(bot.get("cannot_send").is_none_or(Value::is_null), "{bot}");

    // What the inbox's send box posts: the member-message route, which reaches the socket.
    let mut c = Client::subscribed(&emu).await;
    let t = ask(&emu, "carol", "who is on call?").await;
    let cb = c.callback().await;
    let req = cb["headers"]["req_id"].as_str().unwrap().to_owned();
    let done = c.reply("aibot_respond_msg", &req, stream("s1", "dave is", true)).await;
    assert_eq!(done["errcode"], 0, "{done}");
    turn_until(&emu, &t["id"], |t| t["status"] == "finished").await;
    let list = emu.get_json("/emulator/users/carol/conversations").await;
    let bot = find(&list).unwrap();
    assert_eq!(bot["last"]["preview"], "dave is", "{bot}");
    assert_eq!(bot["last"]["from"], "Ask me (WebSocket)");
}

#[tokio::test]
async fn an_answer_to_a_turn_that_retention_forgot_is_refused_and_the_newest_still_streams() {
    let mut config = wecom_emulator::Config::demo();
    config.options.retain_messages = 1;
    let emu = Emu::with(config).await;
    let mut c = Client::subscribed(&emu).await;
    let old = ask(&emu, "alice", "first").await;
    let old_req = c.callback().await["headers"]["req_id"].as_str().unwrap().to_owned();
    let new = ask(&emu, "alice", "second").await;
    let new_req = c.callback().await["headers"]["req_id"].as_str().unwrap().to_owned();
    let refused = c.reply("aibot_respond_msg", &old_req, stream("s1", "late", true)).await;
    assert_eq!(refused["errcode"], 846_605, "{refused}");
    assert!(refused["errmsg"].as_str().unwrap().contains("forgotten"), "{refused}");
    let ack = c.reply("aibot_respond_msg", &new_req, stream("s2", "hello", true)).await;
    assert_eq!(ack["errcode"], 0, "{ack}");
    let done = turn_until(&emu, &new["id"], |t| t["status"] == "finished").await;
    assert_eq!(done["stream"]["content"], "hello");
    let list = emu.get_json(&format!("/emulator/aibots/{WS_BOT}/turns")).await;
    assert_eq!(list["turns"].as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list["retention"]["dropped_oldest"], 1, "{list}");
    let (status, _) = emu
        .admin(
            reqwest::Method::GET,
            &format!("/emulator/aibots/{WS_BOT}/turns/{}", old["id"]),
            None,
        )
        .await;
    assert_eq!(status, 404);
}
