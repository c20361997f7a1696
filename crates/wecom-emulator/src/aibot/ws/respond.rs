//! The bot's answers over the long connection — `aibot_respond_msg`,
//! `aibot_respond_welcome_msg`, `aibot_respond_update_msg` and `aibot_send_msg` — checked on
//! the raw JSON and recorded in the same turns as HTTP-mode answers, so the inbox shows both
//! the same way. Each returns the ack's `(errcode, errmsg)`.
//!
//! `req_id` rules: a reply must carry the `req_id` of a callback this very connection
//! delivered, of the matching kind (an `enter_chat` `req_id` on `aibot_respond_msg` is
//! refused, as WeCom does), else 846605. Time limits (§B8): a welcome or card update later
//! than 5 s after its event, or a second one, answers 846605; stream frames later than the
//! bot's `stream_window_seconds` (default 360) after the member's message answer 846608, and
//! so does a frame for a stream already finished. All of them use the emulator's virtual
//! clock, so `POST /emulator/clock/advance` moves past them.

use serde_json::{Value, json};

use super::hub::{ReqEntry, ReqKind};
use super::{REQ_ID_INVALID, STREAM_EXPIRED};
use crate::aibot::drive::record_stream;
use crate::aibot::store::Turn;
use crate::aibot::validate::{self, Answering};
use crate::api::error::code;
use crate::state::EmulatorState;

/// An ack's errcode and errmsg.
pub(crate) type Ack = (i64, String);

/// A one-shot answer must come this soon after its event (virtual ms).
const ONE_SHOT_MS: i64 = 5_000;
const MEDIA_TYPES: [&str; 4] = ["image", "file", "voice", "video"];

/// Why a `req_id` whose turn is gone is refused: the state was reset, or the turn was
/// forgotten (retention), so the emulator answers as for an unknown `req_id`.
const FORGOTTEN: &str = "the conversation was reset or this turn was forgotten";

fn ok() -> Ack {
    (0, "ok".into())
}

fn invalid_req(why: &str) -> Ack {
    (REQ_ID_INVALID, format!("invalid req_id: {why}"))
}

/// An error of [`validate::passive`] as an ack: its text names the errcode WeCom answers
/// when there is one (40008 for a msgtype not allowed, 93050 for a wrong `response_type`);
/// anything else is a malformed body, 40058.
fn refusal(e: String) -> Ack {
    let code = if e.contains("(40008)") {
        code::INVALID_MSGTYPE
    } else if e.contains("(93050)") {
        93050
    } else {
        code::INVALID_PARAMETER
    };
    (code, e)
}

/// Looks the `req_id` up for an answer of `want` kind on connection `conn`.
fn lookup(
    state: &EmulatorState,
    conn: u64,
    botid: &str,
    req_id: &str,
    want: fn(&ReqKind) -> bool,
    one_shot: bool,
) -> Result<ReqEntry, Ack> {
    let now = state.clock().now_ms();
    let looked = state.inner.aibots.ws.with_req(req_id, |entry| {
        let Some(e) = entry else {
            return Err(invalid_req("not a callback of this bot"));
        };
        if e.botid != botid {
            return Err(invalid_req("not a callback of this bot"));
        }
        if e.conn != conn {
            return Err(invalid_req("delivered on another connection"));
        }
        if !want(&e.kind) {
            return Err(invalid_req("this callback takes no answer of this command"));
        }
        if one_shot {
            if e.used {
                return Err(invalid_req("already answered"));
            }
            if now - e.issued_ms > ONE_SHOT_MS {
                return Err(invalid_req("expired (answer within 5 s of the event)"));
            }
            e.used = true;
        }
        Ok(e.clone())
    });
    if let Err((errcode, errmsg)) = &looked {
        refused_on_turn(state, botid, req_id, *errcode, errmsg);
    }
    looked
}

/// A refused answer to a callback of this bot is written on that callback's turn, so that a
/// reply on a stale `req_id` (after a reconnect) shows in the conversation.
fn refused_on_turn(state: &EmulatorState, botid: &str, req_id: &str, errcode: i64, errmsg: &str) {
    let turn =
        state.inner.aibots.ws.with_req(req_id, |e| e.filter(|e| e.botid == botid).map(|e| e.turn));
    if let Some(turn) = turn {
        state.inner.aibots.update(turn, |t| t.errors.push(format!("{errcode}: {errmsg}")));
    }
}

/// A media body (`{msgtype, <type>: {media_id}}`): the media must be live.
fn media(state: &EmulatorState, body: &Value, msgtype: &str) -> Result<(), Ack> {
    let Some(id) = body[msgtype]["media_id"].as_str().filter(|m| !m.is_empty()) else {
        return Err((
            code::INVALID_PARAMETER,
            format!("missing field `body.{msgtype}.media_id`. invalid Request Parameter"),
        ));
    };
    if state.media().live(id, state.clock().now_ms()).is_none() {
        return Err((code::INVALID_MEDIA_ID, "invalid media_id".into()));
    }
    if msgtype == "video" {
        for (key, max) in [("title", 128), ("description", 512)] {
            if let Some(v) = body["video"].get(key) {
                let Some(s) = v.as_str() else {
                    return Err((
                        code::INVALID_PARAMETER,
                        format!("body.video.{key}: must be a string"),
                    ));
                };
                if s.len() > max {
                    // WeCom cuts longer ones; the emulator refuses so that it is noticed.
                    return Err((
                        code::INVALID_PARAMETER,
                        format!("body.video.{key}: {} bytes, at most {max}", s.len()),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// `aibot_respond_msg`.
pub(crate) fn respond_msg(
    state: &EmulatorState,
    conn: u64,
    botid: &str,
    req_id: &str,
    body: &Value,
) -> Ack {
    let entry = match lookup(state, conn, botid, req_id, |k| *k == ReqKind::Message, false) {
        Ok(e) => e,
        Err(a) => return a,
    };
    let ai = &state.inner.aibots;
    let Some(turn) = ai.get(entry.turn) else { return invalid_req(FORGOTTEN) };
    let window_ms = state.config().aibots.iter().find(|b| b.botid == botid).map_or(360_000, |b| {
        i64::try_from(b.stream_window_seconds.saturating_mul(1000)).unwrap_or(i64::MAX)
    });
    let late = state.clock().now_ms() - entry.issued_ms > window_ms;
    let msgtype = body["msgtype"].as_str().unwrap_or_default();
    if MEDIA_TYPES.contains(&msgtype) {
        if late {
            return invalid_req("expired");
        }
        if let Err(a) = media(state, body, msgtype) {
            return a;
        }
        ai.update(entry.turn, |t| {
            t.follow_ups.push(body.clone());
            if t.status == "delivered" {
                t.status = "answered".into();
            }
        });
        return ok();
    }
    let streaming = matches!(msgtype, "stream" | "stream_with_template_card");
    if late {
        return if streaming {
            // WeCom's answer once a stream's lifetime is over (field reports; the lifetime
            // itself is not documented: 6 minutes is the safe reading).
            (STREAM_EXPIRED, "stream message update expired".into())
        } else {
            invalid_req("expired")
        };
    }
    // The passive-reply rules of HTTP mode: stream, template_card, stream_with_template_card.
    // `text` is refused with 40008 (observed); `markdown` too — one third-party adapter uses
    // it, unconfirmed, and clients are told to finish a stream instead, so the emulator
    // refuses it to make such a reliance visible. `stream.msg_item` is accepted (WeCom
    // accepts it and shows no image in this mode).
    if let Err(e) = validate::passive(body, Answering::Message) {
        return refusal(e);
    }
    if streaming {
        let id = body["stream"]["id"].as_str().unwrap_or_default();
        if let Some(s) = turn.stream.as_ref()
            && s.id == id
            && s.finish
        {
            // Not documented; a finished message cannot change, so the emulator answers as
            // for an expired stream.
            return (
                STREAM_EXPIRED,
                "stream message update expired: the stream has finished".into(),
            );
        }
    }
    ai.update(entry.turn, |t| record_answer(t, body, msgtype));
    ok()
}

fn record_answer(t: &mut Turn, body: &Value, msgtype: &str) {
    if msgtype == "template_card" {
        if t.card.is_some() {
            t.follow_ups.push(body.clone());
        } else {
            t.card = Some(body["template_card"].clone());
        }
        if t.feedback_id.is_none() {
            t.feedback_id = body["template_card"]["feedback"]["id"].as_str().map(str::to_owned);
        }
        if t.status == "delivered" {
            t.status = "answered".into();
        }
        t.reply = Some(body.clone());
        return;
    }
    let before = t.stream.as_ref().map(|s| s.id.clone());
    record_stream(t, body);
    if let (Some(before), Some(now)) = (before, t.stream.as_ref().map(|s| s.id.clone()))
        && before != now
    {
        t.errors.push(format!(
            "a second stream id {now:?} for one message (the first was {before:?}): the member \
             sees two answers"
        ));
    }
    t.reply = Some(body.clone());
    t.status =
        if t.stream.as_ref().is_some_and(|s| s.finish) { "finished" } else { "streaming" }.into();
}

/// `aibot_respond_welcome_msg`.
pub(crate) fn respond_welcome(
    state: &EmulatorState,
    conn: u64,
    botid: &str,
    req_id: &str,
    body: &Value,
) -> Ack {
    if let Err(e) = validate::passive(body, Answering::EnterChat) {
        return refusal(e);
    }
    let entry = match lookup(state, conn, botid, req_id, |k| *k == ReqKind::EnterChat, true) {
        Ok(e) => e,
        Err(a) => return a,
    };
    let kept = state.inner.aibots.update(entry.turn, |t| {
        if body["msgtype"] == "template_card" {
            t.card = Some(body["template_card"].clone());
        }
        t.reply = Some(body.clone());
        t.status = "answered".into();
    });
    if kept { ok() } else { invalid_req(FORGOTTEN) }
}

/// `aibot_respond_update_msg`.
pub(crate) fn respond_update(
    state: &EmulatorState,
    conn: u64,
    botid: &str,
    req_id: &str,
    body: &Value,
) -> Ack {
    let is_card = |k: &ReqKind| matches!(k, ReqKind::CardEvent { .. });
    // Check the body before using up the one answer.
    let task = state.inner.aibots.ws.with_req(req_id, |e| match e.map(|e| &e.kind) {
        Some(ReqKind::CardEvent { task_id, .. }) => Some(task_id.clone()),
        _ => None,
    });
    if let Some(task_id) = &task
        && let Err(e) = validate::passive(body, Answering::CardEvent(task_id))
    {
        return refusal(e);
    }
    if let Some(users) = body.get("userids")
        && !users.as_array().is_some_and(|u| u.iter().all(Value::is_string))
    {
        return (code::INVALID_PARAMETER, "body.userids: must be an array of strings".into());
    }
    let entry = match lookup(state, conn, botid, req_id, is_card, true) {
        Ok(e) => e,
        Err(a) => return a,
    };
    let ReqKind::CardEvent { card_turn, .. } = entry.kind else {
        return invalid_req("not a card event");
    };
    let ai = &state.inner.aibots;
    let kept = ai.update(entry.turn, |t| {
        t.reply = Some(body.clone());
        t.status = "answered".into();
    });
    if !kept {
        return invalid_req(FORGOTTEN);
    }
    // The card's own turn may be older and forgotten: the click's turn keeps the update.
    ai.update(card_turn, |t| t.card_updates.push(body["template_card"].clone()));
    ok()
}

/// Where an `aibot_send_msg` goes: a member (`chatid` = userid) or a group chat.
enum Target {
    Member(String),
    Group(String),
}

fn target(state: &EmulatorState, chatid: &str) -> Option<Target> {
    let config = state.config();
    if let Some(u) = config.users.iter().find(|u| u.userid.eq_ignore_ascii_case(chatid)) {
        return Some(Target::Member(u.userid.to_ascii_lowercase()));
    }
    config.groups.iter().any(|g| g.chatid == chatid).then(|| Target::Group(chatid.to_owned()))
}

/// `aibot_send_msg`: a push, recorded as a turn of kind `push`.
pub(crate) fn send_msg(state: &EmulatorState, botid: &str, body: &Value) -> Ack {
    let Some(chatid) = body["chatid"].as_str().filter(|c| !c.is_empty()) else {
        return (
            code::INVALID_PARAMETER,
            "missing field `body.chatid`. invalid Request Parameter".into(),
        );
    };
    let msgtype = body["msgtype"].as_str().unwrap_or_default();
    let checked = if MEDIA_TYPES.contains(&msgtype) {
        media(state, body, msgtype)
    } else {
        // markdown (≤ 20,480 bytes, the reply limit: the push limit is not documented) and
        // template_card, as for response_url; `text` and anything else answer 40008.
        validate::active(body)
    };
    if let Err(a) = checked {
        return a;
    }
    // Pushes into groups are accepted (the SDK documents group chatids; one adapter reports
    // refusals, unconfirmed), and a `chat_type` field, which the SDK does not send, is
    // ignored. An unknown chat: WeCom's code is not documented; 40003 is its "invalid
    // UserID".
    let Some(to) = target(state, chatid) else {
        return (
            code::INVALID_USER_ID,
            format!("invalid chatid {chatid:?}: neither a member nor a group chat of this corp"),
        );
    };
    let (userid, group) = match to {
        Target::Member(u) => (u, None),
        Target::Group(g) => (String::new(), Some(g)),
    };
    let mut turn = super::deliver::new_turn(botid, &userid, group.as_deref(), "push", state);
    turn.callback = json!(null);
    turn.status = "pushed".into();
    if msgtype == "template_card" {
        turn.card = Some(body["template_card"].clone());
    }
    turn.reply = Some(body.clone());
    state.inner.aibots.add(turn, state.retention());
    ok()
}
