//! Fields every callback shares: ids, the chat, the sender, and the feedback id of replies.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A callback's `msgid`: unique per delivery of one callback, the key that de-duplicates
/// WeCom's retries.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MsgId(pub String);

impl fmt::Display for MsgId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A stream's `stream.id`: chosen by the bot on its first reply and echoed by WeCom in every
/// refresh callback.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StreamId(pub String);

impl StreamId {
    /// A fresh id, `stream_<unix-ms>_<8 hex>` (the official SDK's shape).
    pub fn generate() -> Self {
        let ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let mut r = [0u8; 4];
        // An id only has to be unique; a clock-and-counter fallback is enough if the OS
        // generator fails.
        if getrandom::fill(&mut r).is_err() {
            use std::sync::atomic::{AtomicU32, Ordering};
            static N: AtomicU32 = AtomicU32::new(0);
            r = N.fetch_add(1, Ordering::Relaxed).to_be_bytes();
        }
        StreamId(format!("stream_{ms}_{:08x}", u32::from_be_bytes(r)))
    }
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `chattype`: a single chat with the bot or a group chat where it was @-mentioned.
/// Values WeCom adds later are kept in [`ChatType::Other`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChatType {
    /// `single`.
    Single,
    /// `group`.
    Group,
    /// Any other value, as sent.
    Other(String),
}

impl ChatType {
    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            ChatType::Single => "single",
            ChatType::Group => "group",
            ChatType::Other(s) => s,
        }
    }
}

impl Serialize for ChatType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ChatType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(match s.as_str() {
            "single" => ChatType::Single,
            "group" => ChatType::Group,
            _ => ChatType::Other(s),
        })
    }
}

/// `from`: who sent the message (empty on `disconnected_event`, which has no sender).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct From {
    /// The sender's userid (treat it as opaque: some set-ups send an encrypted id).
    pub userid: String,
    /// The sender's corp id; not sent for corp-internal bots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corpid: Option<String>,
}

/// The fields every callback carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Header {
    /// This delivery's id (the de-duplication key).
    pub msgid: MsgId,
    /// The bot's id.
    #[serde(default)]
    pub aibotid: String,
    /// The group chat's id; absent in single chats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chatid: Option<String>,
    /// Single or group chat.
    #[serde(default = "unknown_chat")]
    pub chattype: ChatType,
    /// The sender.
    #[serde(default)]
    pub from: From,
    /// Unix seconds; always on events, optional on messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<i64>,
}

fn unknown_chat() -> ChatType {
    ChatType::Other(String::new())
}

impl Header {
    /// Where an answer goes: the group's chat id, or the sender's userid in a single chat.
    pub fn conversation(&self) -> &str {
        self.chatid.as_deref().unwrap_or(&self.from.userid)
    }
}

/// `feedback`: an id of your choice (at most 256 bytes) put on a reply so that the member's
/// like/dislike comes back as a `feedback_event` carrying it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feedback {
    /// The id.
    pub id: String,
}

impl Feedback {
    /// Most bytes of a feedback id.
    pub const ID_MAX_BYTES: usize = 256;

    /// A feedback id.
    pub fn new(id: impl Into<String>) -> Self {
        Feedback { id: id.into() }
    }
}
