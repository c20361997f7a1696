//! A broadcast of state changes (new message, card updated, recall, callback, reset), for
//! live views such as a web inbox: subscribe with [`EmulatorState::subscribe`].
//!
//! [`EmulatorState::subscribe`]: crate::EmulatorState::subscribe

use serde::Serialize;

/// One change of the emulator's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Event {
    /// A message was accepted (sent by an app, a passive reply, or a member's message).
    MessageAccepted {
        /// Its msgid.
        msgid: String,
        /// The app.
        agentid: i64,
    },
    /// Members' copies of a template card changed.
    CardUpdated {
        /// The card message.
        msgid: String,
        /// The members whose copy changed.
        userids: Vec<String>,
    },
    /// A message was recalled.
    Recalled {
        /// Its msgid.
        msgid: String,
    },
    /// A callback delivery finished (delivered or failed).
    Callback {
        /// Its id in `GET /emulator/callbacks`.
        id: u64,
    },
    /// A webhook bot posted into a group, or an app into its chat.
    GroupMessage {
        /// Its id in `GET /emulator/groups/{chatid}/messages`.
        id: String,
        /// The group.
        chatid: String,
    },
    /// An app group chat was created or changed (`appchat/create`, `appchat/update`).
    GroupChanged {
        /// The chat.
        chatid: String,
    },
    /// The state was reset.
    Reset,
}
