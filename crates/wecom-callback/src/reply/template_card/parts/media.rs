//! Picture parts of news notice cards: card image, vertical list, image-and-text area.

use super::{check_count, check_target};
use crate::error::Error;
use crate::reply::check_non_empty;
use crate::reply::template_card::setter;
use crate::reply::writer::XmlWriter;

/// `CardImage`: a large image (news notice cards).
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct CardImage {
    /// `Url` (required).
    pub url: String,
    /// `AspectRatio`: width / height, 1.3 to 2.25 (default 1.3).
    pub aspect_ratio: Option<f64>,
}

impl CardImage {
    /// An image.
    pub fn new(url: impl Into<String>) -> Self {
        CardImage { url: url.into(), aspect_ratio: None }
    }
    setter!(/// Sets `AspectRatio` (1.3 to 2.25).
        aspect_ratio: f64);

    pub(crate) fn validate(&self) -> Result<(), Error> {
        check_non_empty("card_image.url", &self.url)?;
        match self.aspect_ratio {
            Some(r) if !(1.3..=2.25).contains(&r) => Err(Error::reply(
                "card_image.aspect_ratio",
                format!("{r} is not within 1.3 to 2.25"),
            )),
            _ => Ok(()),
        }
    }

    pub(crate) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
        w.element("CardImage", |w| {
            w.text("Url", &self.url)?;
            w.opt_value("AspectRatio", self.aspect_ratio);
            Ok(())
        })
    }
}

/// One `VerticalContentList` item (news notice cards).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerticalContent {
    /// `Title` (required).
    pub title: String,
    /// `Desc`.
    pub desc: Option<String>,
}

impl VerticalContent {
    /// An item with a title.
    pub fn new(title: impl Into<String>) -> Self {
        VerticalContent { title: title.into(), desc: None }
    }
    setter!(/// Sets `Desc`.
        desc: String);

    pub(crate) fn validate_list(items: &[Self]) -> Result<(), Error> {
        check_count("vertical_content_list", items.len(), 0, 4)?;
        for (i, v) in items.iter().enumerate() {
            check_non_empty(&format!("vertical_content_list[{i}].title"), &v.title)?;
        }
        Ok(())
    }

    pub(crate) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
        w.element("VerticalContentList", |w| {
            w.text("Title", &self.title)?;
            w.opt_text("Desc", self.desc.as_deref())
        })
    }
}

/// `ImageTextArea`: image left, text right (news notice cards).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ImageTextArea {
    /// `Type`: 0 not clickable, 1 opens `url`, 2 opens a mini program.
    pub kind: Option<u8>,
    /// `Url`.
    pub url: Option<String>,
    /// `Appid` (spelled so in this element).
    pub appid: Option<String>,
    /// `PagePath`.
    pub page_path: Option<String>,
    /// `Title`.
    pub title: Option<String>,
    /// `Desc`.
    pub desc: Option<String>,
    /// `ImageUrl` (required).
    pub image_url: String,
}

impl ImageTextArea {
    /// An area with its image.
    pub fn new(image_url: impl Into<String>) -> Self {
        ImageTextArea { image_url: image_url.into(), ..Self::default() }
    }
    setter!(/// Sets `Type` (0 none, 1 url, 2 mini program).
        kind: u8);
    setter!(/// Sets `Url`.
        url: String);
    setter!(/// Sets `Appid`.
        appid: String);
    setter!(/// Sets `PagePath`.
        page_path: String);
    setter!(/// Sets `Title`.
        title: String);
    setter!(/// Sets `Desc`.
        desc: String);

    pub(crate) fn validate(&self) -> Result<(), Error> {
        check_non_empty("image_text_area.image_url", &self.image_url)?;
        check_target("image_text_area", self.kind, self.url.as_deref(), self.appid.as_deref())
    }

    pub(crate) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
        w.element("ImageTextArea", |w| {
            w.opt_value("Type", self.kind);
            w.opt_text("Url", self.url.as_deref())?;
            w.opt_text("Appid", self.appid.as_deref())?;
            w.opt_text("PagePath", self.page_path.as_deref())?;
            w.opt_text("Title", self.title.as_deref())?;
            w.opt_text("Desc", self.desc.as_deref())?;
            w.text("ImageUrl", &self.image_url)
        })
    }
}
