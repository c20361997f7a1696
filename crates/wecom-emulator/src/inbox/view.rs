//! What the inbox page reads besides the admin API: the members (`GET /emulator/users`), one
//! member's conversation (`GET /emulator/users/{userid}/inbox`), stored media without a
//! token (`GET /emulator/media/{media_id}`) and a message body byte for byte
//! (`GET /emulator/messages/{msgid}/body`).

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::admin::AdminError;
use crate::state::{CardState, Direction, EmulatorState, MediaKind, Message, Origin, Status};

pub(super) fn router() -> Router<EmulatorState> {
    Router::new()
        .route("/emulator/users", get(users))
        .route("/emulator/users/{userid}/inbox", get(inbox))
        .route("/emulator/media/{media_id}", get(media))
        .route("/emulator/messages/{msgid}/body", get(body))
}

/// The last messages a member's view shows unless `limit` says otherwise.
const DEFAULT_LIMIT: usize = 200;

#[derive(Serialize)]
struct AppInfo<'a> {
    agentid: i64,
    name: &'a str,
    /// Whether member actions reach the app (it has a callback URL).
    callback: bool,
}

#[derive(Serialize)]
struct UserInfo<'a> {
    userid: &'a str,
    name: &'a str,
    licensed: bool,
    /// The apps whose visible range includes the member.
    apps: Vec<i64>,
}

#[derive(Serialize)]
struct MemberList<'a> {
    corp_name: &'a str,
    apps: Vec<AppInfo<'a>>,
    users: Vec<UserInfo<'a>>,
}

/// The apps that can reach the member at `idx`.
fn apps_of(state: &EmulatorState, idx: u32) -> Vec<i64> {
    let dir = &state.inner.dir;
    state
        .config()
        .apps
        .iter()
        .filter(|a| dir.visibility.get(&a.agentid).is_some_and(|v| v.users[idx as usize]))
        .map(|a| a.agentid)
        .collect()
}

fn app_infos(state: &EmulatorState) -> Vec<AppInfo<'_>> {
    state
        .config()
        .apps
        .iter()
        .map(|a| AppInfo {
            agentid: a.agentid,
            name: &a.name,
            callback: state.callback_target(a.agentid).is_some(),
        })
        .collect()
}

async fn users(State(state): State<EmulatorState>) -> Result<Response, AdminError> {
    let config = state.config();
    let users = config
        .users
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let idx = u32::try_from(i).unwrap_or(u32::MAX);
            UserInfo {
                userid: state.inner.dir.userid(idx),
                name: &u.name,
                licensed: u.licensed,
                apps: apps_of(&state, idx),
            }
        })
        .collect();
    json(&MemberList { corp_name: &config.corp_name, apps: app_infos(&state), users })
}

#[derive(Deserialize)]
struct InboxQuery {
    agentid: Option<i64>,
    limit: Option<usize>,
}

/// A stored file a message refers to.
#[derive(Serialize)]
struct MediaInfo {
    kind: MediaKind,
    filename: String,
    content_type: String,
    size: usize,
    /// Older than the 3 days `media/get` serves (the inbox still shows it).
    expired: bool,
}

/// One message as the member sees it.
#[derive(Serialize)]
struct Item<'a> {
    msgid: &'a str,
    agentid: i64,
    msgtype: &'a str,
    direction: Direction,
    origin: Origin,
    sent_at_ms: i64,
    /// `delivered`, `dropped` or `recalled` for the member's copy; `sent` for the member's
    /// own message to the app.
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    recalled_at_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    card_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    task_id: Option<&'a str>,
    /// This member's copy of a template card.
    #[serde(skip_serializing_if = "Option::is_none")]
    card: Option<&'a CardState>,
    body: &'a RawValue,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    media: BTreeMap<String, MediaInfo>,
}

#[derive(Serialize)]
struct Inbox<'a> {
    userid: &'a str,
    name: &'a str,
    licensed: bool,
    /// The apps whose visible range includes the member.
    apps: Vec<i64>,
    /// Every app of the corp.
    all_apps: Vec<AppInfo<'a>>,
    /// Newest first.
    messages: Vec<Item<'a>>,
}

/// Every `media_id` / `thumb_media_id` string in a body or card.
fn media_ids<'v>(value: &'v Value, out: &mut Vec<&'v str>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("media_id" | "thumb_media_id", Value::String(id)) => out.push(id),
                    _ => media_ids(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| media_ids(v, out)),
        _ => {}
    }
}

fn item<'a>(state: &EmulatorState, m: &'a Message, user: &str) -> Item<'a> {
    let copy = m.recipient(user);
    let status = match (m.direction, copy.map(|c| c.status)) {
        (Direction::UserToApp, _) => "sent",
        (_, Some(Status::Dropped)) => "dropped",
        (_, Some(Status::Recalled)) => "recalled",
        _ => "delivered",
    };
    let card = copy.and_then(|c| c.card.as_deref());
    let body = m.body_json();
    let mut ids = Vec::new();
    media_ids(&body, &mut ids);
    if let Some(replaced) = card.and_then(|c| c.replaced_card.as_ref()) {
        media_ids(replaced, &mut ids);
    }
    let now = state.clock().now_ms();
    let store = state.media();
    let media = ids
        .into_iter()
        .filter_map(|id| {
            let file = store.temporary.get(id)?;
            let info = MediaInfo {
                kind: file.kind,
                filename: file.filename.clone(),
                content_type: file.content_type.clone(),
                size: file.data.len(),
                expired: store.live(id, now).is_none(),
            };
            Some((id.to_owned(), info))
        })
        .collect();
    Item {
        msgid: &m.msgid,
        agentid: m.agentid,
        msgtype: &m.msgtype,
        direction: m.direction,
        origin: m.origin,
        sent_at_ms: m.sent_at_ms,
        status,
        recalled_at_ms: m.recalled_at_ms.filter(|_| status == "recalled"),
        card_type: m.card_type.as_deref(),
        task_id: m.task_id.as_deref(),
        card,
        body: &m.body,
        media,
    }
}

async fn inbox(
    State(state): State<EmulatorState>,
    Path(userid): Path<String>,
    Query(q): Query<InboxQuery>,
) -> Result<Response, AdminError> {
    let dir = &state.inner.dir;
    let idx = dir
        .lookup(&userid)
        .ok_or_else(|| AdminError::not_found(format!("no member {userid:?}")))?;
    let user = dir.userid(idx);
    // Copy the matches under the lock, build the answer after releasing it.
    let list: Vec<Message> = state
        .store()
        .messages
        .iter()
        .rev()
        .filter(|m| m.involves(user))
        .filter(|m| q.agentid.is_none_or(|a| m.agentid == a))
        .take(q.limit.unwrap_or(DEFAULT_LIMIT))
        .cloned()
        .collect();
    let config = &state.config().users[idx as usize];
    json(&Inbox {
        userid: user,
        name: &config.name,
        licensed: config.licensed,
        apps: apps_of(&state, idx),
        all_apps: app_infos(&state),
        messages: list.iter().map(|m| item(&state, m, user)).collect(),
    })
}

/// Temporary media by id, without a token and also after the 3 days of `media/get`: what
/// the member's client keeps showing.
async fn media(State(state): State<EmulatorState>, Path(media_id): Path<String>) -> Response {
    let file = state.media().temporary.get(&media_id).cloned();
    match file {
        Some(m) => crate::api::media::file_response(&m),
        None => AdminError::not_found(format!("no media {media_id}")).into_response(),
    }
}

/// The body of a message exactly as received.
async fn body(
    State(state): State<EmulatorState>,
    Path(msgid): Path<String>,
) -> Result<Response, AdminError> {
    let text = {
        let store = state.store();
        let idx = store
            .find(&msgid)
            .ok_or_else(|| AdminError::not_found(format!("no message {msgid}")))?;
        store
            .get(idx)
            .ok_or_else(|| AdminError::not_found(format!("no message {msgid}")))?
            .raw_body()
    };
    Ok(crate::api::error::json_response(text))
}

pub(super) fn json<T: Serialize>(value: &T) -> Result<Response, AdminError> {
    let body = serde_json::to_string(value).map_err(|e| AdminError::bad(e.to_string()))?;
    Ok(crate::api::error::json_response(body))
}
