//! [`LinkedMessageRequest`]: the body of `POST /cgi-bin/linkedcorp/message/send`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{LinkedParty, LinkedRecipients, LinkedUser};
use crate::InvalidArgument;
use crate::message::request::check_safe;
use crate::message::{Message, Safe};
use crate::validate::{Path, not_allowed};

/// The kinds `linkedcorp/message/send` takes (no template cards).
pub const LINKED_MSGTYPES: [&str; 10] = [
    "text",
    "image",
    "voice",
    "video",
    "file",
    "textcard",
    "news",
    "mpnews",
    "markdown",
    "miniprogram_notice",
];

/// The body of `linkedcorp/message/send`: app `agent_id` sends `message` to members of the
/// corp and of its linked corps.
///
/// ```
/// use wecom_model::linkedcorp::{LinkedMessageRequest, LinkedRecipients, LinkedUser};
/// use wecom_model::message::Text;
///
/// let req = LinkedMessageRequest::new(
///     1000002,
///     LinkedRecipients::users([LinkedUser::linked("wwpartner01", "zhangsan")]).and_tags([3]),
///     Text::new("hi"),
/// );
/// assert_eq!(
///     serde_json::to_value(&req).unwrap(),
///     serde_json::json!({
///         "touser": ["wwpartner01/zhangsan"], "totag": ["3"], "toall": 0,
///         "msgtype": "text", "agentid": 1000002, "text": { "content": "hi" }
///     })
/// );
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct LinkedMessageRequest {
    /// The sending app.
    pub agent_id: i64,
    /// Who receives it.
    pub recipients: LinkedRecipients,
    /// What they receive.
    pub message: Message,
    /// `safe`.
    pub safe: Option<Safe>,
}

impl LinkedMessageRequest {
    /// App `agent_id` sends `message` to `recipients`.
    pub fn new(agent_id: i64, recipients: LinkedRecipients, message: impl Into<Message>) -> Self {
        Self { agent_id, recipients, message: message.into(), safe: None }
    }

    /// Sets `safe`.
    #[must_use]
    pub fn safe(mut self, safe: impl Into<Safe>) -> Self {
        self.safe = Some(safe.into());
        self
    }

    /// Checks recipients, kind, content and `safe` before anything is sent.
    ///
    /// ```
    /// use wecom_model::linkedcorp::{LinkedMessageRequest, LinkedRecipients, LinkedUser};
    /// use wecom_model::message::Text;
    ///
    /// let to = LinkedRecipients::users([LinkedUser::linked("", "zhangsan")]);
    /// let err = LinkedMessageRequest::new(1000002, to, Text::new("hi")).validate().unwrap_err();
    /// assert_eq!(err.field, "touser[0]");
    /// ```
    pub fn validate(&self) -> Result<(), InvalidArgument> {
        if matches!(self.message, Message::TemplateCard(_)) {
            return Err(not_allowed(
                &Path::root("msgtype"),
                "to be template_card in a linked-corp message",
            ));
        }
        self.recipients.validate()?;
        self.message.validate()?;
        if let Some(safe) = self.safe {
            check_safe(&self.message, safe)?;
        }
        Ok(())
    }
}

#[derive(Serialize)]
struct WireOut<'a> {
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    touser: &'a [LinkedUser],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    toparty: &'a [LinkedParty],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    totag: Vec<String>,
    toall: u8,
    #[serde(flatten)]
    message: &'a Message,
    agentid: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    safe: Option<Safe>,
}

impl Serialize for LinkedMessageRequest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (touser, toparty, tags, toall): (&[LinkedUser], &[LinkedParty], &[u64], u8) =
            match &self.recipients {
                LinkedRecipients::All => (&[], &[], &[], 1),
                LinkedRecipients::Listed { users, parties, tags } => (users, parties, tags, 0),
            };
        WireOut {
            touser,
            toparty,
            // WeCom's example writes tag ids as strings in this endpoint's arrays.
            totag: tags.iter().map(u64::to_string).collect(),
            toall,
            message: &self.message,
            agentid: self.agent_id,
            safe: self.safe,
        }
        .serialize(serializer)
    }
}

#[derive(Deserialize)]
struct WireIn {
    #[serde(default)]
    touser: Vec<LinkedUser>,
    #[serde(default)]
    toparty: Vec<LinkedParty>,
    #[serde(default)]
    totag: Vec<serde_json::Value>,
    #[serde(default)]
    toall: u8,
    #[serde(flatten)]
    message: Message,
    agentid: i64,
    #[serde(default)]
    safe: Option<Safe>,
}

impl<'de> Deserialize<'de> for LinkedMessageRequest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let w = WireIn::deserialize(deserializer)?;
        let recipients = if w.toall == 1 {
            LinkedRecipients::All
        } else {
            let tags = w
                .totag
                .iter()
                .map(|t| match t {
                    serde_json::Value::Number(n) => n.as_u64(),
                    serde_json::Value::String(s) => s.parse().ok(),
                    _ => None,
                })
                .collect::<Option<Vec<u64>>>()
                .ok_or_else(|| {
                    serde::de::Error::custom("totag holds a value that is not a tag id")
                })?;
            LinkedRecipients::Listed { users: w.touser, parties: w.toparty, tags }
        };
        Ok(Self { agent_id: w.agentid, recipients, message: w.message, safe: w.safe })
    }
}
