//! AI bots over the WebSocket long connection end to end: the `wecom-aibot` client
//! (feature `ws`) against the emulator's `/aibot/ws` — subscription, streamed answers,
//! welcome and card updates, pushes and chunked uploads here; dropped connections,
//! displacement, stalled acknowledgements and refused credentials in [`faults`].

// Test expectations read best as one format per piece.
#![allow(clippy::format_collect)]

mod faults;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use wecom_aibot::bot::{Bot, EventResponder, Responder};
use wecom_aibot::model::{AibotCard, CardUpdate, Event, EventKind, Message};
use wecom_aibot::ws::{
    AibotWs, Backoff, ConnState, Credentials, MediaKind, Push, Stopped, WsConfig, WsHandle,
};
use wecom_emulator::{Config, Emulator, EmulatorHandle};
use wecom_model::card::{Button, ButtonInteraction, CardAction, MainTitle, TextNotice};

const BOT: &str = "aib_ws_demo";
const SECRET: &str = "demo-aibot-ws-secret-00000000000000000000000";
/// The demo corp and its "Build bot" app, for the media download API.
const CORP: (&str, &str) = ("wwdemo00000000001", "demo-secret-build-bot-0000000000000000000000");

struct Setup {
    emu: EmulatorHandle,
    http: reqwest::Client,
}

async fn emulator() -> Setup {
    Setup { emu: Emulator::start(Config::demo()).await.unwrap(), http: reqwest::Client::new() }
}

/// A configuration for the emulator with short backoffs and timeouts.
fn ws_config(emu: &EmulatorHandle) -> WsConfig {
    let mut config = WsConfig::default();
    config.url = emu.aibot_ws_url();
    let mut backoff = Backoff::default();
    backoff.base = Duration::from_millis(20);
    backoff.max = Duration::from_millis(200);
    config.reconnect = backoff;
    config.connect_timeout = Duration::from_secs(5);
    config.subscribe_timeout = Duration::from_secs(5);
    config
}

fn creds() -> Credentials {
    Credentials::new(BOT, SECRET)
}

impl Setup {
    fn url(&self, path: &str) -> String {
        format!("{}/emulator/aibots/{BOT}/{path}", self.emu.base_url())
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        let resp = self.http.post(self.url(path)).json(&body).send().await.unwrap();
        let status = resp.status();
        let body: Value = resp.json().await.unwrap();
        assert!(status.is_success(), "{path}: {status} {body}");
        body
    }

    async fn get(&self, path: &str) -> Value {
        self.http.get(self.url(path)).send().await.unwrap().json().await.unwrap()
    }

    async fn ask(&self, user: &str, text: &str, wait: &str) -> Value {
        self.post(&format!("messages?wait={wait}"), json!({ "userid": user, "content": text }))
            .await
    }

    async fn turn(&self, id: &Value) -> Value {
        self.get(&format!("turns/{id}")).await
    }

    async fn turns(&self) -> Vec<Value> {
        self.get("turns").await["turns"].as_array().unwrap().clone()
    }

    /// The connection log's entries of kind `what`.
    async fn log(&self, what: &str) -> Vec<Value> {
        let status = self.get("ws").await;
        status["log"].as_array().unwrap().iter().filter(|e| e["what"] == what).cloned().collect()
    }

    /// Starts a client running `bot` and waits until it is subscribed.
    async fn client(
        &self,
        bot: impl Bot,
        tweak: impl FnOnce(&mut WsConfig),
    ) -> (WsHandle, tokio::task::JoinHandle<Result<Stopped, wecom_aibot::ws::WsError>>) {
        let mut config = ws_config(&self.emu);
        tweak(&mut config);
        let (handle, task) = AibotWs::new(creds(), config, bot).spawn();
        assert!(handle.wait_connected(Duration::from_secs(10)).await, "{:?}", handle.stats());
        (handle, task)
    }

    /// Polls turn `id` until `done` holds (5 s at most).
    async fn turn_until(&self, id: &Value, done: impl Fn(&Value) -> bool) -> Value {
        let mut turn = self.turn(id).await;
        for _ in 0..500 {
            if done(&turn) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
            turn = self.turn(id).await;
        }
        turn
    }
}

/// The bot of these tests.
#[derive(Clone, Default)]
struct WsBot {
    /// Results of the `flood` message's replies.
    flood: Arc<Mutex<Vec<Result<(), wecom_aibot::ws::WsError>>>>,
    /// Feedback ids received.
    feedback: Arc<Mutex<Vec<String>>>,
}

impl Bot for WsBot {
    async fn on_message(&self, msg: Message, reply: Responder) {
        let text = msg.text();
        match text.as_str() {
            "count" => {
                let mut s = reply.stream();
                for i in 0..200 {
                    s.push(&format!("{i} ")).unwrap();
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
            }
            "slow" => {
                let mut s = reply.stream();
                for i in 0..40 {
                    // The connection may drop meanwhile: the writes still succeed (the text
                    // is kept for the resend).
                    let _ = s.push(&format!("s{i} "));
                    tokio::time::sleep(Duration::from_millis(25)).await;
                }
            }
            "card" => reply.card(AibotCard::new(ButtonInteraction::new(
                MainTitle::new("Deploy?"),
                "deploy-ws",
                [Button::callback("Go", "go")],
            ))),
            "flood" => {
                let cb = reply.ws().expect("over the WebSocket").clone();
                let card = |i: usize| {
                    Push::card(AibotCard::new(TextNotice::new(
                        MainTitle::new(format!("note {i}")),
                        CardAction::url("https://example.com"),
                    )))
                };
                let sends = (0..6).map(|i| {
                    let cb = cb.clone();
                    let body = card(i);
                    async move { cb.respond(body).await }
                });
                let results = futures::future::join_all(sends).await;
                *self.flood.lock().unwrap() = results;
            }
            "rate me" => reply.feedback("fb-ws").markdown("rated answer").unwrap(),
            other => reply.markdown(format!("echo: {other}")).unwrap(),
        }
    }

    async fn on_event(&self, event: Event, reply: EventResponder) {
        match event.kind {
            EventKind::EnterChat => reply.welcome("hello over ws").unwrap(),
            EventKind::TemplateCard(click) => {
                let card = TextNotice::new(
                    MainTitle::new(format!("{} by {}", click.event_key, event.header.from.userid)),
                    CardAction::url("https://ci.example.com"),
                )
                .task_id(click.task_id.as_str());
                reply.update_card(CardUpdate::new(card)).unwrap();
            }
            EventKind::Feedback(f) => self.feedback.lock().unwrap().push(f.id),
            _ => {}
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_subscribes_and_the_emulator_shows_the_connection() {
    let s = emulator().await;
    let (handle, task) = s.client(WsBot::default(), |_| {}).await;
    let status = s.get("ws").await;
    assert_eq!(status["connected"], true, "{status}");
    let subscribed = s.log("subscribed").await;
    assert_eq!(subscribed.len(), 1);
    assert!(
        subscribed[0]["detail"].as_str().unwrap().contains("from wecom-aibot/"),
        "{subscribed:?}"
    );
    assert_eq!(handle.state(), ConnState::Connected);
    assert_eq!(handle.stats().generation, 1);
    handle.shutdown();
    assert_eq!(task.await.unwrap().unwrap(), Stopped::Shutdown);
    // The emulator notices the close.
    let mut status = s.get("ws").await;
    for _ in 0..100 {
        if status["connected"] == false {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        status = s.get("ws").await;
    }
    assert_eq!(status["connected"], false, "{status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamed_answer_of_200_updates_arrives_complete_and_in_order() {
    let s = emulator().await;
    let (handle, _task) = s.client(WsBot::default(), |_| {}).await;
    let turn = s.ask("alice", "count", "finish").await;
    let expected: String = (0..200).map(|i| format!("{i} ")).collect();
    assert_eq!(turn["status"], "finished", "{turn}");
    assert_eq!(turn["stream"]["content"], expected.as_str());
    assert!(turn["stream"]["updates"].as_u64().unwrap() >= 1, "{turn}");
    // Each update extended the one before: none arrived out of order.
    assert_eq!(turn["stream"]["rewinds"], 0, "{turn}");
    assert_eq!(turn["errors"], json!([]), "one stream id, no refused frame");
    let stats = handle.stats();
    assert_eq!(stats.messages, 1);
    assert_eq!(stats.replies_failed, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_welcome_on_enter_chat_and_a_card_update_on_a_click() {
    let s = emulator().await;
    let (_handle, _task) = s.client(WsBot::default(), |_| {}).await;
    let welcome = s.post("enter_chat", json!({ "userid": "bob" })).await;
    assert_eq!(welcome["status"], "answered", "{welcome}");
    assert_eq!(
        welcome["reply"],
        json!({ "msgtype": "text", "text": { "content": "hello over ws" } })
    );

    let turn = s.ask("alice", "card", "first").await;
    assert_eq!(turn["card"]["task_id"], "deploy-ws", "{turn}");
    let click = s
        .post(
            &format!("turns/{}/click", turn["id"]),
            json!({ "userid": "alice", "event_key": "go" }),
        )
        .await;
    assert_eq!(click["status"], "answered", "{click}");
    assert_eq!(click["reply"]["response_type"], "update_template_card", "{click}");
    let turn = s.turn(&turn["id"]).await;
    assert_eq!(turn["card_updates"][0]["main_title"]["title"], "go by alice", "{turn}");
    assert_eq!(turn["errors"], json!([]), "{turn}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feedback_on_an_answer_reaches_the_bot() {
    let s = emulator().await;
    let bot = WsBot::default();
    let (_handle, _task) = s.client(bot.clone(), |_| {}).await;
    let answered = s.ask("alice", "rate me", "finish").await;
    assert_eq!(answered["feedback_id"], "fb-ws", "{answered}");
    let fb = s
        .post(
            &format!("turns/{}/feedback", answered["id"]),
            json!({ "userid": "alice", "type": 2, "content": "too short" }),
        )
        .await;
    assert_eq!(fb["status"], "delivered", "{fb}");
    for _ in 0..100 {
        if !bot.feedback.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(*bot.feedback.lock().unwrap(), ["fb-ws"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushes_reach_a_member_and_a_group_chat() {
    let s = emulator().await;
    let (handle, _task) = s.client(WsBot::default(), |_| {}).await;
    handle.send_markdown("alice", "**to alice**").await.unwrap();
    let card = AibotCard::new(TextNotice::new(
        MainTitle::new("to the ops group"),
        CardAction::url("https://example.com"),
    ));
    handle.send("wrdemo-ops", Push::card(card)).await.unwrap();
    // An unknown chat is refused with WeCom's errcode, nothing recorded.
    let err = handle.send_markdown("nobody-here", "lost").await.unwrap_err();
    assert_eq!(err.code(), Some(40003), "{err}");

    let pushes: Vec<Value> = s.turns().await.into_iter().filter(|t| t["kind"] == "push").collect();
    assert_eq!(pushes.len(), 2, "{pushes:?}");
    assert_eq!(pushes[0]["userid"], "alice");
    assert_eq!(pushes[0]["reply"]["markdown"]["content"], "**to alice**");
    assert_eq!(pushes[1]["chatid"], "wrdemo-ops");
    assert_eq!(pushes[1]["card"]["main_title"]["title"], "to the ops group");
    // The group's members see it in their conversation.
    let bobs = s.get("turns?userid=bob").await;
    assert!(bobs["turns"].as_array().unwrap().iter().any(|t| t["chatid"] == "wrdemo-ops"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_5_mib_file_is_uploaded_in_chunks_and_pushed() {
    let s = emulator().await;
    let (handle, _task) = s.client(WsBot::default(), |_| {}).await;
    let data: Vec<u8> = (0..5 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13).to_le_bytes()[0])
        .collect();
    let before = handle.stats().frames_out;
    let media = handle.upload(MediaKind::File, "report.bin", &data).await.unwrap();
    // init + 10 chunks + finish.
    assert_eq!(handle.stats().frames_out - before, 12);
    handle.send("alice", Push::media(MediaKind::File, media.clone())).await.unwrap();
    let pushes: Vec<Value> = s.turns().await.into_iter().filter(|t| t["kind"] == "push").collect();
    assert_eq!(pushes.len(), 1);
    assert_eq!(pushes[0]["reply"]["msgtype"], "file");
    assert_eq!(pushes[0]["reply"]["file"]["media_id"], media.0.as_str());
    // The stored file is the uploaded one, byte for byte (the temporary-media download API).
    let token: Value = s
        .http
        .get(format!(
            "{}/cgi-bin/gettoken?corpid={}&corpsecret={}",
            s.emu.base_url(),
            CORP.0,
            CORP.1
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let got = s
        .http
        .get(format!(
            "{}/cgi-bin/media/get?access_token={}&media_id={}",
            s.emu.base_url(),
            token["access_token"].as_str().unwrap(),
            media.0
        ))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(got == data, "{} bytes came back", got.len());
}
