//! The emulator's server does not let slow or idle clients hold it: idle connections, half
//! headers and bodies that never end are closed within the configured timeouts, and past the
//! connection cap a request waits for a free slot instead of failing.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use wecom_callback::ServeLimits;
use wecom_emulator::{Emulator, EmulatorHandle};

const CLOSED_WITHIN: Duration = Duration::from_secs(8);

async fn start(limits: ServeLimits) -> EmulatorHandle {
    Emulator::builder().serve_limits(limits).start().await.unwrap()
}

fn short() -> ServeLimits {
    ServeLimits::new()
        .header_read_timeout(Duration::from_millis(500))
        .body_read_timeout(Duration::from_millis(500))
        .idle_timeout(Duration::from_millis(500))
}

/// Reads until the server closes the connection; what it sent.
async fn read_until_closed(stream: &mut TcpStream) -> String {
    let deadline = Instant::now() + CLOSED_WITHIN;
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout_at(deadline.into(), stream.read(&mut buf)).await {
            Err(elapsed) => panic!("connection still open after {CLOSED_WITHIN:?} ({elapsed})"),
            Ok(Ok(0) | Err(_)) => break,
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&got).into_owned()
}

#[tokio::test]
async fn idle_and_half_sent_connections_are_closed() {
    let emu = start(short()).await;
    let mut idle = TcpStream::connect(emu.addr()).await.unwrap();
    let mut half = TcpStream::connect(emu.addr()).await.unwrap();
    half.write_all(b"GET /emulator/clock HTTP/1.1\r\nHost: x\r\nX-A").await.unwrap();
    let mut body = TcpStream::connect(emu.addr()).await.unwrap();
    body.write_all(
        b"POST /emulator/clock/advance HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"sec",
    )
    .await
    .unwrap();
    assert_eq!(read_until_closed(&mut idle).await, "");
    assert_eq!(read_until_closed(&mut half).await, "");
    // The handler gets a body error: whatever it answers, the connection ends.
    let _ = read_until_closed(&mut body).await;
    assert_eq!(emu.state().clock().offset_ms(), 0, "the cut-off body did nothing");
}

#[tokio::test]
async fn a_request_past_the_connection_cap_is_served_once_idle_ones_time_out() {
    let emu = start(short().max_connections(2)).await;
    let _idle: Vec<TcpStream> = vec![
        TcpStream::connect(emu.addr()).await.unwrap(),
        TcpStream::connect(emu.addr()).await.unwrap(),
    ];
    let url = format!("{}/emulator/clock", emu.base_url());
    let resp = tokio::time::timeout(Duration::from_secs(20), async {
        reqwest::Client::builder().no_proxy().build().unwrap().get(url).send().await
    })
    .await
    .expect("never served")
    .unwrap();
    assert!(resp.status().is_success());
}
