//! Card actions of a member: click a button, submit a vote or selection, pick an
//! action-menu item. Each hands out a fresh single-use `ResponseCode` (72 h) and sends the
//! `template_card_event` / `template_card_menu_event` callback of §7.2.

use axum::extract::{Path, Query, State};
use bytes::Bytes;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::{Wait, run};
use crate::admin::{AdminError, AdminResult, parse};
use crate::api::send::RESPONSE_CODE_TTL_MS;
use crate::callback::Delivery;
use crate::callback::xml::header;
use crate::ids;
use crate::state::store::ResponseCode;
use crate::state::{EmulatorState, MemberAction, Status};
use wecom_model::xml::XmlWriter;

/// A member's view of a card message.
struct CardCtx {
    idx: usize,
    agentid: i64,
    user: String,
    card: Map<String, Value>,
    card_type: String,
    task_id: String,
}

fn card_ctx(state: &EmulatorState, userid: &str, msgid: &str) -> Result<CardCtx, AdminError> {
    let store = state.store();
    let idx =
        store.find(msgid).ok_or_else(|| AdminError::not_found(format!("no message {msgid}")))?;
    let m = store.get(idx).ok_or_else(|| AdminError::not_found(format!("no message {msgid}")))?;
    let user = userid.to_ascii_lowercase();
    let Some(card_type) = m.card_type.clone() else {
        return Err(AdminError::bad(format!("message {msgid} is not a template card")));
    };
    let copy = m
        .recipient(&user)
        .ok_or_else(|| AdminError::conflict(format!("{user} did not receive {msgid}")))?;
    if copy.status != Status::Delivered {
        return Err(AdminError::conflict(format!("{user}'s copy of {msgid} is {:?}", copy.status)));
    }
    let state_of_card = copy.card.clone().unwrap_or_default();
    if state_of_card.disabled {
        return Err(AdminError::conflict(format!("{user}'s copy of {msgid} is disabled")));
    }
    let card = match state_of_card.replaced_card {
        Some(Value::Object(c)) => c,
        _ => m
            .body_json()
            .get("template_card")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default(),
    };
    Ok(CardCtx {
        idx,
        agentid: m.agentid,
        user,
        card,
        card_type,
        task_id: m.task_id.clone().unwrap_or_default(),
    })
}

/// Answers the event, with a fresh response code, for a card action.
async fn card_event(
    state: EmulatorState,
    ctx: CardCtx,
    msgid: String,
    event: &str,
    key: &str,
    selected: &[(String, Vec<String>)],
    wait: bool,
) -> AdminResult {
    let code = ids::opaque("rc", 40);
    let now = state.clock().now_ms();
    state.store().response_codes.insert(
        code.clone(),
        ResponseCode {
            msg: ctx.idx,
            agentid: ctx.agentid,
            user: Some(ctx.user.clone()),
            expires_ms: now + RESPONSE_CODE_TTL_MS,
            used: false,
        },
    );
    record_action(&state, &ctx, event, key, selected, now);
    let mut doc = XmlWriter::with_capacity(640);
    header(&mut doc, &state.config().corp_id, &ctx.user, state.clock().now_secs(), "event")?;
    doc.text("Event", event)?;
    doc.text("EventKey", key)?;
    doc.text("TaskId", &ctx.task_id)?;
    doc.text("CardType", &ctx.card_type)?;
    doc.text("ResponseCode", &code)?;
    doc.value("AgentID", ctx.agentid);
    if event == "template_card_event" && !selected.is_empty() {
        doc.open("SelectedItems");
        for (question, options) in selected {
            doc.open("SelectedItem");
            doc.text("QuestionKey", question)?;
            doc.open("OptionIds");
            for o in options {
                doc.text("OptionId", o)?;
            }
            doc.close();
            doc.close();
        }
        doc.close();
    }
    let xml = doc.finish();
    let d = Delivery {
        agentid: ctx.agentid,
        userid: ctx.user,
        msgtype: "event".to_owned(),
        event: Some(event.to_owned()),
        card_msgid: Some(msgid),
        response_code: Some(code),
        xml,
    };
    run(state, d, wait).await
}

/// Keeps the action on the member's copy, for the inbox to show what was chosen.
fn record_action(
    state: &EmulatorState,
    ctx: &CardCtx,
    event: &str,
    key: &str,
    selected: &[(String, Vec<String>)],
    now: i64,
) {
    let mut store = state.store();
    let Some(m) = store.get_mut(ctx.idx) else { return };
    if let Some(copy) = m.recipients.iter_mut().find(|r| r.userid == ctx.user) {
        copy.card.get_or_insert_default().member_action = Some(MemberAction {
            event: event.to_owned(),
            key: key.to_owned(),
            selected: selected.to_vec(),
            at_ms: now,
        });
    }
}

fn option_ids(o: &Value) -> Vec<String> {
    o.get("option_list")
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(|x| x.get("id").and_then(Value::as_str))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The option a selector starts with: `selected_id` when valid, else the first.
fn default_option(o: &Value) -> Option<String> {
    let ids = option_ids(o);
    let selected =
        o.get("selected_id").and_then(Value::as_str).filter(|s| ids.iter().any(|i| i == s));
    selected.map(str::to_owned).or_else(|| ids.first().cloned())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Click {
    key: String,
    selected_id: Option<String>,
}

pub(super) async fn click(
    State(state): State<EmulatorState>,
    Path((userid, msgid)): Path<(String, String)>,
    Query(w): Query<Wait>,
    body: Bytes,
) -> AdminResult {
    let req: Click = parse(&body)?;
    let ctx = card_ctx(&state, &userid, &msgid)?;
    if ctx.card_type != "button_interaction" {
        return Err(AdminError::bad(format!("{} cards have no callback buttons", ctx.card_type)));
    }
    let buttons =
        ctx.card.get("button_list").and_then(Value::as_array).cloned().unwrap_or_default();
    let keys: Vec<&str> = buttons
        .iter()
        .filter(|b| b.get("type").and_then(Value::as_i64).unwrap_or(0) == 0)
        .filter_map(|b| b.get("key").and_then(Value::as_str))
        .collect();
    if !keys.contains(&req.key.as_str()) {
        return Err(AdminError::bad(format!(
            "no callback button with key {:?}; keys: {keys:?}",
            req.key
        )));
    }
    let mut selected = Vec::new();
    if let Some(sel) = ctx.card.get("button_selection") {
        let question = sel.get("question_key").and_then(Value::as_str).unwrap_or("").to_owned();
        let option = match req.selected_id {
            Some(id) if option_ids(sel).contains(&id) => id,
            Some(id) => {
                return Err(AdminError::bad(format!("button_selection has no option {id:?}")));
            }
            None => default_option(sel).unwrap_or_default(),
        };
        selected.push((question, vec![option]));
    }
    card_event(state, ctx, msgid, "template_card_event", &req.key, &selected, w.wait).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Submit {
    #[serde(default)]
    selections: std::collections::BTreeMap<String, Vec<String>>,
}

pub(super) async fn submit(
    State(state): State<EmulatorState>,
    Path((userid, msgid)): Path<(String, String)>,
    Query(w): Query<Wait>,
    body: Bytes,
) -> AdminResult {
    let req: Submit = parse(&body)?;
    let ctx = card_ctx(&state, &userid, &msgid)?;
    let questions: Vec<Value> = match ctx.card_type.as_str() {
        "vote_interaction" => ctx.card.get("checkbox").cloned().into_iter().collect(),
        "multiple_interaction" => {
            ctx.card.get("select_list").and_then(Value::as_array).cloned().unwrap_or_default()
        }
        other => return Err(AdminError::bad(format!("{other} cards have no submit button"))),
    };
    let multi_select = ctx.card_type == "vote_interaction"
        && ctx.card.get("checkbox").and_then(|c| c.get("mode")).and_then(Value::as_i64) == Some(1);
    let keys: Vec<String> = questions
        .iter()
        .filter_map(|q| q.get("question_key").and_then(Value::as_str))
        .map(str::to_owned)
        .collect();
    if let Some(unknown) = req.selections.keys().find(|k| !keys.contains(k)) {
        return Err(AdminError::bad(format!("no question {unknown:?}; questions: {keys:?}")));
    }
    let mut selected = Vec::new();
    for (q, key) in questions.iter().zip(&keys) {
        let ids = option_ids(q);
        let chosen = match req.selections.get(key) {
            Some(c) => c.clone(),
            // Defaults: the vote's checked options, a selector's selected option.
            None if ctx.card_type == "vote_interaction" => q
                .get("option_list")
                .and_then(Value::as_array)
                .map(|l| {
                    l.iter()
                        .filter(|o| o.get("is_checked").and_then(Value::as_bool) == Some(true))
                        .filter_map(|o| o.get("id").and_then(Value::as_str).map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
            None => default_option(q).into_iter().collect(),
        };
        if let Some(bad) = chosen.iter().find(|c| !ids.contains(c)) {
            return Err(AdminError::bad(format!("question {key:?} has no option {bad:?}")));
        }
        if chosen.is_empty() || (!multi_select && chosen.len() > 1) {
            return Err(AdminError::bad(format!(
                "question {key:?} needs {} option",
                if multi_select { "at least one" } else { "exactly one" }
            )));
        }
        selected.push((key.clone(), chosen));
    }
    let submit_key = ctx
        .card
        .get("submit_button")
        .and_then(|s| s.get("key"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    card_event(state, ctx, msgid, "template_card_event", &submit_key, &selected, w.wait).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Menu {
    key: String,
}

pub(super) async fn menu(
    State(state): State<EmulatorState>,
    Path((userid, msgid)): Path<(String, String)>,
    Query(w): Query<Wait>,
    body: Bytes,
) -> AdminResult {
    let req: Menu = parse(&body)?;
    let ctx = card_ctx(&state, &userid, &msgid)?;
    let keys: Vec<String> = ctx
        .card
        .get("action_menu")
        .and_then(|m| m.get("action_list"))
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(|a| a.get("key").and_then(Value::as_str))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    if !keys.contains(&req.key) {
        return Err(AdminError::bad(format!(
            "no action_menu item with key {:?}; keys: {keys:?}",
            req.key
        )));
    }
    card_event(state, ctx, msgid, "template_card_menu_event", &req.key, &[], w.wait).await
}
