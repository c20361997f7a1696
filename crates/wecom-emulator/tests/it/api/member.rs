//! The typed member handle (`emu.member("alice")`) over the admin API: votes, events, the
//! inbox, groups and their posts, and typed errors for refused actions.

use std::sync::Arc;
use std::time::Duration;

use wecom_emulator::{AdminApiError, InboxStatus, Outcome};

use super::receiver::{receiver, tag};
use super::support::{BOT, Emu, vote_card};

#[tokio::test]
async fn a_member_votes_reads_the_inbox_and_the_app_sees_the_choice() {
    let emu = Emu::demo().await;
    let rx = receiver(&emu, 0, Duration::ZERO, Arc::new(|_| None)).await;
    let sent = emu.send(BOT, &vote_card("lunch-1")).await;
    let msgid = sent["msgid"].as_str().unwrap();
    let alice = emu.handle.member("alice");
    let record = alice.submit(msgid, [("lunch", ["a", "b"])]).await.unwrap();
    assert_eq!(record.outcome, Outcome::Delivered);
    assert_eq!(record.event.as_deref(), Some("template_card_event"));
    let inner = rx.received.lock().unwrap()[0].clone();
    assert!(inner.contains("<OptionId><![CDATA[a]]></OptionId>"), "{inner}");
    assert_eq!(tag(&inner, "EventKey"), Some("lunch_submit"));

    let record = alice.event(BOT, "enter_agent", "").await.unwrap();
    assert_eq!(record.event.as_deref(), Some("enter_agent"));
    let inbox = alice.inbox().await.unwrap();
    assert_eq!(inbox[0].msgid, msgid);
    assert_eq!(inbox[0].status, InboxStatus::Delivered);
    assert_eq!(inbox[0].card_type.as_deref(), Some("vote_interaction"));
}

#[tokio::test]
async fn groups_and_their_posts_are_listed_for_a_member() {
    let emu = Emu::demo().await;
    let posted = emu
        .post_json(
            &format!("/cgi-bin/webhook/send?key={}", wecom_emulator::DEMO_WEBHOOK_KEY),
            &serde_json::json!({ "msgtype": "text", "text": { "content": "disk full",
                "mentioned_list": ["alice"] } }),
        )
        .await;
    assert_eq!(posted["errcode"], 0, "{posted}");
    let alice = emu.handle.member("alice");
    let groups = alice.groups().await.unwrap();
    assert_eq!(groups.iter().map(|g| g.chatid.as_str()).collect::<Vec<_>>(), ["wrdemo-ops"]);
    let posts = alice.group_messages("wrdemo-ops").await.unwrap();
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].mentions, ["alice"]);
    assert!(emu.handle.member("erin").groups().await.unwrap().is_empty(), "erin is in none");
}

#[tokio::test]
async fn refused_actions_are_typed_errors_with_the_emulators_reason() {
    let emu = Emu::demo().await;
    let err = emu.handle.member("ghost").send_text(BOT, "hi").await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert!(err.to_string().contains("no member \"ghost\""), "{err}");
    let sent = emu.send(BOT, &vote_card("lunch-2")).await;
    let msgid = sent["msgid"].as_str().unwrap();
    let err = emu.handle.member("alice").click(msgid, "go").await.unwrap_err();
    assert!(matches!(err, AdminApiError::Refused { status: 400, .. }), "{err}");
    let err = emu.handle.member("alice").group_messages("nope").await.unwrap_err();
    assert!(err.is_not_found());
    // An emulator that is not there.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let gone = wecom_emulator::AdminClient::new(format!("http://127.0.0.1:{port}"));
    let err = gone.member("alice").inbox().await.unwrap_err();
    assert!(matches!(err, AdminApiError::Transport { .. }), "{err}");
}
