//! The parts template cards are made of (`Source`, `MainTitle`, `ButtonList` …), their rules
//! and their XML.

use std::collections::HashSet;

use super::setter;
use crate::error::Error;
use crate::reply::writer::XmlWriter;
use crate::reply::{check_len, check_non_empty};

/// Longest `key` / `question_key` (bytes).
pub const MAX_KEY_BYTES: usize = 1024;
/// Longest option `id` (bytes).
pub const MAX_OPTION_ID_BYTES: usize = 128;

pub(super) fn check_count(field: &str, len: usize, min: usize, max: usize) -> Result<(), Error> {
    if len < min || len > max {
        let allowed = if min == 0 { format!("at most {max}") } else { format!("{min} to {max}") };
        return Err(Error::reply(field, format!("{len} items, {allowed} allowed")));
    }
    Ok(())
}

pub(super) fn check_key(field: &str, key: &str) -> Result<(), Error> {
    check_non_empty(field, key)?;
    check_len(field, key, MAX_KEY_BYTES)
}

fn check_option_ids<'a>(field: &str, ids: impl Iterator<Item = &'a str>) -> Result<(), Error> {
    let mut seen = HashSet::new();
    for (i, id) in ids.enumerate() {
        let f = format!("{field}[{i}].id");
        check_non_empty(&f, id)?;
        check_len(&f, id, MAX_OPTION_ID_BYTES)?;
        if !seen.insert(id) {
            return Err(Error::reply(f, format!("duplicate id {id:?}")));
        }
    }
    Ok(())
}

/// Checks that a clickable part has what its `type` needs: 1 → `url`, 2 → `appid`.
fn check_target(
    field: &str,
    kind: Option<u8>,
    url: Option<&str>,
    appid: Option<&str>,
) -> Result<(), Error> {
    match kind.unwrap_or(0) {
        0 => Ok(()),
        1 if url.is_some_and(|u| !u.is_empty()) => Ok(()),
        1 => Err(Error::reply(format!("{field}.url"), "required when type is 1")),
        2 if appid.is_some_and(|a| !a.is_empty()) => Ok(()),
        2 => Err(Error::reply(format!("{field}.appid"), "required when type is 2")),
        other => Err(Error::reply(format!("{field}.type"), format!("{other} is not 0, 1 or 2"))),
    }
}

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

    pub(super) fn validate(&self) -> Result<(), Error> {
        match self.desc_color {
            Some(c) if c > 3 => {
                Err(Error::reply("source.desc_color", format!("{c} is not 0 to 3")))
            }
            _ => Ok(()),
        }
    }

    pub(super) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
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

    pub(super) fn has_title(&self) -> bool {
        self.title.as_deref().is_some_and(|t| !t.is_empty())
    }

    pub(super) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
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

    pub(super) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
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

    pub(super) fn validate(&self) -> Result<(), Error> {
        check_target("quote_area", self.kind, self.url.as_deref(), self.appid.as_deref())
    }

    pub(super) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
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

    pub(super) fn validate_list(items: &[Self]) -> Result<(), Error> {
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

    pub(super) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
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

    pub(super) fn validate_list(items: &[Self]) -> Result<(), Error> {
        check_count("jump_list", items.len(), 0, 3)?;
        for (i, j) in items.iter().enumerate() {
            let f = format!("jump_list[{i}]");
            check_non_empty(&format!("{f}.title"), &j.title)?;
            check_target(&f, j.kind, j.url.as_deref(), j.app_id.as_deref())?;
        }
        Ok(())
    }

    pub(super) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
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

    pub(super) fn validate(&self, allow_none: bool) -> Result<(), Error> {
        if self.kind == 0 && !allow_none {
            return Err(Error::reply("card_action.type", "must be 1 (url) or 2 (mini program)"));
        }
        check_target("card_action", Some(self.kind), self.url.as_deref(), self.app_id.as_deref())
    }

    pub(super) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
        w.element("CardAction", |w| {
            w.value("Type", self.kind);
            w.opt_text("Url", self.url.as_deref())?;
            w.opt_text("AppId", self.app_id.as_deref())?;
            w.opt_text("PagePath", self.page_path.as_deref())
        })
    }
}

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

    pub(super) fn validate(&self) -> Result<(), Error> {
        check_non_empty("card_image.url", &self.url)?;
        match self.aspect_ratio {
            Some(r) if !(1.3..=2.25).contains(&r) => Err(Error::reply(
                "card_image.aspect_ratio",
                format!("{r} is not within 1.3 to 2.25"),
            )),
            _ => Ok(()),
        }
    }

    pub(super) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
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

    pub(super) fn validate_list(items: &[Self]) -> Result<(), Error> {
        check_count("vertical_content_list", items.len(), 0, 4)?;
        for (i, v) in items.iter().enumerate() {
            check_non_empty(&format!("vertical_content_list[{i}].title"), &v.title)?;
        }
        Ok(())
    }

    pub(super) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
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

    pub(super) fn validate(&self) -> Result<(), Error> {
        check_non_empty("image_text_area.image_url", &self.image_url)?;
        check_target("image_text_area", self.kind, self.url.as_deref(), self.appid.as_deref())
    }

    pub(super) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
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

/// `ActionMenu`: the card's top-right menu.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ActionMenu {
    /// `Desc`: the menu's description.
    pub desc: Option<String>,
    /// `ActionList`: 1 to 3 items. (The reply page says up to 10, the send API 3; 3 is the
    /// limit both accept.)
    pub action_list: Vec<ActionItem>,
}

/// One `ActionList` item of an [`ActionMenu`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ActionItem {
    /// `Text`.
    pub text: String,
    /// `Key`: returned as `EventKey` of `template_card_menu_event`.
    pub key: String,
}

impl ActionItem {
    /// A menu item.
    pub fn new(text: impl Into<String>, key: impl Into<String>) -> Self {
        ActionItem { text: text.into(), key: key.into() }
    }
}

impl ActionMenu {
    /// A menu with these items.
    pub fn new(items: impl IntoIterator<Item = ActionItem>) -> Self {
        ActionMenu { desc: None, action_list: items.into_iter().collect() }
    }
    setter!(/// Sets `Desc`.
        desc: String);

    pub(super) fn validate(&self) -> Result<(), Error> {
        check_count("action_menu.action_list", self.action_list.len(), 1, 3)?;
        let mut keys = HashSet::new();
        for (i, a) in self.action_list.iter().enumerate() {
            check_non_empty(&format!("action_menu.action_list[{i}].text"), &a.text)?;
            let f = format!("action_menu.action_list[{i}].key");
            check_key(&f, &a.key)?;
            if !keys.insert(a.key.as_str()) {
                return Err(Error::reply(f, format!("duplicate key {:?}", a.key)));
            }
        }
        Ok(())
    }

    pub(super) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
        w.element("ActionMenu", |w| {
            w.opt_text("Desc", self.desc.as_deref())?;
            for a in &self.action_list {
                w.element("ActionList", |w| {
                    w.text("Text", &a.text)?;
                    w.text("Key", &a.key)
                })?;
            }
            Ok(())
        })
    }
}

/// One `ButtonList` item of a button card.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Button {
    /// `Text`.
    pub text: String,
    /// `Style`: 1 to 4 (default 1).
    pub style: Option<u8>,
    /// `Key`: returned as `EventKey` of `template_card_event`.
    pub key: String,
}

impl Button {
    /// A button.
    pub fn new(text: impl Into<String>, key: impl Into<String>) -> Self {
        Button { text: text.into(), style: None, key: key.into() }
    }
    setter!(/// Sets `Style` (1 to 4).
        style: u8);

    pub(super) fn validate_list(items: &[Self]) -> Result<(), Error> {
        check_count("button_list", items.len(), 1, 6)?;
        let mut keys = HashSet::new();
        for (i, b) in items.iter().enumerate() {
            check_non_empty(&format!("button_list[{i}].text"), &b.text)?;
            let f = format!("button_list[{i}].key");
            check_key(&f, &b.key)?;
            if !keys.insert(b.key.as_str()) {
                return Err(Error::reply(f, format!("duplicate key {:?}", b.key)));
            }
            if let Some(s) = b.style.filter(|s| !(1..=4).contains(s)) {
                return Err(Error::reply(
                    format!("button_list[{i}].style"),
                    format!("{s} is not 1 to 4"),
                ));
            }
        }
        Ok(())
    }

    pub(super) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
        w.element("ButtonList", |w| {
            w.text("Text", &self.text)?;
            w.opt_value("Style", self.style);
            w.text("Key", &self.key)
        })
    }
}

/// One option of a [`ButtonSelection`] or [`SelectList`] (`OptionList` item).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SelectOption {
    /// `Id`: at most 128 bytes, unique in its list.
    pub id: String,
    /// `Text`.
    pub text: String,
}

impl SelectOption {
    /// An option.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        SelectOption { id: id.into(), text: text.into() }
    }

    fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
        w.element("OptionList", |w| {
            w.text("Id", &self.id)?;
            w.text("Text", &self.text)
        })
    }
}

/// `ButtonSelection`: a dropdown on a button card.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ButtonSelection {
    /// `QuestionKey`.
    pub question_key: String,
    /// `Title`.
    pub title: Option<String>,
    /// `SelectedId`: the option shown as chosen.
    pub selected_id: Option<String>,
    /// `Disable`: true to make the dropdown read-only.
    pub disable: Option<bool>,
    /// `OptionList`: 1 to 10 options.
    pub option_list: Vec<SelectOption>,
}

impl ButtonSelection {
    /// A dropdown with its options.
    pub fn new(
        question_key: impl Into<String>,
        options: impl IntoIterator<Item = SelectOption>,
    ) -> Self {
        ButtonSelection {
            question_key: question_key.into(),
            option_list: options.into_iter().collect(),
            ..Self::default()
        }
    }
    setter!(/// Sets `Title`.
        title: String);
    setter!(/// Sets `SelectedId`.
        selected_id: String);
    setter!(/// Sets `Disable`.
        disable: bool);

    pub(super) fn validate(&self) -> Result<(), Error> {
        check_key("button_selection.question_key", &self.question_key)?;
        check_count("button_selection.option_list", self.option_list.len(), 1, 10)?;
        check_option_ids(
            "button_selection.option_list",
            self.option_list.iter().map(|o| o.id.as_str()),
        )
    }

    pub(super) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
        w.element("ButtonSelection", |w| {
            w.text("QuestionKey", &self.question_key)?;
            w.opt_text("Title", self.title.as_deref())?;
            w.opt_text("SelectedId", self.selected_id.as_deref())?;
            w.opt_value("Disable", self.disable);
            for o in &self.option_list {
                o.write(w)?;
            }
            Ok(())
        })
    }
}

/// One option of a [`CheckBox`] (`OptionList` item).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CheckOption {
    /// `Id`: at most 128 bytes, unique.
    pub id: String,
    /// `Text`.
    pub text: String,
    /// `IsChecked`.
    pub is_checked: bool,
}

impl CheckOption {
    /// An option.
    pub fn new(id: impl Into<String>, text: impl Into<String>, is_checked: bool) -> Self {
        CheckOption { id: id.into(), text: text.into(), is_checked }
    }
}

/// `CheckBox` (capital B in the XML): the choices of a vote card.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CheckBox {
    /// `QuestionKey`.
    pub question_key: String,
    /// `Disable`: true to make it read-only.
    pub disable: Option<bool>,
    /// `Mode`: 0 single choice (default), 1 multiple choice.
    pub mode: Option<u8>,
    /// `OptionList`: 1 to 20 options.
    pub option_list: Vec<CheckOption>,
}

impl CheckBox {
    /// Choices with their options.
    pub fn new(
        question_key: impl Into<String>,
        options: impl IntoIterator<Item = CheckOption>,
    ) -> Self {
        CheckBox {
            question_key: question_key.into(),
            option_list: options.into_iter().collect(),
            ..Self::default()
        }
    }
    setter!(/// Sets `Disable`.
        disable: bool);
    setter!(/// Sets `Mode` (0 single, 1 multiple).
        mode: u8);

    pub(super) fn validate(&self) -> Result<(), Error> {
        check_key("checkbox.question_key", &self.question_key)?;
        if let Some(m) = self.mode.filter(|m| *m > 1) {
            return Err(Error::reply("checkbox.mode", format!("{m} is not 0 or 1")));
        }
        check_count("checkbox.option_list", self.option_list.len(), 1, 20)?;
        check_option_ids("checkbox.option_list", self.option_list.iter().map(|o| o.id.as_str()))
    }

    pub(super) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
        w.element("CheckBox", |w| {
            w.text("QuestionKey", &self.question_key)?;
            w.opt_value("Disable", self.disable);
            w.opt_value("Mode", self.mode);
            for o in &self.option_list {
                w.element("OptionList", |w| {
                    w.text("Id", &o.id)?;
                    w.text("Text", &o.text)?;
                    w.value("IsChecked", o.is_checked);
                    Ok(())
                })?;
            }
            Ok(())
        })
    }
}

/// One `SelectList` item: a dropdown of a multiple-choice card.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SelectList {
    /// `QuestionKey`: unique in the card.
    pub question_key: String,
    /// `Title`.
    pub title: Option<String>,
    /// `SelectedId`.
    pub selected_id: Option<String>,
    /// `Disable`.
    pub disable: Option<bool>,
    /// `OptionList`: 1 to 10 options.
    pub option_list: Vec<SelectOption>,
}

impl SelectList {
    /// A dropdown with its options.
    pub fn new(
        question_key: impl Into<String>,
        options: impl IntoIterator<Item = SelectOption>,
    ) -> Self {
        SelectList {
            question_key: question_key.into(),
            option_list: options.into_iter().collect(),
            ..Self::default()
        }
    }
    setter!(/// Sets `Title`.
        title: String);
    setter!(/// Sets `SelectedId`.
        selected_id: String);
    setter!(/// Sets `Disable`.
        disable: bool);

    pub(super) fn validate_list(items: &[Self]) -> Result<(), Error> {
        check_count("select_list", items.len(), 1, 3)?;
        let mut keys = HashSet::new();
        for (i, s) in items.iter().enumerate() {
            let f = format!("select_list[{i}].question_key");
            check_key(&f, &s.question_key)?;
            if !keys.insert(s.question_key.as_str()) {
                return Err(Error::reply(
                    f,
                    format!("duplicate question_key {:?}", s.question_key),
                ));
            }
            let options = format!("select_list[{i}].option_list");
            check_count(&options, s.option_list.len(), 1, 10)?;
            check_option_ids(&options, s.option_list.iter().map(|o| o.id.as_str()))?;
        }
        Ok(())
    }

    pub(super) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
        w.element("SelectList", |w| {
            w.text("QuestionKey", &self.question_key)?;
            w.opt_text("Title", self.title.as_deref())?;
            w.opt_text("SelectedId", self.selected_id.as_deref())?;
            w.opt_value("Disable", self.disable);
            for o in &self.option_list {
                o.write(w)?;
            }
            Ok(())
        })
    }
}

/// `SubmitButton` of a vote or multiple-choice card.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SubmitButton {
    /// `Text`.
    pub text: String,
    /// `Key`: returned as `EventKey` of `template_card_event`.
    pub key: String,
}

impl SubmitButton {
    /// A submit button.
    pub fn new(text: impl Into<String>, key: impl Into<String>) -> Self {
        SubmitButton { text: text.into(), key: key.into() }
    }

    pub(super) fn validate(&self) -> Result<(), Error> {
        check_non_empty("submit_button.text", &self.text)?;
        check_key("submit_button.key", &self.key)
    }

    pub(super) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
        w.element("SubmitButton", |w| {
            w.text("Text", &self.text)?;
            w.text("Key", &self.key)
        })
    }
}
