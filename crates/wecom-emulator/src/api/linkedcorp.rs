//! `POST /cgi-bin/linkedcorp/message/send`: an app's message to members of the corp and of
//! linked corps (互联企业). Recipients are JSON arrays: members as `userid` or
//! `corpid/userid`, departments as `department_id` or `linked_id/department_id`, tags,
//! or `toall: 1`; the content is checked like `message/send`'s, template cards refused.
//!
//! The emulated corp has no linked corps: members named with this corp's own id
//! (`wwdemo…/alice`) or bare are delivered like `message/send` copies (and show in the
//! inbox), every other corp's member and every linked department is answered back in
//! `invaliduser` / `invalidparty` (arrays, as WeCom answers this endpoint).

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde_json::{Value, json};

use super::auth;
use super::error::{ApiError, code, json_response};
use super::send::{agentid, check_media, parse_object, record};
use crate::state::EmulatorState;
use crate::state::recipients;
use crate::validate::Obj;
use crate::validate::message as vmsg;

pub(super) async fn send(State(state): State<EmulatorState>, uri: Uri, body: Bytes) -> Response {
    match send_inner(&state, uri.query(), &body) {
        Ok(json) => json_response(json),
        Err(e) => e.into_response(),
    }
}

/// The strings of the array at `key` (numbers allowed for tags and departments).
fn list(body: Obj<'_>, key: &str, max: usize, too_long: i64) -> Result<Vec<String>, ApiError> {
    let Some(items) = body.arr(key)? else { return Ok(Vec::new()) };
    if items.len() > max {
        return Err(ApiError::new(
            too_long,
            format!("{key} lists {} entries, max {max}", items.len()),
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, v)| match v {
            Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_owned()),
            Value::Number(n) if key != "touser" => Ok(n.to_string()),
            _ => Err(ApiError::wrong_json(format!("{key}[{i}] must be a non-empty string"))),
        })
        .collect()
}

fn send_inner(state: &EmulatorState, query: Option<&str>, raw: &Bytes) -> Result<String, ApiError> {
    let token_app = auth(state, query)?;
    let map = parse_object(raw)?;
    let body = Obj::new(&map, "");
    let agentid = agentid(state, body, token_app, false)?;
    let msgtype = vmsg::msgtype(body)?;
    if msgtype == "template_card" {
        return Err(ApiError::new(
            code::INVALID_MSGTYPE,
            "template_card cannot be sent to linked corps",
        ));
    }
    let users = list(body, "touser", 1000, code::USER_LIST_TOO_LONG)?;
    let parties = list(body, "toparty", 100, code::TOO_MANY_PARTIES)?;
    let tags = list(body, "totag", 100, code::TOO_MANY_TAGS)?;
    let toall = body.lenient_int_in("toall", 0..=1)? == Some(1);
    if !toall && users.is_empty() && parties.is_empty() && tags.is_empty() {
        return Err(ApiError::new(code::NO_RECIPIENTS, "touser, toparty and totag are all empty"));
    }
    let checked = vmsg::check(body, msgtype)?;
    check_media(state, &checked.media)?;
    let corp = &state.config().corp_id;
    let mut linked_users = Vec::new();
    let mut local_users = Vec::new();
    for u in users {
        match u.split_once('/') {
            None => local_users.push(u),
            Some((c, id)) if c == corp && !id.is_empty() => local_users.push(id.to_owned()),
            Some(_) => linked_users.push(u),
        }
    }
    let (local_parties, linked_parties): (Vec<String>, Vec<String>) =
        parties.into_iter().partition(|p| !p.contains('/'));
    let touser = if toall { "@all".to_owned() } else { local_users.join("|") };
    let toparty = if toall { String::new() } else { local_parties.join("|") };
    let totag = if toall { String::new() } else { tags.join("|") };
    let resolved = recipients::resolve(&state.inner.dir, agentid, &touser, &toparty, &totag);
    let mut invaliduser = linked_users;
    invaliduser.extend(resolved.invalid_users.iter().cloned());
    let mut invalidparty = linked_parties;
    invalidparty.extend(resolved.invalid_parties.iter().cloned());
    let invalidtag = resolved.invalid_tags.clone();
    if !resolved.any_valid || resolved.users.is_empty() {
        let e = ApiError::new(code::ALL_RECIPIENTS_INVALID, "no recipient could be reached");
        return Ok(json!({
            "errcode": e.errcode, "errmsg": e.errmsg(),
            "invaliduser": invaliduser, "invalidparty": invalidparty, "invalidtag": invalidtag
        })
        .to_string());
    }
    record(state, agentid, msgtype, raw, &map, &checked, resolved)?;
    Ok(json!({
        "errcode": 0, "errmsg": "ok",
        "invaliduser": invaliduser, "invalidparty": invalidparty, "invalidtag": invalidtag
    })
    .to_string())
}
