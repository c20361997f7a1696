//! `file`: a file from temporary media.

use serde::{Deserialize, Serialize};

use crate::validate::{Check, Path, non_empty};

/// A file message (`msgtype: file`): a file uploaded with `media/upload` (type `file`).
///
/// Supports `safe`; with `safe: 1` WeCom only handles txt, pdf, doc(x), ppt(x), xls(x), xml,
/// jpg/jpeg, png, bmp and gif files.
///
/// ```
/// use wecom_model::message::{File, MessageRequest, Recipients};
///
/// let req = MessageRequest::new(1000002, Recipients::users(["alice"]), File::new("3a8asd892asd8asd"));
/// req.validate()?;
/// assert_eq!(serde_json::to_value(&req)?["file"]["media_id"], "3a8asd892asd8asd");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct File {
    /// The media id returned by `media/upload`: required.
    #[serde(default)]
    pub media_id: String,
}

impl File {
    /// A file message offering the uploaded file `media_id`.
    pub fn new(media_id: impl Into<String>) -> Self {
        Self { media_id: media_id.into() }
    }

    pub(crate) fn validate(&self, path: &Path<'_>) -> Check {
        non_empty(&path.field("media_id"), &self.media_id)
    }
}
