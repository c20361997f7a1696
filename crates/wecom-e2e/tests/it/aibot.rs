//! AI bots end to end: the emulator drives a `wecom-aibot` bot over HTTP exactly as WeCom
//! does (encrypted callbacks, refreshes until `finish`, retries, `response_url`).

// Test expectations read best as one format per piece.
#![allow(clippy::format_collect)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::{Value, json};
use wecom_aibot::bot::{Bot, EventResponder, Limits, Responder};
use wecom_aibot::http::AibotServer;
use wecom_aibot::model::{AibotCard, CardUpdate, Event, EventKind, Message};
use wecom_emulator::{Config, Emulator, EmulatorHandle};
use wecom_model::card::{Button, ButtonInteraction, CardAction, MainTitle, TextNotice};

struct Setup {
    emu: EmulatorHandle,
    http: reqwest::Client,
}

async fn setup(
    server: impl FnOnce(&str, &str) -> AibotServer,
    tweak: impl FnOnce(&mut Config),
) -> Setup {
    let mut config = Config::demo();
    let (token, key) = {
        let bot = &config.aibots[0];
        (bot.token.clone().unwrap(), bot.encoding_aes_key.clone().unwrap())
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    config.aibots[0].callback_url = Some(format!("http://{}/", listener.local_addr().unwrap()));
    config.aibots[0].refresh_interval_ms = 10;
    tweak(&mut config);
    let server = server(token.expose(), key.expose());
    tokio::spawn(server.serve_on(listener));
    Setup { emu: Emulator::start(config).await.unwrap(), http: reqwest::Client::new() }
}

impl Setup {
    async fn ask(&self, user: &str, text: &str, wait: &str) -> Value {
        self.http
            .post(format!("{}/emulator/aibots/aib_demo/messages?wait={wait}", self.emu.base_url()))
            .json(&json!({ "userid": user, "content": text }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        let url = format!("{}/emulator/aibots/aib_demo/{path}", self.emu.base_url());
        self.http.post(url).json(&body).send().await.unwrap().json().await.unwrap()
    }

    async fn turn(&self, id: &Value) -> Value {
        let url = format!("{}/emulator/aibots/aib_demo/turns/{id}", self.emu.base_url());
        self.http.get(url).send().await.unwrap().json().await.unwrap()
    }
}

#[derive(Clone, Default)]
struct TestBot {
    calls: Arc<AtomicUsize>,
    feedback: Arc<std::sync::Mutex<Vec<String>>>,
}

impl Bot for TestBot {
    async fn on_message(&self, msg: Message, reply: Responder) {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let text = msg.text();
        match text.as_str() {
            "count" => {
                let mut s = reply.stream();
                for i in 0..200 {
                    s.push(&format!("{i} ")).unwrap();
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
            }
            "long" => {
                let mut s = reply.stream();
                for i in 0..1500 {
                    s.push(&format!("line {i:04} of a long answer\n")).unwrap();
                }
            }
            "slow" => {
                tokio::time::sleep(Duration::from_millis(1200)).await;
                reply.markdown("slow but complete").unwrap();
            }
            "card" => reply.card(AibotCard::new(ButtonInteraction::new(
                MainTitle::new("Deploy?"),
                "deploy-1",
                [Button::callback("Go", "go")],
            ))),
            other => {
                let mut s = reply.feedback("fb-1").stream();
                s.push("answer to ").unwrap();
                tokio::time::sleep(Duration::from_millis(300)).await;
                s.push(other).unwrap();
            }
        }
    }

    async fn on_event(&self, event: Event, reply: EventResponder) {
        match event.kind {
            EventKind::TemplateCard(click) => {
                let card = TextNotice::new(
                    MainTitle::new(format!("{} by {}", click.event_key, event.header.from.userid)),
                    CardAction::url("https://ci.example.com"),
                )
                .task_id(click.task_id.as_str());
                reply.update_card(CardUpdate::new(card)).unwrap();
            }
            EventKind::Feedback(f) => self.feedback.lock().unwrap().push(f.id),
            EventKind::EnterChat => reply.welcome("hello").unwrap(),
            _ => {}
        }
    }
}

fn plain(bot: TestBot) -> impl FnOnce(&str, &str) -> AibotServer {
    move |token, key| AibotServer::new(token, key, bot).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamed_answer_of_200_updates_arrives_complete_and_in_order() {
    let s = setup(plain(TestBot::default()), |_| {}).await;
    let turn = s.ask("alice", "count", "finish").await;
    let expected: String = (0..200).map(|i| format!("{i} ")).collect();
    assert_eq!(turn["status"], "finished", "{turn}");
    assert_eq!(turn["stream"]["content"], expected.as_str());
    assert!(turn["stream"]["refreshes"].as_u64().unwrap() >= 1);
    assert_eq!(turn["errors"], json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_past_20480_bytes_is_delivered_whole() {
    let s = setup(plain(TestBot::default()), |_| {}).await;
    let turn = s.ask("alice", "long", "finish").await;
    let expected: String = (0..1500).map(|i| format!("line {i:04} of a long answer\n")).collect();
    assert!(expected.len() > 20_480);
    let mut turn = turn;
    for _ in 0..100 {
        if turn["follow_ups"].as_array().is_some_and(|f| !f.is_empty()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        turn = s.turn(&turn["id"]).await;
    }
    let shown = turn["stream"]["content"].as_str().unwrap();
    let head = shown.strip_suffix(Limits::CONTINUED_NOTE).unwrap();
    let rest = turn["follow_ups"][0]["markdown"]["content"].as_str().unwrap();
    assert_eq!(format!("{head}{rest}"), expected);
    assert_eq!(turn["errors"], json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handler_slower_than_the_refresh_window_is_followed_to_the_end() {
    let server = |t: &str, k: &str| {
        AibotServer::new(t, k, TestBot::default())
            .unwrap()
            .first_answer_wait(Duration::from_millis(100))
    };
    let s = setup(server, |_| {}).await;
    let turn = s.ask("alice", "slow", "finish").await;
    assert_eq!(turn["stream"]["content"], "slow but complete");
    assert!(turn["stream"]["refreshes"].as_u64().unwrap() > 10, "{turn}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_concurrent_questions_from_one_member_three_streams_and_a_busy_answer() {
    let s = Arc::new(setup(plain(TestBot::default()), |_| {}).await);
    let tasks: Vec<_> = ["q1", "q2", "q3", "q4"]
        .into_iter()
        .map(|q| {
            let s = Arc::clone(&s);
            tokio::spawn(async move { s.ask("alice", q, "finish").await })
        })
        .collect();
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap()["stream"]["content"].as_str().unwrap().to_owned());
    }
    let busy = answers.iter().filter(|a| *a == wecom_aibot::bot::Busy::DEFAULT_TEXT).count();
    assert_eq!(busy, 1, "{answers:?}");
    assert_eq!(answers.iter().filter(|a| a.starts_with("answer to q")).count(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_click_updates_the_card_and_feedback_reaches_the_bot() {
    let bot = TestBot::default();
    let s = setup(plain(bot.clone()), |_| {}).await;
    let turn = s.ask("alice", "card", "first").await;
    assert_eq!(turn["card"]["task_id"], "deploy-1");
    let click = s
        .post(&format!("turns/{}/click", turn["id"]), json!({"userid": "alice", "event_key": "go"}))
        .await;
    assert_eq!(click["reply"]["response_type"], "update_template_card", "{click}");
    let turn = s.turn(&turn["id"]).await;
    assert_eq!(turn["card_updates"][0]["main_title"]["title"], "go by alice");

    let answered = s.ask("alice", "rate me", "finish").await;
    assert_eq!(answered["feedback_id"], "fb-1");
    let fb = s
        .post(&format!("turns/{}/feedback", answered["id"]), json!({"userid": "alice", "type": 1}))
        .await;
    assert_eq!(fb["status"], "no_answer");
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(*bot.feedback.lock().unwrap(), ["fb-1"]);

    let welcome = s.post("enter_chat", json!({"userid": "bob"})).await;
    assert_eq!(welcome["reply"], json!({"msgtype": "text", "text": {"content": "hello"}}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_after_a_timeout_is_de_duplicated() {
    let bot = TestBot::default();
    let calls = Arc::clone(&bot.calls);
    // The bot waits 1 s for its handler before answering; WeCom's (here 300 ms) timeout
    // passes first, so the message is delivered again with the same msgid.
    let server = move |t: &str, k: &str| {
        AibotServer::new(t, k, bot).unwrap().first_answer_wait(Duration::from_secs(1))
    };
    let s = setup(server, |c| c.options.callback_timeout_ms = 300).await;
    let turn = s.ask("alice", "slow", "finish").await;
    assert_eq!(turn["tries"], 2, "{turn}");
    assert_eq!(turn["stream"]["content"], "slow but complete");
    assert_eq!(calls.load(Ordering::SeqCst), 1, "the handler ran once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_aibot_page_and_its_live_stream_are_served() {
    let s = setup(plain(TestBot::default()), |_| {}).await;
    let page = s.http.get(format!("{}/aibot", s.emu.base_url())).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.headers().contains_key("content-security-policy"));
    assert!(page.text().await.unwrap().contains("/inbox/aibot.js"));
    let js = s.http.get(format!("{}/inbox/aibot.js", s.emu.base_url())).send().await.unwrap();
    assert_eq!(js.status(), 200);
    // The page's "send" does not wait; the turn then streams in.
    let turn = s.ask("alice", "count", "false").await;
    assert!(turn["status"] == "delivering" || turn["status"] == "streaming", "{turn}");
    let mut turn = turn;
    for _ in 0..500 {
        if turn["status"] == "finished" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        turn = s.turn(&turn["id"]).await;
    }
    assert_eq!(turn["status"], "finished");
    let mut events =
        s.http.get(format!("{}/emulator/aibots/events", s.emu.base_url())).send().await.unwrap();
    let first = events.chunk().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("event: ready"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_asks_through_the_typed_handle_and_gets_the_streamed_answer() {
    let s = setup(plain(TestBot::default()), |_| {}).await;
    let turn = s.emu.member("alice").ask("aib_demo", "count").await.unwrap();
    let expected: String = (0..200).map(|i| format!("{i} ")).collect();
    assert_eq!(turn.status, "finished");
    assert_eq!(turn.text(), Some(expected.as_str()));
    assert!(turn.stream.is_some_and(|s| s.finish) && turn.errors.is_empty());
    let unknown = s.emu.member("alice").ask("no_such_bot", "hi").await.unwrap_err();
    assert!(unknown.is_not_found(), "{unknown}");
}
