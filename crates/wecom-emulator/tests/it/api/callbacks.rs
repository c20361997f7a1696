//! Member actions become encrypted callbacks; a small app verifies and decrypts them with
//! wecom-msgcrypt and answers with encrypted passive replies, which the emulator applies.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::{Value, json};
use wecom_msgcrypt::MsgCrypt;

use super::receiver::{no_reply, receiver, reply_header, tag};
use super::support::{BOT, Emu, NOTICES, button_card, vote_card};

#[tokio::test]
async fn button_click_calls_back_and_the_update_button_reply_disables_the_card() {
    let emu = Emu::demo().await;
    let rx = receiver(
        &emu,
        0,
        Duration::ZERO,
        Arc::new(|inner: &str| {
            let user = tag(inner, "FromUserName").unwrap().to_owned();
            Some(format!(
                "{}<Button><ReplaceName><![CDATA[Approved]]></ReplaceName></Button></xml>",
                reply_header(&user, "update_button")
            ))
        }),
    )
    .await;
    let sent = emu.send(BOT, &button_card("deploy-cb-1")).await;
    let msgid = sent["msgid"].as_str().unwrap().to_owned();
    let record = emu
        .admin_post(
            &format!("/emulator/users/alice/cards/{msgid}/click"),
            json!({ "key": "approve", "selected_id": "night" }),
        )
        .await;
    assert_eq!(record["outcome"], "delivered", "{record}");
    assert_eq!(record["attempts"].as_array().unwrap().len(), 1);
    assert_eq!(record["reply"]["applied"], true, "{record}");
    assert_eq!(record["url"], rx.url);

    let inner = rx.received.lock().unwrap()[0].clone();
    assert_eq!(tag(&inner, "ToUserName"), Some("wwdemo00000000001"));
    assert_eq!(tag(&inner, "FromUserName"), Some("alice"));
    assert_eq!(tag(&inner, "MsgType"), Some("event"));
    assert_eq!(tag(&inner, "Event"), Some("template_card_event"));
    assert_eq!(tag(&inner, "EventKey"), Some("approve"));
    assert_eq!(tag(&inner, "TaskId"), Some("deploy-cb-1"));
    assert_eq!(tag(&inner, "CardType"), Some("button_interaction"));
    assert_eq!(tag(&inner, "AgentID"), Some("1000002"));
    assert_eq!(tag(&inner, "QuestionKey"), Some("window"));
    assert_eq!(tag(&inner, "OptionId"), Some("night"));
    let code = tag(&inner, "ResponseCode").unwrap().to_owned();
    assert_eq!(record["response_code"], code.as_str());
    assert_ne!(code, sent["response_code"].as_str().unwrap(), "each click has a fresh code");

    let m = emu.message(&msgid).await;
    assert_eq!(m["recipients"][0]["card"]["button_text"], "Approved");
    assert_eq!(m["recipients"][0]["card"]["disabled"], true);
    assert_eq!(m["recipients"][1]["card"]["disabled"], false, "only the clicking member's copy");
    let (status, _) = emu
        .admin(
            reqwest::Method::POST,
            &format!("/emulator/users/alice/cards/{msgid}/click"),
            Some(json!({"key": "approve"})),
        )
        .await;
    assert_eq!(status, 409, "a disabled card takes no clicks");

    // The callback's code works once with update_template_card; with no target it updates
    // the member who clicked.
    let token = emu.token(BOT).await;
    let body = json!({ "agentid": BOT, "response_code": code,
        "template_card": { "card_type": "text_notice", "main_title": { "title": "Approved by alice" },
                           "card_action": { "type": 1, "url": "https://example.com" } } });
    let path = format!("/cgi-bin/message/update_template_card?access_token={token}");
    assert_eq!(emu.post_json(&path, &body).await["errcode"], 0);
    assert_eq!(emu.post_json(&path, &body).await["errcode"], 40058);
    let m = emu.message(&msgid).await;
    assert_eq!(
        m["recipients"][0]["card"]["replaced_card"]["main_title"]["title"],
        "Approved by alice"
    );
}

#[tokio::test]
async fn failing_callbacks_are_retried_three_times_in_total() {
    let emu = Emu::demo().await;
    let rx = receiver(&emu, 2, Duration::ZERO, no_reply()).await;
    let record = emu
        .admin_post("/emulator/users/alice/messages", json!({ "agentid": BOT, "content": "hello" }))
        .await;
    let attempts = record["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 3, "{record}");
    assert_eq!(attempts[0]["status"], 500);
    assert_eq!(attempts[1]["status"], 500);
    assert_eq!(attempts[2]["status"], 200);
    assert_eq!(record["outcome"], "delivered");
    assert_eq!(rx.calls.load(Ordering::SeqCst), 3);
    let inner = rx.received.lock().unwrap()[0].clone();
    assert_eq!(tag(&inner, "MsgType"), Some("text"));
    assert_eq!(tag(&inner, "Content"), Some("hello"));
    assert!(tag(&inner, "MsgId").unwrap().parse::<u64>().is_ok());
    let log = emu.get_json("/emulator/callbacks?user=alice").await;
    assert_eq!(log["callbacks"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn slow_callbacks_time_out_after_three_tries() {
    let mut config = wecom_emulator::Config::demo();
    config.options.callback_timeout_ms = 300;
    let emu = Emu::with(config).await;
    let rx = receiver(&emu, 0, Duration::from_secs(2), no_reply()).await;
    let record = emu
        .admin_post("/emulator/users/bob/messages", json!({ "agentid": BOT, "content": "hi" }))
        .await;
    assert_eq!(record["outcome"], "failed", "{record}");
    let attempts = record["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 3);
    assert!(attempts.iter().all(|a| a["error"].as_str().unwrap().contains("timeout")), "{record}");
    assert_eq!(rx.calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_passive_text_reply_becomes_a_message_to_the_member() {
    let emu = Emu::demo().await;
    let _rx = receiver(
        &emu,
        0,
        Duration::ZERO,
        Arc::new(|inner: &str| {
            let user = tag(inner, "FromUserName").unwrap().to_owned();
            let content = tag(inner, "Content").unwrap_or("").to_owned();
            Some(format!(
                "{}<Content><![CDATA[echo: {content}]]></Content></xml>",
                reply_header(&user, "text")
            ))
        }),
    )
    .await;
    let record = emu
        .admin_post(
            "/emulator/users/Carol/messages",
            json!({ "agentid": BOT, "msgtype": "text", "content": "ping" }),
        )
        .await;
    assert_eq!(record["reply"]["applied"], true, "{record}");
    let inbox = emu.messages("?user=carol").await;
    assert_eq!(inbox.len(), 2);
    assert_eq!(inbox[0]["direction"], "user_to_app");
    assert_eq!(inbox[0]["from_user"], "carol");
    assert_eq!(inbox[1]["direction"], "app_to_user");
    assert_eq!(inbox[1]["origin"], "passive_reply");
    assert_eq!(inbox[1]["body"]["text"]["content"], "echo: ping");
}

#[tokio::test]
async fn vote_submission_carries_the_selected_options() {
    let emu = Emu::demo().await;
    let rx = receiver(&emu, 0, Duration::ZERO, no_reply()).await;
    let msgid = emu.send(BOT, &vote_card("vote-cb")).await["msgid"].as_str().unwrap().to_owned();
    let path = format!("/emulator/users/alice/cards/{msgid}/submit");
    let (status, _) = emu
        .admin(reqwest::Method::POST, &path, Some(json!({ "selections": { "lunch": ["z"] } })))
        .await;
    assert_eq!(status, 400, "unknown option");
    let (status, _) = emu
        .admin(reqwest::Method::POST, &path, Some(json!({ "selections": { "nope": ["a"] } })))
        .await;
    assert_eq!(status, 400, "unknown question");
    let record = emu.admin_post(&path, json!({ "selections": { "lunch": ["a", "b"] } })).await;
    assert_eq!(record["outcome"], "delivered");
    let inner = rx.received.lock().unwrap()[0].clone();
    assert_eq!(tag(&inner, "EventKey"), Some("lunch_submit"));
    assert_eq!(tag(&inner, "CardType"), Some("vote_interaction"));
    assert!(
        inner.contains("<SelectedItems><SelectedItem><QuestionKey><![CDATA[lunch]]></QuestionKey><OptionIds><OptionId><![CDATA[a]]></OptionId><OptionId><![CDATA[b]]></OptionId></OptionIds></SelectedItem></SelectedItems>"),
        "{inner}"
    );
    // bob did not receive the card.
    let (status, _) = emu
        .admin(
            reqwest::Method::POST,
            &format!("/emulator/users/bob/cards/{msgid}/submit"),
            Some(json!({})),
        )
        .await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn action_menu_item_and_a_card_replacement_reply() {
    let emu = Emu::demo().await;
    let _rx = receiver(
        &emu,
        0,
        Duration::ZERO,
        Arc::new(|inner: &str| {
            let user = tag(inner, "FromUserName").unwrap().to_owned();
            Some(format!(
                "{}<TemplateCard><CardType><![CDATA[text_notice]]></CardType><MainTitle><Title><![CDATA[Muted]]></Title></MainTitle>\
                 <CardAction><Type>1</Type><Url><![CDATA[https://example.com]]></Url></CardAction></TemplateCard></xml>",
                reply_header(&user, "update_template_card")
            ))
        }),
    )
    .await;
    let card = json!({ "touser": "bob", "msgtype": "template_card", "agentid": BOT, "template_card": {
        "card_type": "text_notice", "main_title": { "title": "Alert" }, "task_id": "alert-1",
        "action_menu": { "desc": "more", "action_list": [ { "text": "Mute", "key": "mute" } ] },
        "card_action": { "type": 1, "url": "https://example.com" } } });
    let sent = emu.send(BOT, &card).await;
    assert!(sent["response_code"].is_string(), "a notice with action_menu returns a code");
    let msgid = sent["msgid"].as_str().unwrap().to_owned();
    let record = emu
        .admin_post(&format!("/emulator/users/bob/cards/{msgid}/menu"), json!({ "key": "mute" }))
        .await;
    assert_eq!(record["event"], "template_card_menu_event");
    assert_eq!(record["reply"]["applied"], true, "{record}");
    assert!(record["xml"].as_str().unwrap().contains("<EventKey><![CDATA[mute]]></EventKey>"));
    let m = emu.message(&msgid).await;
    assert_eq!(m["recipients"][0]["card"]["replaced_card"]["main_title"]["title"], "Muted");
    assert_eq!(m["recipients"][0]["card"]["replaced_card"]["card_action"]["type"], 1);
}

#[tokio::test]
async fn replies_with_a_bad_signature_are_refused() {
    let emu = Emu::demo().await;
    let _rx = receiver(&emu, 0, Duration::ZERO, no_reply()).await;
    // Replace the receiving app with one that signs with another token.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let forger = MsgCrypt::new(
        "otherToken",
        "demoAesKey0123456789abcdefghijklmnopqrstuvw",
        "wwdemo00000000001",
    )
    .unwrap();
    let router = axum::Router::new().route(
        "/",
        axum::routing::post(move || {
            let forger = forger.clone();
            async move {
                let xml = format!("{}<Content>x</Content></xml>", reply_header("alice", "text"));
                forger.encrypt_reply(&xml, "1700000000", "123").unwrap()
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    emu.admin(
        reqwest::Method::PUT,
        &format!("/emulator/apps/{BOT}/callback"),
        Some(json!({ "url": url })),
    )
    .await;
    let record = emu
        .admin_post("/emulator/users/alice/messages", json!({ "agentid": BOT, "content": "x" }))
        .await;
    assert_eq!(record["outcome"], "delivered");
    assert_eq!(record["reply"]["applied"], false);
    assert!(record["reply"]["detail"].as_str().unwrap().contains("signature"), "{record}");
    assert_eq!(emu.messages("?user=alice").await.len(), 1, "only alice's own message");
}

#[tokio::test]
async fn apps_without_a_callback_url_log_a_failed_callback() {
    let emu = Emu::demo().await;
    let record = emu
        .admin_post("/emulator/users/alice/messages", json!({ "agentid": NOTICES, "content": "x" }))
        .await;
    assert_eq!(record["outcome"], "failed");
    assert_eq!(record["attempts"], json!([]));
    let (status, _) = emu
        .admin(
            reqwest::Method::POST,
            "/emulator/users/erin/messages",
            Some(json!({ "agentid": BOT, "content": "x" })),
        )
        .await;
    assert_eq!(status, 409, "erin is outside the Build bot's range");
    let (status, _) = emu
        .admin(
            reqwest::Method::POST,
            "/emulator/users/ghost/messages",
            Some(json!({ "agentid": BOT, "content": "x" })),
        )
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn state_changes_are_broadcast() {
    let emu = Emu::demo().await;
    let mut events = emu.handle.state().subscribe();
    let msgid = emu.send_text("alice", "x").await["msgid"].as_str().unwrap().to_owned();
    let event = tokio::time::timeout(Duration::from_secs(5), events.recv()).await.unwrap().unwrap();
    assert_eq!(event, wecom_emulator::Event::MessageAccepted { msgid, agentid: BOT });
}

#[tokio::test]
async fn config_hides_secrets_unless_asked() {
    let emu = Emu::demo().await;
    let secret = emu.handle.app(BOT).unwrap().secret.expose().to_owned();
    let plain: Value = emu.get_json("/emulator/config").await;
    assert!(!plain.to_string().contains(&secret));
    assert!(!plain.to_string().contains("demoAesKey"));
    assert_eq!(plain["apps"][0]["agentid"], BOT);
    let full: Value = emu.get_json("/emulator/config?secrets=true").await;
    assert_eq!(full["apps"][0]["secret"], secret.as_str());
    assert!(!format!("{:?}", emu.handle.app(BOT).unwrap()).contains(&secret), "Debug redacts");
    assert!(!format!("{:?}", wecom_emulator::Config::demo()).contains(&secret), "Debug redacts");
}

#[tokio::test]
async fn a_callback_url_that_fails_verification_is_not_saved() {
    let emu = Emu::demo().await;
    let rx = receiver(&emu, 0, Duration::ZERO, no_reply()).await;
    let sloppy = rx.url.replace("/wecom", "/sloppy");
    let (status, v) = emu
        .admin(
            reqwest::Method::PUT,
            &format!("/emulator/apps/{BOT}/callback"),
            Some(json!({ "url": sloppy, "verify": true })),
        )
        .await;
    assert_eq!(status, 409, "{v}");
    assert!(v["error"].as_str().unwrap().contains("instead of the decrypted echostr"), "{v}");
    let config = emu.get_json("/emulator/config").await;
    assert_eq!(config["apps"][0]["callback_url"], rx.url.as_str(), "the verified URL stays");
}

#[tokio::test]
async fn member_actions_can_return_before_delivery() {
    let emu = Emu::demo().await;
    let rx = receiver(&emu, 0, Duration::from_millis(200), no_reply()).await;
    let v = emu
        .admin_post(
            "/emulator/users/alice/events?wait=false",
            json!({ "agentid": BOT, "event": "enter_agent" }),
        )
        .await;
    assert_eq!(v["queued"], true);
    let mut outcome = Value::Null;
    for _ in 0..100 {
        let log = emu.get_json("/emulator/callbacks").await;
        outcome = log["callbacks"][0]["outcome"].clone();
        if outcome == "delivered" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(outcome, "delivered");
    let inner = rx.received.lock().unwrap()[0].clone();
    assert_eq!(tag(&inner, "Event"), Some("enter_agent"));
    assert_eq!(tag(&inner, "EventKey"), Some(""));
}
