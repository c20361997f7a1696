//! `POST /cgi-bin/appchat/send`: post a message into a chat this app created
//! ([`SendToChat`], [`AppChatReceipt`], [`Client::send_to_chat`]).

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use serde::de::IgnoredAny;
use wecom_model::ChatId;
use wecom_model::appchat::AppChatRequest;

use crate::client::{Call, Client, Replay};
use crate::error::{InvalidArgument, Result};
use crate::message::{Message, Safe};
use crate::throttle::OnLimit;

const SEND: &str = "/cgi-bin/appchat/send";

/// An `appchat/send` call being prepared: set options, then `.await` it.
///
/// Validated before anything is sent (chat id, kind — no template cards —, content limits,
/// `safe`). With a [`Throttle`](crate::Throttle), the message is counted against every member
/// of the chat (see [`throttle`](crate::throttle)).
///
/// ```no_run
/// # async fn run(client: wecom::Client) -> wecom::Result<()> {
/// use wecom::message::Markdown;
///
/// let receipt = client.send_to_chat("rel14", Markdown::new("**Release 1.4** is out")).await?;
/// assert!(receipt.sent);
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "a message is sent only when awaited"]
pub struct SendToChat {
    client: Client,
    request: AppChatRequest,
    on_member_limit: Option<OnLimit>,
}

/// What `appchat/send` reports back. WeCom answers nothing beyond success; the rest is the
/// client's throttle.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AppChatReceipt {
    /// Whether the message was sent. `false` only in [`OnLimit::Report`] mode when some
    /// member was over a limit: then nothing was sent.
    pub sent: bool,
    /// Members over their per-member chat limit (spelled as the chat lists them): WeCom
    /// would have dropped the message for them silently, so it was held back.
    pub held_back: Vec<String>,
}

impl SendToChat {
    /// Sets `safe` (text, image, video, file and mpnews only).
    pub fn safe(mut self, safe: impl Into<Safe>) -> Self {
        self.request.safe = Some(safe.into());
        self
    }

    /// What to do if the throttle finds that this message would exceed a member's limit,
    /// instead of the client's setting.
    pub fn on_member_limit(mut self, on_limit: OnLimit) -> Self {
        self.on_member_limit = Some(on_limit);
        self
    }

    /// The request as it will be sent.
    pub fn request(&self) -> &AppChatRequest {
        &self.request
    }

    /// Validates and sends; the same as awaiting `self`.
    pub async fn send(self) -> Result<AppChatReceipt> {
        let SendToChat { client, request, on_member_limit } = self;
        request.validate()?;
        if let Some(limiter) = client.limiter()
            && limiter.chats().counts()
        {
            let known = limiter.chats().members_of(&request.chatid);
            let members = if let Some(members) = known {
                members
            } else {
                client.get_chat(request.chatid.clone()).await?.userlist.into()
            };
            match on_member_limit.unwrap_or(limiter.settings().on_member_limit_mode()) {
                OnLimit::Delay => limiter.chats().wait(&members).await,
                OnLimit::Report => {
                    let over = limiter.chats().admit_or_report(&members).await;
                    if !over.is_empty() {
                        let held_back = over.iter().map(|&i| members[i].clone()).collect();
                        return Ok(AppChatReceipt { sent: false, held_back });
                    }
                }
            }
        }
        let body = serde_json::to_vec(&request).map_err(|e| {
            InvalidArgument::new("message", format!("cannot be serialized to JSON: {e}"))
        })?;
        // WeCom has no duplicate check for chats: after a timeout the outcome is unknown
        // (`Error::DeliveryUnknown`), never a second copy.
        let call =
            Call::post_json_bytes(SEND, body).replay(Replay::Send { duplicate_check: false });
        let _: IgnoredAny = client.call(call).await?;
        Ok(AppChatReceipt { sent: true, held_back: Vec::new() })
    }
}

impl IntoFuture for SendToChat {
    type Output = Result<AppChatReceipt>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<AppChatReceipt>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl Client {
    /// Prepares a message into the chat `chatid`; await the result to send it.
    pub fn send_to_chat(
        &self,
        chatid: impl Into<ChatId>,
        message: impl Into<Message>,
    ) -> SendToChat {
        self.send_chat_request(AppChatRequest::new(chatid, message))
    }

    /// Prepares a ready-made chat request (for example read from a JSON file).
    pub fn send_chat_request(&self, request: AppChatRequest) -> SendToChat {
        SendToChat { client: self.clone(), request, on_member_limit: None }
    }
}
