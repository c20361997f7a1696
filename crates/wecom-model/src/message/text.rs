//! `text`: a plain text message, the most common kind.

use serde::{Deserialize, Serialize};

use crate::validate::{Check, Path, required};

/// The most bytes a text message may carry.
pub(crate) const TEXT_MAX_BYTES: usize = crate::limits::TEXT_BYTES;

/// A plain text message (`msgtype: text`).
///
/// At most 2,048 bytes of UTF-8 (WeCom answers 45002 or truncates beyond that). `\n` breaks
/// lines and `<a href="…">…</a>` makes a link. Supports id translation and `safe`.
///
/// ```
/// use wecom_model::message::{MessageRequest, Recipients, Text};
///
/// let req = MessageRequest::new(1000002, Recipients::users(["alice"]), Text::new("Build #42 passed."));
/// req.validate()?;
/// let body = serde_json::to_value(&req)?;
/// assert_eq!(body["msgtype"], "text");
/// assert_eq!(body["text"]["content"], "Build #42 passed.");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Text {
    /// The text: required, at most 2,048 bytes.
    #[serde(default)]
    pub content: String,
}

impl Text {
    /// A text message with `content`.
    pub fn new(content: impl Into<String>) -> Self {
        Self { content: content.into() }
    }

    pub(crate) fn validate(&self, path: &Path<'_>) -> Check {
        // WeCom documents both truncation and errcode 45002 for longer text (UNVERIFIED which
        // applies); refusing it here loses nothing either way.
        required(&path.field("content"), &self.content, TEXT_MAX_BYTES)
    }
}
