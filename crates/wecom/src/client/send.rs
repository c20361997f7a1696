//! `message/send` ([`SendMessage`]) and `message/recall`.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use serde::Serialize;
use serde::de::IgnoredAny;

use super::{Call, Client, Replay};
use crate::error::{InvalidArgument, Result};
use crate::message::{Message, MessageRequest, Recipients, Safe};
use crate::receipt::SendReceipt;
use crate::throttle::OnLimit;

const SEND: &str = "/cgi-bin/message/send";
const RECALL: &str = "/cgi-bin/message/recall";

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
    /// Sets `safe` (`true` means [`Safe::Confidential`]: no sharing, watermark).
    pub fn safe(mut self, safe: impl Into<Safe>) -> Self {
        self.request = self.request.safe(safe);
        self
    }

    /// Sets `enable_id_trans` (turns `$userName=…$` templates into names).
    pub fn enable_id_trans(mut self, on: bool) -> Self {
        self.request = self.request.enable_id_trans(on);
        self
    }

    /// Turns on WeCom's duplicate check for `interval` (at most 4 hours). It also lets the
    /// client retry the send safely after a timeout.
    pub fn duplicate_check(mut self, interval: Duration) -> Self {
        self.request = self.request.duplicate_check(interval);
        self
    }

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
                    let held = limiter.admit_members_now(request.recipients.user_ids());
                    if !held.is_empty() {
                        held_back = take_positions(request.recipients.user_ids_mut(), &held);
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
    pub fn send(&self, recipients: Recipients, message: impl Into<Message>) -> SendMessage {
        self.send_request(MessageRequest::new(self.agent_id(), recipients, message))
    }

    /// Prepares a ready-made request (for example read from a JSON file). Its `agentid`
    /// must be this client's.
    pub fn send_request(&self, request: MessageRequest) -> SendMessage {
        SendMessage { client: self.clone(), request, on_member_limit: None }
    }

    /// Recalls a message sent by this app within the last 24 hours (`message/recall`). Only
    /// the WeCom copy is withdrawn, not copies delivered to the WeChat plugin.
    ///
    /// Not repeated after a timeout (a second recall of a recalled message fails): on
    /// [`Error::Transport`](crate::Error::Transport) the outcome is unknown.
    pub async fn recall(&self, msgid: impl Into<String>) -> Result<()> {
        #[derive(Serialize)]
        struct Body<'a> {
            msgid: &'a str,
        }
        let msgid = msgid.into();
        if msgid.trim().is_empty() {
            return Err(InvalidArgument::new("msgid", "must not be empty").into());
        }
        let call = Call::post_json(RECALL, &Body { msgid: &msgid })?.replay(Replay::Unsafe);
        let _: IgnoredAny = self.call(call).await?;
        Ok(())
    }
}
