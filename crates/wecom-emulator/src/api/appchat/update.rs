//! `POST /cgi-bin/appchat/update`: rename a chat, change its owner, add and remove members.

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

use super::{check_chat_id, check_count, check_name, members, owned, root_app};
use crate::api::error::{ApiError, code, json_response};
use crate::api::send::parse_object;
use crate::events::Event;
use crate::state::EmulatorState;
use crate::validate::Obj;

pub(in crate::api) async fn update(
    State(state): State<EmulatorState>,
    uri: Uri,
    body: Bytes,
) -> Response {
    match update_inner(&state, uri.query(), &body) {
        Ok(()) => json_response(r#"{"errcode":0,"errmsg":"ok"}"#.to_owned()),
        Err(e) => e.into_response(),
    }
}

fn update_inner(state: &EmulatorState, query: Option<&str>, raw: &[u8]) -> Result<(), ApiError> {
    let agentid = root_app(state, query)?;
    let map = parse_object(raw)?;
    let body = Obj::new(&map, "");
    let chatid = body.req_str("chatid", code::EMPTY_PARAMETER)?;
    check_chat_id(chatid)?;
    let name = body.str("name")?;
    if let Some(name) = name {
        check_name(name)?;
    }
    let add = members(state, body, "add_user_list")?;
    // Removing someone who is not in the corp cannot succeed either.
    let del = members(state, body, "del_user_list")?;
    let owner = body.str("owner")?.filter(|o| !o.is_empty()).map(str::to_ascii_lowercase);
    let mut groups = state.groups();
    let chat = owned(&mut groups, chatid, agentid)?;
    let mut next: Vec<String> = chat.members.iter().filter(|m| !del.contains(m)).cloned().collect();
    for a in add {
        if !next.contains(&a) {
            next.push(a);
        }
    }
    check_count(next.len())?;
    let next_owner = match owner {
        Some(o) if !next.contains(&o) => {
            return Err(ApiError::new(
                code::INVALID_CHAT_OWNER,
                format!("owner {o:?} is not a member of the chat"),
            ));
        }
        Some(o) => o,
        // A removed owner hands the chat to the first remaining member.
        None if !next.contains(&chat.owner) => next[0].clone(),
        None => chat.owner.clone(),
    };
    // Only a valid update counts against the corp's hourly limit.
    let per_hour = state.config().options.chat_updates_per_hour;
    if !groups.admit_update(state.clock().now_ms(), per_hour) {
        return Err(ApiError::new(
            code::API_FREQUENCY_LIMITED,
            format!("the corp updated app chats {per_hour} times within the last hour"),
        ));
    }
    let chat = owned(&mut groups, chatid, agentid)?;
    if let Some(name) = name {
        name.clone_into(&mut chat.name);
    }
    chat.members = next;
    chat.owner = next_owner;
    drop(groups);
    state.changed(Event::GroupChanged { chatid: chatid.to_owned() });
    Ok(())
}
