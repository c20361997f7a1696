//! Messages members send to the app (`MsgType` text, image, voice, video, location, link).

use serde::{Deserialize, Serialize};

use super::Header;
use super::fields::Fields;
use crate::callback::ParseError;

/// A message from a member.
///
/// Serialized as one flat object: the header's fields, `msg_id`, `"msgtype"` and the
/// content's fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// The common header.
    #[serde(flatten)]
    pub header: Header,
    /// `MsgId`: unique per message, the key for de-duplicating retries.
    pub msg_id: u64,
    /// The content, by type.
    #[serde(flatten)]
    pub body: MessageBody,
}

/// The content of a [`Message`], by `MsgType` (`"msgtype"` in JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "msgtype", rename_all = "lowercase")]
#[non_exhaustive]
pub enum MessageBody {
    /// `text`.
    Text(Text),
    /// `image`.
    Image(Image),
    /// `voice`.
    Voice(Voice),
    /// `video`.
    Video(Video),
    /// `location`.
    Location(Location),
    /// `link`.
    Link(Link),
}

impl MessageBody {
    /// The `MsgType` of this content.
    pub fn msg_type(&self) -> &'static str {
        match self {
            MessageBody::Text(_) => "text",
            MessageBody::Image(_) => "image",
            MessageBody::Voice(_) => "voice",
            MessageBody::Video(_) => "video",
            MessageBody::Location(_) => "location",
            MessageBody::Link(_) => "link",
        }
    }
}

/// A text message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    /// `Content`.
    pub content: String,
}

/// An image message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// `PicUrl`.
    pub pic_url: String,
    /// `MediaId` (temporary media, valid 3 days).
    pub media_id: String,
}

/// A voice message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voice {
    /// `MediaId`.
    pub media_id: String,
    /// `Format` (`amr`, `speex` …).
    pub format: String,
}

/// A video message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Video {
    /// `MediaId`.
    pub media_id: String,
    /// `ThumbMediaId`.
    pub thumb_media_id: String,
}

/// A location message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// `Location_X`: latitude.
    pub latitude: f64,
    /// `Location_Y`: longitude.
    pub longitude: f64,
    /// `Scale`: map zoom.
    pub scale: u32,
    /// `Label`: the place's description.
    pub label: String,
    /// `AppType` (`wxwork` in WeCom; absent from WeChat).
    pub app_type: Option<String>,
}

/// A link message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// `Title`.
    pub title: String,
    /// `Description`.
    pub description: String,
    /// `Url`.
    pub url: String,
    /// `PicUrl`.
    pub pic_url: String,
}

/// Parses a message of a known type; `Ok(None)` for unknown types.
pub(super) fn parse(msg_type: &str, f: Fields<'_, '_>) -> Result<Option<Message>, ParseError> {
    let is = |name: &str| msg_type.eq_ignore_ascii_case(name);
    let body = if is("text") {
        MessageBody::Text(Text { content: f.string("Content") })
    } else if is("image") {
        MessageBody::Image(Image { pic_url: f.string("PicUrl"), media_id: f.string("MediaId") })
    } else if is("voice") {
        MessageBody::Voice(Voice { media_id: f.string("MediaId"), format: f.string("Format") })
    } else if is("video") {
        MessageBody::Video(Video {
            media_id: f.string("MediaId"),
            thumb_media_id: f.string("ThumbMediaId"),
        })
    } else if is("location") {
        MessageBody::Location(Location {
            latitude: f.num("Location_X")?,
            longitude: f.num("Location_Y")?,
            scale: f.num("Scale")?,
            label: f.string("Label"),
            app_type: f.opt_string("AppType"),
        })
    } else if is("link") {
        MessageBody::Link(Link {
            title: f.string("Title"),
            description: f.string("Description"),
            url: f.string("Url"),
            pic_url: f.string("PicUrl"),
        })
    } else {
        return Ok(None);
    };
    Ok(Some(Message { header: Header::read(f)?, msg_id: f.required("MsgId")?, body }))
}
