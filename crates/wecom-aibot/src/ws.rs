//! The WebSocket long-connection transport (长连接, feature `ws`): the bot dials WeCom, so it
//! needs no public URL and no callback encryption. The same [`Bot`] that serves HTTP
//! callbacks runs here unchanged.
//!
//! ```no_run
//! use wecom_aibot::bot::{Responder, bot_fn};
//! use wecom_aibot::model::Message;
//! use wecom_aibot::ws::{AibotWs, Credentials, WsConfig};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let bot = bot_fn(|msg: Message, reply: Responder| async move {
//!     let _ = reply.markdown(format!("You said: {}", msg.text()));
//! });
//! let client = AibotWs::new(Credentials::from_env()?, WsConfig::default(), bot);
//! let handle = client.handle(); // pushes, uploads, stats, events, shutdown
//! tokio::spawn(async move {
//!     if handle.wait_connected(std::time::Duration::from_secs(30)).await {
//!         let _ = handle.send_markdown("lisi", "**online**").await;
//!     }
//! });
//! let stopped = client.run().await?; // Stopped::Displaced if another instance took over
//! # let _ = stopped;
//! # Ok(())
//! # }
//! ```
//!
//! # What happens on the wire
//!
//! * **Connect** to [`WsConfig::url`] (default `wss://openws.work.weixin.qq.com`; the local
//!   emulator serves `ws://HOST:PORT/aibot/ws`), send `aibot_subscribe` with the Bot ID and
//!   Secret ([`Credentials`]; the secret never reaches logs, `Debug` or errors), and wait for
//!   its acknowledgement before anything else.
//! * **Heartbeat**: a `ping` every 30 s; two unacknowledged in a row mean the connection is
//!   dead. An acknowledgement with 846609 (subscription lost) also replaces the connection
//!   (and a push that got it is tried once more on the new one).
//! * **Reconnect** with exponential backoff and jitter (1 s doubling to 30 s, 10 attempts in a
//!   row, [`Backoff`]); a refused subscription (wrong credentials, 45009) counts against
//!   its own budget (5 retries) and then [`AibotWs::run`] returns [`WsError::AuthFailed`].
//! * **One connection per bot**: on `disconnected_event` the client closes the socket, fails
//!   pending replies and stops with [`Stopped::Displaced`] ([`OnDisplaced::Stop`]); it does
//!   not fight the newer connection unless told to ([`OnDisplaced::Reconnect`]).
//! * **Replies** go in a FIFO per callback `req_id`: one frame in flight, each waiting for its
//!   acknowledgement (5 s, then [`WsError::AckTimeout`]), at most 500 queued
//!   ([`WsError::QueueFull`]). Stream updates written while a frame waits are coalesced —
//!   the latest text wins and the finishing frame is always sent. A callback from an earlier
//!   connection is never answered on its dead `req_id` ([`WsError::StaleReqId`], at once);
//!   by default its final text is delivered with `aibot_send_msg` instead
//!   ([`WsConfig::resend_lost_answers`]). Failures reach the application as
//!   [`WsEvent::ReplyFailed`].
//! * **Welcome / card update** must leave within 5 s of the event: the handler gets
//!   [`WsConfig::event_deadline`] (4 s), after which [`WsError::DeadlinePassed`] is
//!   reported and its late answer is refused.
//! * **Text past 20,480 bytes** follows [`Limits::overflow`](crate::bot::Limits): the
//!   stream is finished with what fits and a note, the rest is pushed as markdown; or the
//!   write fails with [`StreamError::TooLong`](crate::bot::StreamError). Never cut silently.
//! * **Pushes** ([`WsHandle::send`]: markdown, cards, media) and **uploads**
//!   ([`WsHandle::upload`]: 512 KiB chunks, ≤ 100, MD5) work from any task.
//!
//! **Several replicas** (feature `redis`): `LeasedAibotWs` keeps exactly one of them
//! connected, decided by a Redis lease; the others stand by and one takes over within the
//! lease's TTL when the holder dies or loses Redis.
//!
//! Each connection runs in a tracing span `aibot_ws{generation}`, each message in
//! `aibot_message{req_id, msgid, chattype}`; [`WsHandle::stats`] is a cheap snapshot of the
//! state and counters.

mod config;
mod connect;
mod dispatch;
mod error;
mod frame;
mod handle;
#[cfg(feature = "redis")]
mod leased;
mod lifecycle;
mod push;
mod shared;
mod status;
mod upload;

use std::sync::Arc;

pub use config::{Backoff, BotSecret, Credentials, OnDisplaced, WsConfig};
pub use error::WsError;
pub use handle::{WsCallback, WsHandle};
#[cfg(feature = "redis")]
pub use leased::{
    LeaderEvent, LeaderState, LeaseOptions, LeasedAibotWs, LeasedHandle, LeasedStopped,
};
pub use push::{MediaId, MediaKind, MediaRef, Push, PushMarkdown, VideoRef};
pub use status::{ConnState, Stopped, WsEvent, WsStats};
pub use upload::{CHUNK_BYTES, MAX_CHUNKS};

use crate::bot::Bot;

/// An AI bot on the WebSocket long connection. Build it, take a [`WsHandle`] if the
/// application needs one, then [`AibotWs::run`] (or [`AibotWs::spawn`]).
pub struct AibotWs {
    shared: Arc<shared::Shared>,
}

impl std::fmt::Debug for AibotWs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AibotWs")
            .field("credentials", &self.shared.credentials)
            .field("url", &self.shared.config.url)
            .finish_non_exhaustive()
    }
}

impl AibotWs {
    /// A client for the bot with these credentials, running `bot`.
    pub fn new(credentials: Credentials, config: WsConfig, bot: impl Bot) -> Self {
        Self::with_dyn_bot(credentials, config, Arc::new(bot))
    }

    /// A client sharing an already boxed bot (one per leadership term of a
    /// [`LeasedAibotWs`]).
    pub(crate) fn with_dyn_bot(
        credentials: Credentials,
        config: WsConfig,
        bot: Arc<dyn crate::bot::DynBot>,
    ) -> Self {
        AibotWs { shared: Arc::new(shared::Shared::new(credentials, config, bot)) }
    }

    /// A handle usable before, during and after [`AibotWs::run`].
    pub fn handle(&self) -> WsHandle {
        WsHandle { shared: Arc::clone(&self.shared) }
    }

    /// Connects and serves until stopped: returns `Ok` on shutdown or displacement.
    ///
    /// # Errors
    /// [`WsError::AuthFailed`] when the subscription was refused as often as
    /// [`WsConfig::max_auth_failures`] allows; [`WsError::ReconnectExhausted`] when the
    /// connection attempts in a row reach [`Backoff::max_attempts`].
    pub async fn run(self) -> Result<Stopped, WsError> {
        lifecycle::run(self.shared).await
    }

    /// Runs the client on a new task.
    pub fn spawn(self) -> (WsHandle, tokio::task::JoinHandle<Result<Stopped, WsError>>) {
        let handle = self.handle();
        (handle, tokio::spawn(self.run()))
    }
}
