//! The AI-bot listings: the bots (with a WebSocket bot's connection state) and the
//! conversation, oldest first, with `retention`: the turns kept and forgotten so far over
//! all bots (turns follow the message retention).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{bad, is_ws};
use crate::state::EmulatorState;

pub(super) async fn bots(State(state): State<EmulatorState>) -> Response {
    let bots: Vec<Value> = state
        .config()
        .aibots
        .iter()
        .map(|b| {
            let mut v = json!({ "botid": b.botid, "name": b.name, "mode": b.mode, "callback_url": b.callback_url });
            if is_ws(b) {
                v["ws"] = state.inner.aibots.ws.status(&b.botid);
            }
            v
        })
        .collect();
    Json(json!({ "aibots": bots })).into_response()
}

#[derive(Deserialize)]
pub(super) struct TurnFilter {
    userid: Option<String>,
}

pub(super) async fn turns(
    State(state): State<EmulatorState>,
    Path(botid): Path<String>,
    Query(f): Query<TurnFilter>,
) -> Response {
    // A member also sees the bot's pushes into their group chats.
    let groups: Vec<String> = f.userid.as_deref().map_or_else(Vec::new, |u| {
        state
            .config()
            .groups
            .iter()
            .filter(|g| g.members.iter().any(|m| m.eq_ignore_ascii_case(u)))
            .map(|g| g.chatid.clone())
            .collect()
    });
    let turns = state.inner.aibots.list(&botid, f.userid.as_deref(), &groups);
    let (kept, dropped) = state.inner.aibots.retained();
    let retention = crate::admin::Retained::new(&state, kept, dropped);
    Json(json!({ "turns": turns, "retention": retention })).into_response()
}

pub(super) async fn turn(
    State(state): State<EmulatorState>,
    Path((botid, id)): Path<(String, u64)>,
) -> Response {
    match state.inner.aibots.get(id).filter(|t| t.botid == botid) {
        Some(t) => Json(t).into_response(),
        None => bad(StatusCode::NOT_FOUND, "no such turn"),
    }
}
