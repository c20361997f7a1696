//! `markdown`: a message in WeCom's small Markdown dialect.

use serde::{Deserialize, Serialize};

use crate::limits;
use crate::validate::{Check, Path, required};

/// A Markdown message (`msgtype: markdown`).
///
/// At most 2,048 bytes. WeCom renders a subset: headings, `**bold**`, `[text](url)`, inline
/// code, `> quote` and `<font color="info|comment|warning">`. Not shown in the WeChat plugin;
/// no `safe`, no id translation.
///
/// ```
/// use wecom_model::message::{Markdown, MessageRequest, Recipients};
///
/// let md = Markdown::new("# Deploy\n**v1.4** is <font color=\"info\">live</font>");
/// let req = MessageRequest::new(1000002, Recipients::parties([2]), md);
/// req.validate()?;
/// assert_eq!(serde_json::to_value(&req)?["msgtype"], "markdown");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Markdown {
    /// The Markdown source: required, at most 2,048 bytes.
    #[serde(default)]
    pub content: String,
}

impl Markdown {
    /// A Markdown message with `content`.
    pub fn new(content: impl Into<String>) -> Self {
        Self { content: content.into() }
    }

    pub(crate) fn validate(&self, path: &Path<'_>) -> Check {
        required(&path.field("content"), &self.content, limits::TEXT_BYTES)
    }
}
