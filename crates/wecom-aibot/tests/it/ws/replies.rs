//! Answers over the WebSocket: streamed replies in order and complete, coalescing while an
//! acknowledgement is pending, keep-alives, the per-req_id queue under stalled
//! acknowledgements, stale req_ids after a reconnect, and text past the size limit.

use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::mpsc;
use wecom_aibot::bot::{Bot, Busy, Limits, Overflow, Responder, StreamError, bot_fn};
use wecom_aibot::model::Message;
use wecom_aibot::ws::{MediaId, MediaKind, WsError, WsEvent};

use super::server::{self, ServerConn, WsServer, connected};

/// Reads `aibot_respond_msg` frames for `req_id`, acknowledging each after `delay`, until
/// one has `finish: true`.
async fn read_stream(conn: &mut ServerConn, req_id: &str, delay: Duration) -> Vec<Value> {
    let mut frames = Vec::new();
    loop {
        let f = conn.recv().await;
        assert_eq!(f["cmd"], "aibot_respond_msg", "{f}");
        assert_eq!(f["headers"]["req_id"], req_id);
        tokio::time::sleep(delay).await;
        conn.ack(&f, 0);
        let done = f["body"]["stream"]["finish"] == true;
        frames.push(f);
        if done {
            return frames;
        }
    }
}

fn two_hundred_words() -> impl Bot {
    bot_fn(|_msg: Message, reply: Responder| async move {
        let mut stream = reply.stream();
        for i in 0..200 {
            stream.push(&format!("w{i} ")).unwrap();
            tokio::task::yield_now().await;
        }
        stream.finish().unwrap();
    })
}

fn expected_words() -> String {
    (0..200).map(|i| format!("w{i} ")).collect()
}

fn check_stream(frames: &[Value]) {
    let id = &frames[0]["body"]["stream"]["id"];
    let mut previous = String::new();
    for f in frames {
        assert_eq!(f["body"]["msgtype"], "stream");
        assert_eq!(&f["body"]["stream"]["id"], id, "one stream id per answer");
        let content = f["body"]["stream"]["content"].as_str().unwrap();
        assert!(content.starts_with(&previous), "updates arrive in order");
        previous = content.to_owned();
    }
    assert_eq!(previous, expected_words(), "the last frame holds the whole answer");
    assert_eq!(frames.iter().filter(|f| f["body"]["stream"]["finish"] == true).count(), 1);
}

#[tokio::test]
async fn two_hundred_updates_arrive_in_order_and_complete() {
    let mut srv = WsServer::start().await;
    let (handle, mut conn) =
        connected(two_hundred_words(), server::config(&srv.url), &mut srv).await;
    conn.message("req-200", "m-200", "lisi", "go");
    let frames = read_stream(&mut conn, "req-200", Duration::ZERO).await;
    check_stream(&frames);
    assert!(frames.len() <= 201);
    // Nothing follows the finishing frame.
    assert!(conn.try_recv(Duration::from_millis(100)).await.is_none());
    assert_eq!(handle.stats().messages, 1);
}

#[tokio::test]
async fn updates_written_while_an_ack_is_pending_are_coalesced() {
    let mut srv = WsServer::start().await;
    let (_handle, mut conn) =
        connected(two_hundred_words(), server::config(&srv.url), &mut srv).await;
    conn.message("req-slow", "m-slow", "lisi", "go");
    let frames = read_stream(&mut conn, "req-slow", Duration::from_millis(100)).await;
    check_stream(&frames);
    assert!(frames.len() < 50, "{} frames: slow acks must coalesce updates", frames.len());
}

#[tokio::test]
async fn a_repeated_msgid_is_handled_once() {
    let mut srv = WsServer::start().await;
    let bot = bot_fn(|m: Message, r: Responder| async move {
        let _ = r.markdown(m.text());
    });
    let (handle, mut conn) = connected(bot, server::config(&srv.url), &mut srv).await;
    conn.message("r1", "same", "lisi", "hi");
    conn.message("r2", "same", "lisi", "hi");
    let f = conn.recv().await;
    assert_eq!(f["headers"]["req_id"], "r1");
    assert_eq!(f["body"]["stream"]["content"], "hi");
    conn.ack(&f, 0);
    assert!(conn.try_recv(Duration::from_millis(150)).await.is_none());
    assert_eq!(handle.stats().messages, 1);
}

/// A bot that streams "part N" slowly and tells the test about every write's result.
fn slow_streamer(results: mpsc::UnboundedSender<Result<(), StreamError>>) -> impl Bot {
    bot_fn(move |_m: Message, reply: Responder| {
        let results = results.clone();
        async move {
            let mut stream = reply.stream();
            for i in 0..6 {
                let r = stream.push(&format!("part {i}. "));
                let _ = results.send(r.clone());
                if r.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(60)).await;
            }
            let _ = results.send(stream.finish());
        }
    })
}

#[tokio::test]
async fn dropped_connection_mid_stream_never_answers_the_stale_req_id() {
    let mut srv = WsServer::start().await;
    let (tx, mut results) = mpsc::unbounded_channel();
    let (handle, mut first) =
        connected(slow_streamer(tx), server::config(&srv.url), &mut srv).await;
    let mut events = handle.events();
    first.message("old-req", "m-drop", "lisi", "go");
    let f = first.recv().await;
    assert_eq!(f["headers"]["req_id"], "old-req");
    // The connection dies with the first update unacknowledged.
    first.kill();
    let mut second = srv.accept().await;
    second.subscribe(0).await;
    // The whole answer arrives as a push to the same chat; nothing on the old req_id.
    let push = second.recv().await;
    assert_eq!(push["cmd"], "aibot_send_msg", "{push}");
    assert_eq!(push["body"]["chatid"], "lisi");
    assert_eq!(push["body"]["msgtype"], "markdown");
    let expected: String = (0..6).map(|i| format!("part {i}. ")).collect();
    assert_eq!(push["body"]["markdown"]["content"], expected.as_str());
    second.ack(&push, 0);
    assert!(second.try_recv(Duration::from_millis(200)).await.is_none());
    // The application was told.
    let mut failed = None;
    while let Ok(e) = events.try_recv() {
        if let WsEvent::ReplyFailed { req_id, error, .. } = e {
            failed = Some((req_id, error));
        }
    }
    let (req_id, error) = failed.expect("a ReplyFailed event");
    assert_eq!(req_id, "old-req");
    assert!(error.is_req_id_dead(), "{error:?}");
    // Every write succeeded: the answer was delivered by the push.
    while let Ok(r) = results.try_recv() {
        assert_eq!(r, Ok(()));
    }
    assert_eq!(handle.stats().generation, 2);
}

#[tokio::test]
async fn without_resend_the_handler_learns_the_connection_was_lost() {
    let mut srv = WsServer::start().await;
    let (tx, mut results) = mpsc::unbounded_channel();
    let mut config = server::config(&srv.url);
    config.resend_lost_answers = false;
    let (_handle, mut first) = connected(slow_streamer(tx), config, &mut srv).await;
    first.message("old-req", "m-drop2", "lisi", "go");
    let _ = first.recv().await;
    first.kill();
    let mut second = srv.accept().await;
    second.subscribe(0).await;
    let mut last = Ok(());
    while let Some(r) = tokio::time::timeout(Duration::from_secs(2), results.recv()).await.unwrap()
    {
        last = r;
        if last.is_err() {
            break;
        }
    }
    assert_eq!(last, Err(StreamError::ConnectionLost));
    assert!(second.try_recv(Duration::from_millis(200)).await.is_none(), "nothing sent");
}

#[tokio::test]
async fn a_callback_from_an_earlier_connection_fails_at_once() {
    let mut srv = WsServer::start().await;
    let (tx, mut kept) = mpsc::unbounded_channel();
    let bot = bot_fn(move |_m: Message, reply: Responder| {
        let tx = tx.clone();
        async move {
            let _ = tx.send(reply.ws().cloned());
        }
    });
    let (handle, first) = connected(bot, server::config(&srv.url), &mut srv).await;
    first.message("r-old", "m-old", "lisi", "hi");
    let cb = tokio::time::timeout(Duration::from_secs(5), kept.recv())
        .await
        .unwrap()
        .unwrap()
        .expect("the handler ran with a WebSocket callback");
    assert!(cb.is_live());
    first.kill();
    let mut second = srv.accept().await;
    second.subscribe(0).await;
    assert!(handle.wait_connected(Duration::from_secs(2)).await);
    let started = Instant::now();
    let err = cb.respond_media(MediaKind::Image, MediaId("m1".into())).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(200),
        "fails at once, not after the 500 ms ack timeout"
    );
    assert_eq!(err, WsError::StaleReqId { req_id: "r-old".into() });
    assert!(!cb.is_live());
    assert!(second.try_recv(Duration::from_millis(150)).await.is_none(), "nothing sent");
}

#[tokio::test]
async fn stalled_acks_keep_the_queue_bounded_and_time_out() {
    let mut srv = WsServer::start().await;
    let (tx, mut results) = mpsc::unbounded_channel();
    let bot = bot_fn(move |_m: Message, reply: Responder| {
        let tx = tx.clone();
        async move {
            let cb = reply.ws().unwrap().clone();
            let sends = (0..6).map(|i| {
                let cb = cb.clone();
                async move { cb.respond_media(MediaKind::File, MediaId(format!("f{i}"))).await }
            });
            for r in futures::future::join_all(sends).await {
                let _ = tx.send(r);
            }
        }
    });
    let mut config = server::config(&srv.url);
    config.max_queue = 3;
    config.ack_timeout = Duration::from_millis(150);
    let (handle, mut conn) = connected(bot, config, &mut srv).await;
    conn.message("stall", "m-stall", "lisi", "go");
    // The server never acknowledges: frames come one at a time, an ack timeout apart.
    let mut arrivals = Vec::new();
    while let Some(f) = conn.try_recv(Duration::from_millis(400)).await {
        assert_eq!(f["headers"]["req_id"], "stall");
        arrivals.push(Instant::now());
    }
    assert_eq!(arrivals.len(), 3, "only the queue's capacity was sent");
    for pair in arrivals.windows(2) {
        assert!(pair[1] - pair[0] >= Duration::from_millis(140), "serial: one frame in flight");
    }
    let mut full = 0;
    let mut timeouts = 0;
    for _ in 0..6 {
        match results.recv().await.unwrap() {
            Err(WsError::QueueFull { limit: 3, .. }) => full += 1,
            Err(WsError::AckTimeout { cmd: "aibot_respond_msg", .. }) => timeouts += 1,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!((full, timeouts), (3, 3));
    assert_eq!(handle.stats().ack_timeouts, 3);
}

#[tokio::test]
async fn text_past_the_limit_is_finished_and_the_rest_pushed() {
    let mut srv = WsServer::start().await;
    let long: String = "0123456789abcdef\n".repeat(2000); // 36,000 bytes
    let text = long.clone();
    let bot = bot_fn(move |_m: Message, reply: Responder| {
        let text = text.clone();
        async move {
            let mut s = reply.stream();
            s.set(text).unwrap();
            let _ = s.finish();
        }
    });
    let (_handle, mut conn) = connected(bot, server::config(&srv.url), &mut srv).await;
    conn.message("big", "m-big", "lisi", "go");
    let frames = read_stream(&mut conn, "big", Duration::ZERO).await;
    let shown = frames.last().unwrap()["body"]["stream"]["content"].as_str().unwrap().to_owned();
    assert!(shown.len() <= 20_480);
    assert!(shown.ends_with(Limits::CONTINUED_NOTE), "the cut is visible");
    let push = conn.recv().await;
    assert_eq!(push["cmd"], "aibot_send_msg");
    conn.ack(&push, 0);
    let rest = push["body"]["markdown"]["content"].as_str().unwrap();
    let head = shown.strip_suffix(Limits::CONTINUED_NOTE).unwrap();
    assert_eq!(format!("{head}{rest}"), long, "nothing lost");
}

#[tokio::test]
async fn with_overflow_error_the_write_past_the_limit_fails() {
    let mut srv = WsServer::start().await;
    let (tx, mut results) = mpsc::unbounded_channel();
    let bot = bot_fn(move |_m: Message, reply: Responder| {
        let tx = tx.clone();
        async move {
            let mut s = reply.stream();
            let _ = tx.send(s.set("x".repeat(20_481)));
            let _ = s.finish();
        }
    });
    let mut config = server::config(&srv.url);
    let mut limits = Limits::default();
    limits.overflow = Overflow::Error;
    config.limits = limits;
    let (_handle, mut conn) = connected(bot, config, &mut srv).await;
    conn.message("big2", "m-big2", "lisi", "go");
    assert_eq!(
        results.recv().await.unwrap(),
        Err(StreamError::TooLong { bytes: 20_481, limit: 20_480 })
    );
    let frames = read_stream(&mut conn, "big2", Duration::ZERO).await;
    assert_eq!(frames.last().unwrap()["body"]["stream"]["content"], "");
}

#[tokio::test]
async fn a_quiet_stream_is_kept_alive() {
    let mut srv = WsServer::start().await;
    let bot = bot_fn(|_m: Message, reply: Responder| async move {
        let mut s = reply.stream();
        s.push("thinking").unwrap();
        tokio::time::sleep(Duration::from_millis(380)).await;
        s.push(", done").unwrap();
        s.finish().unwrap();
    });
    let mut config = server::config(&srv.url);
    config.stream_keepalive = Duration::from_millis(100);
    let (_handle, mut conn) = connected(bot, config, &mut srv).await;
    conn.message("quiet", "m-quiet", "lisi", "go");
    let frames = read_stream(&mut conn, "quiet", Duration::ZERO).await;
    let repeats = frames.iter().filter(|f| f["body"]["stream"]["content"] == "thinking").count();
    assert!((2..=5).contains(&repeats), "{repeats} keep-alive frames in 380 ms at 100 ms");
    assert_eq!(frames.last().unwrap()["body"]["stream"]["content"], "thinking, done");
}

#[tokio::test]
async fn a_fourth_open_stream_of_one_member_gets_the_busy_answer() {
    let mut srv = WsServer::start().await;
    let bot = bot_fn(|_m: Message, reply: Responder| async move {
        let mut s = reply.stream();
        s.push("working").unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        let _ = s.finish();
    });
    let (_handle, mut conn) = connected(bot, server::config(&srv.url), &mut srv).await;
    for i in 0..4 {
        conn.message(&format!("q{i}"), &format!("m-q{i}"), "lisi", "go");
    }
    let mut busy = None;
    let mut finished = 0;
    while finished < 4 {
        let f = conn.recv().await;
        conn.ack(&f, 0);
        if f["body"]["stream"]["finish"] == true {
            finished += 1;
            if f["body"]["stream"]["content"] == Busy::DEFAULT_TEXT {
                busy = Some(f["headers"]["req_id"].as_str().unwrap().to_owned());
            }
        }
    }
    assert_eq!(busy.as_deref(), Some("q3"), "the fourth message is answered busy at once");
}
