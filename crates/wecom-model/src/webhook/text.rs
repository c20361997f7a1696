//! `text`: plain text with @-mentions by user id or mobile number, and `@all`.

use serde::{Deserialize, Serialize};

use crate::validate::{Check, Path, count, non_empty, required};

/// The most bytes of UTF-8 a webhook `text` may carry.
///
/// Whether WeCom truncates or refuses longer text is not documented; the model refuses it, and
/// [`split`](super::split) cuts long text into several messages.
pub const TEXT_MAX_BYTES: usize = 2048;

/// The mention that notifies every member of the group.
pub const MENTION_ALL: &str = "@all";

/// Mention lists are not limited by the documentation; this bound only keeps a runaway list
/// from becoming a request WeCom refuses as a whole.
const MENTIONS_MAX: usize = 100;

/// A text message (`msgtype: text`), at most 2,048 bytes.
///
/// Members are mentioned by user id ([`mention`](Self::mention), or `<@userid>` in the content)
/// or by mobile number ([`mention_mobile`](Self::mention_mobile)); [`mention_all`](Self::mention_all)
/// notifies everyone. Only `text` can mention `@all`.
///
/// ```
/// use wecom_model::webhook::WebhookText;
///
/// let text = WebhookText::new("Deploy failed").mention("zhangsan").mention_all();
/// assert_eq!(
///     serde_json::to_value(&text)?,
///     serde_json::json!({ "content": "Deploy failed", "mentioned_list": ["zhangsan", "@all"] })
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookText {
    /// The text: required, at most 2,048 bytes.
    #[serde(default)]
    pub content: String,
    /// User ids to mention; `@all` mentions everyone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentioned_list: Vec<String>,
    /// Mobile numbers to mention; `@all` mentions everyone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentioned_mobile_list: Vec<String>,
}

impl WebhookText {
    /// A text message with `content`.
    pub fn new(content: impl Into<String>) -> Self {
        Self {
            content: content.into(),
            mentioned_list: Vec::new(),
            mentioned_mobile_list: Vec::new(),
        }
    }

    /// Mentions the member `userid` (not their display name).
    #[must_use]
    pub fn mention(mut self, userid: impl Into<String>) -> Self {
        self.mentioned_list.push(userid.into());
        self
    }

    /// Mentions the member with this mobile number.
    #[must_use]
    pub fn mention_mobile(mut self, mobile: impl Into<String>) -> Self {
        self.mentioned_mobile_list.push(mobile.into());
        self
    }

    /// Mentions everyone in the group (`@all`).
    #[must_use]
    pub fn mention_all(self) -> Self {
        self.mention(MENTION_ALL)
    }

    pub(crate) fn validate(&self, path: &Path<'_>) -> Check {
        required(&path.field("content"), &self.content, TEXT_MAX_BYTES)?;
        for (name, list) in [
            ("mentioned_list", &self.mentioned_list),
            ("mentioned_mobile_list", &self.mentioned_mobile_list),
        ] {
            let p = path.field(name);
            count(&p, list.len(), 0, MENTIONS_MAX)?;
            for (i, entry) in list.iter().enumerate() {
                non_empty(&p.index(i), entry)?;
            }
        }
        Ok(())
    }
}
