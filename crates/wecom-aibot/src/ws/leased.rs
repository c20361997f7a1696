//! [`LeasedAibotWs`]: one WebSocket connection per bot across several replicas, decided by a
//! Redis lease ([`wecom_redis::Lease`]).
//!
//! WeCom keeps one long connection per bot, and a second subscription kicks the first
//! (`disconnected_event`). With several replicas of a service, each runs a
//! [`LeasedAibotWs`]; exactly one holds the lease and connects, the others stand by:
//!
//! ```text
//! STANDBY ─▶ SET key token NX PX ttl ─▶ taken ─▶ LEADER: connect, renew every ttl/3
//!    ▲            └─ held / Redis down ─▶ wait poll ± jitter ─▶ STANDBY
//!    ├── renewal refused, or none got through by valid_until − margin ─▶ close at once
//!    ├── the client gave up reconnecting ─▶ release
//!    └── displaced while the lease had already passed on (a hand-over race)
//! LEADER ─▶ displaced while the lease is still ours ─▶ release ─▶ DISPLACED (stop)
//! LEADER ─▶ shutdown ─▶ close ─▶ release ─▶ STOPPED
//! ```
//!
//! # The guarantee and its limits
//!
//! A holder renews while its connection is up, being opened or between reconnect attempts.
//! When no renewal got through by [`Lease::valid_until`] minus the margin — the moment the
//! last successful renewal was *sent* plus the TTL, before which nobody else can take the
//! lease — it closes its connection; a standby connects only after taking the lease. So on
//! one clock, two replicas never both hold a connection: a replica that dies is replaced
//! after the TTL (plus a poll), one that loses Redis closes before the TTL runs out, and
//! nobody connects while Redis is down.
//!
//! A Redis lease is **not a fencing token**: WeCom does not check it. A holder paused longer
//! than the margin (a stop-the-world pause, a suspended VM, clock jumps between hosts) can
//! still believe in a lease that passed on, and a Redis restarted without persistence
//! forgets the lease (another replica may take it before the old holder's next renewal,
//! at most `ttl/3` later, fails). Then two connections overlap briefly and WeCom displaces
//! one: a holder displaced after its lease passed on goes back to standby
//! ([`LeaderEvent::HandedOver`]); one displaced while its lease is still valid stops
//! ([`LeasedStopped::Displaced`]) rather than fight, because something outside the lease
//! (another deployment, a replica with another key) connects the bot.

mod status;
mod term;

use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::{broadcast, watch};
use wecom_redis::{Connector, Lease, Timeouts};

pub use status::{LeaderEvent, LeaderState, LeaseOptions, LeasedStopped};

use super::{Credentials, WsConfig, WsError, WsHandle, frame};
use crate::bot::{Bot, DynBot};

/// An AI bot on the WebSocket long connection, connected by at most one replica at a time:
/// the one that holds a Redis lease. Build it in every replica, take a [`LeasedHandle`] if
/// needed, then [`run`](Self::run) (or [`spawn`](Self::spawn)).
///
/// ```no_run
/// use std::sync::Arc;
/// use wecom_aibot::bot::{Responder, bot_fn};
/// use wecom_aibot::model::Message;
/// use wecom_aibot::ws::{Credentials, LeaseOptions, LeasedAibotWs, WsConfig};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let bot = bot_fn(|msg: Message, reply: Responder| async move {
///     let _ = reply.markdown(format!("You said: {}", msg.text()));
/// });
/// let replica = LeasedAibotWs::new(
///     Credentials::from_env()?,
///     WsConfig::default(),
///     bot,
///     "redis://redis.internal:6379",
/// )?
/// .lease_options(LeaseOptions::default()); // 10 s TTL, `wecom:aibot:{<botid>}:lease`
/// let handle = replica.handle(); // state (Standby/Leader/…), events, the live WsHandle
/// let stopped = replica.run().await?; // Shutdown, or Displaced by a connection outside the lease
/// # let _ = (handle, stopped);
/// # Ok(())
/// # }
/// ```
///
/// The [`WsConfig`] is used for every connection, except that
/// [`on_displaced`](WsConfig::on_displaced) is always [`OnDisplaced::Stop`](super::OnDisplaced):
/// reconnecting after a displacement would fight the other connection.
pub struct LeasedAibotWs {
    credentials: Credentials,
    config: WsConfig,
    bot: Arc<dyn DynBot>,
    redis: Arc<Connector>,
    options: LeaseOptions,
    shared: Arc<Shared>,
}

/// What the replica and its handles share.
pub(crate) struct Shared {
    state: watch::Sender<LeaderState>,
    events: broadcast::Sender<LeaderEvent>,
    shutdown: watch::Sender<bool>,
    /// The connection of the current term.
    ws: Mutex<Option<WsHandle>>,
    bot_id: String,
}

impl Shared {
    fn set_state(&self, state: LeaderState) {
        self.state.send_replace(state);
    }

    fn emit(&self, event: LeaderEvent) {
        let _ = self.events.send(event);
    }

    fn set_ws(&self, ws: Option<WsHandle>) {
        *self.ws.lock().unwrap_or_else(PoisonError::into_inner) = ws;
    }
}

impl std::fmt::Debug for LeasedAibotWs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LeasedAibotWs")
            .field("credentials", &self.credentials)
            .field("url", &self.config.url)
            .field("redis", &self.redis)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl LeasedAibotWs {
    /// A replica of the bot with these credentials, running `bot`, taking the lease in the
    /// Redis at `redis_url` (`redis://`, `rediss://` with the `redis-tls` feature) with
    /// [`Timeouts::DEFAULT`]. Nothing is opened until [`run`](Self::run).
    ///
    /// # Errors
    /// [`WsError::InvalidArgument`] when the URL cannot be used (the message never holds
    /// the password).
    pub fn new(
        credentials: Credentials,
        config: WsConfig,
        bot: impl Bot,
        redis_url: &str,
    ) -> Result<Self, WsError> {
        let redis = Connector::open(redis_url, Timeouts::DEFAULT)
            .map_err(|e| WsError::InvalidArgument(format!("redis_url: {e}")))?;
        Ok(Self::with_connector(credentials, config, bot, Arc::new(redis)))
    }

    /// [`new`](Self::new) with a Redis connection of your own (other timeouts, TLS).
    pub fn with_connector(
        credentials: Credentials,
        config: WsConfig,
        bot: impl Bot,
        redis: Arc<Connector>,
    ) -> Self {
        let shared = Arc::new(Shared {
            state: watch::channel(LeaderState::Idle).0,
            events: broadcast::channel(256).0,
            shutdown: watch::channel(false).0,
            ws: Mutex::new(None),
            bot_id: credentials.bot_id().to_owned(),
        });
        LeasedAibotWs {
            credentials,
            config,
            bot: Arc::new(bot),
            redis,
            options: LeaseOptions::default(),
            shared,
        }
    }

    /// Replaces the lease settings (checked by [`run`](Self::run)).
    #[must_use]
    pub fn lease_options(mut self, options: LeaseOptions) -> Self {
        self.options = options;
        self
    }

    /// A handle usable before, during and after [`run`](Self::run).
    pub fn handle(&self) -> LeasedHandle {
        LeasedHandle { shared: Arc::clone(&self.shared) }
    }

    /// Stands by, leads while holding the lease, and stands by again after losing it, until
    /// shut down or displaced by a connection outside the lease. Redis being down is not an
    /// error: the replica stands by until it answers.
    ///
    /// # Errors
    /// [`WsError::InvalidArgument`] for [`LeaseOptions`] that cannot keep the guarantee
    /// (before anything is sent); [`WsError::AuthFailed`] when WeCom refused the credentials
    /// as often as [`WsConfig::max_auth_failures`] allows (the lease is released first).
    pub async fn run(self) -> Result<LeasedStopped, WsError> {
        self.options.validate()?;
        let shared = Arc::clone(&self.shared);
        let result = self.standby_loop().await;
        shared.set_ws(None);
        shared.set_state(match result {
            Ok(LeasedStopped::Displaced) => LeaderState::Displaced,
            _ => LeaderState::Stopped,
        });
        tracing::info!(bot_id = %shared.bot_id, outcome = ?result, "leased bot stopped");
        shared.emit(LeaderEvent::Stopped);
        result
    }

    /// Runs the replica on a new task.
    pub fn spawn(self) -> (LeasedHandle, tokio::task::JoinHandle<Result<LeasedStopped, WsError>>) {
        let handle = self.handle();
        (handle, tokio::spawn(self.run()))
    }

    async fn standby_loop(&self) -> Result<LeasedStopped, WsError> {
        let shared = &self.shared;
        let key = self.options.key_for(self.credentials.bot_id());
        let mut shutdown = shared.shutdown.subscribe();
        let mut redis_down = false;
        shared.set_state(LeaderState::Standby);
        tracing::info!(bot_id = %shared.bot_id, lease = %key, "standing by for the lease");
        loop {
            if *shutdown.borrow_and_update() {
                return Ok(LeasedStopped::Shutdown);
            }
            match Lease::acquire(Arc::clone(&self.redis), key.as_str(), self.options.ttl).await {
                Ok(taken) => {
                    if redis_down {
                        redis_down = false;
                        tracing::info!(lease = %key, "Redis answers again; standing by");
                        shared.emit(LeaderEvent::RedisBack);
                    }
                    if let Some(lease) = taken {
                        match term::lead(self, lease, &mut shutdown).await {
                            term::End::Stop(result) => return result,
                            term::End::Standby => {
                                shared.set_state(LeaderState::Standby);
                                tracing::info!(lease = %key, "standing by for the lease");
                            }
                        }
                    }
                }
                Err(err) => {
                    if !redis_down {
                        redis_down = true;
                        tracing::warn!(
                            lease = %key,
                            error = %err,
                            "cannot reach Redis for the lease; standing by until it answers"
                        );
                        shared.emit(LeaderEvent::RedisUnavailable { error: err.to_string() });
                    }
                }
            }
            let wait = self.options.poll_delay(frame::unit_random());
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                _ = shutdown.wait_for(|stop| *stop) => return Ok(LeasedStopped::Shutdown),
            }
        }
    }
}

/// A cheap-to-clone handle on a [`LeasedAibotWs`].
#[derive(Clone)]
pub struct LeasedHandle {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for LeasedHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LeasedHandle")
            .field("bot_id", &self.shared.bot_id)
            .field("state", &self.state())
            .finish_non_exhaustive()
    }
}

impl LeasedHandle {
    /// Where the replica is now.
    pub fn state(&self) -> LeaderState {
        *self.shared.state.borrow()
    }

    /// A receiver that sees every state change.
    pub fn watch_state(&self) -> watch::Receiver<LeaderState> {
        self.shared.state.subscribe()
    }

    /// Events from now on (the 256 most recent are kept for slow readers), the connection's
    /// own included ([`LeaderEvent::Connection`]).
    pub fn events(&self) -> broadcast::Receiver<LeaderEvent> {
        self.shared.events.subscribe()
    }

    /// The connection's handle while this replica leads (pushes, uploads, stats); `None` on
    /// standby. A handle kept past the term fails with [`WsError::NotConnected`].
    pub fn ws(&self) -> Option<WsHandle> {
        self.shared.ws.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Closes the connection (if leading), releases the lease and makes
    /// [`LeasedAibotWs::run`] return [`LeasedStopped::Shutdown`].
    pub fn shutdown(&self) {
        self.shared.shutdown.send_replace(true);
    }
}
