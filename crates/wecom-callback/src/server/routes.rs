//! The two HTTP routes: URL verification (GET) and callbacks (POST).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{Mode, Shared, dispatch};
use crate::callback::Callback;
use crate::dedup::DedupError;
use crate::error::Error;
use crate::receive::{CallbackQuery, verify_url_parsed};
use crate::reply::unix_now;
use crate::serve::{BodyError, read_body};

/// A nonce for a reply when the request's cannot be reused: digits from the clock and a
/// counter (a nonce only has to vary, not be secret).
fn fresh_nonce() -> String {
    use std::sync::atomic::AtomicU32;
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{nanos}{}", COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 1000)
}

/// How long a de-duplication store may take before the callback is handled without it (a
/// hung remote store must not push the answer past WeCom's 5 s).
const DEDUP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(1);

/// How long a callback waits for a handler slot before it is refused with 503.
const HANDLER_SLOT_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// A status with its generic reason as a plain-text body: nothing about the cause.
fn reject(status: StatusCode) -> Response {
    let reason = status.canonical_reason().unwrap_or("Error");
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"))], reason)
        .into_response()
}

fn empty_ok() -> Response {
    StatusCode::OK.into_response()
}

/// The HTTP status for a rejected request.
fn status_for(error: &Error) -> StatusCode {
    use wecom_msgcrypt::Error as C;
    match error {
        Error::StaleTimestamp { .. }
        | Error::Crypto(C::SignatureMismatch | C::ReceiveIdMismatch { .. }) => {
            StatusCode::FORBIDDEN
        }
        _ => StatusCode::BAD_REQUEST,
    }
}

fn rejected(method: &'static str, error: &Error) -> Response {
    let status = status_for(error);
    tracing::warn!(
        method,
        status = status.as_u16(),
        code = error.crypto_code(),
        error = %error,
        "rejected WeCom callback request"
    );
    reject(status)
}

/// Parses the query and applies the timestamp window.
fn checked_query<'q>(shared: &Shared, query: &'q str) -> Result<CallbackQuery<'q>, Error> {
    let q = CallbackQuery::parse(query)?;
    if let Some(window) = shared.timestamp_window {
        q.check_timestamp(window)?;
    }
    Ok(q)
}

pub(super) async fn method_not_allowed() -> Response {
    let mut response = reject(StatusCode::METHOD_NOT_ALLOWED);
    response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET,POST"));
    response
}

pub(super) async fn verify(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let query = request.uri().query().unwrap_or_default();
    let result = checked_query(&shared, query).and_then(|q| verify_url_parsed(&shared.crypt, &q));
    match result {
        Ok(echo) => {
            tracing::info!("WeCom URL verification answered");
            ([(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"))], echo).into_response()
        }
        Err(e) => rejected("GET", &e),
    }
}

/// [`crate::receive::receive_parsed`] without copying what the server does not need.
fn decrypt_and_parse(
    shared: &Shared,
    query: &CallbackQuery<'_>,
    body: &[u8],
) -> Result<Callback, Error> {
    let xml =
        shared.crypt.decrypt_post(&query.msg_signature, &query.timestamp, &query.nonce, body)?;
    Callback::parse(&xml).map_err(Error::from)
}

pub(super) async fn receive(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let uri = request.uri().clone();
    let query = uri.query().unwrap_or_default();
    let query = match checked_query(&shared, query) {
        Ok(q) => q,
        Err(e) => return rejected("POST", &e),
    };
    let body = match read_body(request, shared.body_limit).await {
        Ok(body) => body,
        Err(BodyError::TooLarge) => {
            tracing::warn!(
                limit = shared.body_limit,
                "rejected WeCom callback: body over the limit"
            );
            return reject(StatusCode::PAYLOAD_TOO_LARGE);
        }
        Err(BodyError::TimedOut) => {
            tracing::warn!("rejected WeCom callback: the body did not arrive in time");
            return reject(StatusCode::REQUEST_TIMEOUT);
        }
        Err(BodyError::Read) => {
            tracing::warn!("rejected WeCom callback: the body could not be read");
            return reject(StatusCode::BAD_REQUEST);
        }
    };
    let callback = match decrypt_and_parse(&shared, &query, &body) {
        Ok(c) => c,
        Err(e) => return rejected("POST", &e),
    };

    // A slot for the handler before the callback is marked as seen: refused for want of
    // one, it is delivered again by WeCom and handled then.
    let slot =
        tokio::time::timeout(HANDLER_SLOT_WAIT, Arc::clone(&shared.handlers).acquire_owned()).await;
    let Ok(Ok(permit)) = slot else {
        tracing::warn!(
            callback = %dispatch::describe(&callback),
            max_handlers = shared.max_handlers,
            "refused WeCom callback with 503: every handler slot is busy (WeCom delivers it again)"
        );
        return reject(StatusCode::SERVICE_UNAVAILABLE);
    };

    let key = match &shared.key_fn {
        Some(f) => f(&callback),
        None => Some(callback.dedup_key()),
    };
    if let Some(key) = key {
        let seen = tokio::time::timeout(
            DEDUP_TIMEOUT,
            shared.dedup.first_seen_boxed(&key, shared.dedup_ttl),
        )
        .await
        .unwrap_or_else(|_| Err(DedupError::new("no answer within 1 s")));
        match seen {
            Ok(true) => {}
            Ok(false) => {
                tracing::debug!(callback = %dispatch::describe(&callback), "duplicate delivery answered 200 empty");
                return empty_ok();
            }
            Err(e) => {
                tracing::warn!(error = %e, "de-duplication failed; handling the callback anyway");
            }
        }
    }

    match shared.mode {
        Mode::Acknowledge => {
            dispatch::in_background(&*shared.handler, callback, permit);
            empty_ok()
        }
        Mode::Reply { deadline } => {
            let header = callback.header().clone();
            let Some(reply) =
                dispatch::with_deadline(&*shared.handler, callback, deadline, permit).await
            else {
                return empty_ok();
            };
            let mut encrypted =
                reply.encrypt(&shared.crypt, &header, &query.timestamp, &query.nonce);
            if let Err(Error::Crypto(wecom_msgcrypt::Error::ReplyField(_))) = encrypted {
                // The request's nonce cannot go into a reply (not 1 to 64 letters or digits):
                // sign the reply with a fresh timestamp and nonce instead.
                let now = unix_now();
                encrypted = reply.encrypt(&shared.crypt, &header, &now.to_string(), &fresh_nonce());
            }
            match encrypted {
                Ok(body) => (
                    [(
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("application/xml; charset=utf-8"),
                    )],
                    body,
                )
                    .into_response(),
                Err(e) => {
                    tracing::error!(
                        error = %e,
                        code = e.crypto_code(),
                        "passive reply could not be built; answered 200 empty"
                    );
                    empty_ok()
                }
            }
        }
    }
}
