//! `POST /cgi-bin/appchat/create`: a new app group chat.

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

use super::{check_chat_id, check_count, check_name, members, root_app};
use crate::api::error::{ApiError, code, json_response};
use crate::api::send::parse_object;
use crate::events::Event;
use crate::ids;
use crate::state::{AppChat, EmulatorState};
use crate::validate::Obj;

pub(in crate::api) async fn create(
    State(state): State<EmulatorState>,
    uri: Uri,
    body: Bytes,
) -> Response {
    match create_inner(&state, uri.query(), &body) {
        Ok(chatid) => {
            json_response(format!(r#"{{"errcode":0,"errmsg":"ok","chatid":"{chatid}"}}"#))
        }
        Err(e) => e.into_response(),
    }
}

fn create_inner(
    state: &EmulatorState,
    query: Option<&str>,
    raw: &[u8],
) -> Result<String, ApiError> {
    let agentid = root_app(state, query)?;
    let map = parse_object(raw)?;
    let body = Obj::new(&map, "");
    let name = body.str("name")?.unwrap_or("");
    check_name(name)?;
    if body.arr("userlist")?.is_none() {
        return Err(ApiError::new(code::EMPTY_PARAMETER, "userlist is required"));
    }
    let userlist = members(state, body, "userlist")?;
    check_count(userlist.len())?;
    let owner = match body.str("owner")?.filter(|o| !o.is_empty()) {
        None => userlist[0].clone(),
        Some(o) => {
            let o = o.to_ascii_lowercase();
            if !userlist.contains(&o) {
                return Err(ApiError::new(
                    code::INVALID_CHAT_OWNER,
                    format!("owner {o:?} is not in userlist"),
                ));
            }
            o
        }
    };
    let chosen = body.str("chatid")?.filter(|c| !c.is_empty());
    if let Some(id) = chosen {
        check_chat_id(id)?;
    }
    let now = state.clock().now_ms();
    let mut groups = state.groups();
    let configured = |id: &str| state.config().groups.iter().any(|g| g.chatid == id);
    let chatid = match chosen {
        Some(id) if groups.app_chat(id).is_some() || configured(id) => {
            return Err(ApiError::new(code::CHAT_ID_EXISTS, format!("chatid {id:?} is taken")));
        }
        Some(id) => id.to_owned(),
        // WeCom generates ids of the same alphabet a caller may choose.
        None => loop {
            let id: String = ids::opaque("wr", 30)
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .take(32)
                .collect();
            if groups.app_chat(&id).is_none() && !configured(&id) {
                break id;
            }
        },
    };
    if !groups.admit_create(now, state.config().options.chat_creates_per_day) {
        return Err(ApiError::new(
            code::API_FREQUENCY_LIMITED,
            format!(
                "the corp created {} app chats within the last day",
                state.config().options.chat_creates_per_day
            ),
        ));
    }
    groups.app_chats.push(AppChat {
        chatid: chatid.clone(),
        name: name.to_owned(),
        owner,
        members: userlist,
        agentid,
        created_at_ms: now,
    });
    drop(groups);
    state.changed(Event::GroupChanged { chatid: chatid.clone() });
    Ok(chatid)
}
