//! The admin API under `/emulator/`, for tests and tools: inspect messages and callbacks,
//! reset, move the virtual clock, expire tokens, inject faults, change callback URLs, and act
//! as a member (see [`users`]). Answers are JSON; errors use HTTP status codes with
//! `{"error": "…"}` (this API is the emulator's own, not WeCom's).

mod groups;
mod users;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use bytes::Bytes;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::api::error::code;
use crate::config::{Secret, check::check_callback_url};
use crate::faults::Fault;
use crate::state::{CallbackTarget, EmulatorState};

/// An admin error: status and message.
pub(crate) struct AdminError(pub(crate) StatusCode, pub(crate) String);

impl From<wecom_model::InvalidArgument> for AdminError {
    /// A value that cannot be written into a callback (a character XML cannot carry).
    fn from(e: wecom_model::InvalidArgument) -> Self {
        Self::bad(e.to_string())
    }
}

impl AdminError {
    pub(crate) fn bad(msg: impl Into<String>) -> Self {
        Self(StatusCode::BAD_REQUEST, msg.into())
    }

    pub(crate) fn not_found(msg: impl Into<String>) -> Self {
        Self(StatusCode::NOT_FOUND, msg.into())
    }

    pub(crate) fn conflict(msg: impl Into<String>) -> Self {
        Self(StatusCode::CONFLICT, msg.into())
    }
}

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        (self.0, axum::Json(json!({ "error": self.1 }))).into_response()
    }
}

pub(crate) type AdminResult = Result<axum::Json<Value>, AdminError>;

/// Parses a JSON body (an empty body reads as `{}`).
pub(crate) fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, AdminError> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"{}" } else { body };
    serde_json::from_slice(body).map_err(|e| AdminError::bad(format!("invalid JSON body: {e}")))
}

/// The `/emulator/` routes.
pub(crate) fn router() -> Router<EmulatorState> {
    Router::new()
        .route("/emulator/messages", get(messages))
        .route("/emulator/messages/{msgid}", get(message))
        .route("/emulator/reset", post(reset))
        .route("/emulator/clock", get(clock))
        .route("/emulator/clock/advance", post(advance))
        .route("/emulator/tokens/expire", post(expire_tokens))
        .route("/emulator/faults", get(list_faults).post(arm_fault).delete(clear_faults))
        .route("/emulator/callbacks", get(callbacks))
        .route("/emulator/stats", get(stats))
        .route("/emulator/config", get(config))
        .route("/emulator/apps/{agentid}/callback", put(set_callback).delete(remove_callback))
        .route("/emulator/uploads/{file}", get(uploaded_image))
        .merge(users::router())
        .merge(groups::router())
        .layer(DefaultBodyLimit::max(1024 * 1024))
}

#[derive(Deserialize)]
struct MessageFilter {
    user: Option<String>,
    agentid: Option<i64>,
    msgtype: Option<String>,
    /// Only the last N matches.
    limit: Option<usize>,
}

/// A JSON response serialized as is: message bodies are `RawValue`s and keep the exact text
/// (key order included) they were received with.
fn raw_json<T: serde::Serialize>(value: &T) -> Result<Response, AdminError> {
    let body = serde_json::to_string(value).map_err(|e| AdminError::bad(e.to_string()))?;
    Ok(crate::api::error::json_response(body))
}

async fn messages(
    State(state): State<EmulatorState>,
    Query(f): Query<MessageFilter>,
) -> Result<Response, AdminError> {
    let user = f.user.map(|u| u.to_ascii_lowercase());
    // Copy the matches and serialize after releasing the store.
    let store = state.store();
    let retention = Retained::new(&state, store.messages.len(), store.messages.dropped());
    let mut list: Vec<crate::state::Message> = store
        .messages
        .iter()
        .rev()
        .filter(|m| user.as_deref().is_none_or(|u| m.involves(u)))
        .filter(|m| f.agentid.is_none_or(|a| m.agentid == a))
        .filter(|m| f.msgtype.as_deref().is_none_or(|t| m.msgtype == t))
        .take(f.limit.unwrap_or(usize::MAX))
        .cloned()
        .collect();
    drop(store);
    list.reverse();
    raw_json(&MessageList { messages: &list, retention })
}

#[derive(serde::Serialize)]
struct MessageList<'a> {
    messages: &'a [crate::state::Message],
    retention: Retained,
}

/// What a store keeps (app messages, group messages, AI-bot turns): the emulator forgets the
/// oldest entries past its retention. Listings answer it as `retention`.
#[derive(serde::Serialize)]
#[allow(clippy::struct_field_names)]
pub(crate) struct Retained {
    /// Entries kept.
    retained: usize,
    /// The oldest entries forgotten so far.
    dropped_oldest: usize,
    /// The configured limits (0: none).
    retain_messages: usize,
    retain_seconds: u64,
}

impl Retained {
    /// `retained` entries kept and `dropped_oldest` forgotten, under the configured limits.
    pub(crate) fn new(state: &EmulatorState, retained: usize, dropped_oldest: usize) -> Self {
        let options = &state.config().options;
        Self {
            retained,
            dropped_oldest,
            retain_messages: options.retain_messages,
            retain_seconds: options.retain_seconds,
        }
    }
}

async fn message(
    State(state): State<EmulatorState>,
    Path(msgid): Path<String>,
) -> Result<Response, AdminError> {
    let message = {
        let store = state.store();
        let idx = store
            .find(&msgid)
            .ok_or_else(|| AdminError::not_found(format!("no message {msgid}")))?;
        store.get(idx).ok_or_else(|| AdminError::not_found(format!("no message {msgid}")))?.clone()
    };
    raw_json(&message)
}

async fn reset(State(state): State<EmulatorState>) -> AdminResult {
    state.reset();
    Ok(axum::Json(json!({ "reset": true })))
}

fn clock_json(state: &EmulatorState) -> Value {
    let c = state.clock();
    json!({ "now_ms": c.now_ms(), "now": c.now_secs(), "offset_ms": c.offset_ms() })
}

async fn clock(State(state): State<EmulatorState>) -> AdminResult {
    Ok(axum::Json(clock_json(&state)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    seconds: u64,
}

async fn advance(State(state): State<EmulatorState>, body: Bytes) -> AdminResult {
    let a: Advance = parse(&body)?;
    state.clock().advance(a.seconds);
    state.changed_quietly();
    Ok(axum::Json(clock_json(&state)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expire {
    agentid: Option<i64>,
    errcode: Option<i64>,
}

async fn expire_tokens(State(state): State<EmulatorState>, body: Bytes) -> AdminResult {
    let e: Expire = parse(&body)?;
    let errcode = e.errcode.unwrap_or(code::ACCESS_TOKEN_EXPIRED);
    if errcode != code::ACCESS_TOKEN_EXPIRED && errcode != code::INVALID_ACCESS_TOKEN {
        return Err(AdminError::bad("errcode must be 42001 or 40014"));
    }
    if let Some(a) = e.agentid.filter(|&a| state.config().app(a).is_none()) {
        return Err(AdminError::not_found(format!("no app {a}")));
    }
    let now = state.clock().now_ms();
    let expired = state.tokens_mut().revoke(e.agentid, errcode, now);
    state.changed_quietly();
    Ok(axum::Json(json!({ "expired": expired, "errcode": errcode })))
}

async fn list_faults(State(state): State<EmulatorState>) -> AdminResult {
    Ok(axum::Json(json!({ "faults": state.inner.faults.list() })))
}

async fn arm_fault(State(state): State<EmulatorState>, body: Bytes) -> AdminResult {
    let fault: Fault = parse(&body)?;
    state.inner.faults.arm(fault).map_err(AdminError::bad)?;
    Ok(axum::Json(json!({ "faults": state.inner.faults.list() })))
}

async fn clear_faults(State(state): State<EmulatorState>) -> AdminResult {
    state.inner.faults.clear();
    Ok(axum::Json(json!({ "faults": [] })))
}

async fn stats(State(state): State<EmulatorState>) -> AdminResult {
    Ok(axum::Json(state.inner.stats.to_json()))
}

#[derive(Deserialize)]
struct CallbackFilter {
    user: Option<String>,
    agentid: Option<i64>,
}

async fn callbacks(
    State(state): State<EmulatorState>,
    Query(f): Query<CallbackFilter>,
) -> AdminResult {
    let user = f.user.map(|u| u.to_ascii_lowercase());
    let log = state.callbacks();
    let list: Vec<_> = log
        .iter()
        .filter(|c| user.as_deref().is_none_or(|u| c.userid == u))
        .filter(|c| f.agentid.is_none_or(|a| c.agentid == a))
        .collect();
    Ok(axum::Json(json!({ "callbacks": list })))
}

#[derive(Deserialize)]
struct ConfigQuery {
    #[serde(default)]
    secrets: bool,
}

async fn config(State(state): State<EmulatorState>, Query(q): Query<ConfigQuery>) -> AdminResult {
    let mut value =
        serde_json::to_value(state.config()).map_err(|e| AdminError::bad(e.to_string()))?;
    if let Some(apps) = value.get_mut("apps").and_then(Value::as_array_mut) {
        for app in apps {
            let agentid = app.get("agentid").and_then(Value::as_i64).unwrap_or(0);
            let target = state.callback_target(agentid);
            let obj = app.as_object_mut().expect("apps serialize as objects");
            obj.insert("callback_url".to_owned(), json!(target.as_ref().map(|t| t.url.clone())));
            if q.secrets {
                obj.insert(
                    "callback_token".to_owned(),
                    json!(target.as_ref().map(|t| t.token.expose())),
                );
                obj.insert(
                    "encoding_aes_key".to_owned(),
                    json!(target.as_ref().map(|t| t.encoding_aes_key.expose())),
                );
            } else {
                for key in ["secret", "callback_token", "encoding_aes_key"] {
                    obj.remove(key);
                }
            }
        }
    }
    if !q.secrets {
        let groups = value.get_mut("groups").and_then(Value::as_array_mut);
        for bot in groups.into_iter().flatten().filter_map(|g| g.get_mut("bots")) {
            for bot in bot.as_array_mut().into_iter().flatten().filter_map(Value::as_object_mut) {
                bot.remove("key");
            }
        }
    }
    Ok(axum::Json(value))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetCallback {
    url: String,
    token: Option<String>,
    encoding_aes_key: Option<String>,
    /// Run WeCom's URL verification first (the app must echo the decrypted `echostr`).
    #[serde(default)]
    verify: bool,
}

async fn set_callback(
    State(state): State<EmulatorState>,
    Path(agentid): Path<i64>,
    body: Bytes,
) -> AdminResult {
    let req: SetCallback = parse(&body)?;
    if state.config().app(agentid).is_none() {
        return Err(AdminError::not_found(format!("no app {agentid}")));
    }
    check_callback_url(&req.url).map_err(|m| AdminError::bad(format!("url {m}")))?;
    let current = state.callback_target(agentid);
    let token = req.token.map(Secret::new).or_else(|| current.as_ref().map(|t| t.token.clone()));
    let key = req
        .encoding_aes_key
        .map(Secret::new)
        .or_else(|| current.as_ref().map(|t| t.encoding_aes_key.clone()));
    let (Some(token), Some(key)) = (token, key) else {
        return Err(AdminError::bad(
            "this app has no callback token and key yet: give token and encoding_aes_key",
        ));
    };
    let crypt =
        wecom_msgcrypt::MsgCrypt::new(token.expose(), key.expose(), state.config().corp_id.clone())
            .map_err(|e| AdminError::bad(format!("callback settings: {e}")))?;
    if req.verify {
        crate::callback::verify_url(&state, &crypt, &req.url)
            .await
            .map_err(|e| AdminError::conflict(format!("URL verification failed: {e}")))?;
    }
    let url = req.url.clone();
    state.set_callback_target(
        agentid,
        Some(CallbackTarget {
            url: req.url,
            token,
            encoding_aes_key: key,
            crypt: std::sync::Arc::new(crypt),
        }),
    );
    Ok(axum::Json(json!({ "agentid": agentid, "callback_url": url, "verified": req.verify })))
}

async fn remove_callback(
    State(state): State<EmulatorState>,
    Path(agentid): Path<i64>,
) -> AdminResult {
    if state.config().app(agentid).is_none() {
        return Err(AdminError::not_found(format!("no app {agentid}")));
    }
    state.set_callback_target(agentid, None);
    Ok(axum::Json(json!({ "agentid": agentid, "callback_url": null })))
}

async fn uploaded_image(State(state): State<EmulatorState>, Path(file): Path<String>) -> Response {
    let id = file.split_once('.').map_or(file.as_str(), |(id, _)| id);
    let media = state.media().images.get(id).cloned();
    match media {
        Some(m) => crate::api::media::file_response(&m),
        None => AdminError::not_found("no such image").into_response(),
    }
}
