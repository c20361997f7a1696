//! `checkbox`: the choices of a vote card.

use serde::{Deserialize, Serialize};

use super::action_menu::KEY_MAX_BYTES;
use super::select::{ChoiceOption, validate_options};
use super::setters::setters;
use super::{CardContext, check_disable};
use crate::quirks::int_enum;
use crate::validate::{Check, Path, required};

int_enum! {
    /// `checkbox.mode`: how many options a voter may tick.
    pub enum CheckboxMode {
        /// `0`: one (the default).
        Single = 0,
        /// `1`: any number.
        Multiple = 1,
    }
}

/// `checkbox`: the options of a vote card, 1 to 20.
///
/// ```
/// use wecom_model::card::{Checkbox, CheckboxMode, CheckboxOption};
///
/// let lunch = Checkbox::new(
///     "lunch",
///     [CheckboxOption::new("a", "Noodles"), CheckboxOption::new("b", "Rice").checked(true)],
/// )
/// .mode(CheckboxMode::Multiple);
/// assert_eq!(
///     serde_json::to_value(&lunch)?,
///     serde_json::json!({
///         "question_key": "lunch",
///         "mode": 1,
///         "option_list": [
///             { "id": "a", "text": "Noodles", "is_checked": false },
///             { "id": "b", "text": "Rice", "is_checked": true }
///         ]
///     })
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Checkbox {
    /// The question's key, sent back with the answer: required, at most 1,024 bytes.
    #[serde(default)]
    pub question_key: String,
    /// Single or multiple choice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<CheckboxMode>,
    /// The options, 1 to 20, with distinct ids.
    #[serde(default)]
    pub option_list: Vec<CheckboxOption>,
    /// `update_template_card` only: make the options read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable: Option<bool>,
}

impl Checkbox {
    /// Options (1 to 20) answering `question_key`.
    pub fn new(
        question_key: impl Into<String>,
        options: impl IntoIterator<Item = CheckboxOption>,
    ) -> Self {
        Self {
            question_key: question_key.into(),
            mode: None,
            option_list: options.into_iter().collect(),
            disable: None,
        }
    }

    setters! {
        /// Sets single or multiple choice.
        mode(mode: CheckboxMode) => Some(mode);
        /// `update_template_card` only: makes the options read-only.
        disable(disable: bool) => Some(disable);
    }

    pub(crate) fn validate(&self, path: &Path<'_>, ctx: CardContext) -> Check {
        required(&path.field("question_key"), &self.question_key, KEY_MAX_BYTES)?;
        validate_options(
            &path.field("option_list"),
            &self.option_list,
            crate::limits::CARD_CHECKBOX_OPTIONS,
        )?;
        check_disable(path, self.disable, ctx)
    }
}

/// One option of a [`Checkbox`].
///
/// WeCom suggests at most about 17 characters of text (not enforced).
///
/// ```
/// use wecom_model::card::CheckboxOption;
///
/// let rice = CheckboxOption::new("b", "Rice").checked(true);
/// assert!(rice.is_checked);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CheckboxOption {
    /// The id sent back when ticked: required, at most 128 bytes, unique in the list.
    #[serde(default)]
    pub id: String,
    /// The text shown: required.
    #[serde(default)]
    pub text: String,
    /// Whether it starts ticked (always sent: WeCom lists it as required).
    #[serde(default)]
    pub is_checked: bool,
}

impl ChoiceOption for CheckboxOption {
    fn id_and_text(&self) -> (&str, &str) {
        (&self.id, &self.text)
    }
}

impl CheckboxOption {
    /// An option `id` showing `text`, not ticked.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Self { id: id.into(), text: text.into(), is_checked: false }
    }

    setters! {
        /// Sets whether it starts ticked.
        checked(checked: bool) => is_checked = checked;
    }
}
