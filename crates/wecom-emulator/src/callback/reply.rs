//! Passive replies (§7.3): the app answered a callback with an encrypted XML body. It is
//! verified and decrypted with the app's callback settings and applied to the inbox: `text`
//! (and the other message replies) become a message from the app to the member;
//! `update_button` disables the member's copy of the clicked card with the new button text;
//! `update_template_card` replaces the member's copy of the card.
//!
//! Whether WeCom applies replies to `template_card_event` is UNVERIFIED (§10.6: a hidden
//! comment of the reference page says they are ignored); the emulator applies them, so apps
//! that use them can be developed, and records what it did.

use serde_json::{Value, json};

use super::deliver::Delivery;
use super::xml::{self, Element};
use super::{FailureReason, ReplyRecord};
use crate::api::update::{CardUpdate, apply, has_buttons};
use crate::events::Event;
use crate::state::inbox::record_other;
use crate::state::{CallbackTarget, Direction, EmulatorState, Origin};
use crate::validate::Obj;
use crate::validate::card::{self, Mode};

fn refused(
    msgtype: Option<String>,
    xml: Option<String>,
    reason: FailureReason,
    detail: impl Into<String>,
) -> ReplyRecord {
    ReplyRecord { msgtype, xml, applied: false, detail: detail.into(), reason: Some(reason) }
}

pub(super) fn handle(
    state: &EmulatorState,
    target: &CallbackTarget,
    d: &Delivery,
    body: &str,
) -> ReplyRecord {
    // The envelope's checks (one Encrypt, signature, receive id) are the crypto crate's.
    let plain = match target.crypt.open_reply(body.as_bytes()) {
        Ok(opened) => opened.message,
        Err(e) => {
            let (reason, detail) = super::failure::reply_open(&e);
            return refused(None, None, reason, detail);
        }
    };
    let inner = match xml::parse(&plain) {
        Ok(e) => e,
        Err(e) => {
            let detail = format!("the decrypted reply is not XML: {e}");
            return refused(None, Some(plain), FailureReason::BadReply, detail);
        }
    };
    let msgtype = inner.text_of("MsgType").unwrap_or("").to_owned();
    let record = |applied: bool, detail: String| ReplyRecord {
        msgtype: Some(msgtype.clone()),
        xml: Some(plain.clone()),
        applied,
        detail,
        reason: (!applied).then_some(FailureReason::BadReply),
    };
    if !inner.text_of("ToUserName").is_some_and(|u| u.eq_ignore_ascii_case(&d.userid)) {
        return record(false, format!("ToUserName must be the member {:?}", d.userid));
    }
    if inner.text_of("FromUserName") != Some(state.config().corp_id.as_str()) {
        return record(false, "FromUserName must be the corp id".to_owned());
    }
    match apply_reply(state, d, &msgtype, &inner) {
        Ok(detail) => record(true, detail),
        Err(detail) => record(false, detail),
    }
}

fn apply_reply(
    state: &EmulatorState,
    d: &Delivery,
    msgtype: &str,
    inner: &Element,
) -> Result<String, String> {
    let base = |content: Value| {
        let mut body = json!({ "touser": d.userid, "msgtype": msgtype, "agentid": d.agentid });
        body[msgtype] = content;
        body
    };
    let media = |el: &str| {
        inner
            .child(el)
            .and_then(|e| e.text_of("MediaId"))
            .map(str::to_owned)
            .ok_or_else(|| format!("{msgtype} reply lacks {el}/MediaId"))
    };
    let body = match msgtype {
        "text" => {
            let content = inner.text_of("Content").unwrap_or("");
            if content.is_empty() {
                return Err("text reply has an empty Content".to_owned());
            }
            base(json!({ "content": content }))
        }
        "image" => base(json!({ "media_id": media("Image")? })),
        "voice" => base(json!({ "media_id": media("Voice")? })),
        "video" => {
            let v = inner.child("Video");
            let text = |n: &str| v.and_then(|v| v.text_of(n)).unwrap_or("").to_owned();
            base(
                json!({ "media_id": media("Video")?, "title": text("Title"), "description": text("Description") }),
            )
        }
        "news" => {
            let articles: Vec<Value> = inner
                .child("Articles")
                .map(|a| a.children.iter().filter(|c| c.name == "item").collect::<Vec<_>>())
                .unwrap_or_default()
                .into_iter()
                .map(|item| {
                    let t = |n: &str| item.text_of(n).unwrap_or("").to_owned();
                    json!({ "title": t("Title"), "description": t("Description"), "url": t("Url"), "picurl": t("PicUrl") })
                })
                .collect();
            // The reply page states no maximum (UNVERIFIED §10.7); 8 as for news messages.
            if articles.is_empty() || articles.len() > 8 {
                return Err(format!("news reply has {} articles, 1 to 8 allowed", articles.len()));
            }
            base(json!({ "articles": articles }))
        }
        "update_button" => {
            let name = inner
                .child("Button")
                .and_then(|b| b.text_of("ReplaceName"))
                .filter(|n| !n.is_empty())
                .ok_or("update_button reply lacks Button/ReplaceName")?;
            return update_card(state, d, &CardUpdate::Button(name.to_owned()));
        }
        "update_template_card" => {
            let card_el = inner
                .child("TemplateCard")
                .ok_or("update_template_card reply lacks TemplateCard")?;
            let card_json = xml::card_to_json(card_el);
            let Value::Object(map) = &card_json else {
                return Err("TemplateCard is empty".to_owned());
            };
            card::check(Obj::new(map, "TemplateCard"), Mode::Update, &mut Vec::new())
                .map_err(|e| format!("replacement card is invalid: {}", e.detail))?;
            return update_card(state, d, &CardUpdate::Card(card_json));
        }
        other => return Err(format!("unknown reply MsgType {other:?}")),
    };
    let msgid = record_other(
        state,
        d.agentid,
        Direction::AppToUser,
        Origin::PassiveReply,
        &d.userid,
        &body,
    );
    Ok(format!("delivered to {} as message {msgid}", d.userid))
}

fn update_card(state: &EmulatorState, d: &Delivery, update: &CardUpdate) -> Result<String, String> {
    let Some(card_msgid) = &d.card_msgid else {
        return Err("card updates answer only card events".to_owned());
    };
    let now = state.clock().now_ms();
    let mut store = state.store();
    let idx = store.find(card_msgid).ok_or("the card message is gone")?;
    let message = store.get_mut(idx).ok_or("the card message is gone")?;
    if matches!(update, CardUpdate::Button(_)) && !has_buttons(message.card_type.as_deref()) {
        return Err(
            "update_button applies only to button, vote and multiple interaction cards".to_owned()
        );
    }
    let copy = message
        .recipients
        .iter_mut()
        .find(|r| r.userid == d.userid)
        .ok_or("the member is not a receiver of the card")?;
    apply(copy.card.get_or_insert_with(Box::default), update, now);
    drop(store);
    state
        .changed(Event::CardUpdated { msgid: card_msgid.clone(), userids: vec![d.userid.clone()] });
    Ok(format!("card {card_msgid} updated for {}", d.userid))
}
