//! `GET /emulator/events`: the change broadcast ([`Event`]) as server-sent events, for live
//! views. Each event is named after its `type` (`message_accepted`, `card_updated`,
//! `recalled`, `callback`, `reset`) and carries the event as JSON. A stream opens with a
//! `ready` event; a reader too slow for the broadcast gets `lagged` (with the number of
//! events it missed) and should reload what it shows. Streams end when the emulator shuts
//! down ([`EmulatorState::close_streams`]).

use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::routing::get;
use futures::Stream;
use serde_json::{Value, json};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{broadcast, watch};

use crate::events::Event;
use crate::state::EmulatorState;

pub(super) fn router() -> Router<EmulatorState> {
    Router::new().route("/emulator/events", get(events))
}

/// How long a browser waits before reconnecting a dropped stream.
const RETRY: Duration = Duration::from_secs(1);

/// One emulator event as a server-sent event.
fn to_sse(event: &Event) -> SseEvent {
    let value = serde_json::to_value(event).unwrap_or(Value::Null);
    let name = value.get("type").and_then(Value::as_str).unwrap_or("change").to_owned();
    SseEvent::default().event(name).data(value.to_string())
}

struct Reader {
    events: broadcast::Receiver<Event>,
    closing: watch::Receiver<bool>,
    started: bool,
}

impl Reader {
    async fn next(mut self) -> Option<(Result<SseEvent, Infallible>, Self)> {
        if !self.started {
            self.started = true;
            let ready = SseEvent::default().event("ready").retry(RETRY).data("{}");
            return Some((Ok(ready), self));
        }
        if *self.closing.borrow() {
            return None;
        }
        let event = tokio::select! {
            received = self.events.recv() => match received {
                Ok(e) => to_sse(&e),
                Err(RecvError::Lagged(missed)) => {
                    SseEvent::default().event("lagged").data(json!({ "missed": missed }).to_string())
                }
                Err(RecvError::Closed) => return None,
            },
            // Shutdown (or the state is gone): end the stream.
            _ = self.closing.wait_for(|closing| *closing) => return None,
        };
        Some((Ok(event), self))
    }
}

/// The stream of one reader: subscribed before the first byte is sent, so nothing that
/// happens after the response starts is missed.
fn event_stream(state: &EmulatorState) -> impl Stream<Item = Result<SseEvent, Infallible>> + use<> {
    let reader = Reader {
        events: state.subscribe(),
        closing: state.inner.closing.subscribe(),
        started: false,
    };
    futures::stream::unfold(reader, Reader::next)
}

async fn events(
    State(state): State<EmulatorState>,
) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    Sse::new(event_stream(&state)).keep_alive(KeepAlive::default())
}
