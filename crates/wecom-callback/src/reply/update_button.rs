//! The one reply kind that is not a message: a button-text update.

/// A button-text update (`update_button`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UpdateButton {
    /// `ReplaceName`: the button's new text.
    pub replace_name: String,
}

impl UpdateButton {
    /// A button-text update.
    pub fn new(replace_name: impl Into<String>) -> Self {
        UpdateButton { replace_name: replace_name.into() }
    }
}
