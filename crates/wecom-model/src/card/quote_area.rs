//! `quote_area`: a quoted block, optionally clickable.

use serde::{Deserialize, Serialize};

use super::link::Link;
use super::setters::setters;
use crate::validate::{Check, Path};

/// `quote_area`: a grey quoted block with an optional title, optionally opening a URL or a
/// mini program. Not on vote or multiple-choice cards.
///
/// ```
/// use wecom_model::card::QuoteArea;
///
/// let quote = QuoteArea::new("LGTM, ship it").title("bob wrote").url("https://example.com/pr/9");
/// assert_eq!(
///     serde_json::to_value(&quote)?,
///     serde_json::json!({
///         "type": 1, "url": "https://example.com/pr/9", "title": "bob wrote", "quote_text": "LGTM, ship it"
///     })
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct QuoteArea {
    #[serde(flatten)]
    link: Link,
    /// The block's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The quoted text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote_text: Option<String>,
}

impl QuoteArea {
    /// A quote of `quote_text`, not clickable.
    pub fn new(quote_text: impl Into<String>) -> Self {
        Self { link: Link::default(), title: None, quote_text: Some(quote_text.into()) }
    }

    setters! {
        /// Sets the block's title.
        title(title: impl Into<String>) => Some(title.into());
        /// Tapping the quote opens `url` (type 1).
        url(url: impl Into<String>) => link = Link::open_url(url.into());
        /// Tapping the quote opens mini program `appid` at `pagepath` (type 2; empty `pagepath`
        /// for its home page).
        mini_program(appid: impl Into<String>, pagepath: impl Into<String>) =>
            link = Link::open_mini_program(appid.into(), pagepath.into());
    }

    /// Where a tap leads.
    pub fn link(&self) -> &Link {
        &self.link
    }

    pub(crate) fn validate(&self, path: &Path<'_>) -> Check {
        self.link.validate(path, false)
    }
}
