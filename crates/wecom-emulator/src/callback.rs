//! Callbacks: what a member does (a message, a card click, a vote, a menu item) becomes an
//! encrypted POST to the app's callback URL, as WeCom sends it — `msg_signature`,
//! `timestamp` and `nonce` in the query, the XML envelope as the body, a 5 s timeout per try
//! and 3 tries in total (non-200 and timeouts count as failures). The app's passive reply is
//! verified, decrypted and applied to the inbox. Every delivery is logged
//! (`GET /emulator/callbacks`).

mod deliver;
mod failure;
mod reply;
mod verify;
pub(crate) mod xml;

use serde::{Deserialize, Serialize};

pub(crate) use deliver::{Delivery, deliver, ids_above};
pub(crate) use verify::verify_url;

/// How a delivery ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Still being tried.
    Pending,
    /// A try got HTTP 200.
    Delivered,
    /// Every try failed (or the app has no callback URL).
    Failed,
}

/// Why a delivery or its passive reply failed, as one word for programs (the records'
/// `error` and `detail` texts say the same for people, with the URL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FailureReason {
    /// The app has no callback URL: nothing was sent.
    NoCallbackUrl,
    /// Nothing listens at the URL's host and port.
    ConnectionRefused,
    /// The connection could not be made for another reason (DNS, unreachable host, TLS).
    Connect,
    /// No answer within the callback timeout (5 s, as WeCom).
    Timeout,
    /// The app answered with an HTTP status other than 200.
    HttpStatus,
    /// The app's answer could not be read to its end.
    ReadFailed,
    /// The answer is too large to be a passive reply (it is not read).
    AnswerTooLarge,
    /// The callback could not be encrypted with the app's settings.
    Encryption,
    /// The passive reply's `MsgSignature` does not match (another callback token?).
    BadSignature,
    /// The passive reply could not be decrypted or parsed (another EncodingAESKey or corp
    /// id, or not an encrypted envelope at all).
    Undecryptable,
    /// The passive reply decrypted but was refused (wrong addressee, unknown type, invalid
    /// content).
    BadReply,
    /// A reason this version does not know (read from a newer state file).
    #[serde(other)]
    Other,
}

/// One try of a delivery.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Attempt {
    /// Virtual time the try started, Unix milliseconds.
    pub at_ms: i64,
    /// HTTP status, if a response came.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Why the try failed, with the URL: `connection refused by http://…`, `no answer
    /// from http://… within 5000 ms`, `http://… answered HTTP 404 Not Found`, ….
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The same as one word.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<FailureReason>,
    /// Real time the try took, milliseconds.
    pub duration_ms: u64,
}

/// What became of the app's passive reply.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReplyRecord {
    /// The reply's `MsgType` (when it could be decrypted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub msgtype: Option<String>,
    /// The decrypted reply XML.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub xml: Option<String>,
    /// Whether it was applied to the inbox.
    pub applied: bool,
    /// What was done, or why the reply was refused.
    pub detail: String,
    /// Why it was refused, as one word.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<FailureReason>,
}

/// One callback delivery.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CallbackRecord {
    /// Sequence number.
    pub id: u64,
    /// The app.
    pub agentid: i64,
    /// The member it is about.
    pub userid: String,
    /// `MsgType` of the inner XML (`text`, `event`, …).
    pub msgtype: String,
    /// `Event` of the inner XML, for events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// The card message a card event is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card_msgid: Option<String>,
    /// The `ResponseCode` handed out with a card event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_code: Option<String>,
    /// Where it was sent (without the query).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The plaintext inner XML.
    pub xml: String,
    /// Virtual time of creation, Unix milliseconds.
    pub created_at_ms: i64,
    /// The tries made.
    pub attempts: Vec<Attempt>,
    /// How it ended.
    pub outcome: Outcome,
    /// The passive reply, if the app answered with a non-empty body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply: Option<ReplyRecord>,
    /// What went wrong, in one sentence naming the URL: why the delivery failed (after how
    /// many tries), or why the passive reply was refused. Absent when all went well.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The same as one word.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<FailureReason>,
}
