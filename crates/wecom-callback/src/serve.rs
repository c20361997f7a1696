//! Serving a [`Router`] on a TCP listener with limits, so that slow or idle clients cannot
//! hold the server open: a header-read timeout, a body-read timeout, an idle timeout and a
//! cap on concurrent connections ([`ServeLimits`]). [`CallbackServer::serve`] and the
//! emulator use it; use it for your own router too.
//!
//! * **Header read** — a request's head must be complete within
//!   [`ServeLimits::header_read_timeout`] of the connection being ready for it (opened, or the
//!   previous response sent); otherwise the connection is closed without an answer.
//! * **Body read** — the whole body must arrive within [`ServeLimits::body_read_timeout`] of
//!   its head; otherwise reading it fails with [`BodyReadTimeout`] (the callback server
//!   answers 408) and the connection is closed.
//! * **Idle** — a connection with no request in progress that receives nothing for
//!   [`ServeLimits::idle_timeout`] is closed. Idle time also counts towards the next head's
//!   read timeout, so the shorter of the two applies between requests.
//! * **Connections** — at most [`ServeLimits::max_connections`] are served at once; further
//!   ones wait in the operating system's backlog until a slot frees (the timeouts above
//!   guarantee that one does), so the process never runs out of file descriptors.
//! * **Upgrades** — a route that answers `101 Switching Protocols` (a WebSocket endpoint)
//!   takes the connection over: from then on the idle timeout no longer applies and the
//!   connection no longer counts towards the cap, so such a route must bound its own
//!   connections and time out idle peers.
//!
//! ```no_run
//! use wecom_callback::serve::{ServeLimits, serve};
//!
//! # async fn run(router: axum::Router) -> std::io::Result<()> {
//! let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
//! serve(listener, router, ServeLimits::new().max_connections(64)).await
//! # }
//! ```
//!
//! [`CallbackServer::serve`]: crate::CallbackServer::serve

mod body;
mod io;
mod read;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, mpsc, watch};
use tower::ServiceExt as _;

pub use body::BodyReadTimeout;
pub use read::{BodyError, read_body};

/// The limits a server applies to its connections; see the [module docs](self).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServeLimits {
    /// How long a client may take to send a request's head.
    pub header_read_timeout: Duration,
    /// How long a client may take to send a request's body, from its head.
    pub body_read_timeout: Duration,
    /// How long a connection may stay open with no request in progress and nothing received.
    pub idle_timeout: Duration,
    /// How many connections are served at once.
    pub max_connections: usize,
}

impl ServeLimits {
    /// Default header-read timeout: 10 s.
    pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
    /// Default body-read timeout: 10 s (a callback is a few KiB).
    pub const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);
    /// Default idle timeout: 30 s (bounded in practice by the header-read timeout).
    pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(30);
    /// Default connection cap: 256.
    pub const DEFAULT_MAX_CONNECTIONS: usize = 256;

    /// The defaults: 10 s for a head, 10 s for a body, 30 s idle, 256 connections.
    pub fn new() -> Self {
        ServeLimits {
            header_read_timeout: Self::DEFAULT_HEADER_READ_TIMEOUT,
            body_read_timeout: Self::DEFAULT_BODY_READ_TIMEOUT,
            idle_timeout: Self::DEFAULT_IDLE_TIMEOUT,
            max_connections: Self::DEFAULT_MAX_CONNECTIONS,
        }
    }

    /// Sets the header-read timeout.
    #[must_use]
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// Sets the body-read timeout.
    #[must_use]
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.body_read_timeout = timeout;
        self
    }

    /// Sets the idle timeout.
    #[must_use]
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Sets the connection cap (at least 1).
    #[must_use]
    pub fn max_connections(mut self, n: usize) -> Self {
        self.max_connections = n.max(1);
        self
    }
}

impl Default for ServeLimits {
    fn default() -> Self {
        Self::new()
    }
}

/// Serves `router` on `listener` within `limits` until the process ends. Connections get
/// `TCP_NODELAY`: answers are small and should leave at once.
///
/// # Errors
/// None in practice: failures to accept a connection are logged and retried.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ServeLimits,
) -> std::io::Result<()> {
    serve_with_shutdown(listener, router, limits, std::future::pending()).await
}

/// [`serve`] until `shutdown` completes; then stops accepting, lets the requests in flight
/// finish and returns once every connection has closed.
///
/// # Errors
/// None in practice: failures to accept a connection are logged and retried.
pub async fn serve_with_shutdown(
    listener: TcpListener,
    router: Router,
    limits: ServeLimits,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    // Graceful shutdown by hand (hyper-util's `GracefulShutdown` cannot watch a connection
    // that allows upgrades): `stop` asks every connection to finish its request in flight
    // and close; each connection task holds a clone of `done` until it ends.
    let (stop, _) = watch::channel(false);
    let (done, mut all_done) = mpsc::channel::<()>(1);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&slots).acquire_owned() => permit.expect("never closed"),
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!(error = %e, "could not set TCP_NODELAY");
        }
        let (io, activity) = io::IdleIo::new(stream, limits.idle_timeout);
        let router = router.clone();
        let body_timeout = limits.body_read_timeout;
        let service = hyper::service::service_fn(move |request: Request<Incoming>| {
            let guard = activity.request_started();
            let request = request.map(|b| body::with_deadline(b, body_timeout));
            let router = router.clone();
            async move {
                let response = router.oneshot(request).await?;
                if response.status() == axum::http::StatusCode::SWITCHING_PROTOCOLS {
                    // An upgraded connection (a WebSocket) speaks another protocol from here
                    // on, with its own liveness rules: the HTTP idle timeout no longer applies.
                    guard.keep_for_connection();
                    return Ok(response);
                }
                Ok::<_, std::convert::Infallible>(response.map(|b| body::guarded(b, guard)))
            }
        });
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_read_timeout)
            .serve_connection(TokioIo::new(io), service)
            // Routes that answer 101 (a WebSocket endpoint) take the connection over.
            .with_upgrades();
        let mut stopping = stop.subscribe();
        let done = done.clone();
        tokio::spawn(async move {
            let mut conn = std::pin::pin!(conn);
            let first = tokio::select! {
                result = conn.as_mut() => Some(result),
                _ = stopping.wait_for(|stop| *stop) => None,
            };
            let result = if let Some(result) = first {
                result
            } else {
                conn.as_mut().graceful_shutdown();
                conn.await
            };
            if let Err(e) = result {
                tracing::debug!(%peer, error = %e, "connection closed with an error");
            }
            drop(permit);
            drop(done);
        });
    }
    drop(listener);
    stop.send_replace(true);
    drop(done);
    // Ends once every connection task has dropped its `done`.
    let _ = all_done.recv().await;
    Ok(())
}
