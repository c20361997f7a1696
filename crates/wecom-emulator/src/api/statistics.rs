//! `POST /cgi-bin/message/get_statistics`: each app's person-messages of today or yesterday
//! (`time_type` 0 or 1), on the virtual clock, in China Standard Time days (UTC+8, WeCom's).
//!
//! A copy counts when it was delivered: `message/send` and `linkedcorp/message/send` copies
//! (recalled ones too; dropped ones not) and app-chat copies (dropped ones not). Every app of
//! the corp is listed, with 0 when it sent nothing; whether WeCom lists idle apps is not
//! documented.

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde_json::json;

use super::auth;
use super::error::{ApiError, json_response};
use super::send::parse_object;
use crate::state::{Direction, EmulatorState, Status};
use crate::validate::Obj;

const DAY_MS: i64 = 24 * 3600 * 1000;
const CST_OFFSET_MS: i64 = 8 * 3600 * 1000;

pub(super) async fn statistics(
    State(state): State<EmulatorState>,
    uri: Uri,
    body: Bytes,
) -> Response {
    match inner(&state, uri.query(), &body) {
        Ok(json) => json_response(json),
        Err(e) => e.into_response(),
    }
}

fn inner(state: &EmulatorState, query: Option<&str>, raw: &[u8]) -> Result<String, ApiError> {
    auth(state, query)?;
    let map = parse_object(raw)?;
    let time_type = Obj::new(&map, "").int_in("time_type", 0..=1)?.unwrap_or(0);
    let now = state.clock().now_ms();
    let today = (now + CST_OFFSET_MS).div_euclid(DAY_MS) * DAY_MS - CST_OFFSET_MS;
    let (from, to) = if time_type == 0 { (today, today + DAY_MS) } else { (today - DAY_MS, today) };
    let within = |t: i64| t >= from && t < to;
    let apps = &state.config().apps;
    let mut counts = vec![0_u64; apps.len()];
    let slot = |agentid: i64| apps.iter().position(|a| a.agentid == agentid);
    for m in state.store().messages.iter() {
        if m.direction != Direction::AppToUser || !within(m.sent_at_ms) {
            continue;
        }
        if let Some(i) = slot(m.agentid) {
            let n = m.recipients.iter().filter(|r| r.status != Status::Dropped).count();
            counts[i] += n as u64;
        }
    }
    for m in &state.groups().messages {
        if let (Some(agentid), true) = (m.agentid, within(m.sent_at_ms))
            && let Some(i) = slot(agentid)
        {
            counts[i] += m.delivered as u64;
        }
    }
    let statistics: Vec<_> = apps
        .iter()
        .zip(counts)
        .map(|(a, count)| json!({ "agentid": a.agentid, "app_name": a.name, "count": count }))
        .collect();
    Ok(json!({ "errcode": 0, "errmsg": "ok", "statistics": statistics }).to_string())
}
