//! The full callback loop: an app built on `wecom-callback`'s `CallbackServer` is registered
//! as the emulator app's callback URL (passing WeCom's URL verification), the SDK sends
//! interactive cards, emulated members click, vote and write, and the app answers — with
//! passive replies, or through the SDK's `update_template_card` with the callback's code.

// Shared with the SDK tests.
use crate::sdk::support;

mod app;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use wecom::card::{
    Button, ButtonInteraction, ButtonSelection, CardAction, Checkbox, CheckboxMode, CheckboxOption,
    MultipleInteraction, SelectOption, Selector, SubmitButton, VoteInteraction,
};
use wecom::{Recipients, TemplateCard, UpdateTemplateCard};
use wecom_callback::callback::SelectedItem;
use wecom_callback::{Callback, EventBody, MessageBody, Reply};

use app::{Seen, app_replying, crypt, register};
use support::{BOT, Env, eventually, recipient};

fn deploy_card(task_id: &str) -> ButtonInteraction {
    ButtonInteraction::new(
        "Deploy v1.4 to prod?",
        task_id,
        [Button::callback("Approve", "approve"), Button::callback("Reject", "reject")],
    )
    .button_selection(ButtonSelection::new(
        "window",
        [SelectOption::new("now", "Now"), SelectOption::new("night", "Tonight")],
    ))
    .card_action(CardAction::url("https://ci.example.com/r/14"))
}

#[tokio::test]
async fn url_verification_passes_only_with_the_right_key() {
    let env = Env::demo().await;
    let seen = app_replying(&env, |_| None).await;
    let config = env.get("/emulator/config").await;
    let url = config["apps"][0]["callback_url"].as_str().unwrap().to_owned();
    assert!(url.ends_with("/wecom/callback"), "{config}");

    // An app configured with another EncodingAESKey cannot answer the verification, and the
    // URL stays as it was.
    let wrong = crypt(&env, Some("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"));
    let (status, v) =
        register(&env, wrong, |_: Callback| async { Ok::<_, std::convert::Infallible>(None) }, 0)
            .await;
    assert_eq!(status, 409, "{v}");
    assert!(v["error"].as_str().unwrap().contains("URL verification failed"), "{v}");
    assert_eq!(env.get("/emulator/config").await["apps"][0]["callback_url"], url.as_str());
    assert!(seen.all().is_empty(), "verification never reaches the handler");
}

#[tokio::test]
async fn a_click_reaches_the_handler_typed_and_an_update_button_reply_greys_the_card() {
    let env = Env::demo().await;
    let seen = app_replying(&env, |cb| {
        matches!(cb, Callback::Event(e) if matches!(e.body, EventBody::TemplateCardEvent(_)))
            .then(|| Reply::update_button("Approved"))
    })
    .await;
    let client = env.client(BOT);
    let receipt = client
        .send(Recipients::users(["alice", "bob"]), deploy_card("loop-button-1"))
        .await
        .unwrap();

    let record = env
        .post(
            &format!("/emulator/users/alice/cards/{}/click", receipt.msgid),
            json!({ "key": "approve", "selected_id": "night" }),
        )
        .await;
    assert_eq!(
        (record["outcome"].as_str(), record["reply"]["applied"].as_bool()),
        (Some("delivered"), Some(true)),
        "{record}"
    );

    let (from, click) = seen.only_card_click();
    assert_eq!(from, "alice");
    assert_eq!((click.event_key.as_str(), click.task_id.as_str()), ("approve", "loop-button-1"));
    assert_eq!(click.card_type, "button_interaction");
    assert_eq!(click.response_code, record["response_code"].as_str().unwrap());
    assert_eq!(
        click.selected_items,
        [SelectedItem { question_key: "window".into(), option_ids: vec!["night".into()] }]
    );

    let m = env.message(&receipt.msgid).await;
    let alice = &recipient(&m, "alice").unwrap()["card"];
    assert_eq!(
        (alice["button_text"].as_str(), alice["disabled"].as_bool()),
        (Some("Approved"), Some(true)),
        "{m}"
    );
    assert_eq!(
        recipient(&m, "bob").unwrap()["card"]["disabled"],
        false,
        "only the clicking member's copy"
    );
}

#[tokio::test]
async fn a_click_answered_through_update_template_card_with_the_callback_code() {
    let env = Env::demo().await;
    let client = env.client(BOT);
    let seen = Seen::default();
    let outcome: Arc<Mutex<Option<wecom::Result<()>>>> = Arc::default();
    let (recorder, result, sdk) = (seen.clone(), Arc::clone(&outcome), client.clone());
    let handler = move |callback: Callback| {
        recorder.push(&callback);
        let (result, sdk) = (Arc::clone(&result), sdk.clone());
        async move {
            if let Callback::Event(e) = &callback
                && let EventBody::TemplateCardEvent(click) = &e.body
            {
                let who = e.header.from_user_name.clone();
                let card = deploy_card(&click.task_id).replace_text(format!("Approved by {who}"));
                let update = UpdateTemplateCard::replace_card(
                    &click.response_code,
                    Recipients::users([who]),
                    card,
                );
                let done = sdk
                    .update_template_card(update)
                    .await
                    .map(|answer| assert!(answer.invalid_users.is_empty()));
                *result.lock().unwrap() = Some(done);
            }
            Ok::<_, std::convert::Infallible>(None)
        }
    };
    let (status, v) = register(&env, crypt(&env, None), handler, 0).await;
    assert_eq!(status, 200, "{v}");

    let receipt = client
        .send(Recipients::users(["alice", "bob"]), deploy_card("loop-button-2"))
        .await
        .unwrap();
    let record = env
        .post(
            &format!("/emulator/users/alice/cards/{}/click", receipt.msgid),
            json!({ "key": "approve" }),
        )
        .await;
    assert_eq!(record["outcome"], "delivered", "{record}");
    assert!(record.get("reply").is_none(), "answered through the API, not passively: {record}");
    let (_, click) = seen.only_card_click();
    assert_eq!(
        click.selected_items[0].option_ids,
        ["now"],
        "the drop-down's first option by default"
    );
    let done = eventually("the handler's update", Duration::from_secs(5), || async {
        outcome.lock().unwrap().take()
    })
    .await;
    done.unwrap();

    let expected = serde_json::to_value(TemplateCard::from(
        deploy_card("loop-button-2").replace_text("Approved by alice"),
    ))
    .unwrap();
    // alice's inbox shows her copy updated; bob's copy is as sent.
    let inbox = env.messages("?user=alice").await;
    let m = inbox.iter().find(|m| m["msgid"] == receipt.msgid.as_str()).expect("in alice's inbox");
    let alice = &recipient(m, "alice").unwrap()["card"];
    assert_eq!(alice["replaced_card"], expected);
    assert_eq!(
        (alice["button_text"].as_str(), alice["disabled"].as_bool()),
        (Some("Approved by alice"), Some(true))
    );
    assert!(recipient(m, "bob").unwrap()["card"].get("replaced_card").is_none());
}

#[tokio::test]
async fn vote_and_selection_submissions_carry_the_selected_items() {
    let env = Env::demo().await;
    let seen = app_replying(&env, |_| Some(Reply::update_button("Thanks"))).await;
    let client = env.client(BOT);
    let vote = VoteInteraction::new(
        "Lunch?",
        "loop-vote-1",
        Checkbox::new(
            "lunch",
            [
                CheckboxOption::new("a", "Noodles"),
                CheckboxOption::new("b", "Rice"),
                CheckboxOption::new("c", "Salad"),
            ],
        )
        .mode(CheckboxMode::Multiple),
        SubmitButton::new("Vote", "lunch_submit"),
    );
    let sent = client.send(Recipients::user("alice"), vote).await.unwrap();
    let record = env
        .post(
            &format!("/emulator/users/alice/cards/{}/submit", sent.msgid),
            json!({ "selections": { "lunch": ["a", "c"] } }),
        )
        .await;
    assert_eq!(record["reply"]["applied"], true, "{record}");
    let (_, click) = seen.only_card_click();
    assert_eq!(
        (click.card_type.as_str(), click.event_key.as_str()),
        ("vote_interaction", "lunch_submit")
    );
    assert_eq!(
        click.selected_items,
        [SelectedItem { question_key: "lunch".into(), option_ids: vec!["a".into(), "c".into()] }]
    );
    let m = env.message(&sent.msgid).await;
    assert_eq!(recipient(&m, "alice").unwrap()["card"]["button_text"], "Thanks");

    // A multiple-choice card reports one item per drop-down.
    let survey = MultipleInteraction::new(
        "Survey",
        "loop-survey-1",
        [
            Selector::new(
                "team",
                [SelectOption::new("infra", "Infra"), SelectOption::new("app", "App")],
            ),
            Selector::new(
                "office",
                [SelectOption::new("sz", "Shenzhen"), SelectOption::new("bj", "Beijing")],
            )
            .selected_id("bj"),
        ],
        SubmitButton::new("Send", "survey_submit"),
    );
    let sent = client.send(Recipients::user("bob"), survey).await.unwrap();
    env.post(
        &format!("/emulator/users/bob/cards/{}/submit", sent.msgid),
        json!({ "selections": { "team": ["app"] } }),
    )
    .await;
    let all = seen.all();
    let Callback::Event(e) = &all[1] else { panic!("{all:?}") };
    let EventBody::TemplateCardEvent(click) = &e.body else { panic!("{e:?}") };
    assert_eq!(e.header.from_user_name, "bob");
    let items: Vec<(&str, &[String])> = click
        .selected_items
        .iter()
        .map(|i| (i.question_key.as_str(), i.option_ids.as_slice()))
        .collect();
    assert_eq!(items, [("team", &["app".to_owned()][..]), ("office", &["bj".to_owned()][..])]);
}

#[tokio::test]
async fn a_members_text_gets_a_passive_text_reply_recorded_as_from_the_app() {
    let env = Env::demo().await;
    let seen = app_replying(&env, |cb| match cb {
        Callback::Message(m) => match &m.body {
            MessageBody::Text(t) => Some(Reply::text(format!("you said: {}", t.content))),
            _ => None,
        },
        _ => None,
    })
    .await;
    let record = env
        .post(
            "/emulator/users/alice/messages",
            json!({ "agentid": BOT, "msgtype": "text", "content": "ping" }),
        )
        .await;
    assert_eq!(record["reply"]["applied"], true, "{record}");

    let all = seen.all();
    let [Callback::Message(m)] = all.as_slice() else { panic!("{all:?}") };
    assert_eq!((m.header.from_user_name.as_str(), m.header.agent_id), ("alice", Some(BOT)));
    assert!(matches!(&m.body, MessageBody::Text(t) if t.content == "ping"), "{m:?}");
    assert!(m.msg_id > 0);

    let inbox = env.messages("?user=alice").await;
    assert_eq!(inbox.len(), 2, "{inbox:?}");
    assert_eq!(
        (inbox[0]["direction"].as_str(), inbox[0]["origin"].as_str()),
        (Some("user_to_app"), Some("user"))
    );
    assert_eq!(
        (inbox[1]["direction"].as_str(), inbox[1]["origin"].as_str()),
        (Some("app_to_user"), Some("passive_reply"))
    );
    assert_eq!(inbox[1]["body"]["text"]["content"], "you said: ping");
    assert_eq!(inbox[1]["recipients"][0]["userid"], "alice");
}

#[tokio::test]
async fn a_callback_retried_after_a_lost_answer_is_handled_once() {
    let env = Env::demo().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let handler = move |_: Callback| {
        counter.fetch_add(1, Ordering::SeqCst);
        async { Ok::<_, std::convert::Infallible>(Some(Reply::text("pong"))) }
    };
    let (status, v) = register(&env, crypt(&env, None), handler, 1).await;
    assert_eq!(status, 200, "{v}");

    let record = env
        .post(
            "/emulator/users/alice/messages",
            json!({ "agentid": BOT, "msgtype": "text", "content": "ping" }),
        )
        .await;
    let attempts = record["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 2, "{record}");
    assert_eq!(
        (attempts[0]["status"].as_u64(), attempts[1]["status"].as_u64()),
        (Some(500), Some(200))
    );
    assert_eq!(record["outcome"], "delivered");
    assert_eq!(calls.load(Ordering::SeqCst), 1, "the retry was recognised, not handled again");
    // The retry is acknowledged empty: the reply went out with the lost answer.
    assert!(record.get("reply").is_none(), "{record}");
}
