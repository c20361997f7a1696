//! Events (`msgtype: event`): `enter_chat`, `template_card_event`, `feedback_event`,
//! `disconnected_event` (WebSocket only), and any other `eventtype` kept raw.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::common::Header;
use crate::response_url::ResponseUrl;

/// An event callback.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Event {
    /// Ids, chat and member.
    pub header: Header,
    /// Only on `template_card_event`: the one-shot URL for an active reply.
    pub response_url: Option<ResponseUrl>,
    /// What happened.
    pub kind: EventKind,
}

/// The `event.eventtype` and its data.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum EventKind {
    /// `enter_chat`: the member opened the bot's single chat (first time that day). Answer
    /// with a welcome text or card.
    EnterChat,
    /// `template_card_event`: a button, vote or multiple-choice submit, or a menu item.
    /// Answer with a card update within 5 s (sent once, never retried).
    TemplateCard(CardEvent),
    /// `feedback_event`: a like/dislike on a reply that carried a feedback id. Only an
    /// empty answer is allowed.
    Feedback(FeedbackEvent),
    /// `disconnected_event` (WebSocket only): a newer connection took over this bot.
    Disconnected,
    /// Another `eventtype`, with the whole `event` object.
    Unknown {
        /// The `eventtype`.
        eventtype: String,
        /// The `event` object.
        raw: Value,
    },
}

impl EventKind {
    /// The wire `eventtype`.
    pub fn eventtype(&self) -> &str {
        match self {
            EventKind::EnterChat => "enter_chat",
            EventKind::TemplateCard(_) => "template_card_event",
            EventKind::Feedback(_) => "feedback_event",
            EventKind::Disconnected => "disconnected_event",
            EventKind::Unknown { eventtype, .. } => eventtype,
        }
    }
}

/// `template_card_event` data.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CardEvent {
    /// `card_type` of the card clicked.
    #[serde(default)]
    pub card_type: String,
    /// The key of the button, submit button or menu action.
    #[serde(default)]
    pub event_key: String,
    /// The card's `task_id` (an update must carry the same one).
    #[serde(default)]
    pub task_id: String,
    /// What the member selected, one entry per selector.
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "selected_items")]
    pub selected_items: Vec<SelectedItem>,
}

/// One selector's choice in a [`CardEvent`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SelectedItem {
    /// The selector's `question_key`.
    pub question_key: String,
    /// The chosen option ids (several for a multi-select vote).
    #[serde(with = "option_ids")]
    pub option_ids: Vec<String>,
}

/// `{"selected_item": [...]}` on the wire.
mod selected_items {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::SelectedItem;

    #[derive(Serialize, Deserialize)]
    struct Wrap<T> {
        #[serde(default)]
        selected_item: T,
    }

    pub(super) fn serialize<S: Serializer>(v: &[SelectedItem], s: S) -> Result<S::Ok, S::Error> {
        Wrap { selected_item: v }.serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<SelectedItem>, D::Error> {
        Ok(Wrap::<Vec<SelectedItem>>::deserialize(d)?.selected_item)
    }
}

/// `{"option_id": [...]}` on the wire.
mod option_ids {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct Wrap<T> {
        #[serde(default)]
        option_id: T,
    }

    pub(super) fn serialize<S: Serializer>(v: &[String], s: S) -> Result<S::Ok, S::Error> {
        Wrap { option_id: v }.serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        Ok(Wrap::<Vec<String>>::deserialize(d)?.option_id)
    }
}

/// `feedback_event` data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FeedbackEvent {
    /// The feedback id you put on the reply.
    pub id: String,
    /// Like, dislike or cancelled.
    #[serde(rename = "type")]
    pub kind: FeedbackType,
    /// The member's comment (dislikes only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Why the answer was wrong (dislikes only): 1 irrelevant, 2 incomplete, 3 wrong,
    /// 4 data-analysis error; other values kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inaccurate_reason_list: Vec<u32>,
}

/// `feedback_event.type`; unknown values are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FeedbackType {
    /// `1`: accurate (like).
    Accurate,
    /// `2`: inaccurate (dislike).
    Inaccurate,
    /// `3`: the member took back their rating.
    Cancelled,
    /// Any other value.
    Other(u32),
}

impl FeedbackType {
    /// The wire integer.
    pub fn as_int(self) -> u32 {
        match self {
            FeedbackType::Accurate => 1,
            FeedbackType::Inaccurate => 2,
            FeedbackType::Cancelled => 3,
            FeedbackType::Other(n) => n,
        }
    }
}

impl Serialize for FeedbackType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.as_int())
    }
}

impl<'de> Deserialize<'de> for FeedbackType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match u32::deserialize(d)? {
            1 => FeedbackType::Accurate,
            2 => FeedbackType::Inaccurate,
            3 => FeedbackType::Cancelled,
            n => FeedbackType::Other(n),
        })
    }
}

impl Event {
    pub(crate) fn from_object(
        header: Header,
        response_url: Option<ResponseUrl>,
        obj: &Map<String, Value>,
    ) -> Self {
        let event = obj.get("event").cloned().unwrap_or(Value::Null);
        let eventtype = event.get("eventtype").and_then(Value::as_str).unwrap_or_default();
        let unknown = || EventKind::Unknown { eventtype: eventtype.to_owned(), raw: event.clone() };
        let kind = match eventtype {
            "enter_chat" => EventKind::EnterChat,
            "disconnected_event" => EventKind::Disconnected,
            // The doc nests the data under `event.template_card_event`; the Node SDK's types
            // put `event_key`/`task_id` straight under `event`. UNVERIFIED which the
            // WebSocket mode sends: the nested form is read first, the flat one as fallback.
            "template_card_event" => event
                .get("template_card_event")
                .or(Some(&event))
                .and_then(|v| CardEvent::deserialize(v).ok())
                .map_or_else(unknown, EventKind::TemplateCard),
            "feedback_event" => event
                .get("feedback_event")
                .and_then(|v| FeedbackEvent::deserialize(v).ok())
                .map_or_else(unknown, EventKind::Feedback),
            _ => unknown(),
        };
        Event { header, response_url, kind }
    }
}
