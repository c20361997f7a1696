//! Group chats in the admin API: the groups with their members and bots, and the messages
//! webhook bots posted into each.
//!
//! * `GET /emulator/groups` — `{"groups": [{chatid, name, members, bots: [{name, enabled}]}]}`
//!   (keys only with `?secrets=true`, as `GET /emulator/config` does);
//! * `GET /emulator/groups/{chatid}/messages[?limit=N]` — `{"messages": [...]}`, oldest first:
//!   id, bot, msgtype, the body as received, the members mentioned, the attachment of a
//!   file or voice, and the virtual time.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{AdminError, AdminResult};
use crate::state::EmulatorState;

pub(super) fn router() -> Router<EmulatorState> {
    Router::new()
        .route("/emulator/groups", get(groups))
        .route("/emulator/groups/{chatid}/messages", get(messages))
}

#[derive(Deserialize)]
struct GroupsQuery {
    #[serde(default)]
    secrets: bool,
}

async fn groups(State(state): State<EmulatorState>, Query(q): Query<GroupsQuery>) -> AdminResult {
    let groups: Vec<Value> = state
        .config()
        .groups
        .iter()
        .map(|g| {
            let bots: Vec<Value> = g
                .bots
                .iter()
                .map(|b| {
                    let mut bot = json!({ "name": b.name, "enabled": b.enabled });
                    if q.secrets {
                        bot["key"] = json!(b.key.expose());
                    }
                    bot
                })
                .collect();
            json!({ "chatid": g.chatid, "name": g.name, "members": g.members, "bots": bots })
        })
        .collect();
    Ok(axum::Json(json!({ "groups": groups })))
}

#[derive(Deserialize)]
struct MessagesQuery {
    limit: Option<usize>,
}

async fn messages(
    State(state): State<EmulatorState>,
    Path(chatid): Path<String>,
    Query(q): Query<MessagesQuery>,
) -> AdminResult {
    if !state.config().groups.iter().any(|g| g.chatid == chatid) {
        return Err(AdminError::not_found(format!("no group {chatid}")));
    }
    let mut list: Vec<_> = state
        .groups()
        .messages
        .iter()
        .rev()
        .filter(|m| m.chatid == chatid)
        .take(q.limit.unwrap_or(usize::MAX))
        .cloned()
        .collect();
    list.reverse();
    let value = serde_json::to_value(&list).map_err(|e| AdminError::bad(e.to_string()))?;
    Ok(axum::Json(json!({ "messages": value })))
}
