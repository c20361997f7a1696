//! The AI-bot admin routes: the actions of a member (write, open the chat, click a card,
//! give feedback), delivered over HTTP callbacks or the bot's WebSocket connection; the
//! listings are in [`list`], the WeCom-facing `response_url` in [`super::response_url`].

mod list;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::config::{AibotConfig, AibotMode};
use super::drive;
use super::store::Turn;
use super::validate::Answering;
use super::ws::ReqKind;
use super::ws::deliver::{self as ws_deliver, Wait as WsWait};
use crate::state::EmulatorState;

pub(crate) fn router() -> Router<EmulatorState> {
    Router::new()
        .route("/emulator/aibots", get(list::bots))
        .route("/emulator/aibots/{botid}/messages", post(send_message))
        .route("/emulator/aibots/{botid}/enter_chat", post(enter_chat))
        .route("/emulator/aibots/{botid}/turns", get(list::turns))
        .route("/emulator/aibots/{botid}/turns/{id}", get(list::turn))
        .route("/emulator/aibots/{botid}/turns/{id}/click", post(click))
        .route("/emulator/aibots/{botid}/turns/{id}/feedback", post(feedback))
}

pub(super) fn bad(status: StatusCode, msg: impl Into<String>) -> Response {
    (status, Json(json!({ "error": msg.into() }))).into_response()
}

/// A refused admin action: its status and reason.
struct Rejection(StatusCode, &'static str);

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        bad(self.0, self.1)
    }
}

fn bot(state: &EmulatorState, botid: &str) -> Result<AibotConfig, Rejection> {
    let bot = state.config().aibots.iter().find(|b| b.botid == botid).cloned();
    bot.ok_or(Rejection(StatusCode::NOT_FOUND, "no such bot"))
}

pub(super) fn is_ws(bot: &AibotConfig) -> bool {
    bot.mode == AibotMode::Websocket
}

/// How long a member action on a WebSocket-mode bot waits for the first answer (as long as
/// an HTTP callback try may take).
fn answer_wait(state: &EmulatorState) -> WsWait {
    WsWait {
        timeout: std::time::Duration::from_millis(state.config().options.callback_timeout_ms),
        done: ws_deliver::answered,
    }
}

fn known_member(state: &EmulatorState, userid: &str) -> Result<(), Rejection> {
    if state.config().users.iter().any(|u| u.userid.eq_ignore_ascii_case(userid)) {
        Ok(())
    } else {
        Err(Rejection(StatusCode::NOT_FOUND, "no such member"))
    }
}

/// The emulator's own base URL as the caller reached it (for `response_url`).
fn base(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
    format!("http://{host}")
}

/// Records a new turn of `bot` now, under the configured retention; returns its id.
fn add_turn(
    state: &EmulatorState,
    bot: &AibotConfig,
    userid: &str,
    chatid: Option<&str>,
    kind: &str,
    callback: Value,
) -> u64 {
    let turn = Turn::new(&bot.botid, userid, chatid, kind, callback, state.clock().now_ms());
    state.inner.aibots.add(turn, state.retention())
}

#[derive(Deserialize)]
struct MessageBody {
    userid: String,
    #[serde(default)]
    content: String,
    #[serde(default)]
    chatid: Option<String>,
    #[serde(default)]
    msgtype: Option<String>,
    /// The payload object for other msgtypes (`{"url": …}` for image/file).
    #[serde(default)]
    payload: Option<Value>,
    #[serde(default)]
    quote: Option<Value>,
}

#[derive(Deserialize)]
struct Wait {
    #[serde(default)]
    wait: Option<String>,
}

async fn send_message(
    State(state): State<EmulatorState>,
    Path(botid): Path<String>,
    Query(wait): Query<Wait>,
    headers: HeaderMap,
    Json(body): Json<MessageBody>,
) -> Response {
    let bot = match bot(&state, &botid) {
        Ok(b) => b,
        Err(r) => return r.into_response(),
    };
    if let Err(r) = known_member(&state, &body.userid) {
        return r.into_response();
    }
    let msgtype = body.msgtype.unwrap_or_else(|| "text".into());
    let payload = match (msgtype.as_str(), body.payload) {
        (_, Some(p)) => p,
        ("text" | "voice", None) => json!({ "content": body.content }),
        _ => return bad(StatusCode::BAD_REQUEST, "payload is required for this msgtype"),
    };
    if body.chatid.is_some() && !matches!(msgtype.as_str(), "text" | "mixed") {
        // In groups only text and mixed messages reach the bot (with the @mention).
        return bad(
            StatusCode::BAD_REQUEST,
            "in a group chat only text and mixed messages reach a bot",
        );
    }
    let mut plain = drive::header(&bot, &body.userid, body.chatid.as_deref());
    let turn = add_turn(&state, &bot, &body.userid, body.chatid.as_deref(), "message", Value::Null);
    if is_ws(&bot) {
        // The Node SDK's types allow a `response_url` in WebSocket mode, but what it does there
        // is not documented: the emulator sends none (answers go over the connection).
        plain.insert("create_time".into(), (state.clock().now_ms() / 1000).into());
    } else {
        let code = state.inner.aibots.issue_code(turn, state.clock().now_ms());
        plain.insert(
            "response_url".into(),
            format!("{}/cgi-bin/aibot/response?response_code={code}", base(&headers)).into(),
        );
    }
    plain.insert("msgtype".into(), msgtype.clone().into());
    plain.insert(msgtype, payload);
    if let Some(q) = body.quote {
        plain.insert("quote".into(), q);
    }
    let plain = Value::Object(plain);
    if is_ws(&bot) {
        let wait = match wait.wait.as_deref() {
            Some("false") => None,
            Some("finish") => Some(WsWait {
                timeout: std::time::Duration::from_secs(bot.stream_window_seconds),
                done: ws_deliver::finished,
            }),
            _ => Some(answer_wait(&state)),
        };
        let cmd = "aibot_msg_callback";
        ws_deliver::callback(&state, &bot.botid, turn, cmd, plain, ReqKind::Message, wait).await;
        return Json(state.inner.aibots.get(turn)).into_response();
    }
    state.inner.aibots.update(turn, |t| t.callback = plain.clone());
    let until_finish = wait.wait.as_deref() == Some("finish");
    if wait.wait.as_deref() == Some("false") {
        let state2 = state.clone();
        tokio::spawn(async move { drive::message(&state2, bot, turn, plain, false).await });
    } else {
        drive::message(&state, bot, turn, plain, until_finish).await;
    }
    Json(state.inner.aibots.get(turn)).into_response()
}

#[derive(Deserialize)]
struct Member {
    userid: String,
}

async fn enter_chat(
    State(state): State<EmulatorState>,
    Path(botid): Path<String>,
    Json(body): Json<Member>,
) -> Response {
    let bot = match bot(&state, &botid) {
        Ok(b) => b,
        Err(r) => return r.into_response(),
    };
    if let Err(r) = known_member(&state, &body.userid) {
        return r.into_response();
    }
    let mut plain = drive::header(&bot, &body.userid, None);
    plain.insert("create_time".into(), (state.clock().now_ms() / 1000).into());
    plain.insert("msgtype".into(), "event".into());
    plain.insert("event".into(), json!({ "eventtype": "enter_chat" }));
    let plain = Value::Object(plain);
    let turn = add_turn(&state, &bot, &body.userid, None, "enter_chat", plain.clone());
    if is_ws(&bot) {
        let wait = Some(answer_wait(&state));
        let cmd = "aibot_event_callback";
        ws_deliver::callback(&state, &bot.botid, turn, cmd, plain, ReqKind::EnterChat, wait).await;
    } else {
        drive::event(&state, &bot, turn, &plain, Some(Answering::EnterChat), None).await;
    }
    Json(state.inner.aibots.get(turn)).into_response()
}

#[derive(Deserialize)]
struct Click {
    userid: String,
    event_key: String,
    #[serde(default)]
    selections: Map<String, Value>,
}

async fn click(
    State(state): State<EmulatorState>,
    Path((botid, id)): Path<(String, u64)>,
    headers: HeaderMap,
    Json(body): Json<Click>,
) -> Response {
    let bot = match bot(&state, &botid) {
        Ok(b) => b,
        Err(r) => return r.into_response(),
    };
    let Some(target) = state.inner.aibots.get(id).filter(|t| t.botid == botid) else {
        return bad(StatusCode::NOT_FOUND, "no such turn");
    };
    let Some(card) = target.card_updates.last().or(target.card.as_ref()).cloned() else {
        return bad(StatusCode::CONFLICT, "that turn has no card");
    };
    let task_id = card["task_id"].as_str().unwrap_or_default().to_owned();
    let selected: Vec<Value> = body
        .selections
        .iter()
        .map(|(k, v)| json!({ "question_key": k, "option_ids": { "option_id": v } }))
        .collect();
    let mut data =
        json!({ "card_type": card["card_type"], "event_key": body.event_key, "task_id": task_id });
    if !selected.is_empty() {
        data["selected_items"] = json!({ "selected_item": selected });
    }
    let mut plain = drive::header(&bot, &body.userid, target.chatid.as_deref());
    plain.insert("create_time".into(), (state.clock().now_ms() / 1000).into());
    let turn = add_turn(
        &state,
        &bot,
        &body.userid,
        target.chatid.as_deref(),
        "template_card_event",
        Value::Null,
    );
    if !is_ws(&bot) {
        let code = state.inner.aibots.issue_code(turn, state.clock().now_ms());
        plain.insert(
            "response_url".into(),
            format!("{}/cgi-bin/aibot/response?response_code={code}", base(&headers)).into(),
        );
    }
    plain.insert("msgtype".into(), "event".into());
    // The doc's nesting (`event.template_card_event.*`); the Node SDK's types show the fields
    // flat under `event`, which clients accept as a fallback.
    plain.insert(
        "event".into(),
        json!({ "eventtype": "template_card_event", "template_card_event": data }),
    );
    let plain = Value::Object(plain);
    if is_ws(&bot) {
        let kind = ReqKind::CardEvent { task_id, card_turn: id };
        let wait = Some(answer_wait(&state));
        let cmd = "aibot_event_callback";
        ws_deliver::callback(&state, &bot.botid, turn, cmd, plain, kind, wait).await;
        return Json(state.inner.aibots.get(turn)).into_response();
    }
    state.inner.aibots.update(turn, |t| t.callback = plain.clone());
    drive::event(&state, &bot, turn, &plain, Some(Answering::CardEvent(&task_id)), Some(id)).await;
    Json(state.inner.aibots.get(turn)).into_response()
}

#[derive(Deserialize)]
struct Feedback {
    userid: String,
    #[serde(rename = "type")]
    kind: u32,
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    inaccurate_reason_list: Vec<u32>,
}

async fn feedback(
    State(state): State<EmulatorState>,
    Path((botid, id)): Path<(String, u64)>,
    Json(body): Json<Feedback>,
) -> Response {
    let bot = match bot(&state, &botid) {
        Ok(b) => b,
        Err(r) => return r.into_response(),
    };
    let Some(target) = state.inner.aibots.get(id).filter(|t| t.botid == botid) else {
        return bad(StatusCode::NOT_FOUND, "no such turn");
    };
    let Some(fid) = target.feedback_id.clone() else {
        return bad(StatusCode::CONFLICT, "that answer carried no feedback id");
    };
    let mut data = json!({ "id": fid, "type": body.kind });
    if body.kind == 2 {
        if let Some(c) = body.content {
            data["content"] = c.into();
        }
        if !body.inaccurate_reason_list.is_empty() {
            data["inaccurate_reason_list"] = json!(body.inaccurate_reason_list);
        }
    }
    let mut plain = drive::header(&bot, &body.userid, target.chatid.as_deref());
    plain.insert("create_time".into(), (state.clock().now_ms() / 1000).into());
    plain.insert("msgtype".into(), "event".into());
    plain.insert("event".into(), json!({ "eventtype": "feedback_event", "feedback_event": data }));
    let plain = Value::Object(plain);
    let turn = add_turn(
        &state,
        &bot,
        &body.userid,
        target.chatid.as_deref(),
        "feedback_event",
        plain.clone(),
    );
    if is_ws(&bot) {
        let cmd = "aibot_event_callback";
        ws_deliver::callback(&state, &bot.botid, turn, cmd, plain, ReqKind::NoAnswer, None).await;
    } else {
        drive::event(&state, &bot, turn, &plain, None, None).await;
    }
    Json(state.inner.aibots.get(turn)).into_response()
}
