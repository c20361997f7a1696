//! Callbacks of types this crate does not model, kept whole.

use serde::Serialize;

use super::Header;
use crate::xml::Element;
use crate::xml::doc::NodeRef;

/// A callback of a type this crate does not model: its type names and every raw field.
///
/// ```
/// use wecom_model::callback::Callback;
///
/// let xml = "<xml><ToUserName>ww1</ToUserName><FromUserName>bob</FromUserName>\
///     <CreateTime>1700000000</CreateTime><MsgType>event</MsgType>\
///     <Event>brand_new_event</Event><Detail><A>1</A></Detail></xml>";
/// let Callback::Unknown(u) = Callback::parse(xml)? else { unreachable!() };
/// assert_eq!(u.msg_type, "event");
/// assert_eq!(u.event.as_deref(), Some("brand_new_event"));
/// assert_eq!(u.raw.child("Detail").and_then(|d| d.child_text("A")), Some("1"));
/// assert_eq!(u.header.from_user_name, "bob");
/// # Ok::<(), wecom_model::callback::ParseError>(())
/// ```
///
/// Serialized flat: the header's fields, `"msgtype"`, `"event"` when present, and the raw
/// document under `"fields"` in the form of [`Element::fields`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unknown {
    /// The header, read leniently: what could not be read is empty, 0 or `None`.
    #[serde(flatten)]
    pub header: Header,
    /// `MsgType` as sent.
    #[serde(rename = "msgtype")]
    pub msg_type: String,
    /// `Event` as sent, if present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// The whole document: the `<xml>` root with every element, in order.
    #[serde(rename = "fields", serialize_with = "crate::xml::fields::serialize")]
    pub raw: Element,
}

impl Unknown {
    pub(super) fn from_root(root: NodeRef<'_, '_>) -> Self {
        let raw = |name: &str| root.child_text(name).unwrap_or_default();
        let text = |name: &str| raw(name).trim_ascii();
        let header = Header {
            to_user_name: raw("ToUserName").to_owned(),
            from_user_name: raw("FromUserName").to_owned(),
            create_time: text("CreateTime").parse().unwrap_or_default(),
            agent_id: text("AgentID").parse().ok(),
        };
        Unknown {
            header,
            msg_type: text("MsgType").to_owned(),
            event: root.child_text("Event").map(|e| e.trim_ascii().to_owned()),
            raw: root.to_element(),
        }
    }

    /// `MsgId`, if the raw fields hold one that is a number.
    pub fn msg_id(&self) -> Option<u64> {
        self.raw.child_text("MsgId").and_then(|t| t.trim_ascii().parse().ok())
    }
}
