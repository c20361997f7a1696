//! Uploaded files: temporary media (`media/upload`, valid 3 days, addressed by `media_id`)
//! and permanent images (`media/uploadimg`, addressed by URL). Persisted with the state file
//! as Base64.

use crate::hash::FxHashMap as HashMap;

use bytes::Bytes;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Lifetime of temporary media.
pub(crate) const MEDIA_TTL_MS: i64 = 3 * 24 * 3600 * 1000;

/// The `type` of temporary media.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    /// JPG/PNG up to 10 MB.
    Image,
    /// AMR up to 2 MB and 60 s.
    Voice,
    /// MP4 up to 10 MB.
    Video,
    /// Anything up to 20 MB.
    File,
}

impl MediaKind {
    /// Parses the `type` query parameter.
    pub(crate) fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "image" => Self::Image,
            "voice" => Self::Voice,
            "video" => Self::Video,
            "file" => Self::File,
            _ => return None,
        })
    }

    /// The wire name.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Image => "image",
            Self::Voice => "voice",
            Self::Video => "video",
            Self::File => "file",
        }
    }
}

/// One stored file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Media {
    pub(crate) kind: MediaKind,
    pub(crate) filename: String,
    pub(crate) content_type: String,
    #[serde(serialize_with = "ser_b64", deserialize_with = "de_b64")]
    pub(crate) data: Bytes,
    pub(crate) created_ms: i64,
}

/// Temporary media by id and permanent images by id.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct MediaStore {
    pub(crate) temporary: HashMap<String, Media>,
    pub(crate) images: HashMap<String, Media>,
}

impl MediaStore {
    /// The live temporary media with this id (absent or older than 3 days: `None`).
    pub(crate) fn live(&self, media_id: &str, now_ms: i64) -> Option<&Media> {
        self.temporary.get(media_id).filter(|m| m.created_ms + MEDIA_TTL_MS > now_ms)
    }

    /// Bytes of every stored file.
    pub(crate) fn bytes(&self) -> usize {
        self.temporary.values().chain(self.images.values()).map(|m| m.data.len()).sum()
    }
}

fn ser_b64<S: Serializer>(data: &Bytes, s: S) -> Result<S::Ok, S::Error> {
    use base64::Engine as _;
    s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(data))
}

fn de_b64<'de, D: Deserializer<'de>>(d: D) -> Result<Bytes, D::Error> {
    use base64::Engine as _;
    let text = String::deserialize(d)?;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map(Bytes::from)
        .map_err(serde::de::Error::custom)
}
