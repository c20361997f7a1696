//! The records the emulator keeps of every accepted message: what was sent (the body as
//! received), to whom, and what happened to each copy (delivered, dropped by the per-member
//! limit, recalled) and to each member's copy of a template card (button replaced, disabled,
//! whole card replaced). These records are what `GET /emulator/messages` returns.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// Who sent a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// An app sent it to members (through the API or as a passive reply).
    AppToUser,
    /// A member sent it to an app (admin API), which produced a callback.
    UserToApp,
}

/// How a message came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// `POST /cgi-bin/message/send`.
    Api,
    /// The app's passive reply to a callback.
    PassiveReply,
    /// A member's message, made through the admin API.
    User,
}

/// What happened to one member's copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Delivered to the member.
    Delivered,
    /// Silently dropped by WeCom's per-member limit (30/min, 1,000/h per app).
    Dropped,
    /// Delivered, then withdrawn through `message/recall`.
    Recalled,
}

/// The state of one member's copy of a template card.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CardState {
    /// The text the card's buttons were replaced with (`update_button`, `button.replace_name`,
    /// or `replace_text` of a replacement card).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub button_text: Option<String>,
    /// The card no longer accepts input.
    pub disabled: bool,
    /// The replacement card, as JSON (from `update_template_card` or a passive reply).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced_card: Option<serde_json::Value>,
    /// How many times this copy was updated.
    pub updates: u32,
    /// Virtual time of the last update, Unix milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at_ms: Option<i64>,
    /// The member's last action on this copy (a button click, a submitted vote or selection,
    /// an action-menu pick): what the inbox shows as chosen until the app answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_action: Option<MemberAction>,
}

/// A member's action on their copy of a template card, as its callback reported it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberAction {
    /// `template_card_event` (a click or a submit) or `template_card_menu_event`.
    pub event: String,
    /// The `EventKey`: the button's key, the submit button's key or the menu item's key.
    pub key: String,
    /// The `SelectedItems`: each question key with the option ids chosen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub selected: Vec<(String, Vec<String>)>,
    /// Virtual time of the action, Unix milliseconds.
    pub at_ms: i64,
}

/// One member's copy of a message.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Recipient {
    /// Lower-cased UserID.
    pub userid: String,
    /// Delivery status.
    pub status: Status,
    /// Template cards only: this copy's card state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card: Option<Box<CardState>>,
}

/// One accepted message.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Message {
    /// The `msgid` returned by `message/send` (or generated for other origins).
    pub msgid: String,
    /// The app.
    pub agentid: i64,
    /// `msgtype` of the body.
    pub msgtype: String,
    /// Who sent it.
    pub direction: Direction,
    /// How it came to be.
    pub origin: Origin,
    /// For [`Direction::UserToApp`]: the member who sent it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_user: Option<String>,
    /// The JSON of the request body as received, without the whitespace around it (for
    /// passive replies and user messages: the equivalent JSON). [`Message::raw_body`] gives
    /// the bytes exactly as received.
    pub body: Box<RawValue>,
    /// Whitespace the client sent before and after the JSON (Go's encoder ends every body
    /// with a newline); `None` when there was none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_whitespace: Option<Box<(String, String)>>,
    /// Virtual time of acceptance, Unix milliseconds.
    pub sent_at_ms: i64,
    /// Resolved members and each copy's status.
    pub recipients: Vec<Recipient>,
    /// `invaliduser` as answered (lower-cased).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub invaliduser: Vec<String>,
    /// `invalidparty` as answered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub invalidparty: Vec<String>,
    /// `invalidtag` as answered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub invalidtag: Vec<String>,
    /// `unlicenseduser` as answered (not delivered).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unlicenseduser: Vec<String>,
    /// Template cards: `card_type`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card_type: Option<String>,
    /// Template cards: `task_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    /// The `response_code` returned by `message/send`, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_code: Option<String>,
    /// Virtual time of the recall, Unix milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recalled_at_ms: Option<i64>,
    /// How many identical requests were suppressed by the duplicate check.
    #[serde(default)]
    pub duplicates_suppressed: u32,
}

impl Message {
    /// The copy of `userid` (lower-cased), if the message was addressed to them.
    pub fn recipient(&self, userid: &str) -> Option<&Recipient> {
        self.recipients.iter().find(|r| r.userid == userid)
    }

    /// The request body byte for byte as received.
    pub fn raw_body(&self) -> String {
        match &self.body_whitespace {
            Some(ws) => format!("{}{}{}", ws.0, self.body.get(), ws.1),
            None => self.body.get().to_owned(),
        }
    }

    /// The body parsed as JSON.
    pub fn body_json(&self) -> serde_json::Value {
        serde_json::from_str(self.body.get()).unwrap_or(serde_json::Value::Null)
    }

    /// Whether `userid` takes part: a recipient, or the member who sent it.
    pub fn involves(&self, userid: &str) -> bool {
        self.from_user.as_deref() == Some(userid) || self.recipient(userid).is_some()
    }
}
