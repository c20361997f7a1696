//! `file` and `voice`: messages that carry a media id from the same webhook's
//! `webhook/upload_media`, and that upload's rules ([`UploadKind`]) and answer
//! ([`UploadedWebhookMedia`]).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::quirks::int_lenient;
use crate::validate::{Check, Path, non_empty};

/// Every upload must be larger than this many bytes.
pub const UPLOAD_MIN_BYTES: usize = 5;

/// A media id from `webhook/upload_media`: usable for 3 days, and only by the webhook (key)
/// that uploaded it — not an app's `media/upload` id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WebhookMediaId(String);

impl WebhookMediaId {
    /// Wraps a media id.
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for WebhookMediaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for WebhookMediaId {
    fn from(id: &str) -> Self {
        Self::new(id)
    }
}

impl From<String> for WebhookMediaId {
    fn from(id: String) -> Self {
        Self(id)
    }
}

/// What `webhook/upload_media` stores: the `type` query parameter.
///
/// ```
/// use wecom_model::webhook::UploadKind;
///
/// assert!(UploadKind::File.check(b"hello world").is_ok());
/// let err = UploadKind::File.check(b"tiny!").unwrap_err();
/// assert_eq!(err.problem, "must be more than 5 bytes (got 5 bytes)");
/// assert!(UploadKind::Voice.check(b"not an amr file").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UploadKind {
    /// Any file, more than 5 bytes and at most 20 MB; sent with [`WebhookFile`].
    File,
    /// AMR voice, more than 5 bytes, at most 2 MB and 60 seconds; sent with [`WebhookVoice`].
    Voice,
}

impl UploadKind {
    /// The `type` query parameter.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::File => "file",
            Self::Voice => "voice",
        }
    }

    /// The most bytes an upload of this kind may have.
    pub const fn max_bytes(self) -> usize {
        match self {
            Self::File => 20 * 1024 * 1024,
            Self::Voice => 2 * 1024 * 1024,
        }
    }

    /// Checks `data` against this kind's size and format rules before uploading.
    pub fn check(self, data: &[u8]) -> Check {
        let path = Path::root("media");
        if data.len() <= UPLOAD_MIN_BYTES {
            return Err(path.error(format!(
                "must be more than {UPLOAD_MIN_BYTES} bytes (got {} bytes)",
                data.len()
            )));
        }
        let max = self.max_bytes();
        if data.len() > max {
            return Err(path.error(format!(
                "must be at most {max} bytes for type {} (got {} bytes)",
                self.as_str(),
                data.len()
            )));
        }
        if self == Self::Voice {
            let Some(ms) = amr_duration_ms(data) else {
                return Err(path.error("must be an AMR file for type voice"));
            };
            if ms > 60_000 {
                return Err(path.error(format!(
                    "must play at most 60 seconds for type voice (got {} s)",
                    ms.div_ceil(1000)
                )));
            }
        }
        Ok(())
    }
}

/// Playback time of AMR (narrow- or wide-band) data in milliseconds; `None` if not AMR.
fn amr_duration_ms(d: &[u8]) -> Option<u64> {
    // Frame payload sizes by frame type; every frame plays 20 ms.
    const NB: [usize; 16] = [12, 13, 15, 17, 19, 20, 26, 31, 5, 6, 5, 5, 0, 0, 0, 0];
    const WB: [usize; 16] = [17, 23, 32, 36, 40, 46, 50, 58, 60, 5, 0, 0, 0, 0, 0, 0];
    let (mut pos, sizes) = if d.starts_with(b"#!AMR\n") {
        (6, &NB)
    } else if d.starts_with(b"#!AMR-WB\n") {
        (9, &WB)
    } else {
        return None;
    };
    let mut frames = 0u64;
    while pos < d.len() {
        pos += 1 + sizes[usize::from((d[pos] >> 3) & 0x0F)];
        frames += 1;
    }
    Some(frames * 20)
}

/// The answer of `webhook/upload_media`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UploadedWebhookMedia {
    /// `file` or `voice`.
    #[serde(rename = "type")]
    pub kind: UploadKind,
    /// The id to send with [`WebhookFile`] or [`WebhookVoice`] (valid 3 days, this key only).
    pub media_id: WebhookMediaId,
    /// When it was uploaded, Unix seconds (WeCom sends a string of digits).
    #[serde(deserialize_with = "int_lenient")]
    pub created_at: i64,
}

/// A file message (`msgtype: file`); the chat shows the name the file was uploaded with.
///
/// ```
/// use wecom_model::webhook::WebhookFile;
///
/// let file = WebhookFile::new("3a8asd892asd8asd9Wq2");
/// assert_eq!(serde_json::to_value(&file)?, serde_json::json!({ "media_id": "3a8asd892asd8asd9Wq2" }));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookFile {
    /// From this webhook's upload with type `file`.
    pub media_id: WebhookMediaId,
}

impl WebhookFile {
    /// A file message for an uploaded file.
    pub fn new(media_id: impl Into<WebhookMediaId>) -> Self {
        Self { media_id: media_id.into() }
    }

    pub(crate) fn validate(&self, path: &Path<'_>) -> Check {
        non_empty(&path.field("media_id"), self.media_id.as_str())
    }
}

/// A voice message (`msgtype: voice`), an AMR file of at most 60 seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookVoice {
    /// From this webhook's upload with type `voice`.
    pub media_id: WebhookMediaId,
}

impl WebhookVoice {
    /// A voice message for an uploaded voice file.
    pub fn new(media_id: impl Into<WebhookMediaId>) -> Self {
        Self { media_id: media_id.into() }
    }

    pub(crate) fn validate(&self, path: &Path<'_>) -> Check {
        non_empty(&path.field("media_id"), self.media_id.as_str())
    }
}
