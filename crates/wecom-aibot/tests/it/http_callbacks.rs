//! HTTP mode: URL verification, events (welcome, card click, feedback), retries, and hostile
//! input — a forged or malformed body is rejected and reaches no handler.

use crate::common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::WeCom;
use serde_json::json;
use wecom_aibot::bot::{Bot, EventResponder, Responder};
use wecom_aibot::http::AibotServer;
use wecom_aibot::model::{CardUpdate, Event, EventKind, Message};
use wecom_model::card::{CardAction, MainTitle, TextNotice};

#[derive(Clone, Default)]
struct Counting {
    messages: Arc<AtomicUsize>,
    events: Arc<std::sync::Mutex<Vec<String>>>,
}

impl Bot for Counting {
    async fn on_message(&self, message: Message, reply: Responder) {
        self.messages.fetch_add(1, Ordering::SeqCst);
        reply.markdown(format!("echo: {}", message.text())).unwrap();
    }

    async fn on_event(&self, event: Event, reply: EventResponder) {
        self.events.lock().unwrap().push(event.kind.eventtype().to_owned());
        match event.kind {
            EventKind::EnterChat => reply.welcome("你好").unwrap(),
            EventKind::TemplateCard(click) => {
                let card = TextNotice::new(
                    MainTitle::new(format!("clicked {}", click.event_key)),
                    CardAction::url("https://example.com"),
                )
                .task_id(click.task_id.as_str());
                reply.update_card(CardUpdate::new(card).for_users(["zhangsan"])).unwrap();
            }
            EventKind::Feedback(_) => {
                assert!(reply.welcome("not allowed").is_err(), "feedback takes no answer");
            }
            _ => {}
        }
    }
}

async fn start() -> (WeCom, Counting) {
    let bot = Counting::default();
    let server = AibotServer::new(common::TOKEN, common::KEY, bot.clone()).unwrap();
    (WeCom::start(server).await, bot)
}

#[tokio::test]
async fn url_verification_answers_the_bare_plaintext() {
    let (wecom, _) = start().await;
    let sealed = wecom.crypt.encrypt("6458139927815418371", "1767225600", "1372623149").unwrap();
    let echostr = sealed.encrypt.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D");
    let url = format!(
        "{}/?msg_signature={}&timestamp=1767225600&nonce=1372623149&echostr={echostr}",
        wecom.base, sealed.msg_signature
    );
    let r = wecom.client.get(&url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), "6458139927815418371");
    let forged = url.replace("msg_signature=", "msg_signature=0");
    assert_eq!(wecom.client.get(&forged).send().await.unwrap().status(), 403);
}

#[tokio::test]
async fn the_reference_signature_vectors_hold() {
    // §A2.1: the signatures of the message POST and of the reply, over the reference's token.
    let v = std::fs::read_to_string(format!(
        "{}/tests/fixtures/vectors.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let get =
        |k: &str| v.lines().find_map(|l| l.strip_prefix(&format!("{k} = "))).unwrap().to_owned();
    let sig = wecom_msgcrypt::signature(
        &get("token"),
        &get("timestamp"),
        &get("nonce"),
        &get("post_encrypt"),
    );
    assert_eq!(sig.as_str(), get("post_signature"));
    let sig = wecom_msgcrypt::signature(
        &get("token"),
        &get("timestamp"),
        &get("nonce"),
        &get("reply_encrypt"),
    );
    assert_eq!(sig.as_str(), get("reply_signature"));
}

#[tokio::test]
async fn enter_chat_gets_the_welcome_and_a_card_click_gets_its_update() {
    let (wecom, bot) = start().await;
    let welcome = wecom
        .send(&json!({"msgid": "e1", "create_time": 1, "aibotid": "aib", "chattype": "single",
            "from": {"userid": "lisi"}, "msgtype": "event", "event": {"eventtype": "enter_chat"}}))
        .await
        .unwrap();
    assert_eq!(welcome, json!({"msgtype": "text", "text": {"content": "你好"}}));

    let click = json!({"msgid": "e2", "create_time": 1, "aibotid": "aib", "chatid": "wrk1",
        "chattype": "group", "from": {"userid": "zhangsan"}, "response_url": wecom.active_url,
        "msgtype": "event", "event": {"eventtype": "template_card_event",
        "template_card_event": {"card_type": "button_interaction", "event_key": "approve",
        "task_id": "deploy-1"}}});
    let update = wecom.send(&click).await.unwrap();
    assert_eq!(update["response_type"], "update_template_card");
    assert_eq!(update["userids"], json!(["zhangsan"]));
    assert_eq!(update["template_card"]["task_id"], "deploy-1");
    assert_eq!(update["template_card"]["main_title"]["title"], "clicked approve");

    let feedback = json!({"msgid": "e3", "create_time": 1, "aibotid": "aib", "chattype": "single",
        "from": {"userid": "lisi"}, "msgtype": "event", "event": {"eventtype": "feedback_event",
        "feedback_event": {"id": "fb-1", "type": 1}}});
    assert_eq!(wecom.send(&feedback).await, None, "feedback is answered empty");
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(
        *bot.events.lock().unwrap(),
        ["enter_chat", "template_card_event", "feedback_event"]
    );
}

#[tokio::test]
async fn a_retried_message_is_handled_once_and_answered_from_its_stream() {
    let (wecom, bot) = start().await;
    let msg = wecom.text("lisi", "hi");
    let first = wecom.send(&msg).await.unwrap();
    let retry = wecom.send(&msg).await.unwrap();
    assert_eq!(first["stream"]["id"], retry["stream"]["id"]);
    assert_eq!(retry["stream"]["content"], "echo: hi");
    let event = json!({"msgid": "e1", "create_time": 1, "aibotid": "aib", "chattype": "single",
        "from": {"userid": "lisi"}, "msgtype": "event", "event": {"eventtype": "enter_chat"}});
    assert!(wecom.send(&event).await.is_some());
    assert_eq!(wecom.send(&event).await, None, "a retried event is not handled again");
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(bot.messages.load(Ordering::SeqCst), 1);
    assert_eq!(bot.events.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn forged_or_malformed_bodies_are_rejected_and_reach_no_handler() {
    let (wecom, bot) = start().await;
    let (query, body) = wecom.seal(&wecom.text("lisi", "hi"));
    // A forged signature.
    let forged = query.replacen("msg_signature=", "msg_signature=f", 1);
    assert_eq!(wecom.post_raw(&forged, body.clone()).await, (403, "Forbidden".into()));
    // Ciphertext tampered with.
    let tampered = body.replacen("\"encrypt\":\"", "\"encrypt\":\"AAAA", 1);
    assert_eq!(wecom.post_raw(&query, tampered).await.0, 403);
    // Not JSON, no encrypt field, missing query, oversized.
    assert_eq!(wecom.post_raw(&query, "<xml>".into()).await.0, 400);
    assert_eq!(wecom.post_raw(&query, "{\"text\":\"hi\"}".into()).await.0, 400);
    assert_eq!(wecom.post_raw("timestamp=1", body.clone()).await.0, 400);
    assert_eq!(
        wecom.post_raw(&query, "x".repeat(65 * 1024)).await,
        (413, "Payload Too Large".into())
    );
    // Validly sealed, but not a JSON object inside.
    let (q2, b2) = {
        let sealed = wecom.crypt.encrypt("[1,2,3]", "1767225600", "42").unwrap();
        (
            format!("msg_signature={}&timestamp=1767225600&nonce=42", sealed.msg_signature),
            json!({"encrypt": sealed.encrypt}).to_string(),
        )
    };
    let (status, text) = wecom.post_raw(&q2, b2).await;
    assert_eq!((status, text.as_str()), (400, "Bad Request"), "no detail leaked");
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(bot.messages.load(Ordering::SeqCst), 0);
    assert!(bot.events.lock().unwrap().is_empty());
}
