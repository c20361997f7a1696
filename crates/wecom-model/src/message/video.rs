//! `video`: a video from temporary media, with an optional title and description.

use serde::{Deserialize, Serialize};

use crate::limits;
use crate::validate::{Check, Path, non_empty, optional};

/// A video message (`msgtype: video`).
///
/// The title (≤ 128 bytes) and description (≤ 512 bytes) are optional; WeCom truncates longer
/// ones, so they are rejected here instead. Supports `safe`.
///
/// ```
/// use wecom_model::message::{MessageRequest, Recipients, Video};
///
/// let video = Video::new("MEDIA_ID").title("Release demo").description("Two minutes, no sound");
/// let req = MessageRequest::new(1000002, Recipients::users(["alice"]), video);
/// req.validate()?;
/// assert_eq!(serde_json::to_value(&req)?["video"]["title"], "Release demo");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Video {
    /// The media id returned by `media/upload` (type `video`): required.
    #[serde(default)]
    pub media_id: String,
    /// The title, at most 128 bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The description, at most 512 bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Video {
    /// A video message playing the uploaded video `media_id`.
    pub fn new(media_id: impl Into<String>) -> Self {
        Self { media_id: media_id.into(), title: None, description: None }
    }

    /// Sets the title (at most 128 bytes).
    #[must_use]
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Sets the description (at most 512 bytes).
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    pub(crate) fn validate(&self, path: &Path<'_>) -> Check {
        non_empty(&path.field("media_id"), &self.media_id)?;
        optional(&path.field("title"), self.title.as_ref(), limits::TITLE_BYTES)?;
        optional(&path.field("description"), self.description.as_ref(), limits::DESCRIPTION_BYTES)
    }
}
