//! [`WsHandle`]: the application's side of a running client — state and counters, events,
//! pushes, uploads, shutdown — and [`WsCallback`]: the callback a handler is answering,
//! for replies the stream API does not cover (media).

use std::sync::Arc;

use serde::Serialize;
use tokio::sync::{broadcast, watch};

use super::error::WsError;
use super::frame;
use super::push::{MediaId, MediaKind, Push};
use super::shared::Shared;
use super::status::{ConnState, WsEvent, WsStats};
use crate::model::MsgId;

/// A cheap-to-clone handle on a client; usable from anywhere (inside or outside handlers).
#[derive(Clone)]
pub struct WsHandle {
    pub(crate) shared: Arc<Shared>,
}

impl std::fmt::Debug for WsHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WsHandle")
            .field("bot_id", &self.shared.credentials.bot_id())
            .field("state", &self.state())
            .finish_non_exhaustive()
    }
}

#[derive(Serialize)]
struct SendMsg<'a> {
    chatid: &'a str,
    #[serde(flatten)]
    push: &'a Push,
}

impl WsHandle {
    /// The connection state now.
    pub fn state(&self) -> ConnState {
        *self.shared.state.borrow()
    }

    /// A receiver that sees every state change.
    pub fn watch_state(&self) -> watch::Receiver<ConnState> {
        self.shared.state.subscribe()
    }

    /// State and counters: a few atomic loads, cheap enough to poll.
    pub fn stats(&self) -> WsStats {
        self.shared.counters.snapshot(self.state(), self.shared.generation())
    }

    /// Lifecycle events from now on (the 256 most recent are kept for slow readers).
    pub fn events(&self) -> broadcast::Receiver<WsEvent> {
        self.shared.events.subscribe()
    }

    /// Waits until a connection is subscribed (`true`), the client stops, or `limit` passes.
    pub async fn wait_connected(&self, limit: std::time::Duration) -> bool {
        self.shared.wait_connected(limit).await
    }

    /// Closes the connection and makes [`super::AibotWs::run`] return
    /// [`super::Stopped::Shutdown`]. Pending replies fail with [`WsError::ConnectionLost`].
    pub fn shutdown(&self) {
        self.shared.shutdown.send_replace(true);
    }

    /// Sends a message without a callback (`aibot_send_msg`) to `chatid`: a member's userid
    /// for a single chat, a group's chat id for a group.
    ///
    /// # Errors
    /// [`WsError::InvalidArgument`]/[`WsError::TooLarge`] before anything is sent;
    /// [`WsError::NotConnected`]; [`WsError::Api`] with WeCom's errcode (pushes into groups
    /// are refused in some set-ups); [`WsError::AckTimeout`]. An acknowledgement saying the
    /// socket lost its subscription (846609) replaces the connection and the push is tried
    /// once more on the new one.
    pub async fn send(&self, chatid: &str, push: Push) -> Result<(), WsError> {
        if chatid.is_empty() {
            return Err(WsError::InvalidArgument("chatid: empty".into()));
        }
        push.validate()?;
        let body = SendMsg { chatid, push: &push };
        let generation = self.shared.generation();
        let sent = self.push_once(&body).await;
        match sent {
            Err(e) if e.code().is_some_and(WsError::breaks_connection) => {
                // The socket lost its subscription and is being replaced: once the new
                // connection is up, try once more (a new req_id; nothing was delivered).
                let config = &self.shared.config;
                let limit =
                    config.reconnect.max + config.connect_timeout + config.subscribe_timeout;
                if !self.shared.wait_newer(generation, limit).await {
                    return Err(e);
                }
                tracing::info!("push retried on the new connection");
                self.push_once(&body).await
            }
            other => other,
        }
    }

    async fn push_once(&self, body: &SendMsg<'_>) -> Result<(), WsError> {
        let req_id = frame::req_id("aibot_send_msg");
        self.shared.request("aibot_send_msg", &req_id, None, Some(body)).await.map(drop)
    }

    /// [`WsHandle::send`] of markdown.
    ///
    /// # Errors
    /// As [`WsHandle::send`]; [`WsError::TooLarge`] past 20,480 bytes.
    pub async fn send_markdown(
        &self,
        chatid: &str,
        text: impl Into<String>,
    ) -> Result<(), WsError> {
        self.send(chatid, Push::markdown(text)).await
    }

    /// Uploads a file for media messages (`aibot_upload_media_init`/`_chunk`/`_finish`): 512
    /// KiB chunks, at most 100, with the file's MD5; returns its `media_id` (valid 3 days).
    ///
    /// # Errors
    /// [`WsError::TooLarge`] past the type's limit (image/video 10 MB, voice 2 MB, file
    /// 20 MB), [`WsError::InvalidArgument`] for an empty file or name; then as
    /// [`WsHandle::send`] for each step.
    pub async fn upload(
        &self,
        kind: MediaKind,
        filename: &str,
        data: &[u8],
    ) -> Result<MediaId, WsError> {
        super::upload::upload(&self.shared, kind, filename, data).await
    }
}

/// The callback a handler is answering, over the WebSocket transport: get it with
/// [`Responder::ws`](crate::bot::Responder::ws) or
/// [`EventResponder::ws`](crate::bot::EventResponder::ws) before answering.
#[derive(Clone)]
pub struct WsCallback {
    shared: Arc<Shared>,
    req_id: Arc<str>,
    generation: u64,
    conversation: Arc<str>,
    msgid: Option<MsgId>,
}

impl std::fmt::Debug for WsCallback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WsCallback")
            .field("req_id", &self.req_id)
            .field("generation", &self.generation)
            .field("conversation", &self.conversation)
            .finish_non_exhaustive()
    }
}

impl WsCallback {
    pub(crate) fn new(
        shared: Arc<Shared>,
        req_id: String,
        generation: u64,
        conversation: String,
        msgid: Option<MsgId>,
    ) -> Self {
        WsCallback {
            shared,
            req_id: req_id.into(),
            generation,
            conversation: conversation.into(),
            msgid,
        }
    }

    /// The callback's `req_id`.
    pub fn req_id(&self) -> &str {
        &self.req_id
    }

    /// The connection it arrived on (see [`WsStats::generation`]).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Where answers go: the group's chat id, or the member's userid.
    pub fn conversation(&self) -> &str {
        &self.conversation
    }

    pub(crate) fn msgid(&self) -> Option<&MsgId> {
        self.msgid.as_ref()
    }

    /// Whether replies on this `req_id` can still be sent (its connection is the live one).
    pub fn is_live(&self) -> bool {
        self.shared.current().is_some_and(|c| c.generation == self.generation)
    }

    /// The client's handle (pushes, uploads).
    pub fn handle(&self) -> WsHandle {
        WsHandle { shared: Arc::clone(&self.shared) }
    }

    /// Replies with a media message (`aibot_respond_msg` with `file`, `image`, `voice` or
    /// `video`), queued behind this callback's other frames.
    ///
    /// # Errors
    /// [`WsError::StaleReqId`] at once if the callback came on an earlier connection
    /// (nothing sent); [`WsError::QueueFull`]; [`WsError::AckTimeout`]; [`WsError::Api`].
    pub async fn respond_media(&self, kind: MediaKind, media_id: MediaId) -> Result<(), WsError> {
        self.respond(Push::media(kind, media_id)).await
    }

    /// Replies with any [`Push`] body on this callback's `req_id` (markdown is not accepted
    /// on replies; use the stream instead).
    ///
    /// # Errors
    /// As [`WsCallback::respond_media`]; [`WsError::InvalidArgument`] for markdown.
    pub async fn respond(&self, body: Push) -> Result<(), WsError> {
        if matches!(body, Push::Markdown { .. }) {
            return Err(WsError::InvalidArgument(
                "markdown: not a reply body (use the stream, or WsHandle::send)".into(),
            ));
        }
        body.validate()?;
        self.shared
            .respond("aibot_respond_msg", &self.req_id, self.generation, &body)
            .await
            .map(drop)
    }
}
