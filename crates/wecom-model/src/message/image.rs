//! `image`: a picture from temporary media.

use serde::{Deserialize, Serialize};

use crate::validate::{Check, Path, non_empty};

/// An image message (`msgtype: image`): a picture uploaded with `media/upload` (type `image`).
///
/// Supports `safe`.
///
/// ```
/// use wecom_model::message::{Image, MessageRequest, Recipients};
///
/// let req = MessageRequest::new(1000002, Recipients::users(["alice"]), Image::new("3a8asd892asd8asd"));
/// req.validate()?;
/// assert_eq!(serde_json::to_value(&req)?["image"]["media_id"], "3a8asd892asd8asd");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Image {
    /// The media id returned by `media/upload`: required.
    #[serde(default)]
    pub media_id: String,
}

impl Image {
    /// An image message showing the uploaded picture `media_id`.
    pub fn new(media_id: impl Into<String>) -> Self {
        Self { media_id: media_id.into() }
    }

    pub(crate) fn validate(&self, path: &Path<'_>) -> Check {
        non_empty(&path.field("media_id"), &self.media_id)
    }
}
