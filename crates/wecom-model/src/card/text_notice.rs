//! `text_notice`: a text notice card — headline, key figure, rows and links; optionally a
//! menu that calls back.

use serde::{Deserialize, Serialize};

use super::content_list::validate_horizontal;
use super::setters::setters;
use super::{
    ActionMenu, CardAction, CardContext, EmphasisContent, HorizontalItem, JumpItem, MainTitle,
    QuoteArea, Source, TaskId, check_action_menu, check_jump_list, check_quote_area, check_source,
};
use crate::validate::{Check, Path};

/// A text notice card (`card_type: text_notice`).
///
/// It needs a `card_action` that opens a URL or a mini program, and a headline
/// (`main_title.title`) or a `sub_title_text`, or both. With an `action_menu` it calls back,
/// returns a `response_code`, and needs a `task_id`.
///
/// ```
/// use wecom_model::card::{CardAction, EmphasisContent, HorizontalItem, TextNotice};
/// use wecom_model::message::{MessageRequest, Recipients};
///
/// let card = TextNotice::new("Nightly backup finished", CardAction::url("https://ops.example.com/b/7"))
///     .emphasis_content(EmphasisContent::new("1.2 TB").desc("copied"))
///     .sub_title_text("All 14 databases verified.")
///     .horizontal_content_list([HorizontalItem::text("Duration", "42 min")]);
/// let req = MessageRequest::new(1000002, Recipients::users(["alice"]), card);
/// req.validate()?;
/// let body = serde_json::to_value(&req)?;
/// assert_eq!(body["template_card"]["card_type"], "text_notice");
/// assert_eq!(body["template_card"]["card_action"]["type"], 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TextNotice {
    /// The source icon and label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// The top-right menu; needs a `task_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_menu: Option<ActionMenu>,
    /// The headline; required unless `sub_title_text` is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main_title: Option<MainTitle>,
    /// A quoted block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote_area: Option<QuoteArea>,
    /// A key figure shown large.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emphasis_content: Option<EmphasisContent>,
    /// Secondary text (WeCom suggests at most about 160 characters); required unless
    /// `main_title.title` is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_title_text: Option<String>,
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

impl TextNotice {
    /// A card headed `title` that runs `card_action` on tap.
    pub fn new(title: impl Into<MainTitle>, card_action: CardAction) -> Self {
        Self { main_title: Some(title.into()), ..Self::bare(card_action) }
    }

    /// A card without headline, showing `sub_title_text`, that runs `card_action` on tap.
    pub fn with_sub_title(sub_title_text: impl Into<String>, card_action: CardAction) -> Self {
        Self { sub_title_text: Some(sub_title_text.into()), ..Self::bare(card_action) }
    }

    fn bare(card_action: CardAction) -> Self {
        Self {
            source: None,
            action_menu: None,
            main_title: None,
            quote_area: None,
            emphasis_content: None,
            sub_title_text: None,
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
        main_title(title: impl Into<MainTitle>) => Some(title.into());
        /// Sets the quoted block.
        quote_area(quote: QuoteArea) => Some(quote);
        /// Sets the key figure.
        emphasis_content(emphasis: EmphasisContent) => Some(emphasis);
        /// Sets the secondary text.
        sub_title_text(text: impl Into<String>) => Some(text.into());
        /// Sets the key/value rows (at most 6).
        horizontal_content_list(items: impl IntoIterator<Item = HorizontalItem>) =>
            items.into_iter().collect();
        /// Sets the links under the card (at most 3).
        jump_list(items: impl IntoIterator<Item = JumpItem>) => items.into_iter().collect();
        /// Sets the task id.
        task_id(task_id: impl Into<TaskId>) => Some(task_id.into());
    }

    pub(crate) fn validate(&self, path: &Path<'_>, _ctx: CardContext) -> Check {
        check_source(path, self.source.as_ref(), true, "text_notice")?;
        let has_title = self
            .main_title
            .as_ref()
            .and_then(|t| t.title.as_deref())
            .is_some_and(|t| !t.is_empty());
        let has_sub_title = self.sub_title_text.as_deref().is_some_and(|t| !t.is_empty());
        if !has_title && !has_sub_title {
            return Err(path.field("main_title").field("title").error(
                "is required unless sub_title_text is set (text_notice needs one of the two)",
            ));
        }
        check_quote_area(path, self.quote_area.as_ref())?;
        validate_horizontal(&path.field("horizontal_content_list"), &self.horizontal_content_list)?;
        check_jump_list(path, &self.jump_list)?;
        self.card_action.validate(&path.field("card_action"), true)?;
        check_action_menu(path, self.action_menu.as_ref(), self.task_id.as_ref())
    }
}
