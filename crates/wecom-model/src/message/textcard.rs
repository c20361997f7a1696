//! `textcard`: a card with a title, a short coloured description and a link.

use serde::{Deserialize, Serialize};

use crate::limits;
use crate::validate::{Check, Path, http_url, max_chars, required};

/// A text card message (`msgtype: textcard`).
///
/// `description` may use `<br>` and `<div class="gray|normal|highlight">`. Supports id
/// translation; no `safe`.
///
/// ```
/// use wecom_model::message::{MessageRequest, Recipients, TextCard};
///
/// let card = TextCard::new(
///     "Expense approved",
///     "<div class=\"gray\">2025-01-01</div><div class=\"highlight\">Amount: 1,200</div>",
///     "https://example.com/expense/77",
/// )
/// .btntxt("Open");
/// let req = MessageRequest::new(1000002, Recipients::users(["alice"]), card);
/// req.validate()?;
/// assert_eq!(serde_json::to_value(&req)?["textcard"]["btntxt"], "Open");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TextCard {
    /// The title: required, at most 128 bytes.
    #[serde(default)]
    pub title: String,
    /// The description: required, at most 512 bytes.
    #[serde(default)]
    pub description: String,
    /// The link opened on tap: required, `http://` or `https://`, at most 2,048 bytes.
    #[serde(default)]
    pub url: String,
    /// The button text, at most 4 characters (WeCom shows `详情` when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub btntxt: Option<String>,
}

impl TextCard {
    /// A text card with its three required fields.
    pub fn new(
        title: impl Into<String>,
        description: impl Into<String>,
        url: impl Into<String>,
    ) -> Self {
        Self { title: title.into(), description: description.into(), url: url.into(), btntxt: None }
    }

    /// Sets the button text (at most 4 characters).
    #[must_use]
    pub fn btntxt(mut self, text: impl Into<String>) -> Self {
        self.btntxt = Some(text.into());
        self
    }

    pub(crate) fn validate(&self, path: &Path<'_>) -> Check {
        // The current documentation counts title/description in characters, older revisions
        // and most SDKs in bytes (UNVERIFIED): bytes are the stricter reading, so use them.
        required(&path.field("title"), &self.title, limits::TITLE_BYTES)?;
        required(&path.field("description"), &self.description, limits::DESCRIPTION_BYTES)?;
        let url = path.field("url");
        required(&url, &self.url, limits::URL_BYTES)?;
        http_url(&url, &self.url)?;
        // WeCom truncates longer button texts; rejecting keeps the text the caller wrote.
        self.btntxt
            .as_ref()
            .map_or(Ok(()), |t| max_chars(&path.field("btntxt"), t, limits::BUTTON_TEXT_CHARS))
    }
}
