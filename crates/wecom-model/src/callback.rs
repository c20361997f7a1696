//! Typed callbacks: what WeCom posts to an app, decrypted and parsed.
//!
//! A [`Callback`] is a user [`Message`] (text, image, voice, video, location, link), an
//! [`Event`] (menu clicks, template-card clicks, contact changes, approvals …), or — for any
//! type this crate does not know yet — an [`Unknown`] that keeps every raw field. A new
//! message or event type from WeCom is therefore never an error.
//!
//! ```
//! use wecom_model::callback::{Callback, MessageBody};
//!
//! let xml = "<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName>\
//!     <FromUserName><![CDATA[alice]]></FromUserName><CreateTime>1700000000</CreateTime>\
//!     <MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content>\
//!     <MsgId>42</MsgId><AgentID><![CDATA[1000002]]></AgentID></xml>";
//! match Callback::parse(xml)? {
//!     Callback::Message(m) => {
//!         assert_eq!(m.header.from_user_name, "alice");
//!         assert_eq!(m.header.agent_id, Some(1000002));
//!         assert!(matches!(m.body, MessageBody::Text(ref t) if t.content == "hi"));
//!     }
//!     other => panic!("unexpected {other:?}"),
//! }
//! # Ok::<(), wecom_model::callback::ParseError>(())
//! ```

mod error;
mod event;
mod fields;
mod key;
mod message;
mod unknown;

pub use crate::card::CardType;
pub use error::{FieldProblem, ParseError};
pub use event::{
    ApprovalInfo, ApprovalItem, ApprovalNode, ApprovalStatus, BatchJob, ChangeType, ContactChange,
    Event, EventBody, JobType, LocationReport, LocationSelect, NotifyNode, PartyChange, PicsSent,
    ScanCode, ScanType, SelectedItem, StepStatus, TagChange, TemplateCardClick,
    TemplateCardMenuClick, UserChange,
};
pub use message::{Image, Link, Location, Message, MessageBody, Text, Video, Voice};
pub use unknown::Unknown;

use serde::{Deserialize, Serialize};

use crate::xml::doc::{Doc, NodeRef};
use fields::Fields;

/// The fields every callback starts with (flattened into the callback's JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// `ToUserName`: the corp id (the suite id for third-party apps).
    pub to_user_name: String,
    /// `FromUserName`: the member's UserID, or `sys` for system events.
    pub from_user_name: String,
    /// `CreateTime`: Unix seconds.
    pub create_time: u64,
    /// `AgentID`: the app, when the callback belongs to one (sent as a number or CDATA text).
    pub agent_id: Option<i64>,
}

impl Header {
    fn read(f: Fields<'_, '_>) -> Result<Self, ParseError> {
        Ok(Header {
            to_user_name: f.string("ToUserName"),
            from_user_name: f.string("FromUserName"),
            create_time: f.required("CreateTime")?,
            agent_id: f.opt_num("AgentID")?,
        })
    }
}

/// One decrypted callback.
///
/// Serialized as one flat JSON object tagged by `"type"` (`message`, `event` or `unknown`),
/// with `"msgtype"` or `"event"` as WeCom spells them, the header's fields and the body's:
///
/// ```
/// use wecom_model::callback::Callback;
///
/// let xml = "<xml><ToUserName>ww1</ToUserName><FromUserName>alice</FromUserName>\
///     <CreateTime>1700000000</CreateTime><MsgType>event</MsgType><Event>click</Event>\
///     <EventKey>menu_1</EventKey><AgentID>1000002</AgentID></xml>";
/// let json = serde_json::to_value(Callback::parse(xml)?).unwrap();
/// assert_eq!(json, serde_json::json!({
///     "type": "event", "event": "click", "event_key": "menu_1",
///     "from_user_name": "alice", "to_user_name": "ww1",
///     "create_time": 1700000000, "agent_id": 1000002,
/// }));
/// # Ok::<(), wecom_model::callback::ParseError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
#[non_exhaustive]
pub enum Callback {
    /// A message a member sent to the app.
    Message(Message),
    /// An event (`MsgType` = `event`).
    Event(Event),
    /// A message or event type this crate does not model (or a known type with an unknown
    /// sub-type, such as a new `ChangeType`), with every raw field.
    Unknown(Unknown),
}

impl Callback {
    /// Parses the decrypted callback XML.
    ///
    /// # Errors
    /// [`ParseError::Xml`] when the document is not well-formed or its root is not `<xml>`;
    /// [`ParseError::Field`] when a known type lacks `CreateTime` (or `MsgId` for messages) or
    /// holds a non-number where a number belongs. Unknown types are never an error.
    pub fn parse(xml: &str) -> Result<Callback, ParseError> {
        let doc = Doc::parse(xml)?;
        let root = doc.root();
        if root.name() != "xml" {
            return Err(ParseError::Xml(format!(
                "root element is <{}>, not <xml>",
                root.name().chars().take(32).collect::<String>()
            )));
        }
        Self::from_root(root)
    }

    fn from_root(root: NodeRef<'_, '_>) -> Result<Callback, ParseError> {
        let f = Fields(root);
        let msg_type = f.text("MsgType").unwrap_or_default().trim_ascii();
        let parsed = if msg_type.eq_ignore_ascii_case("event") {
            event::parse(f)?.map(Callback::Event)
        } else {
            message::parse(msg_type, f)?.map(Callback::Message)
        };
        Ok(match parsed {
            Some(callback) => callback,
            None => Callback::Unknown(Unknown::from_root(root)),
        })
    }

    /// The common header.
    ///
    /// For [`Callback::Unknown`] it is read leniently: a value that could not be read is
    /// empty (or 0 / `None`); the exact text is in [`Unknown::raw`].
    pub fn header(&self) -> &Header {
        match self {
            Callback::Message(m) => &m.header,
            Callback::Event(e) => &e.header,
            Callback::Unknown(u) => &u.header,
        }
    }

    /// `MsgType` as WeCom names it (`text`, `event`, …).
    pub fn msg_type(&self) -> &str {
        match self {
            Callback::Message(m) => m.body.msg_type(),
            Callback::Event(_) => "event",
            Callback::Unknown(u) => &u.msg_type,
        }
    }

    /// The `Event` name for events (`click`, `LOCATION`, …), `None` for messages.
    pub fn event_name(&self) -> Option<&str> {
        match self {
            Callback::Message(_) => None,
            Callback::Event(e) => Some(e.body.name()),
            Callback::Unknown(u) => u.event.as_deref(),
        }
    }

    /// The key under which WeCom's retries of this callback are recognised.
    ///
    /// Messages: corp, app and `MsgId`. Events: corp, app, `FromUserName`, `CreateTime`, the
    /// event name and every field of the event (`EventKey`, `TaskId`, `ResponseCode`,
    /// `ChangeType` and the changed ids …), so two distinct events in the same second never
    /// share a key. Unknown types: `MsgId` when present, otherwise every raw field. The app
    /// is part of every key, so apps sharing one store do not drop each other's events.
    /// Keys longer than 200 bytes end in a SHA-1 digest instead of the raw values.
    pub fn dedup_key(&self) -> String {
        key::dedup_key(self)
    }
}
