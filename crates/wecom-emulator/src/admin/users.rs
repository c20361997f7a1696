//! Acting as a member: send a message to an app, trigger an event, click a template-card
//! button, submit a vote or selection, pick an action-menu item. Each action becomes a
//! callback to the app (see [`crate::callback`]); card actions carry a fresh single-use
//! `ResponseCode` (72 h). By default the call waits for the delivery to finish and answers
//! with the callback record; `?wait=false` answers at once.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::post;
use bytes::Bytes;
use rand::RngExt;
use serde::Deserialize;
use serde_json::{Map, Value, json};

mod cards;

use super::{AdminError, AdminResult, parse};
use crate::callback::xml::header;
use crate::callback::{Delivery, deliver};
use crate::state::inbox::record_other;
use crate::state::{Direction, EmulatorState, Origin};
use wecom_model::xml::XmlWriter;

pub(super) fn router() -> Router<EmulatorState> {
    Router::new()
        .route("/emulator/users/{userid}/messages", post(user_message))
        .route("/emulator/users/{userid}/events", post(user_event))
        .route("/emulator/users/{userid}/cards/{msgid}/click", post(cards::click))
        .route("/emulator/users/{userid}/cards/{msgid}/submit", post(cards::submit))
        .route("/emulator/users/{userid}/cards/{msgid}/menu", post(cards::menu))
}

#[derive(Deserialize)]
pub(super) struct Wait {
    #[serde(default = "yes")]
    pub(super) wait: bool,
}

fn yes() -> bool {
    true
}

pub(super) async fn run(state: EmulatorState, d: Delivery, wait: bool) -> AdminResult {
    if wait {
        let record = deliver(&state, d).await;
        return Ok(axum::Json(json!(record)));
    }
    let response_code = d.response_code.clone();
    tokio::spawn(async move { deliver(&state, d).await });
    Ok(axum::Json(json!({ "queued": true, "response_code": response_code })))
}

/// The member (lower-cased), who must exist and be in the app's visible range.
fn member(state: &EmulatorState, userid: &str, agentid: i64) -> Result<String, AdminError> {
    let dir = &state.inner.dir;
    let idx =
        dir.lookup(userid).ok_or_else(|| AdminError::not_found(format!("no member {userid:?}")))?;
    let vis = dir
        .visibility
        .get(&agentid)
        .ok_or_else(|| AdminError::not_found(format!("no app {agentid}")))?;
    if !vis.users[idx as usize] {
        return Err(AdminError::conflict(format!(
            "{userid} is not in app {agentid}'s visible range"
        )));
    }
    Ok(dir.userid(idx).to_owned())
}

fn msg_id() -> u64 {
    rand::rng().random_range(1u64 << 60..i64::MAX as u64)
}

async fn user_message(
    State(state): State<EmulatorState>,
    Path(userid): Path<String>,
    Query(w): Query<Wait>,
    body: Bytes,
) -> AdminResult {
    let req: Map<String, Value> = parse(&body)?;
    let agentid = req
        .get("agentid")
        .and_then(Value::as_i64)
        .ok_or_else(|| AdminError::bad("agentid is required"))?;
    let user = member(&state, &userid, agentid)?;
    let msgtype = req.get("msgtype").and_then(Value::as_str).unwrap_or("text").to_owned();
    let s = |k: &str| req.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    let n = |k: &str| req.get(k).and_then(Value::as_f64).unwrap_or(0.0);
    let corp = &state.config().corp_id;
    let mut doc = XmlWriter::with_capacity(512);
    header(&mut doc, corp, &user, state.clock().now_secs(), &msgtype)?;
    match msgtype.as_str() {
        "text" => {
            if s("content").is_empty() {
                return Err(AdminError::bad("content is required"));
            }
            doc.text("Content", &s("content"))?;
        }
        "image" => {
            doc.text("PicUrl", &s("pic_url"))?;
            doc.text("MediaId", &s("media_id"))?;
        }
        "voice" => {
            doc.text("MediaId", &s("media_id"))?;
            let format = s("format");
            doc.text("Format", if format.is_empty() { "amr" } else { &format })?;
        }
        "video" => {
            doc.text("MediaId", &s("media_id"))?;
            doc.text("ThumbMediaId", &s("thumb_media_id"))?;
        }
        "location" => {
            doc.value("Location_X", n("latitude"));
            doc.value("Location_Y", n("longitude"));
            doc.value("Scale", n("scale"));
            doc.text("Label", &s("label"))?;
        }
        "link" => {
            doc.text("Title", &s("title"))?;
            doc.text("Description", &s("description"))?;
            doc.text("Url", &s("url"))?;
            doc.text("PicUrl", &s("pic_url"))?;
        }
        other => {
            return Err(AdminError::bad(format!(
                "msgtype {other:?}: use text, image, voice, video, location or link"
            )));
        }
    }
    doc.value("MsgId", msg_id());
    doc.value("AgentID", agentid);
    if msgtype == "location" {
        doc.text("AppType", "wxwork")?;
    }
    let xml = doc.finish();
    let mut recorded = Value::Object(req.clone());
    recorded["msgtype"] = json!(msgtype);
    record_other(&state, agentid, Direction::UserToApp, Origin::User, &user, &recorded);
    let d = Delivery {
        agentid,
        userid: user,
        msgtype,
        event: None,
        card_msgid: None,
        response_code: None,
        xml,
    };
    run(state, d, w.wait).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventReq {
    agentid: i64,
    event: String,
    #[serde(default)]
    event_key: String,
}

async fn user_event(
    State(state): State<EmulatorState>,
    Path(userid): Path<String>,
    Query(w): Query<Wait>,
    body: Bytes,
) -> AdminResult {
    let req: EventReq = parse(&body)?;
    if req.event.is_empty() || req.event.starts_with("template_card") {
        return Err(AdminError::bad(
            "event is required; card events come from the cards/{msgid} actions",
        ));
    }
    let user = member(&state, &userid, req.agentid)?;
    let mut doc = XmlWriter::with_capacity(384);
    header(&mut doc, &state.config().corp_id, &user, state.clock().now_secs(), "event")?;
    doc.text("Event", &req.event)?;
    doc.text("EventKey", &req.event_key)?;
    doc.value("AgentID", req.agentid);
    let xml = doc.finish();
    let d = Delivery {
        agentid: req.agentid,
        userid: user,
        msgtype: "event".to_owned(),
        event: Some(req.event),
        card_msgid: None,
        response_code: None,
        xml,
    };
    run(state, d, w.wait).await
}
