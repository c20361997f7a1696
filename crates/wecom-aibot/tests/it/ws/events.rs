//! Events over the WebSocket: a welcome on `enter_chat` and a card update on
//! `template_card_event` within the deadline, and a late answer reported, never sent.

use std::time::{Duration, Instant};

use serde_json::json;
use wecom_aibot::bot::{Bot, EventResponder, Responder};
use wecom_aibot::model::{AibotCard, CardUpdate, Event, EventKind, Message};
use wecom_aibot::ws::{WsError, WsEvent};
use wecom_model::card::{CardAction, MainTitle, TextNotice};

use super::server::{self, WsServer, connected};

struct EventBot {
    welcome_delay: Duration,
}

impl Bot for EventBot {
    async fn on_message(&self, _m: Message, _r: Responder) {}

    async fn on_event(&self, event: Event, reply: EventResponder) {
        match event.kind {
            EventKind::EnterChat => {
                tokio::time::sleep(self.welcome_delay).await;
                let _ = reply.welcome("hello there");
            }
            EventKind::TemplateCard(card) => {
                let new = TextNotice::new(
                    MainTitle::new(format!("pressed {}", card.event_key)),
                    CardAction::url("https://ci.example.com/r/14"),
                )
                .task_id(card.task_id.as_str());
                let _ = reply.update_card(CardUpdate::new(AibotCard::new(new)).for_users(["lisi"]));
            }
            _ => {}
        }
    }
}

#[tokio::test]
async fn welcome_goes_out_on_the_events_req_id() {
    let mut srv = WsServer::start().await;
    let bot = EventBot { welcome_delay: Duration::ZERO };
    let (_handle, mut conn) = connected(bot, server::config(&srv.url), &mut srv).await;
    let sent = Instant::now();
    conn.event("Ee1nA8", "m-enter", json!({"eventtype": "enter_chat"}));
    let f = conn.recv().await;
    assert!(sent.elapsed() < Duration::from_secs(5));
    assert_eq!(f["cmd"], "aibot_respond_welcome_msg");
    assert_eq!(f["headers"]["req_id"], "Ee1nA8");
    assert_eq!(f["body"], json!({"msgtype": "text", "text": {"content": "hello there"}}));
    conn.ack(&f, 0);
}

#[tokio::test]
async fn a_late_welcome_is_reported_and_never_sent() {
    let mut srv = WsServer::start().await;
    let bot = EventBot { welcome_delay: Duration::from_millis(800) };
    let (handle, mut conn) = connected(bot, server::config(&srv.url), &mut srv).await;
    let mut events = handle.events();
    conn.event("late", "m-late", json!({"eventtype": "enter_chat"}));
    let event = tokio::time::timeout(Duration::from_secs(2), events.recv()).await.unwrap().unwrap();
    let WsEvent::ReplyFailed { req_id, error, .. } = event else { panic!("{event:?}") };
    assert_eq!(req_id, "late");
    assert!(matches!(error, WsError::DeadlinePassed { what: "welcome", .. }), "{error:?}");
    assert!(conn.try_recv(Duration::from_millis(600)).await.is_none(), "nothing sent late");
    assert_eq!(handle.stats().replies_failed, 1);
}

#[tokio::test]
async fn a_card_click_is_answered_with_an_update() {
    let mut srv = WsServer::start().await;
    let bot = EventBot { welcome_delay: Duration::ZERO };
    let (_handle, mut conn) = connected(bot, server::config(&srv.url), &mut srv).await;
    conn.event(
        "Tc4pB7",
        "m-card",
        json!({"eventtype": "template_card_event", "template_card_event":
               {"card_type": "button_interaction", "event_key": "approve", "task_id": "deploy-1"}}),
    );
    let f = conn.recv().await;
    assert_eq!(f["cmd"], "aibot_respond_update_msg");
    assert_eq!(f["headers"]["req_id"], "Tc4pB7");
    assert_eq!(f["body"]["response_type"], "update_template_card");
    assert_eq!(f["body"]["userids"], json!(["lisi"]));
    assert_eq!(f["body"]["template_card"]["task_id"], "deploy-1");
    assert_eq!(f["body"]["template_card"]["main_title"]["title"], "pressed approve");
    conn.ack(&f, 0);
}
