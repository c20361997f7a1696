//! Everything the client logs, at TRACE level and from every module (reqwest and hyper
//! included), is captured while a realistic session runs; neither the secret nor a token may
//! appear. A separate test binary so the process-wide subscriber sees only this test.

#[path = "it/client/support.rs"]
#[allow(dead_code)]
mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use wecom::{Client, Media, MediaType, Recipients, Text};

use support::{
    AGENT, CORP, Mock, Reply, SECRET, TOKEN_PREFIX, closed_port_url, fast_retries, token,
};

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_at_trace_level_never_contain_secret_or_token() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let mock = Mock::start().await;
    let client = mock.client().request_timeout(Duration::from_millis(200)).build().unwrap();
    // Success, token refresh, busy retry, API error, timeout, upload.
    client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap();
    mock.revoke(&token(1), 42001);
    client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap();
    mock.script("/cgi-bin/message/send", [Reply::err(-1, "busy"), Reply::err(45009, "freq")]);
    client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap_err();
    mock.script("/cgi-bin/message/send", [Reply::err(0, "ok").delayed(Duration::from_secs(5))]);
    client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap_err();
    client.upload_media(MediaType::File, Media::from_bytes("a.txt", "hello world")).await.unwrap();
    // A gettoken (the secret in its URL) that cannot connect.
    let nowhere = Client::builder(CORP, AGENT, SECRET)
        .base_url(closed_port_url().await)
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    nowhere.access_token().await.unwrap_err();

    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    // The capture works and the calls were logged...
    assert!(logs.contains("/cgi-bin/message/send"), "{logs}");
    assert!(logs.contains("errcode=42001") && logs.contains("errcode=-1"), "{logs}");
    assert!(logs.contains("/cgi-bin/gettoken"), "{logs}");
    // ...without the secret or any token.
    assert!(!logs.contains(SECRET), "the logs leak the secret: {logs}");
    assert!(!logs.contains(TOKEN_PREFIX), "the logs leak a token: {logs}");
}
