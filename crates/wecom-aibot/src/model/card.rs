//! Template cards in AI-bot replies: the shared card model ([`wecom_model::card`]) plus what
//! only AI bots have.
//!
//! The five card types and their parts are the same as for apps, so [`AibotCard`] wraps a
//! [`TemplateCard`]. Two AI-bot additions do not exist in the shared model and are modelled
//! here:
//!
//! * `feedback.id` on the card (like/dislike → `feedback_event`);
//! * `jump_list[].type = 3`, "ask the bot": tapping sends `question` (≤ 200 bytes) as a
//!   message from the member ([`AskBotJump`]). The shared `JumpItem` only knows types 0–2, so
//!   these items are kept apart and appended to the card's `jump_list` on the wire
//!   (3 entries at most in all).
//!
//! Other AI-bot differences are rules on values the shared model can already hold
//! (`button_list` entries are callback buttons, `horizontal_content_list` has no type 2,
//! `task_id` is unique per bot); they are not enforced here.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use wecom_model::TemplateCard;

use super::common::Feedback;

/// A `jump_list` entry of type 3: tapping it asks the bot `question`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AskBotJump {
    /// The entry's text.
    pub title: String,
    /// What the member "asks" on tap (required, ≤ 200 bytes).
    pub question: String,
}

impl AskBotJump {
    /// Most bytes of `question`.
    pub const QUESTION_MAX_BYTES: usize = 200;

    /// An entry titled `title` that sends `question` to the bot.
    pub fn new(title: impl Into<String>, question: impl Into<String>) -> Self {
        AskBotJump { title: title.into(), question: question.into() }
    }
}

/// A template card as an AI bot sends it: a shared [`TemplateCard`], an optional feedback id,
/// and "ask the bot" jump entries.
///
/// ```
/// use wecom_aibot::model::{AibotCard, AskBotJump};
/// use wecom_model::card::{CardAction, TextNotice};
///
/// let card = AibotCard::new(TextNotice::new("欢迎", CardAction::url("https://wiki.example.com")))
///     .ask(AskBotJump::new("今天谁值班？", "今天谁值班？"))
///     .feedback("fb-1");
/// let json = serde_json::to_value(&card)?;
/// assert_eq!(json["jump_list"][0]["type"], 3);
/// assert_eq!(json["feedback"]["id"], "fb-1");
/// assert_eq!(serde_json::from_value::<AibotCard>(json)?, card);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AibotCard {
    /// The card.
    pub card: TemplateCard,
    /// `feedback.id` of the card.
    pub feedback: Option<Feedback>,
    /// Type-3 `jump_list` entries.
    pub ask_bot: Vec<AskBotJump>,
}

impl AibotCard {
    /// Wraps a shared card.
    pub fn new(card: impl Into<TemplateCard>) -> Self {
        AibotCard { card: card.into(), feedback: None, ask_bot: Vec::new() }
    }

    /// Sets the feedback id.
    #[must_use]
    pub fn feedback(mut self, id: impl Into<String>) -> Self {
        self.feedback = Some(Feedback::new(id));
        self
    }

    /// Adds an "ask the bot" jump entry.
    #[must_use]
    pub fn ask(mut self, jump: AskBotJump) -> Self {
        self.ask_bot.push(jump);
        self
    }
}

impl From<TemplateCard> for AibotCard {
    fn from(card: TemplateCard) -> Self {
        AibotCard::new(card)
    }
}

macro_rules! from_cards {
    ($($kind:ident),+) => {
        $(
            impl From<wecom_model::card::$kind> for AibotCard {
                fn from(card: wecom_model::card::$kind) -> Self {
                    AibotCard::new(card)
                }
            }
        )+
    };
}

from_cards!(TextNotice, NewsNotice, ButtonInteraction, VoteInteraction, MultipleInteraction);

impl Serialize for AibotCard {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error as _;
        let mut value = serde_json::to_value(&self.card).map_err(S::Error::custom)?;
        if let Value::Object(obj) = &mut value {
            if !self.ask_bot.is_empty() {
                let list = obj.entry("jump_list").or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(list) = list {
                    for jump in &self.ask_bot {
                        list.push(serde_json::json!({
                            "type": 3, "title": jump.title, "question": jump.question
                        }));
                    }
                }
            }
            if let Some(feedback) = &self.feedback {
                obj.insert("feedback".into(), serde_json::json!({ "id": feedback.id }));
            }
        }
        value.serialize(s)
    }
}

impl<'de> Deserialize<'de> for AibotCard {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let mut value = Value::deserialize(d)?;
        let mut ask_bot = Vec::new();
        let mut feedback = None;
        if let Value::Object(obj) = &mut value {
            if let Some(f) = obj.remove("feedback") {
                feedback = Some(Feedback::deserialize(f).map_err(D::Error::custom)?);
            }
            if let Some(Value::Array(list)) = obj.get_mut("jump_list") {
                let mut rest = Vec::new();
                for item in list.drain(..) {
                    if item.get("type").and_then(Value::as_u64) == Some(3) {
                        ask_bot.push(AskBotJump::deserialize(item).map_err(D::Error::custom)?);
                    } else {
                        rest.push(item);
                    }
                }
                if rest.is_empty() {
                    obj.remove("jump_list");
                } else {
                    *list = rest;
                }
            }
        }
        let card = TemplateCard::deserialize(value).map_err(D::Error::custom)?;
        Ok(AibotCard { card, feedback, ask_bot })
    }
}
