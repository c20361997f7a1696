//! `POST /cgi-bin/webhook/send?key=` and `POST /cgi-bin/webhook/upload_media?key=&type=`:
//! group robots posting into a group of the corp configuration.
//!
//! Like WeCom, every answer is HTTP 200 with an `errcode`: 93000 for a missing or unknown key,
//! 93004 for a disabled bot, the validation codes of [`crate::validate::webhook`], 40007 for a
//! media id that is not a live upload of this very bot (another bot's, or an app's
//! `media/upload` id), and 45009 past the per-bot rate limit.
//!
//! The rate window's shape is unverified: the emulator takes the safe reading, a sliding
//! window (`options.webhook_limit` sends per `options.webhook_window_ms`, WeCom's 20 per
//! minute by default), and counts accepted sends only; uploads are not counted.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

use super::error::{ApiError, code, json_response};
use super::media::{amr_duration_ms, read_media_part};
use super::query_param;
use crate::config::{BotConfig, GroupConfig};
use crate::events::Event;
use crate::ids;
use crate::state::groups::{GroupKind, WebhookMedia};
use crate::state::{Attachment, EmulatorState, GroupMessage};
use crate::validate::Obj;
use crate::validate::webhook::{self, Checked};

/// The bot with `key` and its group: 93000 when missing or unknown, 93004 when disabled.
fn bot<'a>(
    state: &'a EmulatorState,
    query: Option<&str>,
) -> Result<(&'a GroupConfig, &'a BotConfig), ApiError> {
    let key = query_param(query, "key")
        .filter(|k| !k.is_empty())
        .ok_or_else(|| ApiError::new(code::WEBHOOK_INVALID, "the webhook URL has no key"))?;
    let found = state
        .config()
        .groups
        .iter()
        .find_map(|g| g.bots.iter().find(|b| b.key.expose() == key.as_ref()).map(|b| (g, b)));
    match found {
        // The detail never repeats the key: errors end up in logs.
        None => Err(ApiError::new(code::WEBHOOK_INVALID, "no webhook has this key")),
        Some((_, b)) if !b.enabled => {
            Err(ApiError::new(code::WEBHOOK_DISABLED, "this webhook is disabled"))
        }
        Some(found) => Ok(found),
    }
}

pub(super) async fn send(State(state): State<EmulatorState>, uri: Uri, body: Bytes) -> Response {
    match send_inner(&state, uri.query(), &body) {
        Ok(()) => json_response(r#"{"errcode":0,"errmsg":"ok"}"#.to_owned()),
        Err(e) => e.into_response(),
    }
}

fn send_inner(state: &EmulatorState, query: Option<&str>, body: &[u8]) -> Result<(), ApiError> {
    let (group, bot) = bot(state, query)?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::new(code::WEBHOOK_EMPTY_CONTENT, "the request body is empty"));
    }
    let map = super::send::parse_object(body)?;
    let (msgtype, checked) = webhook::check(Obj::new(&map, ""))?;
    let now = state.clock().now_ms();
    let attachment = check_media(state, bot, &checked, now)?;
    let raw = serde_json::value::RawValue::from_string(String::from_utf8_lossy(body).into_owned())
        .map_err(|e| ApiError::wrong_json(e.to_string()))?;
    let id = ids::opaque("g", 24);
    {
        let mut groups = state.groups();
        let opts = &state.config().options;
        let window = i64::try_from(opts.webhook_window_ms).unwrap_or(i64::MAX);
        if let Err(wait_ms) = groups.rate_check(bot.key.expose(), now, opts.webhook_limit, window) {
            return Err(ApiError::new(
                code::API_FREQUENCY_LIMITED,
                format!(
                    "api freq out of limit: this webhook sent {} messages in the last {} ms; \
                     a slot frees in {wait_ms} ms",
                    opts.webhook_limit, opts.webhook_window_ms
                ),
            ));
        }
        groups.record_send(bot.key.expose(), now);
        let message = GroupMessage {
            id: id.clone(),
            chatid: group.chatid.clone(),
            kind: GroupKind::Webhook,
            bot: if bot.name.is_empty() { "Webhook bot".to_owned() } else { bot.name.clone() },
            agentid: None,
            dropped: Vec::new(),
            delivered: 0,
            msgtype: msgtype.to_owned(),
            body: raw,
            mentions: mentions(group, &checked),
            attachment,
            sent_at_ms: now,
        };
        groups.push_message(message, state.retention(), now);
    }
    state.changed(Event::GroupMessage { id, chatid: group.chatid.clone() });
    Ok(())
}

/// Mentions that reach someone: `@all`, and user ids of group members (lower-cased).
fn mentions(group: &GroupConfig, checked: &Checked) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let everyone = checked.mentions.iter().chain(&checked.mobiles).any(|m| m == "@all");
    if everyone {
        out.push("@all".to_owned());
    }
    for m in &checked.mentions {
        let id = m.to_ascii_lowercase();
        if group.members.iter().any(|g| g.eq_ignore_ascii_case(&id)) && !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// Every media id must be a live upload of this bot, of the right type.
fn check_media(
    state: &EmulatorState,
    bot: &BotConfig,
    checked: &Checked,
    now: i64,
) -> Result<Option<Attachment>, ApiError> {
    let mut first = None;
    let groups = state.groups();
    for (media_id, kind) in &checked.media {
        let invalid = |why: &str| ApiError::new(code::INVALID_MEDIA_ID, format!("media_id {why}"));
        let Some(m) = groups.live_media(media_id, now) else {
            if state.media().live(media_id, now).is_some() {
                return Err(invalid(
                    "comes from an app's media/upload; a webhook needs its own upload_media",
                ));
            }
            return Err(invalid("is unknown or expired (webhook uploads live 3 days)"));
        };
        if m.key != bot.key.expose() {
            return Err(invalid(
                "was uploaded by another webhook; ids work only with their own key",
            ));
        }
        if m.kind != *kind {
            return Err(invalid(&format!("is a {} upload, not {kind}", m.kind)));
        }
        first.get_or_insert(Attachment {
            media_id: media_id.clone(),
            filename: m.filename.clone(),
            size: m.data.len(),
        });
    }
    Ok(first)
}

pub(super) async fn upload(
    State(state): State<EmulatorState>,
    uri: Uri,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    match upload_inner(&state, uri.query(), multipart).await {
        Ok(json) => json_response(json),
        Err(e) => e.into_response(),
    }
}

async fn upload_inner(
    state: &EmulatorState,
    query: Option<&str>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<String, ApiError> {
    let kind = match query_param(query, "type").as_deref() {
        Some("file") => "file",
        Some("voice") => "voice",
        _ => return Err(ApiError::new(code::INVALID_MEDIA_TYPE, "type must be file or voice")),
    };
    // The file is checked before the key, as a third-party probe of WeCom found (an empty
    // file with a bogus key answers 44001).
    let up = read_media_part(multipart).await?;
    let size = up.data.len();
    if size == 0 {
        return Err(ApiError::new(code::EMPTY_MEDIA, "the media part is empty"));
    }
    let max = if kind == "voice" { 2 * 1024 * 1024 } else { 20 * 1024 * 1024 };
    if size <= 5 || size > max {
        return Err(ApiError::new(
            code::INVALID_FILE_SIZE,
            format!("a {kind} upload must be more than 5 bytes and at most {max} (got {size})"),
        ));
    }
    if kind == "voice" {
        let Some(ms) = amr_duration_ms(&up.data) else {
            return Err(ApiError::new(code::INVALID_MEDIA_FILE_TYPE, "voice must be AMR"));
        };
        if ms > 60_000 {
            return Err(ApiError::new(
                code::VOICE_TOO_LONG,
                format!("voice plays {ms} ms, max 60000"),
            ));
        }
    }
    let (_, bot) = bot(state, query)?;
    let now = state.clock().now_ms();
    let media_id = ids::opaque("w", 44);
    state.groups().add_media(
        media_id.clone(),
        WebhookMedia {
            key: bot.key.expose().to_owned(),
            kind,
            filename: up.filename,
            data: up.data,
            created_ms: now,
        },
        now,
    );
    Ok(format!(
        r#"{{"errcode":0,"errmsg":"ok","type":"{kind}","media_id":"{media_id}","created_at":"{}"}}"#,
        now / 1000
    ))
}
