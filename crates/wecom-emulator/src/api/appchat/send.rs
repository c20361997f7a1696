//! `POST /cgi-bin/appchat/send`: an app posts into a chat it created. The content is checked
//! by the same raw-JSON validation as `message/send` (§2.3–§2.11); template cards and mini
//! program notices are refused (40008), `agentid` plays no part (the token's app sends).
//!
//! Each member's copy counts against that member's app-chat limits (per app: by default 200 a
//! minute and 10,000 a day); past them WeCom drops the copy without an error, and so does the
//! emulator: the answer is still `ok`, and the message records the members it was dropped for.

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

use super::{check_chat_id, owned, root_app};
use crate::api::error::{ApiError, code, json_response};
use crate::api::send::{check_media, parse_object};
use crate::events::Event;
use crate::ids;
use crate::state::{Attachment, EmulatorState, GroupKind, GroupMessage};
use crate::validate::Obj;
use crate::validate::message as vmsg;

pub(in crate::api) async fn send(
    State(state): State<EmulatorState>,
    uri: Uri,
    body: Bytes,
) -> Response {
    match send_inner(&state, uri.query(), &body) {
        Ok(()) => json_response(r#"{"errcode":0,"errmsg":"ok"}"#.to_owned()),
        Err(e) => e.into_response(),
    }
}

fn send_inner(state: &EmulatorState, query: Option<&str>, raw: &[u8]) -> Result<(), ApiError> {
    let agentid = root_app(state, query)?;
    let map = parse_object(raw)?;
    let body = Obj::new(&map, "");
    let chatid = body.req_str("chatid", code::EMPTY_PARAMETER)?;
    check_chat_id(chatid)?;
    let msgtype = vmsg::msgtype(body)?;
    if matches!(msgtype, "template_card" | "miniprogram_notice") {
        return Err(ApiError::new(
            code::INVALID_MSGTYPE,
            format!("msgtype {msgtype} cannot be sent to an app chat"),
        ));
    }
    let checked = vmsg::check(body, msgtype)?;
    check_media(state, &checked.media)?;
    let now = state.clock().now_ms();
    let attachment = checked.media.first().and_then(|r| {
        state.media().live(&r.media_id, now).map(|m| Attachment {
            media_id: r.media_id.clone(),
            filename: m.filename.clone(),
            size: m.data.len(),
        })
    });
    let text =
        std::str::from_utf8(raw).map_err(|_| ApiError::wrong_json("the body is not UTF-8"))?;
    let json = serde_json::value::RawValue::from_string(text.trim().to_owned())
        .map_err(|e| ApiError::wrong_json(e.to_string()))?;
    let app = state.config().app(agentid).map(|a| a.name.clone()).unwrap_or_default();
    let opts = &state.config().options;
    let id = ids::opaque("g", 24);
    {
        let mut groups = state.groups();
        let members = owned(&mut groups, chatid, agentid)?.members.clone();
        let total = members.len();
        let dropped: Vec<String> = members
            .into_iter()
            .filter(|m| {
                !groups.admit_chat_delivery(
                    agentid,
                    m,
                    now,
                    opts.chat_member_limit_per_minute,
                    opts.chat_member_limit_per_day,
                )
            })
            .collect();
        if !dropped.is_empty() {
            tracing::debug!(
                chatid,
                dropped = dropped.len(),
                "app chat copies dropped (member limits)"
            );
        }
        let message = GroupMessage {
            id: id.clone(),
            chatid: chatid.to_owned(),
            kind: GroupKind::Appchat,
            bot: if app.is_empty() { format!("App {agentid}") } else { app },
            agentid: Some(agentid),
            delivered: total - dropped.len(),
            dropped,
            msgtype: msgtype.to_owned(),
            body: json,
            mentions: Vec::new(),
            attachment,
            sent_at_ms: now,
        };
        groups.push_message(message, state.retention(), now);
    }
    state.changed(Event::GroupMessage { id, chatid: chatid.to_owned() });
    Ok(())
}
