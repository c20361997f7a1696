//! Application messages for `message/send`: the content ([`Message`]), who receives it
//! ([`Recipients`]), the send options ([`SendOptions`]) and the full request body
//! ([`MessageRequest`]).

use serde::{Deserialize, Serialize};

use crate::error::InvalidArgument;

/// The content of an application message, tagged on the wire by `msgtype`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "msgtype", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Message {
    /// A text message.
    Text {
        /// The text body.
        text: Text,
    },
}

impl Message {
    /// Checks every documented hard limit of this message.
    pub fn validate(&self) -> Result<(), InvalidArgument> {
        match self {
            Message::Text { text } => text.validate(),
        }
    }
}

/// A plain text message (`msgtype: text`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    /// The text, at most 2,048 bytes of UTF-8.
    pub content: String,
}

impl Text {
    /// A text message with `content`.
    pub fn new(content: impl Into<String>) -> Self {
        Self { content: content.into() }
    }

    fn validate(&self) -> Result<(), InvalidArgument> {
        if self.content.is_empty() {
            return Err(InvalidArgument::new("text.content", "must not be empty"));
        }
        if self.content.len() > 2048 {
            return Err(InvalidArgument::new(
                "text.content",
                format!("must be at most 2048 bytes (got {})", self.content.len()),
            ));
        }
        Ok(())
    }
}

impl From<Text> for Message {
    fn from(text: Text) -> Self {
        Message::Text { text }
    }
}

/// Who receives a message. Always explicit: there is no default, and `@all` must be asked for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Recipients {
    users: Vec<String>,
    parties: Vec<u64>,
    tags: Vec<u64>,
    all: bool,
}

impl Recipients {
    /// These members (UserIDs), at most 1,000.
    pub fn users<I, S>(users: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self { users: users.into_iter().map(Into::into).collect(), ..Self::default() }
    }

    /// Every member in the app's visible range (`touser: "@all"`).
    pub fn all() -> Self {
        Self { all: true, ..Self::default() }
    }

    /// The member ids, or `["@all"]` when sending to everyone.
    pub fn user_ids(&self) -> &[String] {
        &self.users
    }

    /// Whether this is `@all`.
    pub fn is_all(&self) -> bool {
        self.all
    }

    fn validate(&self) -> Result<(), InvalidArgument> {
        if !self.all && self.users.is_empty() && self.parties.is_empty() && self.tags.is_empty() {
            return Err(InvalidArgument::new(
                "touser",
                "no recipients: name users, departments, tags or all",
            ));
        }
        if self.users.len() > 1000 {
            return Err(InvalidArgument::new(
                "touser",
                format!("at most 1000 users per request (got {})", self.users.len()),
            ));
        }
        Ok(())
    }
}

/// `safe`: how a message may be shared onwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Safe {
    /// 0: may be shared (the default).
    Shareable,
    /// 1: may not be shared, shown with a watermark.
    Confidential,
    /// 2: may be shared inside the corp only (`mpnews` only).
    CorpOnly,
}

impl From<bool> for Safe {
    fn from(confidential: bool) -> Self {
        if confidential { Safe::Confidential } else { Safe::Shareable }
    }
}

/// Options of `message/send` that do not depend on the content.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SendOptions {
    /// `safe`.
    pub safe: Option<Safe>,
    /// `enable_id_trans`.
    pub enable_id_trans: bool,
    /// `enable_duplicate_check` with `duplicate_check_interval`.
    pub duplicate_check: Option<std::time::Duration>,
}

/// The full body of `POST /cgi-bin/message/send`.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageRequest {
    /// The app's agent id.
    pub agent_id: i64,
    /// Who receives it.
    pub recipients: Recipients,
    /// What they receive.
    pub message: Message,
    /// How it is sent.
    pub options: SendOptions,
}

impl MessageRequest {
    /// A request from an app to `recipients`.
    pub fn new(agent_id: i64, recipients: Recipients, message: impl Into<Message>) -> Self {
        Self { agent_id, recipients, message: message.into(), options: SendOptions::default() }
    }

    /// Sets `safe` (`true` means [`Safe::Confidential`]).
    #[must_use]
    pub fn safe(mut self, safe: impl Into<Safe>) -> Self {
        self.options.safe = Some(safe.into());
        self
    }

    /// Sets `enable_id_trans`.
    #[must_use]
    pub fn enable_id_trans(mut self, on: bool) -> Self {
        self.options.enable_id_trans = on;
        self
    }

    /// Turns on WeCom's duplicate check: the same body sent again within `interval` is not
    /// delivered twice. The interval is at most 4 hours.
    #[must_use]
    pub fn duplicate_check(mut self, interval: std::time::Duration) -> Self {
        self.options.duplicate_check = Some(interval);
        self
    }

    /// Whether WeCom's own duplicate check protects this request, so it is safe to send again
    /// after a transport timeout.
    pub fn has_duplicate_check(&self) -> bool {
        self.options.duplicate_check.is_some()
    }

    /// Checks every documented hard limit before anything is sent.
    pub fn validate(&self) -> Result<(), InvalidArgument> {
        self.recipients.validate()?;
        self.message.validate()
    }

    /// The JSON body, exactly as WeCom expects it.
    fn to_json(&self) -> serde_json::Value {
        let mut body = serde_json::to_value(&self.message).expect("message serializes");
        let obj = body.as_object_mut().expect("message is an object");
        if self.recipients.all {
            obj.insert("touser".into(), "@all".into());
        } else if !self.recipients.users.is_empty() {
            obj.insert("touser".into(), self.recipients.users.join("|").into());
        }
        obj.insert("agentid".into(), self.agent_id.into());
        if let Some(safe) = self.options.safe {
            let n: u8 = match safe {
                Safe::Shareable => 0,
                Safe::Confidential => 1,
                Safe::CorpOnly => 2,
            };
            obj.insert("safe".into(), n.into());
        }
        if self.options.enable_id_trans {
            obj.insert("enable_id_trans".into(), 1.into());
        }
        if let Some(interval) = self.options.duplicate_check {
            obj.insert("enable_duplicate_check".into(), 1.into());
            obj.insert("duplicate_check_interval".into(), interval.as_secs().into());
        }
        body
    }
}

impl Serialize for MessageRequest {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}
