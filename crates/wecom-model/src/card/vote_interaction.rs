//! `vote_interaction`: a card with ticked options and a submit button.

use serde::{Deserialize, Serialize};

use super::setters::setters;
use super::{
    CardContext, Checkbox, MainTitle, Source, SubmitButton, TaskId, check_main_title,
    check_replace_text, check_source, check_task_id,
};
use crate::validate::{Check, Path};

/// A vote card (`card_type: vote_interaction`): 1 to 20 options to tick and a submit button.
///
/// It needs a headline and a `task_id`; submitting sends a `template_card_event` and the send
/// returns a `response_code` for updating the card.
///
/// ```
/// use wecom_model::card::{Checkbox, CheckboxMode, CheckboxOption, SubmitButton, VoteInteraction};
/// use wecom_model::message::{MessageRequest, Recipients};
///
/// let card = VoteInteraction::new(
///     "Lunch?",
///     "vote-20250101-lunch",
///     Checkbox::new("lunch", [CheckboxOption::new("a", "Noodles"), CheckboxOption::new("b", "Rice")])
///         .mode(CheckboxMode::Multiple),
///     SubmitButton::new("Submit", "lunch_submit"),
/// );
/// let req = MessageRequest::new(1000002, Recipients::tags([12]), card);
/// req.validate()?;
/// assert_eq!(serde_json::to_value(&req)?["template_card"]["checkbox"]["mode"], 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VoteInteraction {
    /// The source icon and label (without `desc_color`, which vote cards do not take).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// The headline: `title` required.
    #[serde(default)]
    pub main_title: MainTitle,
    /// The task id: required.
    #[serde(default = "TaskId::empty")]
    pub task_id: TaskId,
    /// The options: required.
    pub checkbox: Checkbox,
    /// The submit button: required.
    pub submit_button: SubmitButton,
    /// `update_template_card` only: replace the submit button by a grey, disabled one with
    /// this text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replace_text: Option<String>,
}

impl VoteInteraction {
    /// A vote headed `title`, tracked as `task_id`.
    pub fn new(
        title: impl Into<MainTitle>,
        task_id: impl Into<TaskId>,
        checkbox: Checkbox,
        submit_button: SubmitButton,
    ) -> Self {
        Self {
            source: None,
            main_title: title.into(),
            task_id: task_id.into(),
            checkbox,
            submit_button,
            replace_text: None,
        }
    }

    setters! {
        /// Sets the source icon and label.
        source(source: Source) => Some(source);
        /// `update_template_card` only: replaces the submit button by a grey, disabled one
        /// showing `text`.
        replace_text(text: impl Into<String>) => Some(text.into());
    }

    pub(crate) fn validate(&self, path: &Path<'_>, ctx: CardContext) -> Check {
        check_source(path, self.source.as_ref(), false, "vote_interaction")?;
        check_main_title(path, &self.main_title)?;
        check_task_id(path, &self.task_id)?;
        self.checkbox.validate(&path.field("checkbox"), ctx)?;
        self.submit_button.validate(&path.field("submit_button"))?;
        check_replace_text(path, self.replace_text.as_ref(), ctx)
    }
}
