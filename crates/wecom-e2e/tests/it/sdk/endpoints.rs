//! Every non-media endpoint through the SDK: gettoken (implicitly), send, recall,
//! update_template_card (button and whole-card, codes from a send and from a click), and
//! getcallbackip.

use serde_json::json;
use wecom::card::{Button, ButtonInteraction, CardAction, TextNotice};
use wecom::{Recipients, Text, UpdateTemplateCard};

use super::support::{BOT, Env, recipient, status_of};

#[tokio::test]
async fn send_then_recall_with_one_implicit_gettoken() {
    let env = Env::demo().await;
    let client = env.client(BOT);
    let receipt = client
        .send(Recipients::users(["alice", "bob"]), Text::new("deploy finished"))
        .await
        .unwrap();
    assert!(!receipt.msgid.is_empty());
    assert!(receipt.all_delivered(), "{receipt:?}");
    assert_eq!(receipt.response_code, None, "text messages have no response_code");

    let m = env.message(&receipt.msgid).await;
    assert_eq!((m["agentid"].as_i64(), m["msgtype"].as_str()), (Some(BOT), Some("text")));
    assert_eq!(status_of(&m, "alice"), "delivered");
    assert_eq!(status_of(&m, "bob"), "delivered");

    client.recall(&receipt.msgid).await.unwrap();
    let m = env.message(&receipt.msgid).await;
    assert_eq!(status_of(&m, "alice"), "recalled");
    assert_eq!(status_of(&m, "bob"), "recalled");

    // A second recall fails with WeCom's code, typed; a recall is never repeated by the SDK.
    let err = client.recall(&receipt.msgid).await.unwrap_err();
    assert_eq!(err.code(), Some(40058), "{err}");
    assert_eq!(env.calls("/cgi-bin/message/recall").await, 2);
    // One token served the send and both recalls.
    assert_eq!(env.tokens_issued(BOT).await, 1);
    assert_eq!(env.calls("/cgi-bin/gettoken").await, 1);
}

#[tokio::test]
async fn callback_ips_are_the_emulators_list() {
    let env = Env::demo().await;
    let ips = env.client(BOT).callback_ips().await.unwrap();
    assert_eq!(ips, ["127.0.0.1"]);
    assert_eq!(env.calls("/cgi-bin/getcallbackip").await, 1);
}

fn deploy_card(task_id: &str) -> ButtonInteraction {
    ButtonInteraction::new(
        "Deploy v1.4 to prod?",
        task_id,
        [Button::callback("Approve", "approve"), Button::callback("Reject", "reject")],
    )
    .card_action(CardAction::url("https://ci.example.com/r/14"))
}

#[tokio::test]
async fn update_template_card_greys_the_buttons_with_the_code_from_the_send() {
    let env = Env::demo().await;
    let client = env.client(BOT);
    let receipt = client
        .send(Recipients::users(["alice", "bob"]), deploy_card("deploy-upd-1"))
        .await
        .unwrap();
    let code = receipt.response_code.clone().expect("an interactive card returns a response_code");

    let update = UpdateTemplateCard::replace_button(
        code.clone(),
        Recipients::users(["alice", "ghost"]),
        "Approved",
    );
    let answer = client.update_template_card(update).await.unwrap();
    assert_eq!(answer.invalid_users, ["ghost"], "not a receiver of the card");

    let m = env.message(&receipt.msgid).await;
    let alice = &recipient(&m, "alice").unwrap()["card"];
    assert_eq!(
        (alice["button_text"].as_str(), alice["disabled"].as_bool()),
        (Some("Approved"), Some(true))
    );
    let bob = &recipient(&m, "bob").unwrap()["card"];
    assert_eq!((bob.get("button_text"), bob["disabled"].as_bool()), (None, Some(false)), "{m}");

    // The code works once: a second update fails typed, and the SDK did not repeat it.
    let again = UpdateTemplateCard::replace_button(code, Recipients::all(), "Closed");
    let err = client.update_template_card(again).await.unwrap_err();
    assert_eq!(err.code(), Some(40058), "{err}");
    assert_eq!(env.calls("/cgi-bin/message/update_template_card").await, 2);
}

#[tokio::test]
async fn update_template_card_replaces_the_card_with_the_code_from_a_click() {
    let env = Env::demo().await;
    let client = env.client(BOT);
    let receipt = client
        .send(Recipients::users(["alice", "bob"]), deploy_card("deploy-upd-2"))
        .await
        .unwrap();

    // alice clicks "Reject": the emulator calls the app back with a fresh code.
    let record = env
        .post(
            &format!("/emulator/users/alice/cards/{}/click", receipt.msgid),
            json!({ "key": "reject" }),
        )
        .await;
    assert_eq!(record["event"], "template_card_event", "{record}");
    let code = record["response_code"].as_str().unwrap().to_owned();
    assert_ne!(
        Some(code.as_str()),
        receipt.response_code.as_deref(),
        "each click has its own code"
    );

    // A card of another type replaces hers.
    let replacement =
        TextNotice::new("Rejected by alice", CardAction::url("https://ci.example.com/r/14"))
            .sub_title_text("The deploy was cancelled.");
    let expected = serde_json::to_value(wecom::TemplateCard::from(replacement.clone())).unwrap();
    let update =
        UpdateTemplateCard::replace_card(code.clone(), Recipients::users(["alice"]), replacement);
    let answer = client.update_template_card(update).await.unwrap();
    assert!(answer.invalid_users.is_empty(), "{answer:?}");

    let m = env.message(&receipt.msgid).await;
    let alice = &recipient(&m, "alice").unwrap()["card"];
    assert_eq!(alice["replaced_card"], expected, "stored as the SDK serialized it");
    assert_eq!(alice["updates"], 1);
    assert!(recipient(&m, "bob").unwrap()["card"].get("replaced_card").is_none(), "{m}");

    // The click's code is single-use too.
    let again = UpdateTemplateCard::replace_button(code, Recipients::users(["alice"]), "Done");
    assert_eq!(client.update_template_card(again).await.unwrap_err().code(), Some(40058));
}

#[tokio::test]
async fn a_card_update_with_the_replace_text_disables_the_copies() {
    let env = Env::demo().await;
    let client = env.client(BOT);
    let receipt = client
        .send(Recipients::users(["alice", "bob"]), deploy_card("deploy-upd-3"))
        .await
        .unwrap();
    let code = receipt.response_code.unwrap();
    let closed = deploy_card("deploy-upd-3").replace_text("Closed by release manager");
    let answer = client
        .update_template_card(UpdateTemplateCard::replace_card(code, Recipients::all(), closed))
        .await
        .unwrap();
    assert!(answer.invalid_users.is_empty());
    let m = env.message(&receipt.msgid).await;
    for user in ["alice", "bob"] {
        let card = &recipient(&m, user).unwrap()["card"];
        assert_eq!(card["button_text"], "Closed by release manager", "{m}");
        assert_eq!(card["disabled"], true);
    }
    // A disabled card takes no more clicks.
    let (status, _) = env
        .admin(
            "POST",
            &format!("/emulator/users/bob/cards/{}/click", receipt.msgid),
            json!({ "key": "approve" }),
        )
        .await;
    assert_eq!(status, 409);
}
