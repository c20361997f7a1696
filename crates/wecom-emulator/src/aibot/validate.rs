//! What WeCom accepts from an AI bot, checked on the raw JSON (independently of any SDK).

use serde_json::Value;

/// Most bytes of a stream's content or an active markdown reply.
pub(crate) const CONTENT_MAX: usize = 20_480;
const CARD_TYPES: [&str; 5] = [
    "text_notice",
    "news_notice",
    "button_interaction",
    "vote_interaction",
    "multiple_interaction",
];

/// What a reply answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answering<'a> {
    /// A member's message.
    Message,
    /// A refresh of this stream.
    Refresh(&'a str),
    /// `enter_chat`.
    EnterChat,
    /// `template_card_event` on a card with this task id.
    CardEvent(&'a str),
}

fn card(v: &Value, at: &str) -> Result<(), String> {
    let Some(obj) = v.as_object() else { return Err(format!("{at}: must be an object")) };
    let kind = obj.get("card_type").and_then(Value::as_str).unwrap_or_default();
    if !CARD_TYPES.contains(&kind) {
        return Err(format!("{at}.card_type: {kind:?} is not one of {CARD_TYPES:?}"));
    }
    feedback(obj.get("feedback"), &format!("{at}.feedback"))
}

fn feedback(v: Option<&Value>, at: &str) -> Result<(), String> {
    match v {
        None => Ok(()),
        Some(f) => match f.get("id").and_then(Value::as_str) {
            Some(id) if id.len() <= 256 => Ok(()),
            Some(id) => Err(format!("{at}.id: {} bytes, at most 256", id.len())),
            None => Err(format!("{at}.id: missing")),
        },
    }
}

fn stream(v: Option<&Value>, expect_id: Option<&str>) -> Result<(), String> {
    let Some(s) = v.and_then(Value::as_object) else {
        return Err("stream: missing".into());
    };
    let id = s.get("id").and_then(Value::as_str).unwrap_or_default();
    if id.is_empty() {
        return Err("stream.id: required".into());
    }
    if let Some(expected) = expect_id
        && id != expected
    {
        return Err(format!("stream.id: {id:?} does not match the refreshed stream {expected:?}"));
    }
    let finish = match s.get("finish") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err("stream.finish: must be a boolean".into()),
    };
    let content = match s.get("content") {
        None => "",
        Some(Value::String(c)) => c,
        Some(_) => return Err("stream.content: must be a string".into()),
    };
    if content.len() > CONTENT_MAX {
        return Err(format!("stream.content: {} bytes, at most {CONTENT_MAX}", content.len()));
    }
    if let Some(items) = s.get("msg_item") {
        let items = items.as_array().ok_or("stream.msg_item: must be an array")?;
        if !finish && !items.is_empty() {
            return Err("stream.msg_item: only allowed with finish: true".into());
        }
        if items.len() > 10 {
            return Err(format!("stream.msg_item: {} items, at most 10", items.len()));
        }
        for (i, item) in items.iter().enumerate() {
            let ok = item["msgtype"] == "image"
                && item["image"]["base64"].is_string()
                && item["image"]["md5"].as_str().is_some_and(|m| m.len() == 32);
            if !ok {
                return Err(format!(
                    "stream.msg_item[{i}]: must be {{msgtype: image, image: {{base64, md5}}}}"
                ));
            }
        }
    }
    feedback(s.get("feedback"), "stream.feedback")
}

/// Checks a passive reply body.
pub(crate) fn passive(reply: &Value, answering: Answering<'_>) -> Result<(), String> {
    if let Answering::CardEvent(task_id) = answering {
        if reply["response_type"] != "update_template_card" {
            return Err("response_type: must be update_template_card (93050)".into());
        }
        card(&reply["template_card"], "template_card")?;
        if reply["template_card"]["task_id"].as_str() != Some(task_id) {
            return Err(format!("template_card.task_id: must be the event's {task_id:?}"));
        }
        return Ok(());
    }
    let msgtype = reply["msgtype"].as_str().unwrap_or_default();
    match (answering, msgtype) {
        (Answering::EnterChat, "text") => match reply["text"]["content"].as_str() {
            Some(_) => Ok(()),
            None => Err("text.content: required".into()),
        },
        (Answering::EnterChat | Answering::Message, "template_card") => {
            card(&reply["template_card"], "template_card")
        }
        (Answering::Message, "stream") => stream(reply.get("stream"), None),
        (Answering::Refresh(id), "stream") => stream(reply.get("stream"), Some(id)),
        (Answering::Message, "stream_with_template_card") => {
            stream(reply.get("stream"), None)?;
            card(&reply["template_card"], "template_card")
        }
        (Answering::Refresh(id), "stream_with_template_card") => {
            stream(reply.get("stream"), Some(id))?;
            card(&reply["template_card"], "template_card")
        }
        _ => Err(format!("msgtype: {msgtype:?} is not allowed here (40008)")),
    }
}

/// Checks a `response_url` body: `(errcode, errmsg)` on refusal.
pub(crate) fn active(body: &Value) -> Result<(), (i64, String)> {
    match body["msgtype"].as_str() {
        Some("markdown") => {
            let Some(content) = body["markdown"]["content"].as_str() else {
                return Err((40058, "missing field `markdown.content`".into()));
            };
            if content.len() > CONTENT_MAX {
                return Err((
                    40058,
                    format!("markdown.content: {} bytes, at most {CONTENT_MAX}", content.len()),
                ));
            }
            feedback(body["markdown"].get("feedback"), "markdown.feedback").map_err(|e| (40058, e))
        }
        Some("template_card") => {
            card(&body["template_card"], "template_card").map_err(|e| (40058, e))
        }
        _ => Err((40008, "invalid message type".into())),
    }
}
