//! `GET /cgi-bin/appchat/get?chatid=`: a chat's name, owner and members.

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{check_chat_id, owned, root_app};
use crate::api::error::{ApiError, code, json_response};
use crate::api::query_param;
use crate::state::EmulatorState;

pub(in crate::api) async fn get(State(state): State<EmulatorState>, uri: Uri) -> Response {
    match get_inner(&state, uri.query()) {
        Ok(json) => json_response(json),
        Err(e) => e.into_response(),
    }
}

fn get_inner(state: &EmulatorState, query: Option<&str>) -> Result<String, ApiError> {
    let agentid = root_app(state, query)?;
    let chatid = query_param(query, "chatid")
        .filter(|c| !c.is_empty())
        .ok_or_else(|| ApiError::new(code::EMPTY_PARAMETER, "chatid is required"))?;
    check_chat_id(&chatid)?;
    let mut groups = state.groups();
    let chat = owned(&mut groups, &chatid, agentid)?;
    let answer = json!({
        "errcode": 0,
        "errmsg": "ok",
        "chat_info": {
            "chatid": chat.chatid,
            "name": chat.name,
            "owner": chat.owner,
            "userlist": chat.members,
        }
    });
    Ok(answer.to_string())
}
