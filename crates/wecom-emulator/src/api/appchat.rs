//! `/cgi-bin/appchat/create|update|get|send`: group chats an app creates and posts into,
//! validated from the raw JSON like every endpoint here, and kept in the group store next to
//! the webhook groups of the configuration (so `/emulator/groups` and the inbox list both).
//!
//! Every call first checks the token, then that its app's visible range holds the root
//! department (48002 otherwise, as WeCom answers), then that the chat was created by that app
//! (86008). The codes are WeCom's global ones for chats: 86001 malformed chat id, 86003
//! unknown chat, 86004 name, 86005 owner, 86006 member count, 86007 member not in the corp,
//! 86215 chat id taken; 45009 past the corp's daily creations or hourly updates (which code
//! WeCom uses there is not documented; 45009 is its frequency-limit code).

mod create;
mod get;
mod send;
mod update;

pub(super) use create::create;
pub(super) use get::get;
pub(super) use send::send;
pub(super) use update::update;

use serde_json::Value;

use super::auth;
use super::error::{ApiError, code};
use crate::hash::FxHashSet as HashSet;
use crate::state::EmulatorState;
use crate::state::groups::GroupStore;
use crate::validate::Obj;

/// The longest chat id.
const CHAT_ID_CHARS: usize = 32;
/// Members of a chat.
const MEMBERS: std::ops::RangeInclusive<usize> = 2..=2000;
/// The longest name, in characters.
const NAME_CHARS: usize = 50;

/// The token's app, which must have the root department in range.
fn root_app(state: &EmulatorState, query: Option<&str>) -> Result<i64, ApiError> {
    let agentid = auth(state, query)?;
    if !state.config().has_root_range(agentid) {
        return Err(ApiError::new(
            code::API_FORBIDDEN,
            format!(
                "app {agentid} may not use app group chats: only self-built apps whose visible \
                 range is the root department may"
            ),
        ));
    }
    Ok(agentid)
}

/// A chat id: 1 to 32 characters of `0-9a-zA-Z` (86001).
fn check_chat_id(id: &str) -> Result<(), ApiError> {
    if id.is_empty() || id.len() > CHAT_ID_CHARS || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(ApiError::new(
            code::INVALID_CHAT_ID,
            format!("chatid {id:?} must be 1 to {CHAT_ID_CHARS} characters of 0-9, a-z, A-Z"),
        ));
    }
    Ok(())
}

/// A chat name of at most 50 characters (86004). WeCom's page says a longer name is cut
/// short; the emulator refuses it, so that a client relying on the cut is found out.
fn check_name(name: &str) -> Result<(), ApiError> {
    let chars = name.chars().count();
    if chars > NAME_CHARS {
        return Err(ApiError::new(
            code::INVALID_CHAT_NAME,
            format!("name has {chars} characters, max {NAME_CHARS}"),
        ));
    }
    Ok(())
}

/// The members listed at `key`: strings naming members of the corp (86007), lower-cased,
/// each once.
fn members(state: &EmulatorState, body: Obj<'_>, key: &str) -> Result<Vec<String>, ApiError> {
    let Some(list) = body.arr(key)? else { return Ok(Vec::new()) };
    let mut out: Vec<String> = Vec::with_capacity(list.len());
    let mut seen = HashSet::default();
    for (i, v) in list.iter().enumerate() {
        let Value::String(id) = v else {
            return Err(ApiError::wrong_json(format!("{key}[{i}] must be a string")));
        };
        let Some(idx) = state.inner.dir.lookup(id) else {
            return Err(ApiError::new(
                code::INVALID_CHAT_MEMBER,
                format!("{key}[{i}] {id:?} is not a member of the corp"),
            ));
        };
        if seen.insert(idx) {
            out.push(state.inner.dir.userid(idx).to_owned());
        }
    }
    Ok(out)
}

/// A member count within 2 to 2,000 (86006).
fn check_count(n: usize) -> Result<(), ApiError> {
    if !MEMBERS.contains(&n) {
        return Err(ApiError::new(
            code::CHAT_MEMBER_COUNT,
            format!(
                "a chat has {} to {} members (this one would have {n})",
                MEMBERS.start(),
                MEMBERS.end()
            ),
        ));
    }
    Ok(())
}

/// The chat `chatid` of app `agentid`: 86003 when unknown, 86008 when another app's.
fn owned<'s>(
    groups: &'s mut GroupStore,
    chatid: &str,
    agentid: i64,
) -> Result<&'s mut crate::state::AppChat, ApiError> {
    let Some(chat) = groups.app_chat_mut(chatid) else {
        return Err(ApiError::new(code::CHAT_NOT_FOUND, format!("no app chat {chatid:?}")));
    };
    if chat.agentid != agentid {
        return Err(ApiError::new(
            code::CHAT_NOT_OWN,
            format!("chat {chatid:?} was created by app {}, not {agentid}", chat.agentid),
        ));
    }
    Ok(chat)
}
