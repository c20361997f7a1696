//! The interactive cards: `button_interaction`, `vote_interaction`, `multiple_interaction`.

use super::{check_task_id, validate_opt, write_opt, write_task_id};
use crate::error::Error;
use crate::reply::template_card::parts::{
    ActionMenu, Button, ButtonSelection, CardAction, CheckBox, HorizontalContent, MainTitle,
    QuoteArea, SelectList, Source, SubmitButton,
};
use crate::reply::template_card::setter;
use crate::reply::writer::XmlWriter;

/// A `button_interaction` card.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ButtonInteraction {
    /// `Source`.
    pub source: Option<Source>,
    /// `MainTitle` (title required).
    pub main_title: MainTitle,
    /// `QuoteArea`.
    pub quote_area: Option<QuoteArea>,
    /// `SubTitleText`.
    pub sub_title_text: Option<String>,
    /// `HorizontalContentList`: at most 6.
    pub horizontal_content_list: Vec<HorizontalContent>,
    /// `CardAction` (type 0, 1 or 2).
    pub card_action: Option<CardAction>,
    /// `ActionMenu`.
    pub action_menu: Option<ActionMenu>,
    /// `ButtonList`: 1 to 6 buttons.
    pub button_list: Vec<Button>,
    /// `ReplaceText`: shown instead of the buttons once the card is replaced.
    pub replace_text: Option<String>,
    /// `ButtonSelection`: a dropdown above the buttons.
    pub button_selection: Option<ButtonSelection>,
    /// `TaskId`, written only when set.
    pub task_id: Option<String>,
}

impl ButtonInteraction {
    /// A button card.
    pub fn new(main_title: MainTitle, buttons: impl IntoIterator<Item = Button>) -> Self {
        ButtonInteraction {
            source: None,
            main_title,
            quote_area: None,
            sub_title_text: None,
            horizontal_content_list: Vec::new(),
            card_action: None,
            action_menu: None,
            button_list: buttons.into_iter().collect(),
            replace_text: None,
            button_selection: None,
            task_id: None,
        }
    }
    setter!(/// Sets `Source`.
        source: Source);
    setter!(/// Sets `QuoteArea`.
        quote_area: QuoteArea);
    setter!(/// Sets `SubTitleText`.
        sub_title_text: String);
    setter!(/// Sets `HorizontalContentList`.
        horizontal_content_list: Vec<HorizontalContent>);
    setter!(/// Sets `CardAction`.
        card_action: CardAction);
    setter!(/// Sets `ActionMenu`.
        action_menu: ActionMenu);
    setter!(/// Sets `ReplaceText`.
        replace_text: String);
    setter!(/// Sets `ButtonSelection`.
        button_selection: ButtonSelection);
    setter!(/// Sets `TaskId`.
        task_id: String);

    pub(crate) fn validate(&self) -> Result<(), Error> {
        if !self.main_title.has_title() {
            return Err(Error::reply("main_title.title", "required for button_interaction"));
        }
        validate_opt(self.source.as_ref(), Source::validate)?;
        validate_opt(self.quote_area.as_ref(), QuoteArea::validate)?;
        HorizontalContent::validate_list(&self.horizontal_content_list)?;
        validate_opt(self.card_action.as_ref(), |a| a.validate(true))?;
        validate_opt(self.action_menu.as_ref(), ActionMenu::validate)?;
        Button::validate_list(&self.button_list)?;
        validate_opt(self.button_selection.as_ref(), ButtonSelection::validate)?;
        check_task_id(self.task_id.as_deref())
    }

    pub(crate) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
        write_opt(w, self.source.as_ref(), Source::write)?;
        self.main_title.write(w)?;
        w.opt_text("SubTitleText", self.sub_title_text.as_deref())?;
        write_opt(w, self.quote_area.as_ref(), QuoteArea::write)?;
        for h in &self.horizontal_content_list {
            h.write(w)?;
        }
        write_opt(w, self.card_action.as_ref(), CardAction::write)?;
        write_opt(w, self.action_menu.as_ref(), ActionMenu::write)?;
        for b in &self.button_list {
            b.write(w)?;
        }
        w.opt_text("ReplaceText", self.replace_text.as_deref())?;
        write_opt(w, self.button_selection.as_ref(), ButtonSelection::write)?;
        write_task_id(w, self.task_id.as_deref())
    }
}

/// A `vote_interaction` card.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct VoteInteraction {
    /// `Source`.
    pub source: Option<Source>,
    /// `MainTitle` (title required).
    pub main_title: MainTitle,
    /// `CheckBox`: the choices.
    pub checkbox: CheckBox,
    /// `SubmitButton`.
    pub submit_button: SubmitButton,
    /// `ReplaceText`: shown instead of the submit button once the card is replaced.
    pub replace_text: Option<String>,
    /// `TaskId`, written only when set.
    pub task_id: Option<String>,
}

impl VoteInteraction {
    /// A vote card.
    pub fn new(main_title: MainTitle, checkbox: CheckBox, submit_button: SubmitButton) -> Self {
        VoteInteraction {
            source: None,
            main_title,
            checkbox,
            submit_button,
            replace_text: None,
            task_id: None,
        }
    }
    setter!(/// Sets `Source`.
        source: Source);
    setter!(/// Sets `ReplaceText`.
        replace_text: String);
    setter!(/// Sets `TaskId`.
        task_id: String);

    pub(crate) fn validate(&self) -> Result<(), Error> {
        if !self.main_title.has_title() {
            return Err(Error::reply("main_title.title", "required for vote_interaction"));
        }
        validate_opt(self.source.as_ref(), Source::validate)?;
        self.checkbox.validate()?;
        self.submit_button.validate()?;
        check_task_id(self.task_id.as_deref())
    }

    pub(crate) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
        write_opt(w, self.source.as_ref(), Source::write)?;
        self.main_title.write(w)?;
        w.opt_text("ReplaceText", self.replace_text.as_deref())?;
        self.checkbox.write(w)?;
        self.submit_button.write(w)?;
        write_task_id(w, self.task_id.as_deref())
    }
}

/// A `multiple_interaction` card.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MultipleInteraction {
    /// `Source`.
    pub source: Option<Source>,
    /// `MainTitle` (title required).
    pub main_title: MainTitle,
    /// `SelectList`: 1 to 3 dropdowns.
    pub select_list: Vec<SelectList>,
    /// `SubmitButton`.
    pub submit_button: SubmitButton,
    /// `ReplaceText`: shown instead of the submit button once the card is replaced.
    pub replace_text: Option<String>,
    /// `TaskId`, written only when set.
    pub task_id: Option<String>,
}

impl MultipleInteraction {
    /// A multiple-choice card.
    pub fn new(
        main_title: MainTitle,
        select_list: impl IntoIterator<Item = SelectList>,
        submit_button: SubmitButton,
    ) -> Self {
        MultipleInteraction {
            source: None,
            main_title,
            select_list: select_list.into_iter().collect(),
            submit_button,
            replace_text: None,
            task_id: None,
        }
    }
    setter!(/// Sets `Source`.
        source: Source);
    setter!(/// Sets `ReplaceText`.
        replace_text: String);
    setter!(/// Sets `TaskId`.
        task_id: String);

    pub(crate) fn validate(&self) -> Result<(), Error> {
        if !self.main_title.has_title() {
            return Err(Error::reply("main_title.title", "required for multiple_interaction"));
        }
        validate_opt(self.source.as_ref(), Source::validate)?;
        SelectList::validate_list(&self.select_list)?;
        self.submit_button.validate()?;
        check_task_id(self.task_id.as_deref())
    }

    pub(crate) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
        write_opt(w, self.source.as_ref(), Source::write)?;
        self.main_title.write(w)?;
        w.opt_text("ReplaceText", self.replace_text.as_deref())?;
        for s in &self.select_list {
            s.write(w)?;
        }
        self.submit_button.write(w)?;
        write_task_id(w, self.task_id.as_deref())
    }
}
