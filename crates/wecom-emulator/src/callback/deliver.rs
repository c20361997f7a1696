//! Delivery of one callback: encrypt and sign the inner XML, POST it with WeCom's timeout
//! and retry rules, log every try, and hand a non-empty 200 answer to the reply handler.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::failure::{self, TryFailure};
use super::{Attempt, CallbackRecord, FailureReason, Outcome, reply};
use crate::events::Event;
use crate::state::EmulatorState;
use wecom_msgcrypt::{CallbackEnvelope, Stamp};

/// A callback to send.
#[derive(Debug, Clone)]
pub(crate) struct Delivery {
    pub(crate) agentid: i64,
    pub(crate) userid: String,
    pub(crate) msgtype: String,
    pub(crate) event: Option<String>,
    pub(crate) card_msgid: Option<String>,
    pub(crate) response_code: Option<String>,
    /// The plaintext inner XML.
    pub(crate) xml: String,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// The most of an app's answer the emulator reads: a passive reply is one encrypted message
/// (an 8-article news reply is a few KB), so anything near this is not a reply.
pub(crate) const MAX_REPLY_BYTES: usize = 256 * 1024;

/// Reads an answer up to [`MAX_REPLY_BYTES`]; `Ok(None)` when it is longer.
async fn read_bounded(mut resp: reqwest::Response) -> Result<Option<String>, reqwest::Error> {
    if resp.content_length().is_some_and(|n| n > MAX_REPLY_BYTES as u64) {
        return Ok(None);
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await? {
        if body.len() + chunk.len() > MAX_REPLY_BYTES {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(String::from_utf8_lossy(&body).into_owned()))
}

/// Makes later callback ids larger than `id` (after restoring a state file).
pub(crate) fn ids_above(id: u64) {
    NEXT_ID.fetch_max(id + 1, Ordering::Relaxed);
}

fn update_log(state: &EmulatorState, record: &CallbackRecord) {
    let mut log = state.callbacks();
    if let Some(slot) = log.iter_mut().rev().find(|r| r.id == record.id) {
        *slot = record.clone();
    }
}

/// Sends a callback and returns its record once finished (delivered or failed).
pub(crate) async fn deliver(state: &EmulatorState, d: Delivery) -> CallbackRecord {
    let target = state.callback_target(d.agentid);
    let mut record = CallbackRecord {
        id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        agentid: d.agentid,
        userid: d.userid.clone(),
        msgtype: d.msgtype.clone(),
        event: d.event.clone(),
        card_msgid: d.card_msgid.clone(),
        response_code: d.response_code.clone(),
        url: target.as_ref().map(|t| t.url.clone()),
        xml: d.xml.clone(),
        created_at_ms: state.clock().now_ms(),
        attempts: Vec::new(),
        outcome: Outcome::Pending,
        reply: None,
        error: None,
        reason: None,
    };
    {
        // The log is bounded like the messages: the oldest records go first (in batches, so
        // that the front is not shifted on every callback).
        let max = state.config().options.retain_messages;
        let mut log = state.callbacks();
        if max > 0 && log.len() >= max + max / 8 {
            let excess = log.len() + 1 - max;
            log.drain(..excess);
        }
        log.push(record.clone());
    }
    let Some(target) = target else {
        record.outcome = Outcome::Failed;
        record.reason = Some(FailureReason::NoCallbackUrl);
        record.error = Some(format!(
            "app {} has no callback URL: set one with PUT /emulator/apps/{}/callback or `wecom emulator --callback-url`",
            d.agentid, d.agentid
        ));
        return finish(state, record);
    };
    let stamp = Stamp::at(u64::try_from(state.clock().now_secs()).unwrap_or(0));
    let envelope =
        CallbackEnvelope::Xml { to_user_name: &state.config().corp_id, agent_id: Some(d.agentid) };
    let sealed = match target.crypt.seal_callback(&d.xml, envelope, &stamp) {
        Ok(e) => e,
        Err(e) => {
            let text = format!("encrypting the callback for {} failed: {e}", target.url);
            record.attempts.push(Attempt {
                at_ms: state.clock().now_ms(),
                status: None,
                error: Some(text.clone()),
                reason: Some(FailureReason::Encryption),
                duration_ms: 0,
            });
            record.outcome = Outcome::Failed;
            record.reason = Some(FailureReason::Encryption);
            record.error = Some(text);
            return finish(state, record);
        }
    };
    let sep = if target.url.contains('?') { '&' } else { '?' };
    let url = format!("{}{sep}{}", target.url, sealed.query());
    let body = sealed.body;
    let opts = &state.config().options;
    let timeout = Duration::from_millis(opts.callback_timeout_ms);
    let mut answer = None;
    for _ in 0..opts.callback_tries {
        let at_ms = state.clock().now_ms();
        let started = Instant::now();
        let result = state
            .inner
            .http
            .post(&url)
            .header("content-type", "text/xml; charset=utf-8")
            .body(body.clone())
            .timeout(timeout)
            .send()
            .await;
        let shown = target.url.as_str();
        let ms = opts.callback_timeout_ms;
        let (status, failed, text): (_, Option<TryFailure>, _) = match result {
            Ok(resp) if resp.status() == reqwest::StatusCode::OK => {
                match read_bounded(resp).await {
                    Ok(Some(text)) => (Some(200), None, Some(text)),
                    // Delivered (HTTP 200), but the answer is no reply: it is not applied.
                    Ok(None) => (
                        Some(200),
                        Some(TryFailure {
                            reason: FailureReason::AnswerTooLarge,
                            text: format!(
                                "the answer of {shown} is over {MAX_REPLY_BYTES} bytes; not read as a reply"
                            ),
                        }),
                        Some(String::new()),
                    ),
                    Err(e) => (Some(200), Some(failure::read(&e, shown, ms)), None),
                }
            }
            Ok(resp) => {
                (Some(resp.status().as_u16()), Some(failure::status(resp.status(), shown)), None)
            }
            Err(e) => (None, Some(failure::request(&e, shown, ms)), None),
        };
        let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let (error, reason) = match failed {
            Some(f) => (Some(f.text), Some(f.reason)),
            None => (None, None),
        };
        record.attempts.push(Attempt { at_ms, status, error, reason, duration_ms });
        update_log(state, &record);
        if text.is_some() {
            answer = text;
            break;
        }
    }
    record.outcome = if answer.is_some() { Outcome::Delivered } else { Outcome::Failed };
    if answer.is_none() {
        let last = record.attempts.last();
        record.reason = last.and_then(|a| a.reason);
        let why = last.and_then(|a| a.error.as_deref()).unwrap_or("no answer");
        let tries = record.attempts.len();
        record.error = Some(format!(
            "{why} ({tries} {} to {}, {} ms timeout each)",
            if tries == 1 { "try" } else { "tries" },
            target.url,
            opts.callback_timeout_ms
        ));
    }
    if let Some(text) = answer.filter(|t| !t.trim().is_empty()) {
        let reply = reply::handle(state, &target, &d, &text);
        if let Some(reason) = reply.reason {
            record.reason = Some(reason);
            record.error =
                Some(format!("the passive reply of {} was refused: {}", target.url, reply.detail));
        }
        record.reply = Some(reply);
    }
    finish(state, record)
}

fn finish(state: &EmulatorState, record: CallbackRecord) -> CallbackRecord {
    update_log(state, &record);
    state.changed(Event::Callback { id: record.id });
    record
}
