//! Group chats of the emulated corp and their webhook bots (消息推送): who is in each group,
//! and which keys post into it.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::{Config, ConfigError, Secret};

/// One group chat.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupConfig {
    /// The chat id (unique).
    pub chatid: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Members (UserIDs of the corp).
    #[serde(default)]
    pub members: Vec<String>,
    /// Webhook bots that post into the group.
    #[serde(default)]
    pub bots: Vec<BotConfig>,
}

/// One webhook bot of a group.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BotConfig {
    /// The webhook key (the `key=` of its URL): unique in the corp.
    pub key: Secret,
    /// Display name, shown as the sender.
    #[serde(default)]
    pub name: String,
    /// A disabled bot answers 93004.
    #[serde(default = "super::yes")]
    pub enabled: bool,
}

fn invalid(msg: String) -> ConfigError {
    ConfigError::Invalid(msg)
}

/// Unique chat ids and keys, members that exist (`users` holds lower-cased ids).
pub(super) fn check(config: &Config, users: &HashSet<String>) -> Result<(), ConfigError> {
    let mut chats = HashSet::new();
    let mut keys = HashSet::new();
    for g in &config.groups {
        if g.chatid.is_empty() || !chats.insert(g.chatid.as_str()) {
            return Err(invalid(format!("groups: chatid {:?} is empty or repeats", g.chatid)));
        }
        if let Some(m) = g.members.iter().find(|m| !users.contains(&m.to_ascii_lowercase())) {
            return Err(invalid(format!("groups[{}].members: {m} is not a user", g.chatid)));
        }
        for (i, bot) in g.bots.iter().enumerate() {
            let key = bot.key.expose();
            if key.is_empty() || key.chars().any(|c| c.is_whitespace() || "&#?/=".contains(c)) {
                return Err(invalid(format!(
                    "groups[{}].bots[{i}].key must be non-empty without spaces or &#?/=",
                    g.chatid
                )));
            }
            if !keys.insert(key) {
                return Err(invalid(format!("groups[{}].bots[{i}].key repeats", g.chatid)));
            }
        }
    }
    Ok(())
}
