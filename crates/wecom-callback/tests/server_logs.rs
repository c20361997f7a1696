//! The log lines of rejected requests and failed handlers: precise, and free of secrets.
//!
//! Alone in its own test binary: tracing caches per call site whether anyone listens, and a
//! test on another thread without a subscriber could make this one miss events.

use std::sync::Arc;

use wecom_msgcrypt::MsgCrypt;

#[path = "it/support/wecom.rs"]
mod support;
use support::*;

/// Collects formatted log lines.
#[derive(Clone, Default)]
struct LogBuffer(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn rejections_are_logged_precisely_and_secrets_never_appear() {
    let logs = LogBuffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(move || writer.clone())
        .finish();
    // This test runs on one thread, and so do the server's tasks: the subscriber sees them.
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = echo_server();
    let debug = format!("{server:?}");
    let base = start(server).await;
    let (query, body) = wecom_post(&crypt(), &text_xml("x", 1), &now(), "1");
    let sig = query.split('&').next().unwrap().trim_start_matches("msg_signature=").to_owned();
    post(&base, &query.replace(&sig, &"0".repeat(40)), body).await;
    let wrong_corp = MsgCrypt::new(TOKEN, KEY, "ww_other_corp").unwrap();
    let (query, body) = wecom_post(&wrong_corp, &text_xml("x", 2), &now(), "1");
    post(&base, &query, body).await;
    post_text(&base, "boom", 3).await;

    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("status=403 code=-40001"), "{text}");
    assert!(text.contains("signature mismatch"), "{text}");
    assert!(text.contains("code=-40005"), "{text}");
    assert!(text.contains("receive id mismatch"), "{text}");
    assert!(text.contains("handler panicked") && text.contains("handler exploded"), "{text}");
    for secret in [TOKEN, KEY] {
        assert!(!text.contains(secret), "secret in logs: {text}");
        assert!(!debug.contains(secret), "secret in Debug: {debug}");
    }
}
