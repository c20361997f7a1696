//! `GET /cgi-bin/gettoken?corpid=…&corpsecret=…` (§1): an access token for the app whose
//! secret is given, valid `token_ttl_seconds` (7,200 by default).

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};

use super::error::{ApiError, code, json_response};
use super::query_param;
use crate::state::EmulatorState;

pub(super) async fn gettoken(State(state): State<EmulatorState>, uri: Uri) -> Response {
    match issue(&state, uri.query()) {
        Ok((token, expires_in)) => json_response(format!(
            r#"{{"errcode":0,"errmsg":"ok","access_token":"{token}","expires_in":{expires_in}}}"#
        )),
        Err(e) => e.into_response(),
    }
}

fn issue(state: &EmulatorState, query: Option<&str>) -> Result<(String, i64), ApiError> {
    let corpid = query_param(query, "corpid").filter(|v| !v.is_empty());
    let secret = query_param(query, "corpsecret").filter(|v| !v.is_empty());
    let Some(corpid) = corpid else {
        return Err(ApiError::new(code::MISSING_CORP_ID, "corpid is required"));
    };
    let Some(secret) = secret else {
        return Err(ApiError::new(code::MISSING_SECRET, "corpsecret is required"));
    };
    let config = state.config();
    if *corpid != config.corp_id {
        return Err(ApiError::new(code::INVALID_CORP_ID, "corpid is not this corp's id"));
    }
    // The secret itself never appears in a message.
    let Some(app) = config.apps.iter().find(|a| a.secret.expose() == secret) else {
        return Err(ApiError::new(code::INVALID_SECRET, "corpsecret matches no app of this corp"));
    };
    if !app.enabled {
        return Err(ApiError::new(
            code::INVALID_SECRET,
            format!("app {} is disabled", app.agentid),
        ));
    }
    let now = state.clock().now_ms();
    let opts = &config.options;
    let issued =
        state.tokens_mut().issue(app.agentid, opts.token_ttl_seconds, opts.reuse_tokens, now);
    state.inner.stats.token_issued(app.agentid);
    state.changed_quietly();
    Ok(issued)
}
