//! `action_menu`: the "more" menu at a card's top right.

use serde::{Deserialize, Serialize};

use super::setters::setters;
use crate::validate::{Check, Path, count, non_empty, required, unique};

/// The longest callback key WeCom accepts.
pub(crate) const KEY_MAX_BYTES: usize = crate::limits::CARD_KEY_BYTES;

/// `action_menu`: one to three entries in the card's top-right menu. Choosing one sends a
/// `template_card_menu_event` callback with the entry's key, so a card with a menu needs a
/// `task_id`.
///
/// ```
/// use wecom_model::card::{ActionMenu, MenuAction};
///
/// let menu = ActionMenu::new([MenuAction::new("Mute", "mute"), MenuAction::new("Unsubscribe", "unsub")])
///     .desc("Notifications");
/// assert_eq!(menu.action_list.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ActionMenu {
    /// The menu's caption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desc: Option<String>,
    /// The entries, 1 to 3, with distinct keys.
    #[serde(default)]
    pub action_list: Vec<MenuAction>,
}

impl ActionMenu {
    /// A menu with these entries (1 to 3).
    pub fn new(actions: impl IntoIterator<Item = MenuAction>) -> Self {
        Self { desc: None, action_list: actions.into_iter().collect() }
    }

    setters! {
        /// Sets the menu's caption.
        desc(desc: impl Into<String>) => Some(desc.into());
    }

    pub(crate) fn validate(&self, path: &Path<'_>) -> Check {
        let list = path.field("action_list");
        count(&list, self.action_list.len(), 1, crate::limits::CARD_MENU_ACTIONS)?;
        for (i, action) in self.action_list.iter().enumerate() {
            let item = list.index(i);
            non_empty(&item.field("text"), &action.text)?;
            required(&item.field("key"), &action.key, KEY_MAX_BYTES)?;
        }
        unique(&list, "key", self.action_list.iter().map(|a| a.key.as_str()).enumerate())
    }
}

/// One entry of an [`ActionMenu`].
///
/// ```
/// use wecom_model::card::MenuAction;
///
/// let mute = MenuAction::new("Mute", "mute");
/// assert_eq!(mute.key, "mute");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MenuAction {
    /// The entry's text: required.
    #[serde(default)]
    pub text: String,
    /// The key sent back as `EventKey`: required, at most 1,024 bytes, unique in the menu.
    #[serde(default)]
    pub key: String,
}

impl MenuAction {
    /// An entry showing `text` that calls back with `key`.
    pub fn new(text: impl Into<String>, key: impl Into<String>) -> Self {
        Self { text: text.into(), key: key.into() }
    }
}
