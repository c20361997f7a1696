//! The controls of a button card: `button_list` (up to 6 buttons that call back or open a
//! URL) and `button_selection` (a drop-down above them).

use serde::{Deserialize, Serialize};

use super::action_menu::KEY_MAX_BYTES;
use super::select::{SelectOption, validate_options};
use super::setters::setters;
use super::{CardContext, check_disable};
use crate::quirks::int_enum;
use crate::validate::{Check, Path, count, non_empty, required, unique};

int_enum! {
    /// The `type` of a [`Button`].
    pub enum ButtonType {
        /// `0`: call back with `key` (a `template_card_event`).
        Callback = 0,
        /// `1`: open `url`.
        Url = 1,
    }
}

int_enum! {
    /// The `style` of a [`Button`], 1 to 4.
    ///
    /// WeCom shows the four styles only as a picture, so the variants are numbered rather than
    /// named after colours; 1 is the default.
    pub enum ButtonStyle {
        /// `1` (the default).
        Style1 = 1,
        /// `2`.
        Style2 = 2,
        /// `3`.
        Style3 = 3,
        /// `4`.
        Style4 = 4,
    }
}

/// One button of a button card's `button_list`: either it calls back with a key or it opens
/// a URL, and its constructor says which.
///
/// WeCom suggests at most about 10 characters of text (not enforced).
///
/// ```
/// use wecom_model::card::{Button, ButtonStyle, ButtonType};
///
/// let approve = Button::callback("Approve", "approve").style(ButtonStyle::Style1);
/// let logs = Button::link("Logs", "https://ci.example.com/r/14/logs");
/// assert_eq!(approve.key(), Some("approve"));
/// assert_eq!(logs.kind(), Some(ButtonType::Url));
/// assert_eq!(
///     serde_json::to_value(&logs)?,
///     serde_json::json!({ "type": 1, "text": "Logs", "url": "https://ci.example.com/r/14/logs" })
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    kind: Option<ButtonType>,
    #[serde(default)]
    text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    style: Option<ButtonStyle>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

impl Button {
    /// A button showing `text` that calls back with `key` (at most 1,024 bytes, unique on the
    /// card). The type is left out, which means a callback.
    pub fn callback(text: impl Into<String>, key: impl Into<String>) -> Self {
        Self { kind: None, text: text.into(), style: None, key: Some(key.into()), url: None }
    }

    /// A button showing `text` that opens `url` (type 1).
    pub fn link(text: impl Into<String>, url: impl Into<String>) -> Self {
        Self {
            kind: Some(ButtonType::Url),
            text: text.into(),
            style: None,
            key: None,
            url: Some(url.into()),
        }
    }

    setters! {
        /// Sets the style.
        style(style: ButtonStyle) => Some(style);
    }

    /// The button's `type`, as given (absent means a callback).
    pub fn kind(&self) -> Option<ButtonType> {
        self.kind
    }

    /// The text shown.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The style, as given (absent means style 1).
    pub fn button_style(&self) -> Option<ButtonStyle> {
        self.style
    }

    /// The callback key.
    pub fn key(&self) -> Option<&str> {
        self.key.as_deref()
    }

    /// The URL opened (type 1).
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    fn validate(&self, path: &Path<'_>) -> Check {
        non_empty(&path.field("text"), &self.text)?;
        match self.kind {
            Some(ButtonType::Url) => match &self.url {
                Some(url) => non_empty(&path.field("url"), url),
                None => Err(path.field("url").error("is required when type is 1 (open a URL)")),
            },
            Some(ButtonType::Callback) | None => match &self.key {
                Some(key) => required(&path.field("key"), key, KEY_MAX_BYTES),
                None => {
                    Err(path.field("key").error("is required when type is 0 or absent (call back)"))
                }
            },
        }
    }
}

/// Checks a `button_list`: 1 to 6 buttons, callback keys distinct.
pub(crate) fn validate_button_list(path: &Path<'_>, buttons: &[Button]) -> Check {
    count(path, buttons.len(), 1, crate::limits::CARD_BUTTONS)?;
    for (i, button) in buttons.iter().enumerate() {
        button.validate(&path.index(i))?;
    }
    let keys = buttons.iter().enumerate().filter_map(|(i, b)| {
        (b.kind != Some(ButtonType::Url)).then_some(b.key.as_deref().map(|k| (i, k))).flatten()
    });
    unique(path, "key", keys)
}

/// `button_selection`: a drop-down above a button card's buttons; the choice is sent back
/// with the button press.
///
/// ```
/// use wecom_model::card::{ButtonSelection, SelectOption};
///
/// let window = ButtonSelection::new(
///     "window",
///     [SelectOption::new("now", "Now"), SelectOption::new("night", "Tonight")],
/// )
/// .title("Window")
/// .selected_id("now");
/// assert_eq!(window.selected_id.as_deref(), Some("now"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ButtonSelection {
    /// The question's key, sent back with the answer: required, at most 1,024 bytes.
    #[serde(default)]
    pub question_key: String,
    /// The drop-down's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The options, 1 to 10, with distinct ids.
    #[serde(default)]
    pub option_list: Vec<SelectOption>,
    /// The option chosen initially (WeCom picks the first when absent or unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_id: Option<String>,
    /// `update_template_card` only: make the drop-down read-only.
    ///
    /// WeCom documents this field for the passive-reply form of a card update; that the JSON
    /// `update_template_card` API takes it too is UNVERIFIED. It is allowed in updates (the
    /// safe reading: a field WeCom ignores does no harm) and refused when sending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable: Option<bool>,
}

impl ButtonSelection {
    /// A drop-down answering `question_key` with these options (1 to 10).
    pub fn new(
        question_key: impl Into<String>,
        options: impl IntoIterator<Item = SelectOption>,
    ) -> Self {
        Self {
            question_key: question_key.into(),
            title: None,
            option_list: options.into_iter().collect(),
            selected_id: None,
            disable: None,
        }
    }

    setters! {
        /// Sets the drop-down's title.
        title(title: impl Into<String>) => Some(title.into());
        /// Sets the option chosen initially.
        selected_id(id: impl Into<String>) => Some(id.into());
        /// `update_template_card` only: makes the drop-down read-only (UNVERIFIED in the JSON
        /// API; see the `disable` field).
        disable(disable: bool) => Some(disable);
    }

    pub(crate) fn validate(&self, path: &Path<'_>, ctx: CardContext) -> Check {
        required(&path.field("question_key"), &self.question_key, KEY_MAX_BYTES)?;
        validate_options(
            &path.field("option_list"),
            &self.option_list,
            crate::limits::CARD_SELECT_OPTIONS,
        )?;
        check_disable(path, self.disable, ctx)
    }
}
