//! Golden JSON for the callback model: `serde_json::to_value(&callback)` for every message,
//! event and contact-change kind, compared with the flat objects the `wecom listen` command
//! has always printed.

mod contact;
mod events;
mod messages;
mod unknown;

use serde_json::{Value, json};
use wecom_model::callback::Callback;

/// A callback document from the common header and the type-specific elements.
fn xml(msg_type: &str, body: &str) -> String {
    format!(
        "<xml><ToUserName><![CDATA[ww1]]></ToUserName><FromUserName><![CDATA[alice]]></FromUserName>\
         <CreateTime>1700000000</CreateTime><MsgType><![CDATA[{msg_type}]]></MsgType>{body}\
         <AgentID>1000002</AgentID></xml>"
    )
}

/// The JSON of a parsed callback document.
fn to_json(xml: &str) -> Value {
    serde_json::to_value(Callback::parse(xml).unwrap()).unwrap()
}

/// `fields` with the header of [`xml`] added.
fn with_header(mut fields: Value) -> Value {
    let header = json!({
        "from_user_name": "alice",
        "to_user_name": "ww1",
        "create_time": 1_700_000_000,
        "agent_id": 1_000_002,
    });
    let (Value::Object(out), Value::Object(header)) = (&mut fields, header) else { unreachable!() };
    out.extend(header);
    fields
}

/// The JSON of an event named `name` with `body` elements, and what it must be.
fn event(name: &str, body: &str) -> Value {
    to_json(&xml("event", &format!("<Event><![CDATA[{name}]]></Event>{body}")))
}
