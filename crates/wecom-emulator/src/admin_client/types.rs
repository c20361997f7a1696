//! What the admin API answers about a member, typed: their inbox, their groups, an AI bot's
//! answer.

use serde::Deserialize;
use serde_json::Value;

use crate::state::{CardState, Direction, Origin};

/// A member's copy of a message, as their inbox shows it (newest first).
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct InboxMessage {
    /// The message id (`msgid` of `message/send`, or the emulator's own).
    pub msgid: String,
    /// The app.
    pub agentid: i64,
    /// `text`, `template_card`, ….
    pub msgtype: String,
    /// App to member, or the member's own message to the app.
    pub direction: Direction,
    /// `message/send`, a passive reply, or the member.
    pub origin: Origin,
    /// Virtual time it was sent, Unix milliseconds.
    pub sent_at_ms: i64,
    /// This member's copy.
    pub status: InboxStatus,
    /// `button_interaction`, `vote_interaction`, … for template cards.
    #[serde(default)]
    pub card_type: Option<String>,
    /// The card's `task_id`.
    #[serde(default)]
    pub task_id: Option<String>,
    /// This member's copy of a card: button text, disabled, replacement.
    #[serde(default)]
    pub card: Option<CardState>,
    /// The body as the app sent it (`body["text"]["content"]`, …).
    pub body: Value,
}

impl InboxMessage {
    /// The text of a `text` or `markdown` message (`content`), if it is one — also of the
    /// member's own texts, whose body is the admin API request (`{"content": …}`).
    pub fn text(&self) -> Option<&str> {
        let inner = self.body.get(&self.msgtype).unwrap_or(&self.body);
        inner.get("content")?.as_str()
    }
}

/// What happened to a member's copy of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum InboxStatus {
    /// Delivered to the member.
    Delivered,
    /// Dropped by the per-member limit (30 a minute, 1,000 an hour).
    Dropped,
    /// Recalled by the app.
    Recalled,
    /// The member's own message to the app.
    Sent,
    /// A status this version does not know.
    #[serde(other)]
    Other,
}

/// A group chat the member is in.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct GroupInfo {
    /// The group's chat id.
    pub chatid: String,
    /// The group's name.
    pub name: String,
    /// Its members' UserIDs.
    pub members: Vec<String>,
}

/// One exchange with an AI bot: the member's message and the bot's answer, once the
/// answer is finished (or failed).
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct AibotTurn {
    /// The turn's id.
    pub id: u64,
    /// `finished`, `answered`, `no_answer`, `expired`, `failed`, ….
    pub status: String,
    /// The bot's last passive answer (decrypted JSON), if any.
    #[serde(default)]
    pub reply: Option<Value>,
    /// The streamed answer, for stream answers.
    #[serde(default)]
    pub stream: Option<StreamAnswer>,
    /// A card shown with the answer.
    #[serde(default)]
    pub card: Option<Value>,
    /// Protocol mistakes of the bot, in words.
    #[serde(default)]
    pub errors: Vec<String>,
}

impl AibotTurn {
    /// The answer's text: the streamed content, else a text answer's content.
    pub fn text(&self) -> Option<&str> {
        if let Some(stream) = &self.stream {
            return Some(&stream.content);
        }
        self.reply.as_ref()?.get("text")?.get("content")?.as_str()
    }
}

/// A streamed answer as the member sees it.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct StreamAnswer {
    /// The stream's id.
    pub id: String,
    /// The content so far (all of it once finished).
    pub content: String,
    /// Whether the bot finished the stream.
    pub finish: bool,
}
