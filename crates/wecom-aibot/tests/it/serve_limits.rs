//! `AibotServer::serve_on` applies connection limits: a client that sends half a request head,
//! or nothing at all, is disconnected, so slow or hostile clients cannot hold the bot's
//! server open.

use crate::common;

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use wecom_aibot::bot::{Responder, bot_fn};
use wecom_aibot::http::{AibotServer, ServeLimits};
use wecom_aibot::model::Message;

/// Generous against a loaded machine; the limits below are a fraction of it.
const CLOSED_WITHIN: Duration = Duration::from_secs(8);

async fn start(limits: ServeLimits) -> String {
    let bot = bot_fn(|_message: Message, reply: Responder| async move {
        let _ = reply.markdown("ok");
    });
    let server = AibotServer::new(common::TOKEN, common::KEY, bot).unwrap().serve_limits(limits);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(server.serve_on(listener));
    addr
}

/// Reads until the server closes the connection; panics if it stays open.
async fn read_until_closed(stream: &mut TcpStream) -> String {
    let deadline = Instant::now() + CLOSED_WITHIN;
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        match tokio::time::timeout_at(deadline.into(), stream.read(&mut buf)).await {
            Err(elapsed) => panic!("connection still open after {CLOSED_WITHIN:?} ({elapsed})"),
            Ok(Ok(0) | Err(_)) => break,
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&got).into_owned()
}

fn short() -> ServeLimits {
    ServeLimits::new()
        .header_read_timeout(Duration::from_millis(400))
        .body_read_timeout(Duration::from_millis(400))
        .idle_timeout(Duration::from_millis(400))
}

#[tokio::test]
async fn half_a_request_head_is_cut_off() {
    let addr = start(short()).await;
    let mut stream = TcpStream::connect(&addr).await.unwrap();
    stream.write_all(b"POST /?msg_signature=x HTTP/1.1\r\nHost: t\r\nContent-Le").await.unwrap();
    let got = read_until_closed(&mut stream).await;
    assert!(!got.contains(" 200 "), "{got}");
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed() {
    let addr = start(short()).await;
    let mut stream = TcpStream::connect(&addr).await.unwrap();
    assert_eq!(read_until_closed(&mut stream).await, "");
}
