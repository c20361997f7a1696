//! The pictures of a news notice card: `card_image` (a large picture) and `image_text_area`
//! (a picture beside text, optionally clickable).

use serde::{Deserialize, Serialize};

use super::link::Link;
use super::setters::setters;
use crate::validate::{Check, Path, non_empty};

/// The exclusive bounds of `card_image.aspect_ratio`: WeCom wants a width/height ratio greater
/// than 1.3 and less than 2.25, and uses 1.3 when the field is absent.
const ASPECT_RATIO_MIN: f64 = 1.3;
const ASPECT_RATIO_MAX: f64 = 2.25;

/// `card_image`: a large picture on a news notice card.
///
/// `aspect_ratio` (width / height) must be greater than 1.3 and less than 2.25; leave it out
/// for WeCom's default of 1.3.
///
/// ```
/// use wecom_model::card::CardImage;
///
/// let image = CardImage::new("https://example.com/chart.png").aspect_ratio(2.0);
/// assert_eq!(
///     serde_json::to_value(&image)?,
///     serde_json::json!({ "url": "https://example.com/chart.png", "aspect_ratio": 2.0 })
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CardImage {
    /// The picture's URL: required.
    #[serde(default)]
    pub url: String,
    /// Width / height, greater than 1.3 and less than 2.25.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aspect_ratio: Option<f64>,
}

impl CardImage {
    /// The picture at `url`.
    pub fn new(url: impl Into<String>) -> Self {
        Self { url: url.into(), aspect_ratio: None }
    }

    setters! {
        /// Sets width / height (greater than 1.3, less than 2.25).
        aspect_ratio(ratio: f64) => Some(ratio);
    }

    pub(crate) fn validate(&self, path: &Path<'_>) -> Check {
        non_empty(&path.field("url"), &self.url)?;
        match self.aspect_ratio {
            Some(r) if !(r > ASPECT_RATIO_MIN && r < ASPECT_RATIO_MAX) => {
                Err(path.field("aspect_ratio").error(format!(
                    "must be greater than {ASPECT_RATIO_MIN} and less than {ASPECT_RATIO_MAX} \
                     (got {r}); leave it out for the default of 1.3"
                )))
            }
            _ => Ok(()),
        }
    }
}

/// `image_text_area`: a picture on the left, a title and text on the right, optionally
/// opening a URL or a mini program. News notice cards only.
///
/// ```
/// use wecom_model::card::ImageTextArea;
///
/// let area = ImageTextArea::new("https://example.com/thumb.png")
///     .title("Incident 7")
///     .desc("Resolved in 14 minutes")
///     .url("https://example.com/incidents/7");
/// assert_eq!(area.link().url(), Some("https://example.com/incidents/7"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ImageTextArea {
    #[serde(flatten)]
    link: Link,
    /// The title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desc: Option<String>,
    /// The picture's URL: required.
    #[serde(default)]
    pub image_url: String,
}

impl ImageTextArea {
    /// The area showing the picture at `image_url`, not clickable.
    pub fn new(image_url: impl Into<String>) -> Self {
        Self { link: Link::default(), title: None, desc: None, image_url: image_url.into() }
    }

    setters! {
        /// Sets the title.
        title(title: impl Into<String>) => Some(title.into());
        /// Sets the text.
        desc(desc: impl Into<String>) => Some(desc.into());
        /// Tapping the area opens `url` (type 1).
        url(url: impl Into<String>) => link = Link::open_url(url.into());
        /// Tapping the area opens mini program `appid` at `pagepath` (type 2; empty `pagepath`
        /// for its home page).
        mini_program(appid: impl Into<String>, pagepath: impl Into<String>) =>
            link = Link::open_mini_program(appid.into(), pagepath.into());
    }

    /// Where a tap leads.
    pub fn link(&self) -> &Link {
        &self.link
    }

    pub(crate) fn validate(&self, path: &Path<'_>) -> Check {
        self.link.validate(path, false)?;
        non_empty(&path.field("image_url"), &self.image_url)
    }
}
