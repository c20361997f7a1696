//! End to end over raw TCP: slow and idle clients are cut off within the configured
//! timeouts, the connection cap holds, the body limit is exact for bodies in several chunks,
//! and background handlers are bounded.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio::sync::Notify;
use wecom_callback::{Callback, CallbackServer, Mode, ServeLimits};

use crate::support::wecom as support;
use support::*;

/// Generous: the timeouts under test are half a second.
const CLOSED_WITHIN: Duration = Duration::from_secs(8);

fn short(header: u64, body: u64, idle: u64) -> ServeLimits {
    ServeLimits::new()
        .header_read_timeout(Duration::from_millis(header))
        .body_read_timeout(Duration::from_millis(body))
        .idle_timeout(Duration::from_millis(idle))
}

fn addr_of(base: &str) -> String {
    base.trim_start_matches("http://").trim_end_matches('/').to_owned()
}

/// Reads until the server closes the connection; what it sent, and how long that took.
/// Panics if it is still open after [`CLOSED_WITHIN`].
async fn read_until_closed(stream: &mut TcpStream) -> (String, Duration) {
    let started = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout_at((started + CLOSED_WITHIN).into(), stream.read(&mut buf)).await
        {
            Err(elapsed) => panic!("connection still open after {CLOSED_WITHIN:?} ({elapsed})"),
            Ok(Ok(0) | Err(_)) => break,
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
    (String::from_utf8_lossy(&got).into_owned(), started.elapsed())
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed_after_the_idle_timeout() {
    let base = start(echo_server().serve_limits(short(30_000, 30_000, 300))).await;
    let mut stream = TcpStream::connect(addr_of(&base)).await.unwrap();
    let (got, _) = read_until_closed(&mut stream).await;
    assert_eq!(got, "");
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_a_response() {
    let base = start(echo_server().serve_limits(short(30_000, 30_000, 300))).await;
    let mut stream = TcpStream::connect(addr_of(&base)).await.unwrap();
    stream.write_all(b"GET /?x=1 HTTP/1.1\r\nHost: t\r\n\r\n").await.unwrap();
    let (got, _) = read_until_closed(&mut stream).await;
    assert!(got.starts_with("HTTP/1.1 400"), "{got}");
}

#[tokio::test]
async fn half_a_header_is_cut_off_after_the_header_timeout() {
    let base = start(echo_server().serve_limits(short(500, 30_000, 30_000))).await;
    let mut stream = TcpStream::connect(addr_of(&base)).await.unwrap();
    stream.write_all(b"POST /?timestamp=1 HTTP/1.1\r\nHost: t\r\nContent-Le").await.unwrap();
    let (got, _) = read_until_closed(&mut stream).await;
    assert!(!got.contains("200"), "{got}");
}

#[tokio::test]
async fn a_header_sent_a_byte_at_a_time_is_cut_off_after_the_header_timeout() {
    let base = start(echo_server().serve_limits(short(500, 30_000, 30_000))).await;
    let mut stream = TcpStream::connect(addr_of(&base)).await.unwrap();
    stream.write_all(b"POST / HTTP/1.1\r\nX-Slow: ").await.unwrap();
    let (mut reader, mut writer) = stream.split();
    let drip = async {
        for _ in 0..200 {
            if writer.write_all(b"X").await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    let mut buf = [0u8; 256];
    let closed = async {
        loop {
            match reader.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
        }
    };
    tokio::select! {
        () = closed => {}
        () = drip => panic!("the dripping header was never cut off"),
        () = tokio::time::sleep(CLOSED_WITHIN) => panic!("still open"),
    }
}

#[tokio::test]
async fn a_body_that_never_ends_is_refused_with_408_and_closed() {
    let base = start(echo_server().serve_limits(short(30_000, 500, 30_000))).await;
    let (query, _) = wecom_post(&crypt(), &text_xml("x", 1), &now(), "1");
    let mut stream = TcpStream::connect(addr_of(&base)).await.unwrap();
    let head = format!("POST /?{query} HTTP/1.1\r\nHost: t\r\nContent-Length: 4000\r\n\r\n<xml>");
    stream.write_all(head.as_bytes()).await.unwrap();
    // Keep trickling, so that it is the body timeout (not the idle one) that ends it.
    let (mut reader, mut writer) = stream.split();
    let drip = async {
        for _ in 0..200 {
            if writer.write_all(b" ").await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        std::future::pending::<()>().await;
    };
    let read = async {
        let mut got = Vec::new();
        let mut buf = [0u8; 1024];
        loop {
            match reader.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
        String::from_utf8_lossy(&got).into_owned()
    };
    let got = tokio::select! {
        got = read => got,
        () = drip => unreachable!(),
        () = tokio::time::sleep(CLOSED_WITHIN) => panic!("still open"),
    };
    assert!(got.starts_with("HTTP/1.1 408"), "{got}");
}

#[tokio::test]
async fn the_connection_cap_holds_and_a_callback_is_served_once_idle_sockets_time_out() {
    // The cap is full of idle sockets; a valid callback waits in the backlog and is served
    // as soon as the idle ones are closed.
    let limits = short(500, 500, 500).max_connections(4);
    let base = start(echo_server().serve_limits(limits)).await;
    let mut idle = Vec::new();
    for _ in 0..16 {
        idle.push(TcpStream::connect(addr_of(&base)).await.unwrap());
    }
    let (status, body) = tokio::time::timeout(Duration::from_secs(20), post_text(&base, "hi", 7))
        .await
        .expect("a valid callback was never served");
    assert_eq!(status, StatusCode::OK);
    assert!(open_reply(&body).contains("echo: hi"));
}

#[tokio::test]
async fn past_the_connection_cap_new_connections_wait_for_a_free_slot() {
    let limits = short(30_000, 30_000, 30_000).max_connections(2);
    let base = start(echo_server().serve_limits(limits)).await;
    let a = TcpStream::connect(addr_of(&base)).await.unwrap();
    let _b = TcpStream::connect(addr_of(&base)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let pending = tokio::spawn({
        let base = base.clone();
        async move { post_text(&base, "hi", 8).await }
    });
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(!pending.is_finished(), "served past the cap");
    drop(a);
    let (status, _) = tokio::time::timeout(Duration::from_secs(10), pending)
        .await
        .expect("not served once a slot was free")
        .unwrap();
    assert_eq!(status, StatusCode::OK);
}

/// Posts `body` in `chunks` pieces (chunked transfer encoding).
async fn post_chunked(base: &str, query: &str, body: &str, chunks: usize) -> StatusCode {
    let bytes = body.as_bytes().to_vec();
    let size = bytes.len().div_ceil(chunks);
    let parts: Vec<Vec<u8>> = bytes.chunks(size).map(<[u8]>::to_vec).collect();
    assert!(parts.len() >= 3, "the test needs several chunks");
    let stream = futures::stream::iter(parts.into_iter().map(Ok::<_, std::io::Error>));
    reqwest::Client::new()
        .post(format!("{base}?{query}"))
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn the_body_limit_is_exact_for_bodies_in_several_chunks() {
    let (query, body) = wecom_post(&crypt(), &text_xml("limit", 9), &now(), "1");
    let n = body.len();
    for (limit, expected) in
        [(n + 1, StatusCode::OK), (n, StatusCode::OK), (n - 1, StatusCode::PAYLOAD_TOO_LARGE)]
    {
        // A repeat of an accepted body is answered 200 as a duplicate: the status says
        // whether the body was read, which is what is tested.
        let base = start(echo_server().body_limit(limit)).await;
        for chunks in [3, 5, 16] {
            let status = post_chunked(&base, &query, &body, chunks).await;
            assert_eq!(status, expected, "limit {limit}, body {n}, {chunks} chunks");
        }
    }
}

#[tokio::test]
async fn the_default_limit_admits_64_kib_in_several_chunks() {
    let base = start(echo_server()).await;
    let (query, _) = wecom_post(&crypt(), &text_xml("x", 1), &now(), "1");
    let limit = CallbackServer::DEFAULT_BODY_LIMIT;
    // Not a valid envelope, so 400 — but not refused as too large.
    let at = format!("<xml>{}</xml>", "x".repeat(limit - 11));
    assert_eq!(at.len(), limit);
    assert_eq!(post_chunked(&base, &query, &at, 16).await, StatusCode::BAD_REQUEST);
    let over = format!("{at} ");
    assert_eq!(post_chunked(&base, &query, &over, 16).await, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn background_handlers_are_bounded_and_overflow_is_redelivered_not_lost() {
    let gate = Arc::new(Notify::new());
    let handled = Arc::new(std::sync::Mutex::new(Vec::new()));
    let server = CallbackServer::new(crypt(), {
        let gate = Arc::clone(&gate);
        let handled = Arc::clone(&handled);
        move |cb: Callback| {
            let gate = Arc::clone(&gate);
            let handled = Arc::clone(&handled);
            async move {
                gate.notified().await;
                if let Callback::Message(m) = cb {
                    handled.lock().unwrap().push(m.msg_id);
                }
                Ok::<_, std::io::Error>(None)
            }
        }
    })
    .mode(Mode::Acknowledge)
    .max_handlers(1);
    let base = start(server).await;
    let ts = now();
    let (q1, b1) = wecom_post(&crypt(), &text_xml("one", 1), &ts, "1");
    let (q2, b2) = wecom_post(&crypt(), &text_xml("two", 2), &ts, "2");
    assert_eq!(post(&base, &q1, b1).await.0, StatusCode::OK);
    // The only slot is busy: refused with 503, and not marked as seen.
    assert_eq!(post(&base, &q2, b2.clone()).await.0, StatusCode::SERVICE_UNAVAILABLE);
    gate.notify_one();
    // WeCom's redelivery of the refused callback is handled.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, _) = post(&base, &q2, b2.clone()).await;
        if status == StatusCode::OK {
            break;
        }
        assert!(Instant::now() < deadline, "never accepted again");
    }
    gate.notify_one();
    let deadline = Instant::now() + Duration::from_secs(10);
    while handled.lock().unwrap().len() < 2 {
        assert!(Instant::now() < deadline, "handlers never ran: {:?}", handled.lock().unwrap());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(*handled.lock().unwrap(), [1, 2]);
}
