//! `POST /cgi-bin/message/update_template_card` (§4): with a single-use `response_code`
//! (72 h), replace the buttons' text (`button.replace_name`) or the whole card
//! (`template_card`) for some or all receivers of the card. Partial invalid users are listed
//! in `invaliduser` — a JSON array here, unlike `message/send`.

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde_json::Value;

use super::auth;
use super::error::{ApiError, code, json_response};
use super::send::{agentid, parse_object};
use crate::events::Event;
use crate::state::{CardState, EmulatorState, Message, Status};
use crate::validate::Obj;
use crate::validate::card::{self, Mode};

/// A change to members' copies of a card.
#[derive(Debug, Clone)]
pub(crate) enum CardUpdate {
    /// Buttons show this text and are disabled.
    Button(String),
    /// The whole card is replaced.
    Card(Value),
}

/// Whether a card type has buttons that `button.replace_name` / `update_button` can replace.
pub(crate) fn has_buttons(card_type: Option<&str>) -> bool {
    matches!(card_type, Some("button_interaction" | "vote_interaction" | "multiple_interaction"))
}

/// Applies an update to one copy.
pub(crate) fn apply(card: &mut CardState, update: &CardUpdate, now_ms: i64) {
    match update {
        CardUpdate::Button(text) => {
            card.button_text = Some(text.clone());
            card.disabled = true;
        }
        CardUpdate::Card(value) => {
            let replace_text = value.get("replace_text").and_then(Value::as_str);
            let flag = |v: Option<&Value>| {
                v.and_then(|d| d.get("disable")).and_then(Value::as_bool) == Some(true)
            };
            let selects_disabled = value
                .get("select_list")
                .and_then(Value::as_array)
                .is_some_and(|l| !l.is_empty() && l.iter().all(|s| flag(Some(s))));
            card.button_text = replace_text.map(str::to_owned);
            card.disabled = replace_text.is_some()
                || flag(value.get("checkbox"))
                || flag(value.get("button_selection"))
                || selects_disabled;
            card.replaced_card = Some(value.clone());
        }
    }
    card.updates += 1;
    card.updated_at_ms = Some(now_ms);
}

pub(super) async fn update_template_card(
    State(state): State<EmulatorState>,
    uri: Uri,
    body: Bytes,
) -> Response {
    match update_inner(&state, uri.query(), &body) {
        Ok(invalid) => {
            let invalid = serde_json::to_string(&invalid).unwrap_or_else(|_| "[]".to_owned());
            json_response(format!(r#"{{"errcode":0,"errmsg":"ok","invaliduser":{invalid}}}"#))
        }
        Err(e) => e.into_response(),
    }
}

/// The requested targets of an update.
struct Targets {
    userids: Vec<String>,
    partyids: Vec<i64>,
    tagids: Vec<i64>,
    atall: bool,
}

fn targets(body: Obj<'_>) -> Result<Targets, ApiError> {
    let list = |key: &str, max: usize, too_long: i64| -> Result<Vec<Value>, ApiError> {
        let items = body.arr(key)?.cloned().unwrap_or_default();
        if items.len() > max {
            return Err(ApiError::new(
                too_long,
                format!("{key} has {} entries, max {max}", items.len()),
            ));
        }
        Ok(items)
    };
    let strings = list("userids", 1000, code::USER_LIST_TOO_LONG)?
        .into_iter()
        .enumerate()
        .map(|(i, v)| match v {
            Value::String(s) => Ok(s.to_ascii_lowercase()),
            _ => Err(ApiError::wrong_json(format!("userids[{i}] must be a string"))),
        })
        .collect::<Result<_, _>>()?;
    let ints = |key: &str, too_long: i64| -> Result<Vec<i64>, ApiError> {
        list(key, 100, too_long)?
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                v.as_i64()
                    .ok_or_else(|| ApiError::wrong_json(format!("{key}[{i}] must be an integer")))
            })
            .collect()
    };
    Ok(Targets {
        userids: strings,
        partyids: ints("partyids", code::TOO_MANY_PARTIES)?,
        tagids: ints("tagids", code::TOO_MANY_TAGS)?,
        atall: body.lenient_int_in("atall", 0..=1)? == Some(1),
    })
}

fn update_inner(
    state: &EmulatorState,
    query: Option<&str>,
    raw: &Bytes,
) -> Result<Vec<String>, ApiError> {
    let token_app = auth(state, query)?;
    let map = parse_object(raw)?;
    let body = Obj::new(&map, "");
    let agentid = agentid(state, body, token_app, false)?;
    let response_code = body.req_str("response_code", code::EMPTY_PARAMETER)?;
    body.lenient_int_in("enable_id_trans", 0..=1)?;
    let targets = targets(body)?;
    // A Go client sends the part it does not use as a zero object (`"button":
    // {"replace_name": ""}` beside a card): that part reads as absent.
    let update = match (body.opt_obj("button")?, body.opt_obj("template_card")?) {
        (Some(_), Some(_)) => {
            return Err(ApiError::new(
                code::INVALID_PARAMETER,
                "give either button or template_card, not both",
            ));
        }
        (None, None) => {
            return Err(ApiError::new(
                code::EMPTY_PARAMETER,
                "button or template_card is required",
            ));
        }
        (Some(button), None) => {
            let b = Obj::new(button, "button");
            CardUpdate::Button(b.req_str("replace_name", code::EMPTY_PARAMETER)?.to_owned())
        }
        (None, Some(card_obj)) => {
            let mut media = Vec::new();
            card::check(Obj::new(card_obj, "template_card"), Mode::Update, &mut media)?;
            CardUpdate::Card(Value::Object(card_obj.clone()))
        }
    };
    let now = state.clock().now_ms();
    let dir = &state.inner.dir;
    let mut store = state.store();
    let Some(rc) = store.response_codes.get(response_code).cloned() else {
        // Undocumented; 40058 (invalid parameter) with the reason.
        return Err(ApiError::new(code::INVALID_PARAMETER, "response_code is unknown"));
    };
    if rc.agentid != agentid {
        return Err(ApiError::new(
            code::CARD_UPDATER_NOT_SENDER,
            format!("the card was sent by app {}, not by app {agentid}", rc.agentid),
        ));
    }
    if rc.used {
        return Err(ApiError::new(
            code::INVALID_PARAMETER,
            "response_code was already used; each code works once",
        ));
    }
    if rc.expires_ms <= now {
        return Err(ApiError::new(
            code::INVALID_PARAMETER,
            "response_code has expired (codes live 72 hours)",
        ));
    }
    // A card the emulator no longer retains cannot be updated.
    let Some(message) = store.get_mut(rc.msg) else {
        return Err(ApiError::new(
            code::INVALID_PARAMETER,
            "response_code belongs to a message the emulator no longer retains",
        ));
    };
    let message: &mut Message = message;
    if matches!(update, CardUpdate::Button(_)) && !has_buttons(message.card_type.as_deref()) {
        return Err(ApiError::new(
            code::INVALID_PARAMETER,
            "button.replace_name only applies to button, vote and multiple interaction cards",
        ));
    }
    let receives =
        |m: &Message, u: &str| m.recipient(u).is_some_and(|r| r.status == Status::Delivered);
    let mut chosen: Vec<String> = Vec::new();
    let mut invalid = Vec::new();
    let nothing_given =
        targets.userids.is_empty() && targets.partyids.is_empty() && targets.tagids.is_empty();
    if targets.atall {
        chosen.extend(
            message
                .recipients
                .iter()
                .filter(|r| r.status == Status::Delivered)
                .map(|r| r.userid.clone()),
        );
    } else if nothing_given {
        // Undocumented: with no target, a code from a callback updates the member who
        // clicked; a code from message/send needs explicit targets.
        match &rc.user {
            Some(u) if receives(message, u) => chosen.push(u.clone()),
            Some(u) => invalid.push(u.clone()),
            None => {
                return Err(ApiError::new(
                    code::EMPTY_PARAMETER,
                    "give userids, partyids, tagids or atall",
                ));
            }
        }
    } else {
        for u in &targets.userids {
            if receives(message, u) { chosen.push(u.clone()) } else { invalid.push(u.clone()) }
        }
        let groups = targets
            .partyids
            .iter()
            .filter_map(|p| dir.party_members.get(p))
            .chain(targets.tagids.iter().filter_map(|t| dir.tag_members.get(t)));
        for members in groups {
            chosen.extend(
                members
                    .iter()
                    .map(|&i| dir.userid(i))
                    .filter(|u| receives(message, u))
                    .map(str::to_owned),
            );
        }
    }
    chosen.sort_unstable();
    chosen.dedup();
    for r in message.recipients.iter_mut().filter(|r| chosen.binary_search(&r.userid).is_ok()) {
        apply(r.card.get_or_insert_with(Box::default), &update, now);
    }
    let msgid = message.msgid.clone();
    if let Some(rc) = store.response_codes.get_mut(response_code) {
        rc.used = true;
    }
    drop(store);
    state.changed(Event::CardUpdated { msgid, userids: chosen });
    Ok(invalid)
}
