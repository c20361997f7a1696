//! The AI-bot wire model, shared by every transport: what WeCom sends (messages, stream
//! refreshes, events) and what a bot answers (streams, cards, welcome replies, card updates,
//! active replies through `response_url`).
//!
//! Inbound bodies are parsed leniently: an unknown `msgtype` or `eventtype` is kept whole as a
//! [`serde_json::Value`], and string-valued enums keep values they do not know
//! ([`ChatType::Other`]). Outbound bodies are built from constructors and serialize to exactly
//! the JSON of the protocol reference.
//!
//! ```
//! use wecom_aibot::model::{Callback, MessageBody};
//!
//! let json = r#"{"msgid":"m1","aibotid":"aib1","chattype":"single","from":{"userid":"lisi"},
//!   "response_url":"https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=RC",
//!   "msgtype":"text","text":{"content":"hello"}}"#;
//! let Callback::Message(msg) = Callback::from_json(json)? else { unreachable!() };
//! assert_eq!(msg.header.from.userid, "lisi");
//! assert!(matches!(&msg.body, MessageBody::Text(t) if t.content == "hello"));
//! # Ok::<(), wecom_aibot::Error>(())
//! ```

mod card;
mod common;
mod event;
mod inbound;
mod outbound;

pub use card::{AibotCard, AskBotJump};
pub use common::{ChatType, Feedback, From, Header, MsgId, StreamId};
pub use event::{CardEvent, Event, EventKind, FeedbackEvent, FeedbackType, SelectedItem};
pub use inbound::{
    Callback, File, Image, Message, MessageBody, Mixed, MixedItem, Refresh, Text, Unknown, Video,
    Voice,
};
pub use outbound::{
    ActiveReply, CardUpdate, Markdown, Reply, STREAM_CONTENT_MAX_BYTES, StreamBody, StreamImage,
};
