//! Drop-down choices: the options shared by `button_selection` and `select_list`, and the
//! selectors of a multiple-choice card.

use serde::{Deserialize, Serialize};

use super::action_menu::KEY_MAX_BYTES;
use super::setters::setters;
use super::{CardContext, check_disable};
use crate::validate::{Check, Path, count, non_empty, required, unique};

/// The longest option id WeCom accepts.
const OPTION_ID_MAX_BYTES: usize = crate::limits::CARD_OPTION_ID_BYTES;

/// One option of a drop-down ([`ButtonSelection`](super::ButtonSelection) or [`Selector`]).
///
/// WeCom suggests at most about 16 characters of text (not enforced).
///
/// ```
/// use wecom_model::card::SelectOption;
///
/// let now = SelectOption::new("now", "Now");
/// assert_eq!(serde_json::to_value(&now)?, serde_json::json!({ "id": "now", "text": "Now" }));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SelectOption {
    /// The id sent back when chosen: required, at most 128 bytes, unique in its list.
    #[serde(default)]
    pub id: String,
    /// The text shown: required.
    #[serde(default)]
    pub text: String,
}

impl SelectOption {
    /// An option `id` showing `text`.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Self { id: id.into(), text: text.into() }
    }
}

/// An option of a drop-down or of a [`Checkbox`](super::Checkbox): an id and a text.
pub(crate) trait ChoiceOption {
    /// The option's `id` and `text`.
    fn id_and_text(&self) -> (&str, &str);
}

impl ChoiceOption for SelectOption {
    fn id_and_text(&self) -> (&str, &str) {
        (&self.id, &self.text)
    }
}

/// Checks an `option_list`: 1 to `max` options, each with an id and a text, ids distinct.
pub(crate) fn validate_options<O: ChoiceOption>(
    path: &Path<'_>,
    options: &[O],
    max: usize,
) -> Check {
    count(path, options.len(), 1, max)?;
    for (i, option) in options.iter().enumerate() {
        let item = path.index(i);
        let (id, text) = option.id_and_text();
        required(&item.field("id"), id, OPTION_ID_MAX_BYTES)?;
        non_empty(&item.field("text"), text)?;
    }
    unique(path, "id", options.iter().map(|o| o.id_and_text().0).enumerate())
}

/// One drop-down of a multiple-choice card's `select_list` (1 to 3 per card).
///
/// ```
/// use wecom_model::card::{SelectOption, Selector};
///
/// let team = Selector::new("q1", [SelectOption::new("t1", "Infra"), SelectOption::new("t2", "App")])
///     .title("Team")
///     .selected_id("t1");
/// assert_eq!(team.option_list.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Selector {
    /// The question's key, sent back with the answer: required, at most 1,024 bytes, unique
    /// in the card.
    #[serde(default)]
    pub question_key: String,
    /// The question's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The option chosen initially (WeCom picks the first when absent or unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_id: Option<String>,
    /// The options, 1 to 10.
    #[serde(default)]
    pub option_list: Vec<SelectOption>,
    /// `update_template_card` only: make the drop-down read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable: Option<bool>,
}

impl Selector {
    /// A drop-down answering `question_key` with these options (1 to 10).
    pub fn new(
        question_key: impl Into<String>,
        options: impl IntoIterator<Item = SelectOption>,
    ) -> Self {
        Self {
            question_key: question_key.into(),
            title: None,
            selected_id: None,
            option_list: options.into_iter().collect(),
            disable: None,
        }
    }

    setters! {
        /// Sets the question's title.
        title(title: impl Into<String>) => Some(title.into());
        /// Sets the option chosen initially.
        selected_id(id: impl Into<String>) => Some(id.into());
        /// `update_template_card` only: makes the drop-down read-only.
        disable(disable: bool) => Some(disable);
    }
}

/// Checks a `select_list`: 1 to 3 drop-downs with distinct question keys.
pub(crate) fn validate_select_list(path: &Path<'_>, list: &[Selector], ctx: CardContext) -> Check {
    count(path, list.len(), 1, crate::limits::CARD_SELECTS)?;
    for (i, selector) in list.iter().enumerate() {
        let item = path.index(i);
        required(&item.field("question_key"), &selector.question_key, KEY_MAX_BYTES)?;
        validate_options(
            &item.field("option_list"),
            &selector.option_list,
            crate::limits::CARD_SELECT_OPTIONS,
        )?;
        check_disable(&item, selector.disable, ctx)?;
    }
    unique(path, "question_key", list.iter().map(|s| s.question_key.as_str()).enumerate())
}
