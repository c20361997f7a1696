//! Interactive parts: the top-right menu, buttons, dropdowns, check boxes and submit button.

use std::collections::HashSet;

use super::{check_count, check_key, check_option_ids};
use crate::error::Error;
use crate::reply::check_non_empty;
use crate::reply::template_card::setter;
use crate::reply::writer::XmlWriter;

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

    pub(crate) fn validate(&self) -> Result<(), Error> {
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

    pub(crate) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
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

    pub(crate) fn validate_list(items: &[Self]) -> Result<(), Error> {
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

    pub(crate) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
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

    pub(crate) fn validate(&self) -> Result<(), Error> {
        check_key("button_selection.question_key", &self.question_key)?;
        check_count("button_selection.option_list", self.option_list.len(), 1, 10)?;
        check_option_ids(
            "button_selection.option_list",
            self.option_list.iter().map(|o| o.id.as_str()),
        )
    }

    pub(crate) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
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

    pub(crate) fn validate(&self) -> Result<(), Error> {
        check_key("checkbox.question_key", &self.question_key)?;
        if let Some(m) = self.mode.filter(|m| *m > 1) {
            return Err(Error::reply("checkbox.mode", format!("{m} is not 0 or 1")));
        }
        check_count("checkbox.option_list", self.option_list.len(), 1, 20)?;
        check_option_ids("checkbox.option_list", self.option_list.iter().map(|o| o.id.as_str()))
    }

    pub(crate) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
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

    pub(crate) fn validate_list(items: &[Self]) -> Result<(), Error> {
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

    pub(crate) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
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

    pub(crate) fn validate(&self) -> Result<(), Error> {
        check_non_empty("submit_button.text", &self.text)?;
        check_key("submit_button.key", &self.key)
    }

    pub(crate) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
        w.element("SubmitButton", |w| {
            w.text("Text", &self.text)?;
            w.text("Key", &self.key)
        })
    }
}
