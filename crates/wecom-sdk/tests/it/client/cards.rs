//! `message/update_template_card`.

use std::time::Duration;

use serde_json::json;
use wecom::card::{Button, ButtonInteraction};
use wecom::{Error, Recipients, UpdateTemplateCard};

use super::support::{AGENT, Mock, Reply, token};

const UPDATE: &str = "/cgi-bin/message/update_template_card";

#[tokio::test]
async fn update_posts_the_body_and_reports_invalid_users_from_an_array() {
    let mock = Mock::start().await;
    mock.script(
        UPDATE,
        [Reply::Json(json!({"errcode": 0, "errmsg": "ok", "invaliduser": ["carol", "dave"]}))],
    );
    let client = mock.client().build().unwrap();
    let update = UpdateTemplateCard::replace_button(
        "RC-1",
        Recipients::users(["alice", "carol", "dave"]),
        "Approved",
    );
    let answer = client.update_template_card(update).await.unwrap();
    assert_eq!(answer.invalid_users, ["carol", "dave"]);

    let sent = mock.requests(UPDATE);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method, "POST");
    assert_eq!(sent[0].token(), Some(token(1).as_str()));
    assert_eq!(sent[0].headers["content-type"], "application/json");
    assert_eq!(
        sent[0].json(),
        json!({
            "userids": ["alice", "carol", "dave"],
            "agentid": AGENT,
            "response_code": "RC-1",
            "button": { "replace_name": "Approved" }
        })
    );
}

#[tokio::test]
async fn a_full_card_replacement_for_everyone_is_sent_with_atall() {
    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    let card = ButtonInteraction::new("Deploy v1.4?", "deploy-42", [Button::callback("Go", "go")])
        .replace_text("Approved by alice");
    let answer = client
        .update_template_card(UpdateTemplateCard::replace_card("RC-2", Recipients::all(), card))
        .await
        .unwrap();
    assert!(answer.invalid_users.is_empty());
    let body = mock.requests(UPDATE)[0].json();
    assert_eq!(body["atall"], 1);
    assert_eq!(body["template_card"]["card_type"], "button_interaction");
    assert_eq!(body["template_card"]["replace_text"], "Approved by alice");
}

#[tokio::test]
async fn an_api_error_keeps_its_code() {
    let mock = Mock::start().await;
    mock.script(UPDATE, [Reply::err(42015, "update app is not the sending app")]);
    let client = mock.client().build().unwrap();
    let err = client
        .update_template_card(UpdateTemplateCard::replace_button(
            "RC",
            Recipients::user("alice"),
            "Done",
        ))
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Api { code: 42015, .. }), "{err:?}");
    assert_eq!(err.code(), Some(wecom::error::codes::CARD_UPDATER_NOT_SENDER));
    assert!(err.hint().unwrap().contains("sending app"));
    assert_eq!(mock.count(UPDATE), 1, "not retried");
}

#[tokio::test]
async fn an_invalid_update_sends_nothing() {
    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    let err = client
        .update_template_card(UpdateTemplateCard::replace_button("", Recipients::all(), "Done"))
        .await
        .unwrap_err();
    let Error::InvalidArgument(invalid) = &err else { panic!("{err:?}") };
    assert_eq!(invalid.field, "response_code");
    let err = client
        .update_template_card(UpdateTemplateCard::replace_button(
            "RC",
            Recipients::users((0..1001).map(|i| format!("u{i}"))),
            "Done",
        ))
        .await
        .unwrap_err();
    assert!(err.is_invalid_argument() && err.to_string().contains("userids"), "{err}");
    assert!(mock.all_requests().is_empty(), "not even a token was fetched");
}

#[tokio::test]
async fn system_busy_is_retried_because_wecom_did_not_act() {
    let mock = Mock::start().await;
    mock.script(UPDATE, [Reply::err(-1, "system busy")]);
    let client = mock.client().build().unwrap();
    let update = UpdateTemplateCard::replace_button("RC", Recipients::user("alice"), "Done");
    client.update_template_card(update).await.unwrap();
    let sent = mock.requests(UPDATE);
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].body, sent[1].body);
}

#[tokio::test]
async fn a_timed_out_update_is_not_resent_because_the_code_is_single_use() {
    let mock = Mock::start().await;
    mock.script(UPDATE, [Reply::err(0, "ok").delayed(Duration::from_secs(5))]);
    let client = mock.client().request_timeout(Duration::from_millis(200)).build().unwrap();
    client.access_token().await.unwrap();
    let update = UpdateTemplateCard::replace_button("RC", Recipients::user("alice"), "Done");
    let err = client.update_template_card(update).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }) && err.is_timeout(), "{err:?}");
    assert_eq!(mock.count(UPDATE), 1);
}
