//! `button_interaction`: a card with up to six buttons (and an optional drop-down) that call
//! back or open links.

use serde::{Deserialize, Serialize};

use super::button::validate_button_list;
use super::content_list::validate_horizontal;
use super::setters::setters;
use super::{
    ActionMenu, Button, ButtonSelection, CardAction, CardContext, HorizontalItem, MainTitle,
    QuoteArea, Source, TaskId, check_main_title, check_quote_area, check_replace_text,
    check_source, check_task_id,
};
use crate::validate::{Check, Path};

/// A button card (`card_type: button_interaction`).
///
/// It needs a headline, a `task_id` and 1 to 6 buttons; pressing a callback button sends a
/// `template_card_event` and the send returns a `response_code` for updating the card.
///
/// ```
/// use wecom_model::card::{Button, ButtonInteraction, ButtonSelection, MainTitle, SelectOption};
/// use wecom_model::message::{MessageRequest, Recipients};
///
/// let card = ButtonInteraction::new(
///     MainTitle::new("Deploy v1.4 to prod?").desc("requested by bob"),
///     "deploy-v1_4-20250101-001",
///     [Button::callback("Approve", "approve"), Button::callback("Reject", "reject")],
/// )
/// .button_selection(ButtonSelection::new(
///     "window",
///     [SelectOption::new("now", "Now"), SelectOption::new("night", "Tonight")],
/// ));
/// let req = MessageRequest::new(1000002, Recipients::users(["alice"]), card);
/// req.validate()?;
/// assert_eq!(serde_json::to_value(&req)?["template_card"]["button_list"][1]["key"], "reject");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ButtonInteraction {
    /// The source icon and label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// The top-right menu.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_menu: Option<ActionMenu>,
    /// The headline: `title` required.
    #[serde(default)]
    pub main_title: MainTitle,
    /// A quoted block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote_area: Option<QuoteArea>,
    /// Secondary text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_title_text: Option<String>,
    /// Key/value rows, at most 6.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub horizontal_content_list: Vec<HorizontalItem>,
    /// What tapping the card does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_action: Option<CardAction>,
    /// The task id: required.
    #[serde(default = "TaskId::empty")]
    pub task_id: TaskId,
    /// A drop-down above the buttons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button_selection: Option<ButtonSelection>,
    /// The buttons, 1 to 6, callback keys distinct.
    #[serde(default)]
    pub button_list: Vec<Button>,
    /// `update_template_card` only: replace the buttons by one grey, disabled button with this
    /// text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replace_text: Option<String>,
}

impl ButtonInteraction {
    /// A card headed `title`, tracked as `task_id`, with these buttons (1 to 6).
    pub fn new(
        title: impl Into<MainTitle>,
        task_id: impl Into<TaskId>,
        buttons: impl IntoIterator<Item = Button>,
    ) -> Self {
        Self {
            source: None,
            action_menu: None,
            main_title: title.into(),
            quote_area: None,
            sub_title_text: None,
            horizontal_content_list: Vec::new(),
            card_action: None,
            task_id: task_id.into(),
            button_selection: None,
            button_list: buttons.into_iter().collect(),
            replace_text: None,
        }
    }

    setters! {
        /// Sets the source icon and label.
        source(source: Source) => Some(source);
        /// Sets the top-right menu.
        action_menu(menu: ActionMenu) => Some(menu);
        /// Sets the quoted block.
        quote_area(quote: QuoteArea) => Some(quote);
        /// Sets the secondary text.
        sub_title_text(text: impl Into<String>) => Some(text.into());
        /// Sets the key/value rows (at most 6).
        horizontal_content_list(items: impl IntoIterator<Item = HorizontalItem>) =>
            items.into_iter().collect();
        /// Sets what tapping the card does.
        card_action(action: CardAction) => Some(action);
        /// Sets the drop-down above the buttons.
        button_selection(selection: ButtonSelection) => Some(selection);
        /// `update_template_card` only: replaces the buttons by one grey, disabled button showing
        /// `text`.
        replace_text(text: impl Into<String>) => Some(text.into());
    }

    pub(crate) fn validate(&self, path: &Path<'_>, ctx: CardContext) -> Check {
        check_source(path, self.source.as_ref(), true, "button_interaction")?;
        if let Some(menu) = &self.action_menu {
            menu.validate(&path.field("action_menu"))?;
        }
        check_main_title(path, &self.main_title)?;
        check_quote_area(path, self.quote_area.as_ref())?;
        validate_horizontal(&path.field("horizontal_content_list"), &self.horizontal_content_list)?;
        if let Some(action) = &self.card_action {
            action.validate(&path.field("card_action"), false)?;
        }
        check_task_id(path, &self.task_id)?;
        if let Some(selection) = &self.button_selection {
            selection.validate(&path.field("button_selection"), ctx)?;
        }
        validate_button_list(&path.field("button_list"), &self.button_list)?;
        check_replace_text(path, self.replace_text.as_ref(), ctx)
    }
}
