//! Messages that do not come through `message/send` — an app's passive reply, a member's
//! message to an app — recorded in the same inbox.

use serde_json::Value;
use serde_json::value::RawValue;

use super::{Direction, EmulatorState, Message, Origin, Recipient, Status};
use crate::events::Event;
use crate::ids;

/// Records a delivered message that did not come through `message/send` (a passive reply or
/// a member's message); returns its msgid.
pub(crate) fn record_other(
    state: &EmulatorState,
    agentid: i64,
    direction: Direction,
    origin: Origin,
    userid: &str,
    body: &Value,
) -> String {
    let msgid = ids::opaque("", 43);
    let msgtype = body.get("msgtype").and_then(Value::as_str).unwrap_or("").to_owned();
    let text = serde_json::to_string(body).unwrap_or_else(|_| "null".to_owned());
    let raw = RawValue::from_string(text).unwrap_or_else(|_| RawValue::NULL.to_owned());
    let message = Message {
        msgid: msgid.clone(),
        agentid,
        msgtype,
        direction,
        origin,
        from_user: (direction == Direction::UserToApp).then(|| userid.to_owned()),
        body: raw,
        body_whitespace: None,
        sent_at_ms: state.clock().now_ms(),
        recipients: if direction == Direction::AppToUser {
            vec![Recipient { userid: userid.to_owned(), status: Status::Delivered, card: None }]
        } else {
            Vec::new()
        },
        invaliduser: Vec::new(),
        invalidparty: Vec::new(),
        invalidtag: Vec::new(),
        unlicenseduser: Vec::new(),
        card_type: None,
        task_id: None,
        response_code: None,
        recalled_at_ms: None,
        duplicates_suppressed: 0,
    };
    let now = state.clock().now_ms();
    state.store().push(message, state.retention(), now);
    state.changed(Event::MessageAccepted { msgid: msgid.clone(), agentid });
    msgid
}
