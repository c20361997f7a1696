//! `source`: the small icon and label at the top of a card.

use serde::{Deserialize, Serialize};

use super::setters::setters;
use crate::quirks::int_enum;

int_enum! {
    /// `source.desc_color`: the colour of the source label.
    pub enum DescColor {
        /// `0`: grey (the default).
        Grey = 0,
        /// `1`: black.
        Black = 1,
        /// `2`: red.
        Red = 2,
        /// `3`: green.
        Green = 3,
    }
}

/// `source`: the card's source icon and label.
///
/// `desc_color` is only shown by text, news and button cards; vote and multiple-choice cards
/// reject it. WeCom suggests a 72×72 px icon and at most about 20 characters of label.
///
/// ```
/// use wecom_model::card::{DescColor, Source};
///
/// let source = Source::new("Release bot")
///     .icon_url("https://example.com/i.png")
///     .desc_color(DescColor::Grey);
/// assert_eq!(
///     serde_json::to_value(&source)?,
///     serde_json::json!({ "icon_url": "https://example.com/i.png", "desc": "Release bot", "desc_color": 0 })
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Source {
    /// The icon's URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon_url: Option<String>,
    /// The label (supports id translation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desc: Option<String>,
    /// The label's colour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desc_color: Option<DescColor>,
}

impl Source {
    /// A source labelled `desc`.
    pub fn new(desc: impl Into<String>) -> Self {
        Self { desc: Some(desc.into()), ..Self::default() }
    }

    setters! {
        /// Sets the icon's URL.
        icon_url(url: impl Into<String>) => Some(url.into());
        /// Sets the label's colour.
        desc_color(color: DescColor) => Some(color);
    }
}
