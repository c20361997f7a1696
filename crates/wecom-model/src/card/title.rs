//! `main_title` and `emphasis_content`: the headline blocks of a card.

use serde::{Deserialize, Serialize};

use super::setters::setters;

/// `main_title`: the card's headline and a line under it.
///
/// Every card but `text_notice` needs a title. WeCom suggests at most about 36 characters of
/// title (16 on vote cards) and 44 of description (160 on vote and multiple-choice cards);
/// these are display hints and not enforced. Both support id translation. A plain string
/// converts into a title without description.
///
/// ```
/// use wecom_model::card::MainTitle;
///
/// let title = MainTitle::new("Deploy v1.4 to prod?").desc("requested by bob");
/// assert_eq!(title.title.as_deref(), Some("Deploy v1.4 to prod?"));
/// let plain: MainTitle = "Lunch?".into();
/// assert_eq!(plain.desc, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MainTitle {
    /// The headline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The line under it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desc: Option<String>,
}

impl MainTitle {
    /// A headline.
    pub fn new(title: impl Into<String>) -> Self {
        Self { title: Some(title.into()), desc: None }
    }

    setters! {
        /// Sets the line under the headline.
        desc(desc: impl Into<String>) => Some(desc.into());
    }
}

impl From<&str> for MainTitle {
    fn from(title: &str) -> Self {
        Self::new(title)
    }
}

impl From<String> for MainTitle {
    fn from(title: String) -> Self {
        Self::new(title)
    }
}

/// `emphasis_content`: a key figure shown large, with a caption (text notice cards only).
///
/// WeCom suggests at most about 14 characters of figure and 22 of caption (not enforced).
///
/// ```
/// use wecom_model::card::EmphasisContent;
///
/// let figure = EmphasisContent::new("99.95%").desc("uptime this month");
/// assert_eq!(figure.desc.as_deref(), Some("uptime this month"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmphasisContent {
    /// The figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The caption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desc: Option<String>,
}

impl EmphasisContent {
    /// A key figure.
    pub fn new(title: impl Into<String>) -> Self {
        Self { title: Some(title.into()), desc: None }
    }

    setters! {
        /// Sets the caption.
        desc(desc: impl Into<String>) => Some(desc.into());
    }
}
