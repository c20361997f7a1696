//! `POST /cgi-bin/message/send` (§2): validate the raw JSON, resolve recipients against the
//! app's visible range, apply the duplicate check, `task_id` uniqueness and the per-member
//! limits, and record the message.
//!
//! Parsing, validation and recipient resolution run without any lock; the store's mutex is
//! held only for the bookkeeping at the end.

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::Serialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::auth;
use super::error::{ApiError, code, json_response};
use crate::events::Event;
use crate::ids;
use crate::state::recipients::{self, Resolved};
use crate::state::store::{DupEntry, ResponseCode, body_hash};
use crate::state::{Direction, EmulatorState, Message, Origin, Recipient};
use crate::validate::Obj;
use crate::validate::message::{self as vmsg, Checked, MediaRef};

/// Lifetime of a `response_code`: 72 hours.
pub(crate) const RESPONSE_CODE_TTL_MS: i64 = 72 * 3600 * 1000;

#[derive(Serialize)]
struct SendResponse<'a> {
    errcode: i64,
    errmsg: &'a str,
    #[serde(skip_serializing_if = "String::is_empty")]
    invaliduser: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    invalidparty: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    invalidtag: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    unlicenseduser: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    msgid: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    response_code: Option<&'a str>,
}

pub(super) async fn send(State(state): State<EmulatorState>, uri: Uri, body: Bytes) -> Response {
    match send_inner(&state, uri.query(), &body) {
        Ok(json) => json_response(json),
        Err(e) => e.into_response(),
    }
}

/// `agentid`: required (41011) except for `miniprogram_notice`, whose documented body has
/// none (UNVERIFIED §2.12: the token's app is assumed then); an integer of an existing app
/// (40056) — a string of digits counts, as for the other integer fields clients send as
/// strings (WeCom's parser reads them as numbers); the token's own app (301002).
pub(crate) fn agentid(
    state: &EmulatorState,
    body: Obj<'_>,
    token_app: i64,
    optional: bool,
) -> Result<i64, ApiError> {
    let agentid = match body.map.get("agentid") {
        None | Some(Value::Null) if optional => return Ok(token_app),
        None | Some(Value::Null) => {
            return Err(ApiError::new(code::MISSING_AGENT_ID, "agentid is required"));
        }
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().ok()
        }
        Some(_) => None,
    };
    let Some(agentid) = agentid else {
        return Err(ApiError::new(code::INVALID_AGENT_ID, "agentid must be an integer"));
    };
    if state.config().app(agentid).is_none() {
        return Err(ApiError::new(
            code::INVALID_AGENT_ID,
            format!("agentid {agentid} is not an app of this corp"),
        ));
    }
    if agentid != token_app {
        return Err(ApiError::new(
            code::AGENT_NOT_PERMITTED,
            format!("the access_token belongs to app {token_app}, not to agentid {agentid}"),
        ));
    }
    Ok(agentid)
}

/// Parses a body as a JSON object (40058 with WeCom's JSON warning otherwise).
pub(crate) fn parse_object(body: &[u8]) -> Result<serde_json::Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::wrong_json("the body must be a JSON object")),
        Err(e) => Err(ApiError::wrong_json(format!("the body is not valid JSON: {e}"))),
    }
}

fn recipient_list<'a>(
    body: Obj<'a>,
    key: &str,
    max: usize,
    too_long: i64,
) -> Result<&'a str, ApiError> {
    let list = body.str(key)?.unwrap_or("");
    let n = recipients::entries(list).count();
    if n > max {
        return Err(ApiError::new(too_long, format!("{key} lists {n} entries, max {max}")));
    }
    Ok(list)
}

pub(crate) fn check_media(state: &EmulatorState, refs: &[MediaRef]) -> Result<(), ApiError> {
    if refs.is_empty() {
        return Ok(());
    }
    let now = state.clock().now_ms();
    let media = state.media();
    for r in refs {
        let Some(m) = media.live(&r.media_id, now) else {
            return Err(ApiError::new(
                code::INVALID_MEDIA_ID,
                format!("{} is unknown or expired (temporary media lives 3 days)", r.field),
            ));
        };
        if r.want.is_some_and(|k| k != m.kind) {
            return Err(ApiError::new(
                code::INVALID_MEDIA_ID,
                format!(
                    "{} is {} media, not {}",
                    r.field,
                    m.kind.as_str(),
                    r.want.map_or("", |k| k.as_str())
                ),
            ));
        }
        if r.safe_file && !MediaRef::safe_extension_ok(&m.filename) {
            return Err(ApiError::new(
                code::INVALID_MEDIA_FILE_TYPE,
                format!(
                    "{}: file {:?} cannot be sent with safe 1 (txt, pdf, office, xml, images only)",
                    r.field, m.filename
                ),
            ));
        }
    }
    Ok(())
}

fn joined(items: &[String]) -> String {
    items.join("|")
}

fn send_inner(state: &EmulatorState, query: Option<&str>, raw: &Bytes) -> Result<String, ApiError> {
    let token_app = auth(state, query)?;
    let map = parse_object(raw)?;
    let body = Obj::new(&map, "");
    let is_mini = map.get("msgtype").and_then(Value::as_str) == Some("miniprogram_notice");
    let agentid = agentid(state, body, token_app, is_mini)?;
    let msgtype = vmsg::msgtype(body)?;
    let touser = recipient_list(body, "touser", 1000, code::USER_LIST_TOO_LONG)?;
    let toparty = recipient_list(body, "toparty", 100, code::TOO_MANY_PARTIES)?;
    let totag = recipient_list(body, "totag", 100, code::TOO_MANY_TAGS)?;
    if [touser, toparty, totag].iter().all(|l| recipients::entries(l).next().is_none()) {
        return Err(ApiError::new(code::NO_RECIPIENTS, "touser, toparty and totag are all empty"));
    }
    if is_mini {
        if touser == "@all" {
            return Err(ApiError::new(
                code::INVALID_PARAMETER,
                "miniprogram_notice cannot be sent to @all",
            ));
        }
        let Some(bound) = state.config().app(agentid).and_then(|a| a.miniprogram_appid.as_ref())
        else {
            return Err(ApiError::new(
                code::API_FORBIDDEN,
                format!("app {agentid} is not bound to a mini program"),
            ));
        };
        let appid =
            map.get("miniprogram_notice").and_then(|n| n.get("appid")).and_then(Value::as_str);
        if appid.is_some_and(|a| !a.is_empty() && a != bound) {
            return Err(ApiError::new(
                code::INVALID_PARAMETER,
                format!("miniprogram_notice.appid is not the mini program bound to app {agentid}"),
            ));
        }
    }
    let checked = vmsg::check(body, msgtype)?;
    check_media(state, &checked.media)?;
    if checked.card.as_ref().is_some_and(|c| c.interactive)
        && state.callback_target(agentid).is_none()
    {
        // Not documented which code WeCom uses; 48002 (API not permitted) is the nearest.
        return Err(ApiError::new(
            code::API_FORBIDDEN,
            format!("app {agentid} has no callback URL; cards that call back need one"),
        ));
    }
    let resolved = recipients::resolve(&state.inner.dir, agentid, touser, toparty, totag);
    let invalid = |r: &Resolved| {
        (joined(&r.invalid_users), joined(&r.invalid_parties), joined(&r.invalid_tags))
    };
    if !resolved.any_valid {
        let (invaliduser, invalidparty, invalidtag) = invalid(&resolved);
        let errmsg = ApiError::new(
            code::ALL_RECIPIENTS_INVALID,
            "no recipient is in the app's visible range",
        )
        .errmsg();
        return Ok(response(
            code::ALL_RECIPIENTS_INVALID,
            &errmsg,
            (invaliduser, invalidparty, invalidtag),
            String::new(),
            "",
            None,
        ));
    }
    record(state, agentid, msgtype, raw, &map, &checked, resolved)
}

fn response(
    errcode: i64,
    errmsg: &str,
    invalid: (String, String, String),
    unlicenseduser: String,
    msgid: &str,
    response_code: Option<&str>,
) -> String {
    let (invaliduser, invalidparty, invalidtag) = invalid;
    serde_json::to_string(&SendResponse {
        errcode,
        errmsg,
        invaliduser,
        invalidparty,
        invalidtag,
        unlicenseduser,
        msgid,
        response_code,
    })
    .unwrap_or_default()
}

/// The bookkeeping step, under the store lock.
pub(crate) fn record(
    state: &EmulatorState,
    agentid: i64,
    msgtype: &str,
    raw: &Bytes,
    map: &serde_json::Map<String, Value>,
    checked: &Checked,
    resolved: Resolved,
) -> Result<String, ApiError> {
    let now = state.clock().now_ms();
    let opts = &state.config().options;
    let dir = &state.inner.dir;
    let body_value = checked.dup_interval.map(|_| Value::Object(map.clone()));
    let hash = body_value.as_ref().map(body_hash);
    let text =
        std::str::from_utf8(raw).map_err(|_| ApiError::wrong_json("the body is not UTF-8"))?;
    // The JSON is kept apart from the whitespace around it (a `RawValue` holds none); both
    // together are the bytes as received.
    let json = text.trim_matches(|c: char| c.is_ascii_whitespace());
    let start = text.len() - text.trim_start_matches(|c: char| c.is_ascii_whitespace()).len();
    let body_whitespace = (json.len() != text.len())
        .then(|| Box::new((text[..start].to_owned(), text[start + json.len()..].to_owned())));
    let mut store = state.store();
    // Duplicate check (UNVERIFIED §10.13 — WeCom does not document the answer): a body of
    // the same app with the same JSON content inside the window is not delivered again
    // (whitespace and key order do not count: Go's encoder ends every body with a newline,
    // and WeCom compares the request, not its bytes); the answer is errcode 0 with the
    // original msgid (and response_code), and the original record counts the suppressed
    // duplicate.
    if let Some(h) = hash
        && let Some(DupEntry { msg, until_ms }) = store.dup.get(&(agentid, h)).copied()
        && until_ms > now
        && store.get(msg).is_some_and(|m| Some(&m.body_json()) == body_value.as_ref())
        && let Some(m) = store.get_mut(msg)
    {
        m.duplicates_suppressed += 1;
        let invalid = (joined(&m.invaliduser), joined(&m.invalidparty), joined(&m.invalidtag));
        return Ok(response(
            0,
            "ok",
            invalid,
            joined(&m.unlicenseduser),
            &m.msgid,
            m.response_code.as_deref(),
        ));
    }
    let card = checked.card.as_ref();
    if let Some(task_id) = card.and_then(|c| c.task_id.as_deref()) {
        // Reuse is not documented (UNVERIFIED §10.14); 42014 is the nearest code.
        if store.task_ids.get(&agentid).is_some_and(|s| s.contains(task_id)) {
            return Err(ApiError::new(
                code::INVALID_TASK_ID,
                format!(
                    "task_id {task_id:?} was already used by app {agentid}; task ids must not repeat"
                ),
            ));
        }
        store.task_ids.entry(agentid).or_default().insert(task_id.to_owned());
    }
    let with_card = card.is_some();
    let recipients: Vec<Recipient> = resolved
        .users
        .iter()
        .map(|&u| Recipient {
            userid: dir.userid(u).to_owned(),
            status: store.admit_in(
                agentid,
                u,
                now,
                i64::try_from(opts.member_window_ms).unwrap_or(i64::MAX),
                opts.member_limit_per_minute,
                opts.member_limit_per_hour,
            ),
            card: with_card.then(Default::default),
        })
        .collect();
    let msgid = ids::opaque("", 43);
    let response_code = card.filter(|c| c.interactive).map(|_| ids::opaque("rc", 40));
    let body =
        RawValue::from_string(json.to_owned()).map_err(|e| ApiError::wrong_json(e.to_string()))?;
    let message = Message {
        msgid: msgid.clone(),
        agentid,
        msgtype: msgtype.to_owned(),
        direction: Direction::AppToUser,
        origin: Origin::Api,
        from_user: None,
        body,
        body_whitespace,
        sent_at_ms: now,
        recipients,
        invaliduser: resolved.invalid_users,
        invalidparty: resolved.invalid_parties,
        invalidtag: resolved.invalid_tags,
        unlicenseduser: resolved.unlicensed,
        card_type: card.map(|c| c.card_type.to_owned()),
        task_id: card.and_then(|c| c.task_id.clone()),
        response_code: response_code.clone(),
        recalled_at_ms: None,
        duplicates_suppressed: 0,
    };
    let invalid =
        (joined(&message.invaliduser), joined(&message.invalidparty), joined(&message.invalidtag));
    let unlicensed = joined(&message.unlicenseduser);
    let idx = store.push(message, state.retention(), now);
    if let (Some(h), Some(interval)) = (hash, checked.dup_interval) {
        store.dup.insert((agentid, h), DupEntry { msg: idx, until_ms: now + interval * 1000 });
    }
    if let Some(rc) = &response_code {
        store.response_codes.insert(
            rc.clone(),
            ResponseCode {
                msg: idx,
                agentid,
                user: None,
                expires_ms: now + RESPONSE_CODE_TTL_MS,
                used: false,
            },
        );
    }
    drop(store);
    let json = response(0, "ok", invalid, unlicensed, &msgid, response_code.as_deref());
    tracing::debug!(%msgid, agentid, msgtype, "message accepted");
    state.changed(Event::MessageAccepted { msgid, agentid });
    Ok(json)
}
