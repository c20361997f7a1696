//! Inbound callbacks: messages of every kind, stream refreshes, events, and anything else
//! kept raw. [`Callback::from_json`] never fails on an unknown `msgtype`.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::common::{Header, StreamId};
use super::event::Event;
use crate::error::Error;
use crate::response_url::ResponseUrl;

/// One decrypted callback body.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Callback {
    /// A member wrote to the bot (`text`, `image`, `mixed`, `voice`, `file`, `video`, or a
    /// kind this crate does not know yet).
    Message(Message),
    /// WeCom asks for the current state of a stream (`msgtype: stream`, HTTP mode only).
    Refresh(Refresh),
    /// `msgtype: event`.
    Event(Event),
    /// A body without the common fields this crate needs, kept whole.
    Unknown(Unknown),
}

/// A body this crate could not type, kept whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Unknown {
    /// Its `msgtype`, if it has one.
    pub msgtype: Option<String>,
    /// The whole body.
    pub raw: Value,
}

/// A message from a member.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Message {
    /// Ids, chat and sender.
    pub header: Header,
    /// The one-shot URL for an active reply (valid 1 hour, one call).
    pub response_url: Option<ResponseUrl>,
    /// What was sent.
    pub body: MessageBody,
    /// The earlier message the member quoted, if any.
    pub quote: Option<MessageBody>,
}

impl Message {
    /// The text of the message: `text.content`, the voice transcript, or the text items of a
    /// mixed message joined by newlines; empty for media.
    pub fn text(&self) -> String {
        self.body.text()
    }
}

/// `msgtype: stream`: a refresh callback asking for the current text of stream `stream_id`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Refresh {
    /// Ids, chat and sender (the same chat and sender as the message being answered).
    pub header: Header,
    /// The stream WeCom asks about.
    pub stream_id: StreamId,
}

/// `text`: a text message; in groups it starts with the @mention.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[non_exhaustive]
pub struct Text {
    /// The text.
    pub content: String,
}

/// `voice`: a voice message, delivered as its transcript (no audio).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[non_exhaustive]
pub struct Voice {
    /// The speech-to-text transcript.
    pub content: String,
}

macro_rules! media_kind {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
        #[non_exhaustive]
        pub struct $name {
            /// Where the encrypted file is (valid 5 minutes); see [`crate::media`].
            pub url: String,
            /// The per-file key (WebSocket mode); absent in HTTP mode, where the callback's
            /// EncodingAESKey decrypts the file.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub aeskey: Option<String>,
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                // The URL is a signed download link and the key decrypts the file.
                f.debug_struct(stringify!($name))
                    .field("url", &crate::response_url::redact_query(&self.url))
                    .field("aeskey", &self.aeskey.as_ref().map(|_| "<redacted>"))
                    .finish()
            }
        }
    };
}

media_kind!(
    /// `image`: an encrypted picture.
    Image
);
media_kind!(
    /// `file`: an encrypted file (≤ 100 MB).
    File
);
media_kind!(
    /// `video`: an encrypted video (seen in WebSocket mode; accepted in HTTP mode).
    Video
);

/// `mixed`: text and pictures in one message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Mixed {
    /// The items, in order.
    pub items: Vec<MixedItem>,
}

/// One item of a mixed message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MixedItem {
    /// A text item.
    Text(Text),
    /// A picture.
    Image(Image),
    /// An item of another kind, kept whole.
    Unknown(Value),
}

/// What a message holds, by `msgtype`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum MessageBody {
    /// `text`.
    Text(Text),
    /// `image`.
    Image(Image),
    /// `mixed`.
    Mixed(Mixed),
    /// `voice`.
    Voice(Voice),
    /// `file`.
    File(File),
    /// `video`.
    Video(Video),
    /// Another `msgtype`, or a known one whose object did not parse: the whole object kept.
    Unknown {
        /// The `msgtype`.
        msgtype: String,
        /// The object holding `msgtype` and its payload.
        raw: Value,
    },
}

impl MessageBody {
    /// The wire `msgtype`.
    pub fn msgtype(&self) -> &str {
        match self {
            MessageBody::Text(_) => "text",
            MessageBody::Image(_) => "image",
            MessageBody::Mixed(_) => "mixed",
            MessageBody::Voice(_) => "voice",
            MessageBody::File(_) => "file",
            MessageBody::Video(_) => "video",
            MessageBody::Unknown { msgtype, .. } => msgtype,
        }
    }

    /// The text it carries (see [`Message::text`]).
    pub fn text(&self) -> String {
        match self {
            MessageBody::Text(t) => t.content.clone(),
            MessageBody::Voice(v) => v.content.clone(),
            MessageBody::Mixed(m) => m
                .items
                .iter()
                .filter_map(|i| match i {
                    MixedItem::Text(t) => Some(t.content.as_str()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join("\n"),
            _ => String::new(),
        }
    }

    /// Reads the payload named by `msgtype` from `obj`; never fails.
    pub(crate) fn from_object(msgtype: &str, obj: &Map<String, Value>) -> Self {
        fn typed<T: for<'de> Deserialize<'de>>(obj: &Map<String, Value>, key: &str) -> Option<T> {
            serde_json::from_value(obj.get(key)?.clone()).ok()
        }
        let known = match msgtype {
            "text" => typed(obj, "text").map(MessageBody::Text),
            "image" => typed(obj, "image").map(MessageBody::Image),
            "voice" => typed(obj, "voice").map(MessageBody::Voice),
            "file" => typed(obj, "file").map(MessageBody::File),
            "video" => typed(obj, "video").map(MessageBody::Video),
            "mixed" => mixed(obj).map(MessageBody::Mixed),
            _ => None,
        };
        known.unwrap_or_else(|| MessageBody::Unknown {
            msgtype: msgtype.to_owned(),
            raw: Value::Object(obj.clone()),
        })
    }
}

fn mixed(obj: &Map<String, Value>) -> Option<Mixed> {
    let items = obj.get("mixed")?.get("msg_item")?.as_array()?;
    let items = items
        .iter()
        .map(|item| {
            let kind = item.get("msgtype").and_then(Value::as_str);
            let parsed = match kind {
                Some("text") => item
                    .get("text")
                    .and_then(|v| serde_json::from_value(v.clone()).ok())
                    .map(MixedItem::Text),
                Some("image") => item
                    .get("image")
                    .and_then(|v| serde_json::from_value(v.clone()).ok())
                    .map(MixedItem::Image),
                _ => None,
            };
            parsed.unwrap_or_else(|| MixedItem::Unknown(item.clone()))
        })
        .collect();
    Some(Mixed { items })
}

impl Callback {
    /// Parses a decrypted callback body (the same JSON in HTTP and WebSocket mode).
    ///
    /// # Errors
    /// [`Error::Decode`] only when the body is not a JSON object; a body without the common
    /// fields becomes [`Callback::Unknown`], an unknown `msgtype` a [`MessageBody::Unknown`],
    /// an unknown `eventtype` an [`crate::model::EventKind::Unknown`].
    pub fn from_json(json: &str) -> Result<Self, Error> {
        let value: Value = serde_json::from_str(json).map_err(|e| Error::Decode(e.to_string()))?;
        Self::from_value(value)
    }

    /// [`Callback::from_json`] for an already parsed body.
    pub fn from_value(value: Value) -> Result<Self, Error> {
        let Value::Object(obj) = value else {
            return Err(Error::Decode("callback body is not a JSON object".into()));
        };
        let msgtype = obj.get("msgtype").and_then(Value::as_str).map(str::to_owned);
        let Ok(header) = Header::deserialize(Value::Object(obj.clone())) else {
            return Ok(Callback::Unknown(Unknown { msgtype, raw: Value::Object(obj) }));
        };
        let response_url = obj
            .get("response_url")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(ResponseUrl::received);
        let Some(msgtype) = msgtype else {
            return Ok(Callback::Unknown(Unknown { msgtype: None, raw: Value::Object(obj) }));
        };
        match msgtype.as_str() {
            "stream" => {
                let id = obj.get("stream").and_then(|s| s.get("id")).and_then(Value::as_str);
                match id {
                    Some(id) => Ok(Callback::Refresh(Refresh {
                        header,
                        stream_id: StreamId(id.to_owned()),
                    })),
                    None => Ok(Callback::Unknown(Unknown {
                        msgtype: Some(msgtype),
                        raw: Value::Object(obj),
                    })),
                }
            }
            "event" => Ok(Callback::Event(Event::from_object(header, response_url, &obj))),
            _ => {
                let body = MessageBody::from_object(&msgtype, &obj);
                let quote = obj.get("quote").and_then(Value::as_object).map(|q| {
                    let kind = q.get("msgtype").and_then(Value::as_str).unwrap_or_default();
                    MessageBody::from_object(kind, q)
                });
                Ok(Callback::Message(Message { header, response_url, body, quote }))
            }
        }
    }

    /// The common fields, unless the body was not understood at all.
    pub fn header(&self) -> Option<&Header> {
        match self {
            Callback::Message(m) => Some(&m.header),
            Callback::Refresh(r) => Some(&r.header),
            Callback::Event(e) => Some(&e.header),
            Callback::Unknown(_) => None,
        }
    }
}
