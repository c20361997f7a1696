//! `POST /cgi-bin/message/send`: the request being prepared ([`SendMessage`], around the
//! shared [`MessageRequest`] body), the answer ([`SendReceipt`]) and [`Client::send`].

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use serde::Deserialize;
use wecom_model::{MsgId, ResponseCode};

use crate::client::{Call, Client, Replay};
use crate::error::{InvalidArgument, Result};
use crate::message::{Message, MessageRequest, Recipients};
use crate::quirks;
use crate::throttle::OnLimit;

const SEND: &str = "/cgi-bin/message/send";

/// A `message/send` call being prepared: set options, then `.await` it.
///
/// The request is validated before anything is sent; an invalid one fails with
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) and no I/O.
///
/// ```no_run
/// # async fn run(client: wecom::Client) -> wecom::Result<()> {
/// use std::time::Duration;
/// use wecom::{Recipients, Text};
///
/// let receipt = client
///     .send(Recipients::users(["alice"]), Text::new("deploy finished"))
///     .safe(true)
///     .duplicate_check(Duration::from_secs(600))
///     .await?;
/// println!("sent {}", receipt.msgid);
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "a message is sent only when awaited"]
pub struct SendMessage {
    client: Client,
    request: MessageRequest,
    on_member_limit: Option<OnLimit>,
}

impl SendMessage {
    super::send_option_setters!(request.options);

    /// What to do if the client's [`Throttle`](crate::Throttle) finds that this message would
    /// exceed a member's limit, instead of the client's setting. No effect on a client
    /// without per-member limits.
    pub fn on_member_limit(mut self, on_limit: OnLimit) -> Self {
        self.on_member_limit = Some(on_limit);
        self
    }

    /// The request as it will be sent.
    pub fn request(&self) -> &MessageRequest {
        &self.request
    }

    /// Validates and sends; the same as awaiting `self`.
    pub async fn send(self) -> Result<SendReceipt> {
        let SendMessage { client, mut request, on_member_limit } = self;
        request.validate()?;
        // A token belongs to one app: another app's agentid would fail with 301002 after a
        // round trip, so say so before sending.
        if request.agent_id != client.agent_id() {
            return Err(InvalidArgument::new(
                "agentid",
                format!(
                    "is {}, but this client sends for agent {}; use a client built for that app",
                    request.agent_id,
                    client.agent_id()
                ),
            )
            .into());
        }
        let mut held_back = Vec::new();
        if let Some(limiter) = client.limiter()
            && limiter.counts_members()
            && !request.recipients.user_ids().is_empty()
        {
            match on_member_limit.unwrap_or(limiter.settings().on_member_limit_mode()) {
                OnLimit::Delay => limiter.wait_for_members(request.recipients.user_ids()).await,
                OnLimit::Report => {
                    let held = limiter.admit_members_now(request.recipients.user_ids()).await;
                    if !held.is_empty() {
                        if let Some(users) = request.recipients.user_ids_mut() {
                            held_back = take_positions(users, &held);
                        }
                        if request.recipients.is_empty() {
                            return Ok(SendReceipt { held_back, ..SendReceipt::default() });
                        }
                    }
                }
            }
        }
        let body = serde_json::to_vec(&request).map_err(|e| {
            InvalidArgument::new("message", format!("cannot be serialized to JSON: {e}"))
        })?;
        let call = Call::post_json_bytes(SEND, body)
            .replay(Replay::Send { duplicate_check: request.has_duplicate_check() });
        let mut receipt: SendReceipt = client.call(call).await?;
        receipt.held_back = held_back;
        Ok(receipt)
    }
}

/// Removes the entries at `positions` (ascending) from `items`, returning them in order.
fn take_positions(items: &mut Vec<String>, positions: &[usize]) -> Vec<String> {
    let mut taken = Vec::with_capacity(positions.len());
    let mut next = positions.iter().copied().peekable();
    let mut kept = Vec::with_capacity(items.len() - positions.len());
    for (i, item) in items.drain(..).enumerate() {
        if next.peek() == Some(&i) {
            next.next();
            taken.push(item);
        } else {
            kept.push(item);
        }
    }
    *items = kept;
    taken
}

impl IntoFuture for SendMessage {
    type Output = Result<SendReceipt>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<SendReceipt>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl Client {
    /// Prepares a message from this app to `recipients`; await the result to send it.
    pub fn send(
        &self,
        recipients: impl Into<Recipients>,
        message: impl Into<Message>,
    ) -> SendMessage {
        self.send_request(MessageRequest::new(self.agent_id(), recipients, message))
    }

    /// Prepares a ready-made request (for example read from a JSON file). Its `agentid`
    /// must be this client's.
    pub fn send_request(&self, request: MessageRequest) -> SendMessage {
        SendMessage { client: self.clone(), request, on_member_limit: None }
    }
}

/// The result of a successful `message/send`.
///
/// WeCom delivers to the valid recipients even when some are invalid; those come back here
/// (with `errcode` 0), lower-cased for user ids. The lists are parsed from WeCom's
/// `|`-joined strings; absent or empty means none.
///
/// ```
/// let receipt: wecom::SendReceipt = serde_json::from_str(
///     r#"{"errcode":0,"errmsg":"ok","invaliduser":"bob|eve","msgid":"m-1"}"#,
/// ).unwrap();
/// assert_eq!(receipt.msgid, "m-1");
/// assert_eq!(receipt.invalid_users, ["bob", "eve"]);
/// assert!(!receipt.all_delivered());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[non_exhaustive]
pub struct SendReceipt {
    /// The message id, for [`Client::recall`](crate::Client::recall). Empty only if WeCom
    /// omitted it.
    #[serde(default, deserialize_with = "quirks::id_lenient")]
    pub msgid: MsgId,
    /// The single-use code for `message/update_template_card` (valid 72 hours), returned for
    /// interactive template cards only.
    #[serde(default, deserialize_with = "quirks::opt_id_lenient")]
    pub response_code: Option<ResponseCode>,
    /// `invaliduser`: user ids that did not receive the message.
    #[serde(default, rename = "invaliduser", deserialize_with = "quirks::id_list")]
    pub invalid_users: Vec<String>,
    /// `invalidparty`: department ids that did not receive the message.
    #[serde(default, rename = "invalidparty", deserialize_with = "quirks::id_list")]
    pub invalid_parties: Vec<String>,
    /// `invalidtag`: tag ids that did not receive the message.
    #[serde(default, rename = "invalidtag", deserialize_with = "quirks::id_list")]
    pub invalid_tags: Vec<String>,
    /// `unlicenseduser`: members in range without a basic API licence (also not delivered).
    #[serde(default, rename = "unlicenseduser", deserialize_with = "quirks::id_list")]
    pub unlicensed_users: Vec<String>,
    /// Members the client's [`Throttle`](crate::Throttle) held back in
    /// [`OnLimit::Report`] mode: the message was **not** sent to them
    /// because it would have exceeded their per-member limit (WeCom would have dropped it
    /// silently). Spelled as given. Never part of WeCom's answer.
    #[serde(skip)]
    pub held_back: Vec<String>,
}

impl SendReceipt {
    /// Whether every named recipient was valid and licensed, and none was held back.
    pub fn all_delivered(&self) -> bool {
        self.held_back.is_empty()
            && self.invalid_users.is_empty()
            && self.invalid_parties.is_empty()
            && self.invalid_tags.is_empty()
            && self.unlicensed_users.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_receipt_from_the_documented_response() {
        let r: SendReceipt = serde_json::from_str(
            r#"{"errcode":0,"errmsg":"ok","invaliduser":"userid1|userid2","invalidparty":"partyid1|partyid2",
                "invalidtag":"tagid1|tagid2","unlicenseduser":"userid3|userid4","msgid":"xxxx",
                "response_code":"xyzxyz"}"#,
        )
        .unwrap();
        assert_eq!(r.msgid, "xxxx");
        assert_eq!(r.response_code.as_deref(), Some("xyzxyz"));
        assert_eq!(r.invalid_users, ["userid1", "userid2"]);
        assert_eq!(r.invalid_parties, ["partyid1", "partyid2"]);
        assert_eq!(r.invalid_tags, ["tagid1", "tagid2"]);
        assert_eq!(r.unlicensed_users, ["userid3", "userid4"]);
        assert!(!r.all_delivered());
    }

    #[test]
    fn absent_and_empty_fields_are_empty() {
        let r: SendReceipt = serde_json::from_str(
            r#"{"errcode":0,"errmsg":"ok","invaliduser":"","response_code":"","msgid":"m"}"#,
        )
        .unwrap();
        assert_eq!(r, SendReceipt { msgid: "m".into(), ..SendReceipt::default() });
        assert!(r.all_delivered());
    }
}
