//! `news_notice`: a news notice card — headline, a picture, paragraphs, rows and links;
//! optionally a menu that calls back.

use serde::{Deserialize, Serialize};

use super::content_list::{validate_horizontal, validate_vertical};
use super::setters::setters;
use super::{
    ActionMenu, CardAction, CardContext, CardImage, HorizontalItem, ImageTextArea, JumpItem,
    MainTitle, QuoteArea, Source, TaskId, VerticalContent, check_action_menu, check_jump_list,
    check_main_title, check_quote_area, check_source,
};
use crate::validate::{Check, Path};

/// A news notice card (`card_type: news_notice`).
///
/// It needs a headline, a `card_action` that opens a URL or a mini program, and a picture:
/// a `card_image`, an `image_text_area`, or both. With an `action_menu` it calls back, returns
/// a `response_code`, and needs a `task_id`.
///
/// ```
/// use wecom_model::card::{CardAction, CardImage, NewsNotice, VerticalContent};
/// use wecom_model::message::{MessageRequest, Recipients};
///
/// let card = NewsNotice::new(
///     "Incident 7 resolved",
///     CardImage::new("https://example.com/graph.png").aspect_ratio(2.0),
///     CardAction::url("https://status.example.com/7"),
/// )
/// .vertical_content_list([VerticalContent::new("Impact").desc("Checkout slow for 14 minutes")]);
/// let req = MessageRequest::new(1000002, Recipients::parties([2]), card);
/// req.validate()?;
/// assert_eq!(serde_json::to_value(&req)?["template_card"]["card_image"]["aspect_ratio"], 2.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NewsNotice {
    /// The source icon and label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// The top-right menu; needs a `task_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_menu: Option<ActionMenu>,
    /// The headline: `title` required.
    #[serde(default)]
    pub main_title: MainTitle,
    /// A quoted block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote_area: Option<QuoteArea>,
    /// A picture beside text; this or `card_image` is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_text_area: Option<ImageTextArea>,
    /// A large picture; this or `image_text_area` is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_image: Option<CardImage>,
    /// Titled paragraphs, at most 4.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vertical_content_list: Vec<VerticalContent>,
    /// Key/value rows, at most 6.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub horizontal_content_list: Vec<HorizontalItem>,
    /// Links under the card, at most 3.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub jump_list: Vec<JumpItem>,
    /// What tapping the card does: required, a URL or a mini program.
    pub card_action: CardAction,
    /// The task id; required with `action_menu`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<TaskId>,
}

impl NewsNotice {
    /// A card headed `title` showing the large picture `card_image`, running `card_action`
    /// on tap.
    pub fn new(
        title: impl Into<MainTitle>,
        card_image: CardImage,
        card_action: CardAction,
    ) -> Self {
        Self { card_image: Some(card_image), ..Self::bare(title.into(), card_action) }
    }

    /// A card headed `title` showing `image_text_area`, running `card_action` on tap.
    pub fn with_image_text_area(
        title: impl Into<MainTitle>,
        image_text_area: ImageTextArea,
        card_action: CardAction,
    ) -> Self {
        Self { image_text_area: Some(image_text_area), ..Self::bare(title.into(), card_action) }
    }

    fn bare(main_title: MainTitle, card_action: CardAction) -> Self {
        Self {
            source: None,
            action_menu: None,
            main_title,
            quote_area: None,
            image_text_area: None,
            card_image: None,
            vertical_content_list: Vec::new(),
            horizontal_content_list: Vec::new(),
            jump_list: Vec::new(),
            card_action,
            task_id: None,
        }
    }

    setters! {
        /// Sets the source icon and label.
        source(source: Source) => Some(source);
        /// Sets the top-right menu; the card then needs a [`task_id`](Self::task_id).
        action_menu(menu: ActionMenu) => Some(menu);
        /// Sets the headline.
        main_title(title: impl Into<MainTitle>) => title.into();
        /// Sets the quoted block.
        quote_area(quote: QuoteArea) => Some(quote);
        /// Sets the picture beside text.
        image_text_area(area: ImageTextArea) => Some(area);
        /// Sets the large picture.
        card_image(image: CardImage) => Some(image);
        /// Sets the titled paragraphs (at most 4).
        vertical_content_list(items: impl IntoIterator<Item = VerticalContent>) =>
            items.into_iter().collect();
        /// Sets the key/value rows (at most 6).
        horizontal_content_list(items: impl IntoIterator<Item = HorizontalItem>) =>
            items.into_iter().collect();
        /// Sets the links under the card (at most 3).
        jump_list(items: impl IntoIterator<Item = JumpItem>) => items.into_iter().collect();
        /// Sets the task id.
        task_id(task_id: impl Into<TaskId>) => Some(task_id.into());
    }

    pub(crate) fn validate(&self, path: &Path<'_>, _ctx: CardContext) -> Check {
        check_source(path, self.source.as_ref(), true, "news_notice")?;
        check_main_title(path, &self.main_title)?;
        check_quote_area(path, self.quote_area.as_ref())?;
        if self.image_text_area.is_none() && self.card_image.is_none() {
            return Err(path
                .field("card_image")
                .error("is required unless image_text_area is set (news_notice needs a picture)"));
        }
        if let Some(area) = &self.image_text_area {
            area.validate(&path.field("image_text_area"))?;
        }
        if let Some(image) = &self.card_image {
            image.validate(&path.field("card_image"))?;
        }
        validate_vertical(&path.field("vertical_content_list"), &self.vertical_content_list)?;
        validate_horizontal(&path.field("horizontal_content_list"), &self.horizontal_content_list)?;
        check_jump_list(path, &self.jump_list)?;
        self.card_action.validate(&path.field("card_action"), true)?;
        check_action_menu(path, self.action_menu.as_ref(), self.task_id.as_ref())
    }
}
