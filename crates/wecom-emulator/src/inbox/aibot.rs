//! The AI-bot page at `/aibot`: pick a bot and a member, write to the bot (or mention it in a
//! group), and watch the answer stream in live, rendered as markdown; click the buttons of its
//! cards; like or dislike an answer. It reads the AI-bot admin API and the change stream here,
//! `GET /emulator/aibots/events` (server-sent events named `turn`, data `{"id": …}`, one per
//! change of a turn; opens with `ready`).
//!
//! Like the inbox, the page is plain files from `web/` compiled in, served under the same
//! Content-Security-Policy, and writes message content only as DOM text.

use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures::Stream;
use tokio::sync::broadcast::error::RecvError;

use crate::state::EmulatorState;

const PAGE: &str = include_str!("../../web/aibot.html");
const SCRIPT: &str = include_str!("../../web/aibot.js");

pub(super) fn router() -> Router<EmulatorState> {
    Router::new()
        .route("/aibot", get(page))
        .route("/inbox/aibot.js", get(script))
        .route("/emulator/aibots/events", get(events))
}

async fn page() -> Response {
    let mut resp = super::with_headers(PAGE, "text/html; charset=utf-8");
    let h = resp.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(super::CSP));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    resp
}

async fn script() -> Response {
    super::with_headers(SCRIPT, "text/javascript; charset=utf-8").into_response()
}

async fn events(
    State(state): State<EmulatorState>,
) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let changes = state.inner.aibots.changes.subscribe();
    let closing = state.inner.closing.subscribe();
    let stream = futures::stream::unfold(
        (changes, closing, false),
        |(mut rx, mut closing, started)| async move {
            if !started {
                let ready =
                    SseEvent::default().event("ready").retry(Duration::from_secs(1)).data("{}");
                return Some((Ok(ready), (rx, closing, true)));
            }
            if *closing.borrow() {
                return None;
            }
            let event = tokio::select! {
                got = rx.recv() => match got {
                    Ok(id) => SseEvent::default().event("turn").data(format!("{{\"id\":{id}}}")),
                    Err(RecvError::Lagged(_)) => SseEvent::default().event("lagged").data("{}"),
                    Err(RecvError::Closed) => return None,
                },
                _ = closing.wait_for(|c| *c) => return None,
            };
            Some((Ok(event), (rx, closing, true)))
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}
