//! `--jsonl`: messages out as JSON lines on stdout, answers in as JSON lines on stdin.
//!
//! Out, one line per message:
//!
//! ```json
//! {"id":"1","transport":"ws","msgid":"CAIQ…","userid":"lisi","chatid":null,"chattype":"single","msgtype":"text","text":"hello"}
//! ```
//!
//! In, any number of lines per message, matched by `id`:
//!
//! ```json
//! {"id":"1","text":"the whole answer"}
//! {"id":"1","delta":"more text","done":false}
//! {"id":"1","done":true}
//! ```
//!
//! `text` replaces the answer, `delta` appends to it, `done` (default `true`) finishes it.
//! Lines are at most 64 KiB; a bad line or an unknown `id` is logged and skipped. An answer
//! not finished within `--timeout` is finished with what it has and a note; answers past
//! 20,480 bytes are cut with a note.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Deserialize;
use serde_json::json;
use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _};
use tokio::sync::mpsc;
use wecom_aibot::bot::Responder;
use wecom_aibot::model::{Message, STREAM_CONTENT_MAX_BYTES};

use super::answer::fit;
use super::exec::CUT_NOTE;

/// Longest accepted input line.
const MAX_LINE: u64 = 64 * 1024;
/// Answer lines buffered per message before more are dropped.
const QUEUED: usize = 256;

/// One input line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Answer {
    id: String,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    delta: Option<String>,
    #[serde(default = "yes")]
    done: bool,
}

fn yes() -> bool {
    true
}

type Pending = Arc<Mutex<HashMap<String, mpsc::Sender<Answer>>>>;

fn lock(p: &Pending) -> std::sync::MutexGuard<'_, HashMap<String, mpsc::Sender<Answer>>> {
    p.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The bot's side: prints messages, waits for their answers.
pub(crate) struct Lines {
    out: crate::stdout_lines::Lines,
    pending: Pending,
    next: AtomicU64,
}

/// The stdin reader; stops when dropped.
pub(crate) struct Io {
    reader: tokio::task::JoinHandle<()>,
}

impl Drop for Io {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

/// Starts the stdout writer and the stdin reader.
pub(crate) fn start() -> (Lines, Io) {
    let (out, _writer) = crate::stdout_lines::start();
    let pending: Pending = Arc::default();
    let routes = Arc::clone(&pending);
    let reader = tokio::spawn(async move {
        let mut input = tokio::io::BufReader::new(tokio::io::stdin());
        let mut line = Vec::new();
        loop {
            line.clear();
            let n = match (&mut input).take(MAX_LINE + 1).read_until(b'\n', &mut line).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            if n as u64 > MAX_LINE && line.last() != Some(&b'\n') {
                tracing::warn!(limit = MAX_LINE, "input line too long: skipped");
                // Skip the rest of the line.
                let mut rest = Vec::new();
                let _ = input.read_until(b'\n', &mut rest).await;
                continue;
            }
            let text = String::from_utf8_lossy(&line);
            if text.trim().is_empty() {
                continue;
            }
            let answer: Answer = match serde_json::from_str(text.trim()) {
                Ok(a) => a,
                Err(e) => {
                    tracing::warn!(error = %e, "input line is not an answer: skipped");
                    continue;
                }
            };
            let route = lock(&routes).get(&answer.id).cloned();
            if let Some(tx) = route {
                if tx.try_send(answer).is_err() {
                    tracing::warn!("too many answer lines for one message: skipped");
                }
            } else {
                tracing::warn!(id = %answer.id, "answer for no open message: skipped");
            }
        }
        tracing::info!("stdin closed: open answers are finished");
        lock(&routes).clear();
    });
    (Lines { out, pending, next: AtomicU64::new(1) }, Io { reader })
}

impl Lines {
    pub(crate) async fn answer(
        &self,
        message: &Message,
        transport: &str,
        reply: Responder,
        timeout: Duration,
    ) {
        let id = self.next.fetch_add(1, Ordering::Relaxed).to_string();
        let (tx, mut rx) = mpsc::channel(QUEUED);
        lock(&self.pending).insert(id.clone(), tx);
        let h = &message.header;
        let line = json!({
            "id": id,
            "transport": transport,
            "msgid": h.msgid,
            "userid": h.from.userid,
            "chatid": h.chatid,
            "chattype": h.chattype.as_str(),
            "msgtype": message.body.msgtype(),
            "text": message.text(),
        });
        self.out.send(&line.to_string()).await;
        let deadline = tokio::time::Instant::now() + timeout;
        let mut stream = reply.stream();
        let mut text = String::new();
        loop {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some(a)) => {
                    if let Some(t) = a.text {
                        text = t;
                    }
                    if let Some(d) = a.delta {
                        text.push_str(&d);
                    }
                    if text.len() > STREAM_CONTENT_MAX_BYTES {
                        let _ = stream.set(fit(&text, CUT_NOTE));
                        break;
                    }
                    let _ = stream.set(text.clone());
                    if a.done {
                        break;
                    }
                }
                Ok(None) => {
                    if text.is_empty() {
                        let _ = stream.set("*(no answer: input closed)*");
                    }
                    break;
                }
                Err(_) => {
                    let note = format!("\n\n*(no complete answer within {} s)*", timeout.as_secs());
                    let _ = stream.set(fit(&text, &note));
                    break;
                }
            }
        }
        lock(&self.pending).remove(&id);
        let _ = stream.finish();
    }
}
