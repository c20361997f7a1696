//! [`MessageRequest`]: the full body of `POST /cgi-bin/message/send`, its checks and its
//! exact JSON form.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::options::{DEFAULT_DUPLICATE_CHECK_INTERVAL, MAX_DUPLICATE_CHECK_INTERVAL};
use super::recipients::SEND_FIELDS;
use super::{Audience, Message, Recipients, Safe, SendOptions};
use crate::InvalidArgument;
use crate::quirks::{IntBool, Joined, opt_int_bool, parse_id_list, split_pipes};
use crate::validate::{Path, not_allowed};

/// The full body of `POST /cgi-bin/message/send`: which app sends what to whom, and how.
///
/// [`Serialize`] produces exactly the JSON WeCom expects (`agentid` included, absent options
/// left out); [`Deserialize`] reads such a body back, so a body kept in a file or captured by a
/// test server parses into the same value. [`validate`](Self::validate) checks every
/// documented limit before anything is sent.
///
/// ```
/// use std::time::Duration;
/// use wecom_model::message::{MessageRequest, Recipients, Text};
///
/// let req = MessageRequest::new(
///     1000002,
///     Recipients::users(["alice", "bob"]).and_parties([2, 7]).and_tags([12]),
///     Text::new("Build #42 passed."),
/// )
/// .safe(false)
/// .duplicate_check(Duration::from_secs(600));
/// req.validate()?;
/// assert_eq!(
///     serde_json::to_value(&req)?,
///     serde_json::json!({
///         "touser": "alice|bob",
///         "toparty": "2|7",
///         "totag": "12",
///         "msgtype": "text",
///         "agentid": 1000002,
///         "text": { "content": "Build #42 passed." },
///         "safe": 0,
///         "enable_duplicate_check": 1,
///         "duplicate_check_interval": 600
///     })
/// );
/// let back: MessageRequest = serde_json::from_value(serde_json::to_value(&req)?)?;
/// assert_eq!(back, req);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MessageRequest {
    /// The sending app's agent id (`agentid`).
    pub agent_id: i64,
    /// Who receives it (`touser`, `toparty`, `totag`).
    pub recipients: Recipients,
    /// What they receive (`msgtype` and its object).
    pub message: Message,
    /// How it is sent.
    pub options: SendOptions,
}

impl MessageRequest {
    /// A request from app `agent_id` sending `message` to `recipients`, with no options set.
    pub fn new(
        agent_id: i64,
        recipients: impl Into<Recipients>,
        message: impl Into<Message>,
    ) -> Self {
        Self {
            agent_id,
            recipients: recipients.into(),
            message: message.into(),
            options: SendOptions::default(),
        }
    }

    crate::send_option_setters!(options);

    /// Whether WeCom's own duplicate check protects this request, so it is safe to send again
    /// after a transport timeout.
    ///
    /// What WeCom answers for a suppressed duplicate (errcode, `msgid`) is not documented
    /// (UNVERIFIED); only that it is not delivered twice.
    pub fn has_duplicate_check(&self) -> bool {
        self.options.duplicate_check.is_some()
    }

    /// Checks every documented hard limit before anything is sent: the recipients, the
    /// content, and which options this kind of message allows.
    ///
    /// ```
    /// use wecom_model::message::{MessageRequest, News, Article, Recipients};
    ///
    /// let news = News::new([Article::new("Notes", "https://example.com")]);
    /// let err = MessageRequest::new(1000002, Recipients::all(), news).safe(true).validate().unwrap_err();
    /// assert_eq!(err.field, "safe");
    /// ```
    pub fn validate(&self) -> Result<(), InvalidArgument> {
        self.recipients.validate(SEND_FIELDS)?;
        let kind = self.message.msgtype();
        if self.recipients.is_all() && matches!(self.message, Message::MiniProgramNotice(_)) {
            return Err(Path::root("touser").error("miniprogram_notice cannot be sent to @all"));
        }
        self.message.validate()?;
        if let Some(safe) = self.options.safe {
            check_safe(&self.message, safe)?;
        }
        if self.options.enable_id_trans.is_some() && !supports_id_trans(&self.message) {
            return Err(not_allowed(
                &Path::root("enable_id_trans"),
                format_args!(
                    "on {kind} messages; only text, textcard, news, mpnews, miniprogram_notice \
                     and template_card support id translation"
                ),
            ));
        }
        if let Some(interval) = self.options.duplicate_check {
            check_interval(interval)?;
        }
        Ok(())
    }
}

pub(crate) fn check_safe(message: &Message, safe: Safe) -> Result<(), InvalidArgument> {
    let path = Path::root("safe");
    match message {
        Message::MpNews(_) => Ok(()),
        Message::Text(_) | Message::Image(_) | Message::Video(_) | Message::File(_) => {
            if safe == Safe::CorpOnly {
                Err(path.error("2 (share inside the corp only) is only valid for mpnews messages"))
            } else {
                Ok(())
            }
        }
        Message::News(_) => Err(not_allowed(
            &path,
            "on news messages (WeCom answers 40074); send mpnews for confidential articles",
        )),
        other => Err(not_allowed(
            &path,
            format_args!(
                "on {} messages; only text, image, video, file and mpnews support it",
                other.msgtype()
            ),
        )),
    }
}

fn supports_id_trans(message: &Message) -> bool {
    matches!(
        message,
        Message::Text(_)
            | Message::TextCard(_)
            | Message::News(_)
            | Message::MpNews(_)
            | Message::MiniProgramNotice(_)
            | Message::TemplateCard(_)
    )
}

fn check_interval(interval: Duration) -> Result<(), InvalidArgument> {
    let path = Path::root("duplicate_check_interval");
    if interval.subsec_nanos() != 0 {
        return Err(path.error(format!("must be whole seconds (got {interval:?})")));
    }
    if interval.as_secs() == 0 || interval > MAX_DUPLICATE_CHECK_INTERVAL {
        return Err(path.error(format!(
            "must be 1 to {} seconds (4 hours) (got {})",
            MAX_DUPLICATE_CHECK_INTERVAL.as_secs(),
            interval.as_secs()
        )));
    }
    Ok(())
}

/// `touser`: `@all`, or the member ids.
struct UserList<'a>(&'a Recipients);

impl fmt::Display for UserList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_all() {
            return f.write_str("@all");
        }
        Joined(self.0.user_ids()).fmt(f)
    }
}

impl Serialize for UserList<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[derive(Serialize)]
struct WireOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    touser: Option<UserList<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    toparty: Option<Joined<'a, u64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    totag: Option<Joined<'a, u64>>,
    #[serde(flatten)]
    message: &'a Message,
    agentid: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    safe: Option<Safe>,
    #[serde(with = "opt_int_bool", skip_serializing_if = "Option::is_none")]
    enable_id_trans: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    enable_duplicate_check: Option<IntBool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duplicate_check_interval: Option<u64>,
}

impl Serialize for MessageRequest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let r = &self.recipients;
        let interval = self.options.duplicate_check;
        WireOut {
            touser: (r.is_all() || !r.user_ids().is_empty()).then_some(UserList(r)),
            toparty: (!r.party_ids().is_empty()).then_some(Joined(r.party_ids())),
            totag: (!r.tag_ids().is_empty()).then_some(Joined(r.tag_ids())),
            message: &self.message,
            // Sent for every kind. WeCom's own table and example for miniprogram_notice leave
            // `agentid` out while every other kind requires it; whether it is required or
            // ignored there is UNVERIFIED, and sending it (as WxJava and PowerWeChat do) is
            // the reading that cannot fail for lack of it.
            agentid: self.agent_id,
            safe: self.options.safe,
            enable_id_trans: self.options.enable_id_trans,
            enable_duplicate_check: interval.map(|_| IntBool(true)),
            duplicate_check_interval: interval.map(|d| d.as_secs()),
        }
        .serialize(serializer)
    }
}

#[derive(Deserialize)]
struct WireIn {
    #[serde(default)]
    touser: Option<String>,
    #[serde(default)]
    toparty: Option<String>,
    #[serde(default)]
    totag: Option<String>,
    #[serde(flatten)]
    message: Message,
    agentid: i64,
    #[serde(default)]
    safe: Option<Safe>,
    #[serde(default, with = "opt_int_bool")]
    enable_id_trans: Option<bool>,
    #[serde(default)]
    enable_duplicate_check: Option<IntBool>,
    #[serde(default)]
    duplicate_check_interval: Option<u64>,
}

impl<'de> Deserialize<'de> for MessageRequest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = WireIn::deserialize(deserializer)?;
        let mut all = false;
        let mut audience = Audience::default();
        for piece in split_pipes(wire.touser.as_deref().unwrap_or_default()) {
            if piece == "@all" {
                all = true;
            } else {
                audience.users.push(piece.to_owned());
            }
        }
        if let Some(parties) = &wire.toparty {
            audience.parties = parse_id_list::<D::Error>("toparty", parties)?;
        }
        if let Some(tags) = &wire.totag {
            audience.tags = parse_id_list::<D::Error>("totag", tags)?;
        }
        let recipients = Recipients::from_parts(all, audience, SEND_FIELDS)
            .map_err(|e| serde::de::Error::custom(e.to_string()))?;
        // With the check on and no interval, WeCom uses 30 minutes; keep that explicit.
        let duplicate_check = match wire.enable_duplicate_check {
            Some(IntBool(true)) => Some(
                wire.duplicate_check_interval
                    .map_or(DEFAULT_DUPLICATE_CHECK_INTERVAL, Duration::from_secs),
            ),
            _ => None,
        };
        Ok(Self {
            agent_id: wire.agentid,
            recipients,
            message: wire.message,
            options: SendOptions {
                safe: wire.safe,
                enable_id_trans: wire.enable_id_trans,
                duplicate_check,
            },
        })
    }
}
