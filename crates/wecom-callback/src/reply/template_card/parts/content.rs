//! Text and link parts: source, titles, emphasis, quote, key/value lines, links, card action.

use super::{check_count, check_target};
use crate::error::Error;
use crate::reply::check_non_empty;
use crate::reply::template_card::setter;
use crate::reply::writer::XmlWriter;

/// `Source`: the card's source line (icon and text).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Source {
    /// `IconUrl`.
    pub icon_url: Option<String>,
    /// `Desc`.
    pub desc: Option<String>,
    /// `DescColor`: 0 grey (default), 1 black, 2 red, 3 green.
    pub desc_color: Option<u8>,
}

impl Source {
    /// An empty source; set the parts you need.
    pub fn new() -> Self {
        Self::default()
    }
    setter!(/// Sets `IconUrl`.
        icon_url: String);
    setter!(/// Sets `Desc`.
        desc: String);
    setter!(/// Sets `DescColor` (0 grey, 1 black, 2 red, 3 green).
        desc_color: u8);

    pub(crate) fn validate(&self) -> Result<(), Error> {
        match self.desc_color {
            Some(c) if c > 3 => {
                Err(Error::reply("source.desc_color", format!("{c} is not 0 to 3")))
            }
            _ => Ok(()),
        }
    }

    pub(crate) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
        w.element("Source", |w| {
            w.opt_text("IconUrl", self.icon_url.as_deref())?;
            w.opt_text("Desc", self.desc.as_deref())?;
            w.opt_value("DescColor", self.desc_color);
            Ok(())
        })
    }
}

/// `MainTitle`: title and description.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct MainTitle {
    /// `Title`.
    pub title: Option<String>,
    /// `Desc`.
    pub desc: Option<String>,
}

impl MainTitle {
    /// An empty main title.
    pub fn new() -> Self {
        Self::default()
    }
    setter!(/// Sets `Title`.
        title: String);
    setter!(/// Sets `Desc`.
        desc: String);

    pub(crate) fn has_title(&self) -> bool {
        self.title.as_deref().is_some_and(|t| !t.is_empty())
    }

    pub(crate) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
        w.element("MainTitle", |w| {
            w.opt_text("Title", self.title.as_deref())?;
            w.opt_text("Desc", self.desc.as_deref())
        })
    }
}

/// `EmphasisContent`: a key figure (text notice cards).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct EmphasisContent {
    /// `Title`: the figure.
    pub title: Option<String>,
    /// `Desc`: what it means.
    pub desc: Option<String>,
}

impl EmphasisContent {
    /// An empty emphasis block.
    pub fn new() -> Self {
        Self::default()
    }
    setter!(/// Sets `Title`.
        title: String);
    setter!(/// Sets `Desc`.
        desc: String);

    pub(crate) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
        w.element("EmphasisContent", |w| {
            w.opt_text("Title", self.title.as_deref())?;
            w.opt_text("Desc", self.desc.as_deref())
        })
    }
}

/// `QuoteArea`: a quoted block, optionally clickable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct QuoteArea {
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
    /// `QuoteText`.
    pub quote_text: Option<String>,
}

impl QuoteArea {
    /// An empty quote area.
    pub fn new() -> Self {
        Self::default()
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
    setter!(/// Sets `QuoteText`.
        quote_text: String);

    pub(crate) fn validate(&self) -> Result<(), Error> {
        check_target("quote_area", self.kind, self.url.as_deref(), self.appid.as_deref())
    }

    pub(crate) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
        w.element("QuoteArea", |w| {
            w.opt_value("Type", self.kind);
            w.opt_text("Url", self.url.as_deref())?;
            w.opt_text("Appid", self.appid.as_deref())?;
            w.opt_text("PagePath", self.page_path.as_deref())?;
            w.opt_text("Title", self.title.as_deref())?;
            w.opt_text("QuoteText", self.quote_text.as_deref())
        })
    }
}

/// One `HorizontalContentList` item: a key/value line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct HorizontalContent {
    /// `KeyName` (required).
    pub key_name: String,
    /// `Value`.
    pub value: Option<String>,
    /// `Type`: 0 plain, 1 link (`url`), 2 attachment (`media_id`), 3 member (`user_id`).
    pub kind: Option<u8>,
    /// `Url`.
    pub url: Option<String>,
    /// `MediaId`.
    pub media_id: Option<String>,
    /// `UserId`.
    pub user_id: Option<String>,
}

impl HorizontalContent {
    /// A line with a key name.
    pub fn new(key_name: impl Into<String>) -> Self {
        HorizontalContent { key_name: key_name.into(), ..Self::default() }
    }
    setter!(/// Sets `Value`.
        value: String);
    setter!(/// Sets `Type` (0 plain, 1 link, 2 attachment, 3 member).
        kind: u8);
    setter!(/// Sets `Url`.
        url: String);
    setter!(/// Sets `MediaId`.
        media_id: String);
    setter!(/// Sets `UserId`.
        user_id: String);

    pub(crate) fn validate_list(items: &[Self]) -> Result<(), Error> {
        check_count("horizontal_content_list", items.len(), 0, 6)?;
        for (i, h) in items.iter().enumerate() {
            let f = |name: &str| format!("horizontal_content_list[{i}].{name}");
            check_non_empty(&f("keyname"), &h.key_name)?;
            let present = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.is_empty());
            match h.kind.unwrap_or(0) {
                0 => {}
                1 if present(&h.url) => {}
                2 if present(&h.media_id) => {}
                3 if present(&h.user_id) => {}
                1 => return Err(Error::reply(f("url"), "required when type is 1")),
                2 => return Err(Error::reply(f("media_id"), "required when type is 2")),
                3 => return Err(Error::reply(f("userid"), "required when type is 3")),
                other => return Err(Error::reply(f("type"), format!("{other} is not 0 to 3"))),
            }
        }
        Ok(())
    }

    pub(crate) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
        w.element("HorizontalContentList", |w| {
            w.text("KeyName", &self.key_name)?;
            w.opt_text("Value", self.value.as_deref())?;
            w.opt_value("Type", self.kind);
            w.opt_text("Url", self.url.as_deref())?;
            w.opt_text("MediaId", self.media_id.as_deref())?;
            w.opt_text("UserId", self.user_id.as_deref())
        })
    }
}

/// One `JumpList` item: a link at the bottom of the card.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Jump {
    /// `Title` (required).
    pub title: String,
    /// `Type`: 0 none, 1 url, 2 mini program.
    pub kind: Option<u8>,
    /// `Url`.
    pub url: Option<String>,
    /// `AppId` (spelled so in this element).
    pub app_id: Option<String>,
    /// `PagePath`.
    pub page_path: Option<String>,
}

impl Jump {
    /// A link with a title.
    pub fn new(title: impl Into<String>) -> Self {
        Jump { title: title.into(), ..Self::default() }
    }
    setter!(/// Sets `Type` (0 none, 1 url, 2 mini program).
        kind: u8);
    setter!(/// Sets `Url`.
        url: String);
    setter!(/// Sets `AppId`.
        app_id: String);
    setter!(/// Sets `PagePath`.
        page_path: String);

    pub(crate) fn validate_list(items: &[Self]) -> Result<(), Error> {
        check_count("jump_list", items.len(), 0, 3)?;
        for (i, j) in items.iter().enumerate() {
            let f = format!("jump_list[{i}]");
            check_non_empty(&format!("{f}.title"), &j.title)?;
            check_target(&f, j.kind, j.url.as_deref(), j.app_id.as_deref())?;
        }
        Ok(())
    }

    pub(crate) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
        w.element("JumpList", |w| {
            w.opt_value("Type", self.kind);
            w.text("Title", &self.title)?;
            w.opt_text("Url", self.url.as_deref())?;
            w.opt_text("AppId", self.app_id.as_deref())?;
            w.opt_text("PagePath", self.page_path.as_deref())
        })
    }
}

/// `CardAction`: what tapping the card does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CardAction {
    /// `Type`: 0 nothing (button cards only), 1 open `url`, 2 open a mini program.
    pub kind: u8,
    /// `Url`.
    pub url: Option<String>,
    /// `AppId` (spelled so in this element).
    pub app_id: Option<String>,
    /// `PagePath`.
    pub page_path: Option<String>,
}

impl CardAction {
    /// Tapping opens `url` (`Type` 1).
    pub fn url(url: impl Into<String>) -> Self {
        CardAction { kind: 1, url: Some(url.into()), ..Self::default() }
    }

    /// Tapping opens a mini program (`Type` 2).
    pub fn mini_program(app_id: impl Into<String>) -> Self {
        CardAction { kind: 2, app_id: Some(app_id.into()), ..Self::default() }
    }

    /// Tapping does nothing (`Type` 0; button cards only).
    pub fn none() -> Self {
        Self::default()
    }

    setter!(/// Sets `PagePath` (mini program page).
        page_path: String);

    pub(crate) fn validate(&self, allow_none: bool) -> Result<(), Error> {
        if self.kind == 0 && !allow_none {
            return Err(Error::reply("card_action.type", "must be 1 (url) or 2 (mini program)"));
        }
        check_target("card_action", Some(self.kind), self.url.as_deref(), self.app_id.as_deref())
    }

    pub(crate) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
        w.element("CardAction", |w| {
            w.value("Type", self.kind);
            w.opt_text("Url", self.url.as_deref())?;
            w.opt_text("AppId", self.app_id.as_deref())?;
            w.opt_text("PagePath", self.page_path.as_deref())
        })
    }
}
