//! The two routes: URL verification (GET) and callbacks (POST).

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use wecom_callback::CallbackQuery;
use wecom_callback::serve::read_body;

use super::state::{Seen, Shared};
use crate::bot::{Busy, EventAnswer, EventResponder, Exchange, Responder};
use crate::model::{ActiveReply, Callback, Event, EventKind, Message, Reply, StreamBody};

fn reject(status: StatusCode) -> Response {
    let reason = status.canonical_reason().unwrap_or("Error");
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"))], reason)
        .into_response()
}

fn empty_ok() -> Response {
    StatusCode::OK.into_response()
}

pub(super) async fn method_not_allowed() -> Response {
    let mut response = reject(StatusCode::METHOD_NOT_ALLOWED);
    response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET,POST"));
    response
}

fn crypto_status(e: &wecom_msgcrypt::Error) -> StatusCode {
    match e {
        wecom_msgcrypt::Error::SignatureMismatch
        | wecom_msgcrypt::Error::ReceiveIdMismatch { .. } => StatusCode::FORBIDDEN,
        _ => StatusCode::BAD_REQUEST,
    }
}

pub(super) async fn verify(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let query = request.uri().query().unwrap_or_default();
    let q = match CallbackQuery::parse(query) {
        Ok(q) => q,
        Err(e) => {
            tracing::warn!(error = %e, "rejected AI bot URL verification");
            return reject(StatusCode::BAD_REQUEST);
        }
    };
    let Some(echostr) = q.echostr.as_deref() else {
        tracing::warn!("rejected AI bot URL verification: no echostr");
        return reject(StatusCode::BAD_REQUEST);
    };
    match shared.crypt.verify_url(&q.msg_signature, &q.timestamp, &q.nonce, echostr) {
        Ok(echo) => {
            ([(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"))], echo).into_response()
        }
        Err(e) => {
            tracing::warn!(error = %e, code = e.code(), "rejected AI bot URL verification");
            reject(crypto_status(&e))
        }
    }
}

/// Encrypts `plaintext` into the JSON reply envelope.
fn encrypted(shared: &Shared, plaintext: &str, q: &CallbackQuery<'_>) -> Response {
    let mut sealed = shared.crypt.encrypt(plaintext, &q.timestamp, &q.nonce);
    if let Err(wecom_msgcrypt::Error::ReplyField(_)) = sealed {
        // The request's nonce cannot be reused (not 1–64 letters/digits): a fresh pair.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        sealed = shared.crypt.encrypt(plaintext, &now.to_string(), &format!("{now}"));
    }
    match sealed {
        Ok(reply) => (
            [(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"))],
            reply.to_json(),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "AI bot reply could not be encrypted; answered empty");
            empty_ok()
        }
    }
}

fn reply_response(
    shared: &Shared,
    reply: &impl serde::Serialize,
    q: &CallbackQuery<'_>,
) -> Response {
    match serde_json::to_string(reply) {
        Ok(json) => {
            tracing::trace!(reply = %json, "AI bot passive reply");
            encrypted(shared, &json, q)
        }
        Err(e) => {
            tracing::error!(error = %e, "AI bot reply could not be serialized; answered empty");
            empty_ok()
        }
    }
}

pub(super) async fn receive(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let received = Instant::now();
    let uri = request.uri().clone();
    let q = match CallbackQuery::parse(uri.query().unwrap_or_default()) {
        Ok(q) => q,
        Err(e) => {
            tracing::warn!(error = %e, "rejected AI bot callback");
            return reject(StatusCode::BAD_REQUEST);
        }
    };
    let body = match read_body(request, shared.body_limit).await {
        Ok(b) => b,
        Err(e) => {
            let status = e.status();
            tracing::warn!(
                status = status.as_u16(),
                limit = shared.body_limit,
                "rejected AI bot callback body"
            );
            return reject(status);
        }
    };
    let json = match shared.crypt.decrypt_post(&q.msg_signature, &q.timestamp, &q.nonce, &body) {
        Ok(json) => json,
        Err(e) => {
            tracing::warn!(error = %e, code = e.code(), "rejected AI bot callback");
            return reject(crypto_status(&e));
        }
    };
    let callback = match Callback::from_json(&json) {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(error = %e, "rejected AI bot callback: not a JSON object");
            return reject(StatusCode::BAD_REQUEST);
        }
    };
    match callback {
        Callback::Refresh(r) => {
            let reply = match shared.streams.get(&r.stream_id) {
                Some(ex) => ex.refresh_reply(),
                // Unknown or forgotten (e.g. after a restart): finish it so WeCom stops asking.
                None => Reply::from(StreamBody::new(r.stream_id, true, "")),
            };
            reply_response(&shared, &reply, &q)
        }
        Callback::Message(m) => on_message(&shared, m, received, &q).await,
        Callback::Event(e) => on_event(&shared, e, &q).await,
        Callback::Unknown(u) => {
            tracing::info!(msgtype = ?u.msgtype, "AI bot callback of an unknown shape answered empty");
            empty_ok()
        }
    }
}

async fn on_message(
    shared: &Arc<Shared>,
    message: Message,
    received: Instant,
    q: &CallbackQuery<'_>,
) -> Response {
    let exchange = Exchange::new(Arc::clone(&shared.limits), received);
    match shared.streams.first_seen(&message.header.msgid, Some(&exchange)) {
        Seen::New => {}
        Seen::Retry(ex) => {
            tracing::debug!(msgid = %message.header.msgid, "retried message answered from its stream");
            return reply_response(shared, &ex.refresh_reply(), q);
        }
        Seen::RetryOther => return empty_ok(),
    }
    let member = message.header.from.userid.clone();
    let max = shared.limits.max_open_per_member;
    let slot = shared.slots.try_take(&member, max);
    match (slot, &shared.limits.busy) {
        (Some(slot), _) => {
            exchange.set_slot(slot);
            spawn_handler(shared, message, &exchange, None);
        }
        (None, Busy::Reply(text)) => {
            tracing::info!(member = %member, "member has the most open streams: busy answer");
            let text = text.clone();
            exchange.open();
            exchange.update(|s| {
                let _ = exchange.set_text(s, text);
                s.finished = true;
                s.handler_done = true;
            });
        }
        (None, Busy::Wait) => {
            let slots = Arc::clone(&shared.slots);
            spawn_handler(shared, message, &exchange, Some((slots, member, max)));
        }
    }
    exchange.decided(shared.first_wait).await;
    match exchange.first_reply() {
        Some(reply) => reply_response(shared, &reply, q),
        None => empty_ok(),
    }
}

type Wait = Option<(Arc<crate::bot::Slots>, String, usize)>;

fn spawn_handler(shared: &Arc<Shared>, message: Message, exchange: &Arc<Exchange>, wait: Wait) {
    let bot = Arc::clone(&shared.bot);
    let exchange = Arc::clone(exchange);
    let client = shared.client.clone();
    let response_url = message.response_url.clone();
    if wait.is_some() {
        // Nothing to show until the handler starts: open the stream empty.
        exchange.open();
    }
    tokio::spawn(async move {
        if let Some((slots, member, max)) = wait {
            let slot = slots.take(&member, max).await;
            exchange.set_slot(slot);
        }
        let run = tokio::spawn(bot.message(message, Responder::new(Arc::clone(&exchange))));
        if let Err(e) = run.await {
            tracing::error!(error = %e, "AI bot handler panicked; the answer is finished as it is");
        }
        exchange.handler_returned();
        if let Some(rest) = exchange.take_follow_up() {
            let Some(url) = response_url else {
                tracing::warn!("follow-up text lost: the message has no response_url");
                return;
            };
            if let Err(e) = url.send(&client, &ActiveReply::markdown(rest)).await {
                tracing::warn!(error = %e, "follow-up through response_url failed");
            }
        }
    });
}

async fn on_event(shared: &Arc<Shared>, event: Event, q: &CallbackQuery<'_>) -> Response {
    if let Seen::Retry(_) | Seen::RetryOther = shared.streams.first_seen(&event.header.msgid, None)
    {
        return empty_ok();
    }
    let waits = matches!(event.kind, EventKind::EnterChat | EventKind::TemplateCard(_));
    let (responder, rx) = EventResponder::new(&event.kind);
    let bot = Arc::clone(&shared.bot);
    tokio::spawn(bot.event(event, responder));
    if !waits {
        // feedback_event (and anything else) only allows an empty answer.
        return empty_ok();
    }
    match tokio::time::timeout(shared.event_deadline, rx).await {
        Ok(Ok(EventAnswer::Welcome(reply))) => reply_response(shared, &reply, q),
        Ok(Ok(EventAnswer::Update(update))) => reply_response(shared, &update, q),
        Ok(Err(_)) => empty_ok(),
        Err(_) => {
            tracing::warn!("event handler did not answer within the deadline; answered empty");
            empty_ok()
        }
    }
}
