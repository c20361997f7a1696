//! HTTP mode end to end against a stand-in for WeCom: streams answered through refresh
//! callbacks, the size and time limits, slow handlers, concurrency per member.

// Test expectations read best as one format per piece.
#![allow(clippy::format_collect)]

use crate::common;

use std::time::Duration;

use common::WeCom;
use wecom_aibot::bot::{Busy, Limits, Overflow, Responder, StreamError, bot_fn};
use wecom_aibot::http::AibotServer;
use wecom_aibot::model::Message;

fn server(bot: impl wecom_aibot::bot::Bot) -> AibotServer {
    AibotServer::new(common::TOKEN, common::KEY, bot).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamed_answer_of_200_updates_arrives_complete_and_in_order() {
    let bot = bot_fn(|_m: Message, reply: Responder| async move {
        let mut s = reply.stream();
        for i in 0..200 {
            s.push(&format!("{i} ")).unwrap();
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        s.finish().unwrap();
    });
    let wecom = WeCom::start(server(bot)).await;
    let (seen, last) = wecom.converse("lisi", "count", Duration::from_millis(5)).await;
    let expected: String = (0..200).map(|i| format!("{i} ")).collect();
    assert_eq!(last["stream"]["content"], expected.as_str());
    // Every snapshot is a prefix of the next: in order, nothing lost or reordered.
    for pair in seen.windows(2) {
        assert!(pair[1].starts_with(&pair[0]), "{:?} then {:?}", pair[0], pair[1]);
    }
    assert!(seen.len() > 2, "the answer grew over several refreshes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_past_20480_bytes_is_delivered_whole_through_a_follow_up() {
    // 30,000 bytes in lines: the stream takes what fits, the rest comes as markdown.
    let line = "0123456789abcdefghijklmnopqrstuvwxyz 中文行\n";
    let full: String = line.repeat(30_000 / line.len() + 1);
    let answer = full.clone();
    let bot = bot_fn(move |_m: Message, reply: Responder| {
        let answer = answer.clone();
        async move {
            let mut s = reply.stream();
            for chunk in answer.split_inclusive('\n') {
                s.push(chunk).unwrap();
            }
            s.finish().unwrap();
        }
    });
    let wecom = WeCom::start(server(bot)).await;
    let (_, last) = wecom.converse("lisi", "long", Duration::from_millis(5)).await;
    let shown = last["stream"]["content"].as_str().unwrap();
    assert!(shown.len() <= 20_480);
    let head = shown.strip_suffix(Limits::CONTINUED_NOTE).expect("the note says more follows");
    assert!(head.ends_with('\n'), "cut at a line break");
    let mut follow = None;
    for _ in 0..200 {
        if let Some(v) = wecom.active.lock().unwrap().first() {
            follow = Some(v.clone());
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let follow = follow.expect("a follow-up through response_url");
    assert_eq!(follow["msgtype"], "markdown");
    let rest = follow["markdown"]["content"].as_str().unwrap();
    assert_eq!(format!("{head}{rest}"), full, "nothing cut, nothing doubled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_the_error_policy_text_past_the_limit_is_refused_at_the_write() {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let bot = bot_fn(move |_m: Message, reply: Responder| {
        let tx = tx.clone();
        async move {
            let mut s = reply.stream();
            s.set("a".repeat(20_000)).unwrap();
            tx.send(s.push(&"b".repeat(481))).unwrap();
            tx.send(s.push(&"b".repeat(480))).unwrap();
        }
    });
    let mut limits = Limits::default();
    limits.overflow = Overflow::Error;
    let wecom = WeCom::start(server(bot).limits(limits)).await;
    let (_, last) = wecom.converse("lisi", "long", Duration::from_millis(5)).await;
    assert_eq!(
        rx.recv().await.unwrap(),
        Err(StreamError::TooLong { bytes: 20_481, limit: 20_480 })
    );
    assert_eq!(rx.recv().await.unwrap(), Ok(()));
    assert_eq!(last["stream"]["content"].as_str().unwrap().len(), 20_480);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handler_slower_than_the_first_answer_wait_still_answers() {
    let bot = bot_fn(|_m: Message, reply: Responder| async move {
        tokio::time::sleep(Duration::from_millis(600)).await;
        reply.markdown("late but **complete**").unwrap();
    });
    let wecom = WeCom::start(server(bot).first_answer_wait(Duration::from_millis(100))).await;
    let first = wecom.send(&wecom.text("lisi", "slow")).await.unwrap();
    assert_eq!(first["stream"]["finish"], false, "the stream opens empty at once");
    assert_eq!(first["stream"]["content"], "");
    let id = first["stream"]["id"].as_str().unwrap().to_owned();
    let mut last = first.clone();
    while last["stream"]["finish"] != true {
        tokio::time::sleep(Duration::from_millis(50)).await;
        last = wecom.send(&wecom.refresh("lisi", &id)).await.unwrap();
    }
    assert_eq!(last["stream"]["content"], "late but **complete**");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_past_its_lifetime_is_finished_with_a_note_and_the_handler_is_told() {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let bot = bot_fn(move |_m: Message, reply: Responder| {
        let tx = tx.clone();
        async move {
            let mut s = reply.stream();
            s.push("partial").unwrap();
            s.closed().await;
            tx.send(s.push(" more")).unwrap();
        }
    });
    let mut limits = Limits::default();
    limits.stream_lifetime = Duration::from_millis(300);
    let wecom = WeCom::start(server(bot).limits(limits)).await;
    let (_, last) = wecom.converse("lisi", "slow", Duration::from_millis(50)).await;
    assert_eq!(last["stream"]["content"], format!("partial{}", Limits::EXPIRED_NOTE));
    assert_eq!(rx.recv().await.unwrap(), Err(StreamError::Expired));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fourth_concurrent_question_gets_the_busy_answer_by_default() {
    let gate = std::sync::Arc::new(tokio::sync::Notify::new());
    let open = std::sync::Arc::clone(&gate);
    let bot = bot_fn(move |m: Message, reply: Responder| {
        let open = std::sync::Arc::clone(&open);
        async move {
            let mut s = reply.stream();
            s.push("working").unwrap();
            open.notified().await;
            s.set(format!("done: {}", m.text())).unwrap();
        }
    });
    let wecom = WeCom::start(server(bot).first_answer_wait(Duration::from_millis(50))).await;
    let mut ids = Vec::new();
    for q in ["q1", "q2", "q3"] {
        let first = wecom.send(&wecom.text("lisi", q)).await.unwrap();
        assert_eq!(first["stream"]["finish"], false);
        ids.push(first["stream"]["id"].as_str().unwrap().to_owned());
    }
    let fourth = wecom.send(&wecom.text("lisi", "q4")).await.unwrap();
    assert_eq!(fourth["stream"]["finish"], true);
    assert_eq!(fourth["stream"]["content"], Busy::DEFAULT_TEXT);
    // Another member is not affected.
    let other = wecom.send(&wecom.text("wangwu", "q")).await.unwrap();
    assert_eq!(other["stream"]["finish"], false);
    // Once the answers finish, the member may ask again.
    gate.notify_waiters();
    for id in &ids {
        let mut last = serde_json::Value::Null;
        while last["stream"]["finish"] != true {
            tokio::time::sleep(Duration::from_millis(20)).await;
            last = wecom.send(&wecom.refresh("lisi", id)).await.unwrap();
        }
        assert!(last["stream"]["content"].as_str().unwrap().starts_with("done: q"));
    }
    let again = wecom.send(&wecom.text("lisi", "q5")).await.unwrap();
    assert_eq!(again["stream"]["content"], "working");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_the_wait_policy_a_fourth_question_is_answered_after_a_slot_frees() {
    let bot = bot_fn(|m: Message, reply: Responder| async move {
        let mut s = reply.stream();
        s.push("answer to ").unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        s.push(&m.text()).unwrap();
    });
    let mut limits = Limits::default();
    limits.busy = Busy::Wait;
    let wecom = std::sync::Arc::new(
        WeCom::start(server(bot).limits(limits).first_answer_wait(Duration::from_millis(20))).await,
    );
    let mut tasks = Vec::new();
    for q in ["q1", "q2", "q3", "q4"] {
        let w = std::sync::Arc::clone(&wecom);
        tasks.push(tokio::spawn(async move {
            w.converse("lisi", q, Duration::from_millis(20)).await.1
        }));
    }
    for (t, q) in tasks.into_iter().zip(["q1", "q2", "q3", "q4"]) {
        let last = t.await.unwrap();
        assert_eq!(last["stream"]["content"], format!("answer to {q}"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_for_an_unknown_stream_finishes_it_empty() {
    let wecom = WeCom::start(server(bot_fn(|_m: Message, _r: Responder| async {}))).await;
    let reply = wecom.send(&wecom.refresh("lisi", "stream_from_before_a_restart")).await.unwrap();
    assert_eq!(
        reply,
        serde_json::json!({"msgtype":"stream","stream":{"id":"stream_from_before_a_restart","finish":true,"content":""}})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_time_limit_reaches_the_handler_even_without_refreshes() {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let bot = bot_fn(move |_m: Message, reply: Responder| {
        let tx = tx.clone();
        async move {
            let s = reply.stream();
            s.closed().await;
            tx.send(s.finish()).unwrap();
        }
    });
    let mut limits = Limits::default();
    limits.stream_lifetime = Duration::from_millis(200);
    let wecom = WeCom::start(server(bot).limits(limits)).await;
    let first = wecom.send(&wecom.text("lisi", "q")).await.unwrap();
    assert_eq!(first["stream"]["finish"], false);
    let told = tokio::time::timeout(Duration::from_secs(2), rx.recv()).await.unwrap().unwrap();
    assert_eq!(told, Err(StreamError::Expired));
}
