//! The axum integration: a [`Router`] that answers WeCom's URL verification and callbacks,
//! to mount in your app or run on its own.
//!
//! * `GET` — URL verification: the decrypted `echostr` as a `text/plain` body.
//! * `POST` — body size check, query check, optional timestamp window, signature, decryption,
//!   receive id, XML parsing, de-duplication, then your handler; the reply (if any) is
//!   encrypted into the response.
//! * Anything else — 405.
//!
//! Bad input gets a 4xx with a generic body (`400 Bad Request`, `403 Forbidden`,
//! `413 Payload Too Large`); the precise reason is logged with `tracing` at `warn` level,
//! with the official crypto code where there is one.
//!
//! **Handler failures still answer 200 with an empty body.** An error or a panic in your
//! handler is logged at `error` level and never reaches WeCom: a non-200 answer would make
//! WeCom deliver the same callback again, and a handler that fails on it would fail again.
//! Retry inside your handler (or queue the work) if you need to.
//!
//! ```no_run
//! use wecom_callback::{Callback, CallbackServer, Reply, MessageBody};
//! use wecom_msgcrypt::MsgCrypt;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let crypt = MsgCrypt::new("token", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "ww_corp_id")?;
//! let wecom = CallbackServer::new(crypt, |cb: Callback| async move {
//!     Ok::<_, std::convert::Infallible>(match cb {
//!         Callback::Message(m) => match m.body {
//!             MessageBody::Text(t) => Some(Reply::text(format!("you said: {}", t.content))),
//!             _ => None,
//!         },
//!         _ => None,
//!     })
//! });
//! // Mount it in an app …
//! let app = axum::Router::new().nest("/wecom/callback", wecom.clone().into_router());
//! # let _ = app;
//! // … or run it on its own.
//! wecom.serve("0.0.0.0:8080").await?;
//! # Ok(())
//! # }
//! ```

mod dispatch;
mod routes;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::{MethodFilter, on};
use tokio::net::{TcpListener, ToSocketAddrs};
use tokio::sync::Semaphore;
use wecom_msgcrypt::MsgCrypt;

use crate::callback::Callback;
use crate::dedup::{DedupStore, DynDedupStore, MemoryDedup};
use crate::serve::ServeLimits;
pub use dispatch::{BoxError, Handler, HandlerResult};

/// How the server answers WeCom while your handler runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mode {
    /// Wait for the handler up to `deadline` and send its reply. Past the deadline, answer
    /// 200 with an empty body; the handler keeps running in the background and its reply is
    /// discarded (logged). Keep the deadline under WeCom's 5 s.
    Reply {
        /// How long to wait for the handler.
        deadline: Duration,
    },
    /// Answer 200 with an empty body at once and run the handler in the background; replies
    /// are discarded. For slow work (LLM calls …) answered later with `message/send`.
    Acknowledge,
}

impl Mode {
    /// The default reply deadline: 4 s, safely under WeCom's 5 s.
    pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(4);

    /// Reply mode with a deadline.
    pub fn reply(deadline: Duration) -> Self {
        Mode::Reply { deadline }
    }
}

impl Default for Mode {
    fn default() -> Self {
        Mode::Reply { deadline: Mode::DEFAULT_DEADLINE }
    }
}

/// Computes a callback's de-duplication key; `None` handles it without de-duplication.
pub type KeyFn = dyn Fn(&Callback) -> Option<String> + Send + Sync;

pub(crate) struct Shared {
    pub(crate) crypt: MsgCrypt,
    pub(crate) handler: Arc<dyn Handler>,
    pub(crate) mode: Mode,
    pub(crate) body_limit: usize,
    pub(crate) timestamp_window: Option<Duration>,
    pub(crate) dedup: Arc<dyn DynDedupStore>,
    pub(crate) dedup_ttl: Duration,
    pub(crate) key_fn: Option<Arc<KeyFn>>,
    /// Slots for handler tasks; see [`CallbackServer::max_handlers`].
    pub(crate) handlers: Arc<Semaphore>,
    pub(crate) max_handlers: usize,
}

/// A WeCom callback endpoint: crypto, handler and policies. Build it, then call
/// [`CallbackServer::into_router`] or [`CallbackServer::serve`].
///
/// Defaults: [`Mode::Reply`] with a 4 s deadline; 64 KiB body limit; no timestamp window;
/// in-memory de-duplication ([`MemoryDedup`]) for 5 minutes keyed by
/// [`Callback::dedup_key`]; at most 256 handlers running at once; [`ServeLimits::new`] for
/// [`serve`](Self::serve).
#[derive(Clone)]
pub struct CallbackServer {
    shared: Shared,
    limits: ServeLimits,
}

impl Clone for Shared {
    fn clone(&self) -> Self {
        Shared {
            crypt: self.crypt.clone(),
            handler: Arc::clone(&self.handler),
            mode: self.mode,
            body_limit: self.body_limit,
            timestamp_window: self.timestamp_window,
            dedup: Arc::clone(&self.dedup),
            dedup_ttl: self.dedup_ttl,
            key_fn: self.key_fn.clone(),
            handlers: Arc::clone(&self.handlers),
            max_handlers: self.max_handlers,
        }
    }
}

impl fmt::Debug for CallbackServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.shared;
        f.debug_struct("CallbackServer")
            .field("crypt", &s.crypt)
            .field("mode", &s.mode)
            .field("body_limit", &s.body_limit)
            .field("timestamp_window", &s.timestamp_window)
            .field("dedup_ttl", &s.dedup_ttl)
            .field("custom_key", &s.key_fn.is_some())
            .field("max_handlers", &s.max_handlers)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl CallbackServer {
    /// Default body limit: 64 KiB (WeCom's callbacks are a few KiB at most).
    pub const DEFAULT_BODY_LIMIT: usize = 64 * 1024;
    /// Default de-duplication TTL: 5 minutes (WeCom's retries come within seconds).
    pub const DEFAULT_DEDUP_TTL: Duration = Duration::from_secs(300);
    /// Default cap on handlers running at once: 256.
    pub const DEFAULT_MAX_HANDLERS: usize = 256;

    /// An endpoint for the app whose crypto is `crypt`, calling `handler` for each new
    /// callback.
    pub fn new(crypt: MsgCrypt, handler: impl Handler) -> Self {
        CallbackServer {
            shared: Shared {
                crypt,
                handler: Arc::new(handler),
                mode: Mode::default(),
                body_limit: Self::DEFAULT_BODY_LIMIT,
                timestamp_window: None,
                dedup: Arc::new(MemoryDedup::default()),
                dedup_ttl: Self::DEFAULT_DEDUP_TTL,
                key_fn: None,
                handlers: Arc::new(Semaphore::new(Self::DEFAULT_MAX_HANDLERS)),
                max_handlers: Self::DEFAULT_MAX_HANDLERS,
            },
            limits: ServeLimits::new(),
        }
    }

    /// Sets the answering mode.
    #[must_use]
    pub fn mode(mut self, mode: Mode) -> Self {
        self.shared.mode = mode;
        self
    }

    /// Sets the largest accepted body; larger requests get 413 without being read whole.
    #[must_use]
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.shared.body_limit = bytes;
        self
    }

    /// Rejects requests (403) whose `timestamp` is more than `window` away from the
    /// server's clock, against replayed captures. Off by default; if you enable it, allow
    /// for clock skew and WeCom's retries (minutes, not seconds).
    #[must_use]
    pub fn timestamp_window(mut self, window: Duration) -> Self {
        self.shared.timestamp_window = Some(window);
        self
    }

    /// Uses `store` for de-duplication (for example, a store shared by several processes).
    #[must_use]
    pub fn dedup_store(mut self, store: impl DedupStore) -> Self {
        self.shared.dedup = Arc::new(store);
        self
    }

    /// Sets how long a callback's key is remembered.
    #[must_use]
    pub fn dedup_ttl(mut self, ttl: Duration) -> Self {
        self.shared.dedup_ttl = ttl;
        self
    }

    /// Replaces [`Callback::dedup_key`] with your own key function; returning `None` handles
    /// that callback without de-duplication.
    #[must_use]
    pub fn dedup_key(
        mut self,
        key: impl Fn(&Callback) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.shared.key_fn = Some(Arc::new(key));
        self
    }

    /// Caps the handlers running at once (default 256, at least 1), in both modes: in
    /// [`Mode::Acknowledge`] every handler runs in the background, and in [`Mode::Reply`]
    /// those past their deadline do.
    ///
    /// **When every slot is taken**, a new callback waits up to 1 s for one; if none frees,
    /// it is answered `503 Service Unavailable` *before* it is marked as seen, so WeCom
    /// delivers it again later (it tries three times in all) and nothing is handled twice.
    /// The refusal is logged at `warn`.
    #[must_use]
    pub fn max_handlers(mut self, n: usize) -> Self {
        let n = n.max(1);
        self.shared.handlers = Arc::new(Semaphore::new(n));
        self.shared.max_handlers = n;
        self
    }

    /// Sets the connection limits used by [`serve`](Self::serve) and
    /// [`serve_on`](Self::serve_on) (timeouts and connection cap; see [`crate::serve`]).
    #[must_use]
    pub fn serve_limits(mut self, limits: ServeLimits) -> Self {
        self.limits = limits;
        self
    }

    /// The router: `GET` and `POST` on `/`. Mount it with `Router::nest` at your callback
    /// path, or `Router::merge` it at the root.
    pub fn into_router(self) -> Router {
        self.into_router_at("/")
    }

    /// The router with `GET` and `POST` on `path` (such as `/wecom/callback`) and nothing
    /// else: cheaper per request than [`into_router`](Self::into_router) under
    /// `Router::nest`, which rewrites every request's URI.
    ///
    /// # Panics
    /// Like `Router::route`, if `path` does not start with `/` or is not a valid route.
    pub fn into_router_at(self, path: &str) -> Router {
        let shared = Arc::new(self.shared);
        Router::new()
            .route(
                path,
                on(MethodFilter::GET, routes::verify)
                    .on(MethodFilter::POST, routes::receive)
                    // axum would answer HEAD with the GET handler; WeCom sends only GET and
                    // POST, so everything else is refused.
                    .on(MethodFilter::HEAD, routes::method_not_allowed),
            )
            .with_state(shared)
    }

    /// Binds `addr` and serves the router until the process ends.
    ///
    /// # Errors
    /// The I/O error if binding or serving fails.
    pub async fn serve(self, addr: impl ToSocketAddrs) -> std::io::Result<()> {
        self.serve_on(TcpListener::bind(addr).await?).await
    }

    /// Serves the router on an already bound listener (for example one bound to port 0)
    /// until the process ends, within the [`ServeLimits`] (header, body and idle timeouts,
    /// connection cap). Connections get `TCP_NODELAY`: answers are small and should leave at
    /// once.
    ///
    /// # Errors
    /// The I/O error if serving fails.
    pub async fn serve_on(self, listener: TcpListener) -> std::io::Result<()> {
        tracing::info!(addr = ?listener.local_addr().ok(), "WeCom callback server listening");
        let limits = self.limits;
        crate::serve::serve(listener, self.into_router(), limits).await
    }
}
