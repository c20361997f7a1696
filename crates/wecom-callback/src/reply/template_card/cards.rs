//! The five card kinds, each with exactly the parts WeCom allows for it.

use super::parts::{
    ActionMenu, Button, ButtonSelection, CardAction, CardImage, CheckBox, EmphasisContent,
    HorizontalContent, ImageTextArea, Jump, MainTitle, QuoteArea, SelectList, Source, SubmitButton,
    VerticalContent,
};
use super::setter;
use crate::error::Error;
use crate::reply::writer::XmlWriter;

/// Longest `task_id` (bytes).
pub const MAX_TASK_ID_BYTES: usize = 128;

/// `TaskId` is not in WeCom's reply tables (one SDK sends it); it is written only when set.
fn check_task_id(task_id: Option<&str>) -> Result<(), Error> {
    let Some(id) = task_id else { return Ok(()) };
    if id.is_empty() || id.len() > MAX_TASK_ID_BYTES {
        return Err(Error::reply(
            "task_id",
            format!("{} bytes, 1 to {MAX_TASK_ID_BYTES} allowed", id.len()),
        ));
    }
    if let Some(c) =
        id.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '@')))
    {
        return Err(Error::reply(
            "task_id",
            format!("character {c:?} not allowed (letters, digits, _ - @)"),
        ));
    }
    Ok(())
}

fn write_opt<T>(
    w: &mut XmlWriter,
    part: Option<&T>,
    f: impl FnOnce(&T, &mut XmlWriter) -> Result<(), Error>,
) -> Result<(), Error> {
    match part {
        Some(p) => f(p, w),
        None => Ok(()),
    }
}

fn validate_opt<T>(part: Option<&T>, f: impl FnOnce(&T) -> Result<(), Error>) -> Result<(), Error> {
    part.map_or(Ok(()), f)
}

fn write_task_id(w: &mut XmlWriter, task_id: Option<&str>) -> Result<(), Error> {
    w.opt_text("TaskId", task_id)
}

/// A `text_notice` card.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TextNotice {
    /// `Source`.
    pub source: Option<Source>,
    /// `MainTitle` (this or `sub_title_text` is required).
    pub main_title: Option<MainTitle>,
    /// `EmphasisContent`.
    pub emphasis_content: Option<EmphasisContent>,
    /// `QuoteArea`.
    pub quote_area: Option<QuoteArea>,
    /// `SubTitleText`.
    pub sub_title_text: Option<String>,
    /// `HorizontalContentList`: at most 6.
    pub horizontal_content_list: Vec<HorizontalContent>,
    /// `JumpList`: at most 3.
    pub jump_list: Vec<Jump>,
    /// `CardAction` (required; type 1 or 2).
    pub card_action: CardAction,
    /// `ActionMenu`.
    pub action_menu: Option<ActionMenu>,
    /// `TaskId`, written only when set.
    pub task_id: Option<String>,
}

impl TextNotice {
    /// A text notice card; add a main title or sub-title text.
    pub fn new(card_action: CardAction) -> Self {
        TextNotice {
            source: None,
            main_title: None,
            emphasis_content: None,
            quote_area: None,
            sub_title_text: None,
            horizontal_content_list: Vec::new(),
            jump_list: Vec::new(),
            card_action,
            action_menu: None,
            task_id: None,
        }
    }
    setter!(/// Sets `Source`.
        source: Source);
    setter!(/// Sets `MainTitle`.
        main_title: MainTitle);
    setter!(/// Sets `EmphasisContent`.
        emphasis_content: EmphasisContent);
    setter!(/// Sets `QuoteArea`.
        quote_area: QuoteArea);
    setter!(/// Sets `SubTitleText`.
        sub_title_text: String);
    setter!(/// Sets `HorizontalContentList`.
        horizontal_content_list: Vec<HorizontalContent>);
    setter!(/// Sets `JumpList`.
        jump_list: Vec<Jump>);
    setter!(/// Sets `ActionMenu`.
        action_menu: ActionMenu);
    setter!(/// Sets `TaskId`.
        task_id: String);

    pub(super) fn validate(&self) -> Result<(), Error> {
        let has_title = self.main_title.as_ref().is_some_and(MainTitle::has_title);
        let has_sub = self.sub_title_text.as_deref().is_some_and(|s| !s.is_empty());
        if !has_title && !has_sub {
            return Err(Error::reply(
                "main_title.title",
                "text_notice needs main_title.title or sub_title_text",
            ));
        }
        validate_opt(self.source.as_ref(), Source::validate)?;
        validate_opt(self.quote_area.as_ref(), QuoteArea::validate)?;
        HorizontalContent::validate_list(&self.horizontal_content_list)?;
        Jump::validate_list(&self.jump_list)?;
        self.card_action.validate(false)?;
        validate_opt(self.action_menu.as_ref(), ActionMenu::validate)?;
        check_task_id(self.task_id.as_deref())
    }

    pub(super) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
        write_opt(w, self.source.as_ref(), Source::write)?;
        write_opt(w, self.main_title.as_ref(), MainTitle::write)?;
        w.opt_text("SubTitleText", self.sub_title_text.as_deref())?;
        write_opt(w, self.emphasis_content.as_ref(), EmphasisContent::write)?;
        write_opt(w, self.quote_area.as_ref(), QuoteArea::write)?;
        for h in &self.horizontal_content_list {
            h.write(w)?;
        }
        for j in &self.jump_list {
            j.write(w)?;
        }
        self.card_action.write(w)?;
        write_opt(w, self.action_menu.as_ref(), ActionMenu::write)?;
        write_task_id(w, self.task_id.as_deref())
    }
}

/// The picture of a [`NewsNotice`]: WeCom needs exactly one of the two.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum NewsPicture {
    /// `CardImage`: a large image.
    CardImage(CardImage),
    /// `ImageTextArea`: image left, text right.
    ImageTextArea(ImageTextArea),
}

impl From<CardImage> for NewsPicture {
    fn from(p: CardImage) -> Self {
        NewsPicture::CardImage(p)
    }
}

impl From<ImageTextArea> for NewsPicture {
    fn from(p: ImageTextArea) -> Self {
        NewsPicture::ImageTextArea(p)
    }
}

/// A `news_notice` card.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct NewsNotice {
    /// `Source`.
    pub source: Option<Source>,
    /// `MainTitle` (title required).
    pub main_title: MainTitle,
    /// `QuoteArea`.
    pub quote_area: Option<QuoteArea>,
    /// `CardImage` or `ImageTextArea`.
    pub picture: NewsPicture,
    /// `VerticalContentList`: at most 4.
    pub vertical_content_list: Vec<VerticalContent>,
    /// `HorizontalContentList`: at most 6.
    pub horizontal_content_list: Vec<HorizontalContent>,
    /// `JumpList`: at most 3.
    pub jump_list: Vec<Jump>,
    /// `CardAction` (required; type 1 or 2).
    pub card_action: CardAction,
    /// `ActionMenu`.
    pub action_menu: Option<ActionMenu>,
    /// `TaskId`, written only when set.
    pub task_id: Option<String>,
}

impl NewsNotice {
    /// A news notice card.
    pub fn new(
        main_title: MainTitle,
        picture: impl Into<NewsPicture>,
        card_action: CardAction,
    ) -> Self {
        NewsNotice {
            source: None,
            main_title,
            quote_area: None,
            picture: picture.into(),
            vertical_content_list: Vec::new(),
            horizontal_content_list: Vec::new(),
            jump_list: Vec::new(),
            card_action,
            action_menu: None,
            task_id: None,
        }
    }
    setter!(/// Sets `Source`.
        source: Source);
    setter!(/// Sets `QuoteArea`.
        quote_area: QuoteArea);
    setter!(/// Sets `VerticalContentList`.
        vertical_content_list: Vec<VerticalContent>);
    setter!(/// Sets `HorizontalContentList`.
        horizontal_content_list: Vec<HorizontalContent>);
    setter!(/// Sets `JumpList`.
        jump_list: Vec<Jump>);
    setter!(/// Sets `ActionMenu`.
        action_menu: ActionMenu);
    setter!(/// Sets `TaskId`.
        task_id: String);

    pub(super) fn validate(&self) -> Result<(), Error> {
        if !self.main_title.has_title() {
            return Err(Error::reply("main_title.title", "required for news_notice"));
        }
        validate_opt(self.source.as_ref(), Source::validate)?;
        validate_opt(self.quote_area.as_ref(), QuoteArea::validate)?;
        match &self.picture {
            NewsPicture::CardImage(p) => p.validate()?,
            NewsPicture::ImageTextArea(p) => p.validate()?,
        }
        VerticalContent::validate_list(&self.vertical_content_list)?;
        HorizontalContent::validate_list(&self.horizontal_content_list)?;
        Jump::validate_list(&self.jump_list)?;
        self.card_action.validate(false)?;
        validate_opt(self.action_menu.as_ref(), ActionMenu::validate)?;
        check_task_id(self.task_id.as_deref())
    }

    pub(super) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
        write_opt(w, self.source.as_ref(), Source::write)?;
        self.main_title.write(w)?;
        write_opt(w, self.quote_area.as_ref(), QuoteArea::write)?;
        for h in &self.horizontal_content_list {
            h.write(w)?;
        }
        for j in &self.jump_list {
            j.write(w)?;
        }
        self.card_action.write(w)?;
        if let NewsPicture::CardImage(p) = &self.picture {
            p.write(w)?;
        }
        for v in &self.vertical_content_list {
            v.write(w)?;
        }
        if let NewsPicture::ImageTextArea(p) = &self.picture {
            p.write(w)?;
        }
        write_opt(w, self.action_menu.as_ref(), ActionMenu::write)?;
        write_task_id(w, self.task_id.as_deref())
    }
}

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

    pub(super) fn validate(&self) -> Result<(), Error> {
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

    pub(super) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
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

    pub(super) fn validate(&self) -> Result<(), Error> {
        if !self.main_title.has_title() {
            return Err(Error::reply("main_title.title", "required for vote_interaction"));
        }
        validate_opt(self.source.as_ref(), Source::validate)?;
        self.checkbox.validate()?;
        self.submit_button.validate()?;
        check_task_id(self.task_id.as_deref())
    }

    pub(super) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
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

    pub(super) fn validate(&self) -> Result<(), Error> {
        if !self.main_title.has_title() {
            return Err(Error::reply("main_title.title", "required for multiple_interaction"));
        }
        validate_opt(self.source.as_ref(), Source::validate)?;
        SelectList::validate_list(&self.select_list)?;
        self.submit_button.validate()?;
        check_task_id(self.task_id.as_deref())
    }

    pub(super) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
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
