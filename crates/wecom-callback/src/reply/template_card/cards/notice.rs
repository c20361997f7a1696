//! The notice cards: `text_notice` and `news_notice`.

use super::{check_task_id, validate_opt, write_opt, write_task_id};
use crate::error::Error;
use crate::reply::template_card::parts::{
    ActionMenu, CardAction, CardImage, EmphasisContent, HorizontalContent, ImageTextArea, Jump,
    MainTitle, QuoteArea, Source, VerticalContent,
};
use crate::reply::template_card::setter;
use crate::reply::writer::XmlWriter;

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

    pub(crate) fn validate(&self) -> Result<(), Error> {
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

    pub(crate) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
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

    pub(crate) fn validate(&self) -> Result<(), Error> {
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

    pub(crate) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
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
