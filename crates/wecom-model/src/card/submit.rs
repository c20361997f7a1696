//! `submit_button`: the button that sends a vote or multiple-choice card's answers.

use serde::{Deserialize, Serialize};

use super::action_menu::KEY_MAX_BYTES;
use crate::validate::{Check, Path, required};

/// `submit_button`: sends the answers of a vote or multiple-choice card, with `key` as the
/// callback's `EventKey`.
///
/// WeCom suggests at most about 10 characters of text, and shows `提交` ("submit") when the
/// text is absent.
///
/// ```
/// use wecom_model::card::SubmitButton;
///
/// let submit = SubmitButton::new("Submit", "lunch_submit");
/// assert_eq!(
///     serde_json::to_value(&submit)?,
///     serde_json::json!({ "text": "Submit", "key": "lunch_submit" })
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SubmitButton {
    /// The button's text (WeCom's default when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The key sent back as `EventKey`: required, at most 1,024 bytes.
    #[serde(default)]
    pub key: String,
}

impl SubmitButton {
    /// A button showing `text` that submits with `key`.
    pub fn new(text: impl Into<String>, key: impl Into<String>) -> Self {
        Self { text: Some(text.into()), key: key.into() }
    }

    /// A button with WeCom's default text that submits with `key`.
    pub fn with_key(key: impl Into<String>) -> Self {
        Self { text: None, key: key.into() }
    }

    pub(crate) fn validate(&self, path: &Path<'_>) -> Check {
        required(&path.field("key"), &self.key, KEY_MAX_BYTES)
    }
}
