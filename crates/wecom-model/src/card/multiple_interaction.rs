//! `multiple_interaction`: a card with up to three drop-downs and a submit button.

use serde::{Deserialize, Serialize};

use super::select::validate_select_list;
use super::setters::setters;
use super::{
    CardContext, MainTitle, Selector, Source, SubmitButton, TaskId, check_main_title,
    check_replace_text, check_source, check_task_id,
};
use crate::validate::{Check, Path};

/// A multiple-choice card (`card_type: multiple_interaction`): 1 to 3 drop-downs and a
/// submit button.
///
/// It needs a headline and a `task_id`; submitting sends a `template_card_event` and the send
/// returns a `response_code` for updating the card.
///
/// ```
/// use wecom_model::card::{MultipleInteraction, SelectOption, Selector, SubmitButton};
/// use wecom_model::message::{MessageRequest, Recipients};
///
/// let card = MultipleInteraction::new(
///     "Survey",
///     "survey-20250101",
///     [Selector::new("q1", [SelectOption::new("t1", "Infra"), SelectOption::new("t2", "App")])
///         .title("Team")
///         .selected_id("t1")],
///     SubmitButton::new("Submit", "survey_submit"),
/// );
/// let req = MessageRequest::new(1000002, Recipients::users(["alice"]), card);
/// req.validate()?;
/// assert_eq!(serde_json::to_value(&req)?["template_card"]["select_list"][0]["question_key"], "q1");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MultipleInteraction {
    /// The source icon and label (without `desc_color`, which these cards do not take).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// The headline: `title` required.
    #[serde(default)]
    pub main_title: MainTitle,
    /// The task id: required.
    #[serde(default = "TaskId::empty")]
    pub task_id: TaskId,
    /// The drop-downs, 1 to 3, with distinct question keys.
    #[serde(default)]
    pub select_list: Vec<Selector>,
    /// The submit button: required.
    pub submit_button: SubmitButton,
    /// `update_template_card` only: replace the submit button by a grey, disabled one with
    /// this text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replace_text: Option<String>,
}

impl MultipleInteraction {
    /// A card headed `title`, tracked as `task_id`, with these drop-downs (1 to 3).
    pub fn new(
        title: impl Into<MainTitle>,
        task_id: impl Into<TaskId>,
        select_list: impl IntoIterator<Item = Selector>,
        submit_button: SubmitButton,
    ) -> Self {
        Self {
            source: None,
            main_title: title.into(),
            task_id: task_id.into(),
            select_list: select_list.into_iter().collect(),
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
        check_source(path, self.source.as_ref(), false, "multiple_interaction")?;
        check_main_title(path, &self.main_title)?;
        check_task_id(path, &self.task_id)?;
        validate_select_list(&path.field("select_list"), &self.select_list, ctx)?;
        self.submit_button.validate(&path.field("submit_button"))?;
        check_replace_text(path, self.replace_text.as_ref(), ctx)
    }
}
