//! What a bot sends: passive replies ([`Reply`]: stream, card, stream with card, welcome
//! text), card updates ([`CardUpdate`]) and active replies through `response_url`
//! ([`ActiveReply`]).

use serde::{Deserialize, Serialize};

use super::card::AibotCard;
use super::common::{Feedback, StreamId};

/// Most bytes (UTF-8) of a stream's `content` and of an active reply's markdown.
pub const STREAM_CONTENT_MAX_BYTES: usize = 20_480;

/// A passive reply body (the plaintext inside the encrypted HTTP answer, or the `body` of a
/// WebSocket reply frame).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "msgtype", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reply {
    /// `stream`: the whole text so far.
    Stream {
        /// The stream.
        stream: StreamBody,
    },
    /// `template_card` (to a message or `enter_chat`).
    TemplateCard {
        /// The card.
        template_card: AibotCard,
    },
    /// `stream_with_template_card`: a stream plus a card, the card once per message.
    StreamWithTemplateCard {
        /// The stream.
        stream: StreamBody,
        /// The card.
        template_card: AibotCard,
    },
    /// `text`: only as a welcome reply to `enter_chat`.
    Text {
        /// The text.
        text: WelcomeText,
    },
}

/// The `text` object of a welcome reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WelcomeText {
    /// The text.
    pub content: String,
}

impl Reply {
    /// A welcome text (the only place WeCom accepts `text`).
    pub fn welcome(text: impl Into<String>) -> Self {
        Reply::Text { text: WelcomeText { content: text.into() } }
    }

    /// A card.
    pub fn card(card: impl Into<AibotCard>) -> Self {
        Reply::TemplateCard { template_card: card.into() }
    }

    /// The stream part, if any.
    pub fn stream(&self) -> Option<&StreamBody> {
        match self {
            Reply::Stream { stream } | Reply::StreamWithTemplateCard { stream, .. } => Some(stream),
            _ => None,
        }
    }
}

impl From<StreamBody> for Reply {
    fn from(stream: StreamBody) -> Self {
        Reply::Stream { stream }
    }
}

/// The `stream` object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StreamBody {
    /// The stream's id (the same on every reply of one answer).
    pub id: StreamId,
    /// Whether this is the last reply.
    pub finish: bool,
    /// The whole text so far (Markdown), at most [`STREAM_CONTENT_MAX_BYTES`].
    pub content: String,
    /// Pictures, only with `finish: true` (≤ 10, JPG/PNG ≤ 10 MB each).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub msg_item: Vec<StreamImage>,
    /// Feedback id; only honoured on the first reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<Feedback>,
}

impl StreamBody {
    /// A stream reply.
    pub fn new(id: StreamId, finish: bool, content: impl Into<String>) -> Self {
        StreamBody { id, finish, content: content.into(), msg_item: Vec::new(), feedback: None }
    }
}

/// One picture of a final stream reply: `{msgtype:"image", image:{base64, md5}}`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "msgtype", rename = "image")]
pub struct StreamImage {
    image: ImageData,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
struct ImageData {
    base64: String,
    md5: String,
}

impl std::fmt::Debug for StreamImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamImage")
            .field("base64_len", &self.image.base64.len())
            .field("md5", &self.image.md5)
            .finish()
    }
}

impl StreamImage {
    /// Most pictures per reply.
    pub const MAX_COUNT: usize = 10;
    /// Most bytes per picture, before Base64.
    pub const MAX_BYTES: usize = 10 * 1024 * 1024;

    /// A picture from its raw JPG/PNG bytes: Base64 and the MD5 of the raw bytes.
    pub fn from_bytes(bytes: &[u8]) -> Self {
        use md5::Digest as _;
        let digest = md5::Md5::digest(bytes);
        let md5 = digest.iter().fold(String::with_capacity(32), |mut hex, b| {
            use std::fmt::Write as _;
            let _ = write!(hex, "{b:02x}");
            hex
        });
        StreamImage {
            image: ImageData { base64: base64_simd::STANDARD.encode_to_string(bytes), md5 },
        }
    }

    /// The lowercase hex MD5 of the raw bytes.
    pub fn md5(&self) -> &str {
        &self.image.md5
    }
}

/// `update_template_card`: the answer to a `template_card_event` (within 5 s).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CardUpdate {
    /// Always `update_template_card`.
    pub response_type: String,
    /// Only these members see the new card; empty = everyone who received it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub userids: Vec<String>,
    /// The replacement card; its `task_id` must be the event's.
    pub template_card: AibotCard,
}

impl CardUpdate {
    /// Replaces the card for everyone who received it.
    pub fn new(card: impl Into<AibotCard>) -> Self {
        CardUpdate {
            response_type: "update_template_card".into(),
            userids: Vec::new(),
            template_card: card.into(),
        }
    }

    /// Replaces it only for these members.
    #[must_use]
    pub fn for_users<I: IntoIterator<Item = S>, S: Into<String>>(mut self, users: I) -> Self {
        self.userids = users.into_iter().map(Into::into).collect();
        self
    }
}

/// The body of an active reply through `response_url`: markdown or a card (anything else
/// gets 40008).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "msgtype", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ActiveReply {
    /// `markdown` (≤ 20,480 bytes).
    Markdown {
        /// The text.
        markdown: Markdown,
    },
    /// `template_card`: safest in single chats only (the doc contradicts itself on groups).
    TemplateCard {
        /// The card.
        template_card: Box<AibotCard>,
    },
}

impl ActiveReply {
    /// A markdown reply.
    pub fn markdown(content: impl Into<String>) -> Self {
        ActiveReply::Markdown { markdown: Markdown { content: content.into(), feedback: None } }
    }

    /// A card reply.
    pub fn card(card: impl Into<AibotCard>) -> Self {
        ActiveReply::TemplateCard { template_card: Box::new(card.into()) }
    }
}

/// The `markdown` object of an active reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Markdown {
    /// The text (markdown_v2 subset).
    pub content: String,
    /// Optional feedback id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<Feedback>,
}
