//! `checkbox`: the choices of a vote card.

use serde::{Deserialize, Serialize};

use super::CardContext;
use super::action_menu::KEY_MAX_BYTES;
use super::select::OPTION_ID_MAX_BYTES;
use crate::quirks::int_enum;
use crate::validate::{Check, Path, count, non_empty, required, unique};

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

    /// Sets single or multiple choice.
    #[must_use]
    pub fn mode(mut self, mode: CheckboxMode) -> Self {
        self.mode = Some(mode);
        self
    }

    /// `update_template_card` only: makes the options read-only.
    #[must_use]
    pub fn disable(mut self, disable: bool) -> Self {
        self.disable = Some(disable);
        self
    }

    pub(crate) fn validate(&self, path: &Path<'_>, ctx: CardContext) -> Check {
        required(&path.field("question_key"), &self.question_key, KEY_MAX_BYTES)?;
        let list = path.field("option_list");
        count(&list, self.option_list.len(), 1, crate::limits::CARD_CHECKBOX_OPTIONS)?;
        for (i, option) in self.option_list.iter().enumerate() {
            let item = list.index(i);
            required(&item.field("id"), &option.id, OPTION_ID_MAX_BYTES)?;
            non_empty(&item.field("text"), &option.text)?;
        }
        unique(&list, "id", self.option_list.iter().map(|o| o.id.as_str()).enumerate())?;
        if self.disable.is_some() {
            ctx.update_only(&path.field("disable"))?;
        }
        Ok(())
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

impl CheckboxOption {
    /// An option `id` showing `text`, not ticked.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Self { id: id.into(), text: text.into(), is_checked: false }
    }

    /// Sets whether it starts ticked.
    #[must_use]
    pub fn checked(mut self, checked: bool) -> Self {
        self.is_checked = checked;
        self
    }
}
