//! A member's conversations, the list the WeCom client opens on: one per app, one per group
//! chat, one per AI bot, each with the preview and time of its newest message and how many
//! messages arrived since the member last opened it. The browser and the tests read this
//! one computation.
//!
//! * `GET /emulator/users/{userid}/conversations` — `{userid, name, licensed, now_ms,
//!   in_any_app_range, apps: [{agentid, name, in_range, callback}], unread,
//!   conversations: [{key, kind, id, name, group_kind?, last?: {preview, at_ms, from},
//!   unread, can_send, cannot_send?}]}`. Conversations with messages come first, newest
//!   activity first; the others follow (apps, groups, AI bots, by name). `now_ms` is the
//!   emulator's virtual clock, for "today" and "yesterday".
//! * `POST /emulator/users/{userid}/conversations/{key}/read` — the member opened the
//!   conversation `key` (`app:{agentid}`, `group:{chatid}`, `aibot:{botid}`): its unread
//!   count drops to 0. Answers the conversation as listed.

mod preview;
mod sources;

use std::cmp::Reverse;

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Serialize;

use self::sources::{Kind, Last, Thread};
use super::reads;
use crate::admin::AdminError;
use crate::state::EmulatorState;

pub(super) fn router() -> Router<EmulatorState> {
    Router::new()
        .route("/emulator/users/{userid}/conversations", get(list))
        .route("/emulator/users/{userid}/conversations/{key}/read", post(read))
}

/// One conversation as listed.
#[derive(Debug, Serialize)]
pub(crate) struct Conversation {
    key: String,
    kind: Kind,
    id: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    group_kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last: Option<Last>,
    unread: usize,
    can_send: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    cannot_send: Option<String>,
}

#[derive(Serialize)]
struct AppRange<'a> {
    agentid: i64,
    name: &'a str,
    /// Whether the app's visible range holds the member.
    in_range: bool,
    /// Whether member messages reach the app (it has a callback URL).
    callback: bool,
}

#[derive(Serialize)]
struct Listing<'a> {
    userid: &'a str,
    name: &'a str,
    licensed: bool,
    now_ms: i64,
    in_any_app_range: bool,
    apps: Vec<AppRange<'a>>,
    /// The sum of the conversations' unread counts.
    unread: usize,
    conversations: Vec<Conversation>,
}

/// Every conversation of the member at `idx` (`user` is its lower-cased UserID), in list
/// order.
pub(crate) fn conversations(state: &EmulatorState, idx: u32, user: &str) -> Vec<Conversation> {
    let mut threads = sources::apps(state, idx, user);
    threads.extend(sources::groups(state, user));
    threads.extend(sources::aibots(state, user));
    threads.sort_by(|a, b| {
        let order = |t: &Thread| (Reverse(t.last.as_ref().map(|l| l.at_ms)), t.kind);
        order(a).cmp(&order(b)).then_with(|| a.name.cmp(&b.name))
    });
    threads.into_iter().map(|t| summarize(state, user, t)).collect()
}

fn summarize(state: &EmulatorState, user: &str, t: Thread) -> Conversation {
    let key = t.key();
    let mark = state.inner.reads.get(user, &key);
    Conversation {
        unread: reads::unread(&t.entries, mark.as_ref()),
        key,
        kind: t.kind,
        id: t.id,
        name: t.name,
        group_kind: t.group_kind,
        last: t.last,
        can_send: t.cannot_send.is_none(),
        cannot_send: t.cannot_send,
    }
}

fn member(state: &EmulatorState, userid: &str) -> Result<u32, AdminError> {
    state
        .inner
        .dir
        .lookup(userid)
        .ok_or_else(|| AdminError::not_found(format!("no member {userid:?}")))
}

async fn list(
    State(state): State<EmulatorState>,
    Path(userid): Path<String>,
) -> Result<Response, AdminError> {
    let idx = member(&state, &userid)?;
    let user = state.inner.dir.userid(idx);
    let conversations = conversations(&state, idx, user);
    let apps: Vec<AppRange<'_>> = state
        .config()
        .apps
        .iter()
        .map(|a| AppRange {
            agentid: a.agentid,
            name: &a.name,
            in_range: sources::in_range(&state, a.agentid, idx),
            callback: state.callback_target(a.agentid).is_some(),
        })
        .collect();
    let config = &state.config().users[idx as usize];
    super::view::json(&Listing {
        userid: user,
        name: &config.name,
        licensed: config.licensed,
        now_ms: state.clock().now_ms(),
        in_any_app_range: apps.iter().any(|a| a.in_range),
        apps,
        unread: conversations.iter().map(|c| c.unread).sum(),
        conversations,
    })
}

async fn read(
    State(state): State<EmulatorState>,
    Path((userid, key)): Path<(String, String)>,
) -> Result<Response, AdminError> {
    let idx = member(&state, &userid)?;
    let user = state.inner.dir.userid(idx);
    let threads = match key.split_once(':').map(|(kind, _)| kind) {
        Some("app") => sources::apps(&state, idx, user),
        Some("group") => sources::groups(&state, user),
        Some("aibot") => sources::aibots(&state, user),
        _ => {
            return Err(AdminError::bad(format!(
                "conversation key {key:?}: use app:{{agentid}}, group:{{chatid}} or aibot:{{botid}}"
            )));
        }
    };
    let thread = threads
        .into_iter()
        .find(|t| t.key() == key)
        .ok_or_else(|| AdminError::not_found(format!("{user} has no conversation {key:?}")))?;
    state.inner.reads.read_all(user, &key, &thread.entries);
    super::view::json(&summarize(&state, user, thread))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::conversations;
    use crate::config::Config;
    use crate::state::inbox::record_other;
    use crate::state::{Direction, EmulatorState, Origin};

    /// A message from an app whose visible range does not (or no longer) hold the member —
    /// as after a restart with a changed configuration and the old state file: the
    /// conversation is listed, and says why the member cannot write to the app.
    #[test]
    fn an_app_that_reached_a_member_outside_its_range_is_listed_without_a_send_box() {
        let state = EmulatorState::new(Config::demo()).unwrap();
        let body = json!({ "msgtype": "text", "text": { "content": "office closed" } });
        record_other(&state, 1_000_003, Direction::AppToUser, Origin::Api, "bob", &body);
        let idx = state.inner.dir.lookup("bob").unwrap();
        let list = conversations(&state, idx, "bob");
        let keys: Vec<&str> = list.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "app:1000003",
                "app:1000002",
                "group:wrdemo-ops",
                "aibot:aib_demo",
                "aibot:aib_ws_demo"
            ]
        );
        let notices = &list[0];
        assert!(!notices.can_send);
        assert_eq!(notices.unread, 1);
        let why = notices.cannot_send.as_deref().unwrap();
        assert!(why.contains("Notices (1000003) does not have you in its visible range"), "{why}");
        assert!(list[1].can_send, "Build bot has bob in its range");
    }
}
