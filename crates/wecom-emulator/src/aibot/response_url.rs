//! `POST /cgi-bin/aibot/response?response_code=…`, the one-shot `response_url` of HTTP-mode
//! callbacks: called by the bot's own server, so it sits with the WeCom API, outside the
//! admin API's guard.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::validate;
use crate::state::EmulatorState;

/// The route.
pub(crate) fn router() -> Router<EmulatorState> {
    Router::new().route("/cgi-bin/aibot/response", post(response_url))
}

#[derive(Deserialize)]
struct Code {
    #[serde(default)]
    response_code: String,
}

/// `POST /cgi-bin/aibot/response`: one markdown or card per code, within an hour.
async fn response_url(
    State(state): State<EmulatorState>,
    Query(q): Query<Code>,
    body: axum::body::Bytes,
) -> Response {
    let answer =
        |code: i64, msg: &str| Json(json!({ "errcode": code, "errmsg": msg })).into_response();
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return answer(40058, "Warning: wrong json format");
    };
    if let Err((code, msg)) = validate::active(&body) {
        return answer(code, &msg);
    }
    let turn = match state.inner.aibots.use_code(&q.response_code, state.clock().now_ms()) {
        Ok(t) => t,
        Err((code, msg)) => return answer(code, msg),
    };
    state.inner.aibots.update(turn, |t| t.follow_ups.push(body));
    answer(0, "ok")
}
