//! The HTTP callback transport: an axum [`Router`] to mount at the bot's callback URL.
//!
//! * `GET` — URL verification (the decrypted `echostr`, receive id `""`).
//! * `POST` — bounded body read, signature check, decryption, JSON parsing; then:
//!   * a **message** starts the handler and is answered with its first state (a card, a
//!     finished text, or the stream opened with whatever text it has after a short wait);
//!   * a **refresh** is answered at once from the stream's current snapshot, never waiting;
//!     an unknown or forgotten stream id gets `finish: true` with empty content so that
//!     WeCom stops asking;
//!   * `enter_chat` and `template_card_event` wait up to the event deadline for the
//!     handler's welcome or card update; other events are answered empty at once.
//! * A message or event whose `msgid` was seen before (WeCom's retry) is not handled again:
//!   a message's retry is answered with its stream's current snapshot.
//!
//! Bad requests get a bare `400`/`403`/`413` with no detail; the reason is logged at `warn`.
//! Replies are encrypted JSON `{encrypt, msgsignature, timestamp, nonce}` signed with the
//! request's timestamp and nonce (the reference's reading; the timestamp is written as a JSON
//! string as the official library does — UNVERIFIED whether a number is required).

mod routes;
mod state;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::{MethodFilter, on};
use tokio::net::{TcpListener, ToSocketAddrs};
pub use wecom_callback::serve::ServeLimits;
use wecom_msgcrypt::MsgCrypt;

use crate::bot::{Bot, DynBot, Limits, Slots};
use crate::error::Error;

/// An AI bot's HTTP callback endpoint. Build it, then [`AibotServer::into_router`] or
/// [`AibotServer::serve`].
///
/// Defaults: 64 KiB body limit; 1 s wait for the handler's first state; 4 s event deadline;
/// [`Limits::default`]; retries de-duplicated in memory for 10 minutes.
#[derive(Clone)]
pub struct AibotServer {
    crypt: MsgCrypt,
    bot: Arc<dyn DynBot>,
    limits: Limits,
    body_limit: usize,
    first_wait: Duration,
    event_deadline: Duration,
    client: reqwest::Client,
    serve_limits: ServeLimits,
}

impl std::fmt::Debug for AibotServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AibotServer")
            .field("crypt", &self.crypt)
            .field("limits", &self.limits)
            .field("body_limit", &self.body_limit)
            .field("first_wait", &self.first_wait)
            .field("event_deadline", &self.event_deadline)
            .finish_non_exhaustive()
    }
}

impl AibotServer {
    /// Default body limit: 64 KiB.
    pub const DEFAULT_BODY_LIMIT: usize = 64 * 1024;

    /// An endpoint for the bot whose API settings hold `token` and `encoding_aes_key`.
    ///
    /// # Errors
    /// [`Error::Crypto`] for a malformed token or key (neither is printed).
    pub fn new(token: &str, encoding_aes_key: &str, bot: impl Bot) -> Result<Self, Error> {
        // Corp-internal AI bots encrypt with an empty receive id.
        let crypt = MsgCrypt::new(token, encoding_aes_key, "")?;
        Ok(Self::with_crypt(crypt, bot))
    }

    /// An endpoint with an already built crypto (receive id `""`).
    pub fn with_crypt(crypt: MsgCrypt, bot: impl Bot) -> Self {
        AibotServer {
            crypt,
            bot: Arc::new(bot),
            limits: Limits::default(),
            body_limit: Self::DEFAULT_BODY_LIMIT,
            first_wait: Duration::from_secs(1),
            event_deadline: Duration::from_secs(4),
            client: reqwest::Client::new(),
            serve_limits: ServeLimits::new(),
        }
    }

    /// Sets the size, time and concurrency rules.
    #[must_use]
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Sets the largest accepted body.
    #[must_use]
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// How long a message's answer waits for the handler's first state before the stream
    /// is opened empty (keep it well under WeCom's 5 s).
    #[must_use]
    pub fn first_answer_wait(mut self, wait: Duration) -> Self {
        self.first_wait = wait;
        self
    }

    /// How long `enter_chat` and `template_card_event` wait for the handler's answer (keep it
    /// under WeCom's 5 s).
    #[must_use]
    pub fn event_deadline(mut self, deadline: Duration) -> Self {
        self.event_deadline = deadline;
        self
    }

    /// The HTTP client used for follow-ups through `response_url`.
    #[must_use]
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.client = client;
        self
    }

    /// The router: `GET` and `POST` on `/`; mount it with `Router::nest`.
    pub fn into_router(self) -> Router {
        let shared = Arc::new(state::Shared {
            crypt: self.crypt,
            bot: self.bot,
            limits: Arc::new(self.limits),
            slots: Arc::new(Slots::default()),
            body_limit: self.body_limit,
            first_wait: self.first_wait,
            event_deadline: self.event_deadline,
            client: self.client,
            streams: state::Streams::default(),
        });
        Router::new()
            .route(
                "/",
                on(MethodFilter::GET, routes::verify)
                    .on(MethodFilter::POST, routes::receive)
                    .on(MethodFilter::HEAD, routes::method_not_allowed),
            )
            .with_state(shared)
    }

    /// The limits [`serve`](Self::serve) and [`serve_on`](Self::serve_on) apply to connections:
    /// header-read, body-read and idle timeouts and a connection cap, so that slow or idle
    /// clients cannot hold the server open (defaults: [`ServeLimits::new`]). A router mounted
    /// in your own server gets your server's limits instead.
    #[must_use]
    pub fn serve_limits(mut self, limits: ServeLimits) -> Self {
        self.serve_limits = limits;
        self
    }

    /// Binds `addr` and serves until the process ends.
    ///
    /// # Errors
    /// The I/O error if binding or serving fails.
    pub async fn serve(self, addr: impl ToSocketAddrs) -> std::io::Result<()> {
        self.serve_on(TcpListener::bind(addr).await?).await
    }

    /// Serves on an already bound listener.
    ///
    /// # Errors
    /// The I/O error if serving fails.
    pub async fn serve_on(self, listener: TcpListener) -> std::io::Result<()> {
        tracing::info!(addr = ?listener.local_addr().ok(), "WeCom AI bot listening");
        let limits = self.serve_limits;
        wecom_callback::serve::serve(listener, self.into_router(), limits).await
    }
}
