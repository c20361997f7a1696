//! `POST /cgi-bin/message/recall` (§3): withdraw a message sent through `message/send`
//! within the last 24 hours, with a token of the app that sent it.
//!
//! WeCom documents only 40058 for another app's message; the other refusals (unknown msgid,
//! too old, already recalled) are not documented, so they answer 40058 too, with the reason
//! in `errmsg`.

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

use super::auth;
use super::error::{ApiError, code, json_response};
use super::send::parse_object;
use crate::events::Event;
use crate::state::{EmulatorState, Origin, Status};
use crate::validate::Obj;

/// Messages can be recalled for 24 hours.
const RECALL_WINDOW_MS: i64 = 24 * 3600 * 1000;

pub(super) async fn recall(State(state): State<EmulatorState>, uri: Uri, body: Bytes) -> Response {
    match recall_inner(&state, uri.query(), &body) {
        Ok(()) => json_response(r#"{"errcode":0,"errmsg":"ok"}"#.to_owned()),
        Err(e) => e.into_response(),
    }
}

fn recall_inner(state: &EmulatorState, query: Option<&str>, raw: &Bytes) -> Result<(), ApiError> {
    let token_app = auth(state, query)?;
    let map = parse_object(raw)?;
    let msgid = Obj::new(&map, "").req_str("msgid", code::EMPTY_PARAMETER)?;
    let now = state.clock().now_ms();
    let mut store = state.store();
    let idx = store
        .find(msgid)
        .filter(|&i| store.get(i).is_some_and(|m| m.origin == Origin::Api))
        .ok_or_else(|| ApiError::new(code::INVALID_PARAMETER, "msgid is unknown"))?;
    let m = store
        .get_mut(idx)
        .ok_or_else(|| ApiError::new(code::INVALID_PARAMETER, "msgid is unknown"))?;
    if m.agentid != token_app {
        return Err(ApiError::new(
            code::INVALID_PARAMETER,
            format!(
                "msgid was sent by app {}, the access_token belongs to app {token_app}",
                m.agentid
            ),
        ));
    }
    if m.recalled_at_ms.is_some() {
        return Err(ApiError::new(code::INVALID_PARAMETER, "message was already recalled"));
    }
    if now - m.sent_at_ms > RECALL_WINDOW_MS {
        return Err(ApiError::new(
            code::INVALID_PARAMETER,
            "message is older than 24 hours and can no longer be recalled",
        ));
    }
    m.recalled_at_ms = Some(now);
    for r in &mut m.recipients {
        if r.status == Status::Delivered {
            r.status = Status::Recalled;
        }
    }
    let msgid = m.msgid.clone();
    drop(store);
    state.changed(Event::Recalled { msgid });
    Ok(())
}
