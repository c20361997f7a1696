//! Group chats in the admin API, both kinds in one listing: the groups of the configuration
//! with their webhook bots, and the app group chats apps created (`appchat/create`), with
//! the messages posted into each.
//!
//! * `GET /emulator/groups` — `{"groups": [{chatid, kind, name, members, …}]}`: webhook
//!   groups first (`kind: "webhook"`, with `bots: [{name, enabled}]`, keys only with
//!   `?secrets=true`, as `GET /emulator/config` does), then app chats in creation order
//!   (`kind: "appchat"`, with `owner`, `agentid` and `app`, the creating app's name);
//! * `GET /emulator/groups/{chatid}/messages[?limit=N]` — `{"messages": [...]}`, oldest first:
//!   id, kind, bot (the sender's name: the bot's or the app's), agentid (app chats), msgtype,
//!   the body as received, the members mentioned, the attachment of a file or voice, the
//!   members reached (`delivered`) and those whose copy was dropped, and the virtual time;
//!   and `retention: {retained, dropped_oldest, retain_messages, retain_seconds}`, the group
//!   messages kept and forgotten so far over all groups (group messages follow the message
//!   retention, the oldest of any group forgotten first).

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{AdminError, AdminResult, Retained};
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

/// Every group of both kinds, as listed by `GET /emulator/groups`.
pub(crate) fn list(state: &EmulatorState, secrets: bool) -> Vec<Value> {
    let config = state.config();
    let mut groups: Vec<Value> = config
        .groups
        .iter()
        .map(|g| {
            let bots: Vec<Value> = g
                .bots
                .iter()
                .map(|b| {
                    let mut bot = json!({ "name": b.name, "enabled": b.enabled });
                    if secrets {
                        bot["key"] = json!(b.key.expose());
                    }
                    bot
                })
                .collect();
            json!({
                "chatid": g.chatid, "kind": "webhook", "name": g.name,
                "members": g.members, "bots": bots
            })
        })
        .collect();
    groups.extend(state.groups().app_chats.iter().map(|c| {
        let app = config.app(c.agentid).map_or("", |a| a.name.as_str());
        json!({
            "chatid": c.chatid, "kind": "appchat", "name": c.name, "members": c.members,
            "owner": c.owner, "agentid": c.agentid, "app": app,
            "created_at_ms": c.created_at_ms
        })
    }));
    groups
}

async fn groups(State(state): State<EmulatorState>, Query(q): Query<GroupsQuery>) -> AdminResult {
    Ok(axum::Json(json!({ "groups": list(&state, q.secrets) })))
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
    let groups = state.groups();
    let known = state.config().groups.iter().any(|g| g.chatid == chatid)
        || groups.app_chat(&chatid).is_some();
    if !known {
        return Err(AdminError::not_found(format!("no group {chatid}")));
    }
    let retention = Retained::new(&state, groups.messages.len(), groups.messages_dropped);
    let mut list: Vec<_> = groups
        .messages
        .iter()
        .rev()
        .filter(|m| m.chatid == chatid)
        .take(q.limit.unwrap_or(usize::MAX))
        .cloned()
        .collect();
    drop(groups);
    list.reverse();
    let value = serde_json::to_value(&list).map_err(|e| AdminError::bad(e.to_string()))?;
    Ok(axum::Json(json!({ "messages": value, "retention": retention })))
}
