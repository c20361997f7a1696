//! How a WebSocket connection behaves: the bot's credentials (the secret in a redacting type),
//! the endpoint, heartbeat, reconnect backoff, reply queues and deadlines. Every default is the
//! official Node SDK's (1.0.7) unless said otherwise.

use std::sync::Arc;
use std::time::Duration;

use super::error::WsError;
use crate::bot::Limits;

/// The bot's secret. It never appears in `Debug` output, logs or errors; it leaves the
/// process only inside the `aibot_subscribe` frame.
#[derive(Clone)]
pub struct BotSecret(String);

impl BotSecret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        BotSecret(secret.into())
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for BotSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BotSecret(<redacted>)")
    }
}

impl Drop for BotSecret {
    fn drop(&mut self) {
        // Best effort without an extra dependency: overwrite the bytes in place.
        let mut bytes = std::mem::take(&mut self.0).into_bytes();
        bytes.fill(0);
        std::hint::black_box(&bytes);
    }
}

/// The Bot ID and Secret from the bot's API settings (长连接 mode).
#[derive(Clone, Debug)]
pub struct Credentials {
    bot_id: String,
    secret: BotSecret,
}

impl Credentials {
    /// Environment variable read by [`Credentials::from_env`] for the Bot ID.
    pub const ENV_ID: &'static str = "WECOM_AIBOT_ID";
    /// Environment variable read by [`Credentials::from_env`] for the Secret.
    pub const ENV_SECRET: &'static str = "WECOM_AIBOT_SECRET";

    /// Credentials from a Bot ID and its secret.
    pub fn new(bot_id: impl Into<String>, secret: impl Into<String>) -> Self {
        Credentials { bot_id: bot_id.into(), secret: BotSecret::new(secret) }
    }

    /// Credentials from `WECOM_AIBOT_ID` and `WECOM_AIBOT_SECRET`.
    ///
    /// # Errors
    /// [`WsError::InvalidArgument`] naming the missing or empty variable.
    pub fn from_env() -> Result<Self, WsError> {
        let read = |name: &str| {
            std::env::var(name)
                .ok()
                .filter(|v| !v.is_empty())
                .ok_or_else(|| WsError::InvalidArgument(format!("{name} is not set")))
        };
        Ok(Credentials::new(read(Self::ENV_ID)?, read(Self::ENV_SECRET)?))
    }

    /// The Bot ID.
    pub fn bot_id(&self) -> &str {
        &self.bot_id
    }

    pub(crate) fn secret(&self) -> &BotSecret {
        &self.secret
    }
}

/// Exponential backoff with jitter: attempt `n` (1-based) waits
/// `min(base × 2^(n−1), max)`, then a random amount up to `jitter` of that is taken off or
/// added, never past `max`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Backoff {
    /// The first delay (SDK: 1 s).
    pub base: Duration,
    /// The longest delay (SDK: 30 s).
    pub max: Duration,
    /// Spread as a fraction of the delay, 0.0–1.0 (default 0.2; the SDK has none, jitter
    /// keeps many restarted instances from subscribing in step and hitting 45009).
    pub jitter: f64,
    /// Most attempts in a row before giving up; `None` = forever (SDK: 10).
    pub max_attempts: Option<u32>,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            base: Duration::from_secs(1),
            max: Duration::from_secs(30),
            jitter: 0.2,
            max_attempts: Some(10),
        }
    }
}

impl Backoff {
    /// The delay before attempt `attempt` (1-based), with `unit` a random number in
    /// `[0, 1)` choosing the jitter (0.5 = none). A pure function, so it can be tested.
    pub fn delay(&self, attempt: u32, unit: f64) -> Duration {
        let exp = attempt.saturating_sub(1).min(31);
        let raw = self.base.saturating_mul(1u32 << exp).min(self.max);
        let jitter = self.jitter.clamp(0.0, 1.0);
        let factor = 1.0 + jitter * (unit.clamp(0.0, 1.0) * 2.0 - 1.0);
        raw.mul_f64(factor).min(self.max)
    }

    /// Whether `attempt` (1-based) is past the budget.
    pub fn exhausted(&self, attempt: u32) -> bool {
        self.max_attempts.is_some_and(|max| attempt > max)
    }
}

/// What the client does when WeCom says another connection took over the bot
/// (`disconnected_event`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum OnDisplaced {
    /// **Default** (the SDK's behaviour): close the socket, fail pending replies, stop, and
    /// return [`super::Stopped::Displaced`] — another instance owns the bot; reconnecting
    /// would only kick it out and be kicked back.
    #[default]
    Stop,
    /// For single-instance deployments: reconnect after `cooldown` (keep it ≥ 30 s to avoid
    /// 45009), at most `max` times in a row before stopping as [`OnDisplaced::Stop`] does.
    Reconnect {
        /// Wait before reconnecting.
        cooldown: Duration,
        /// Most displacements followed by a reconnect.
        max: u32,
    },
}

/// The connection's settings. Start from [`WsConfig::default`] and change fields.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct WsConfig {
    /// The endpoint (default [`WsConfig::DEFAULT_URL`]). Private deployments show another URL
    /// in the admin console; the local emulator serves `ws://HOST:PORT/aibot/ws`. `ws://` is
    /// plain TCP, `wss://` TLS.
    pub url: String,
    /// App-level `ping` interval after subscribing (SDK: 30 s).
    pub heartbeat_interval: Duration,
    /// Unacknowledged pings in a row after which the connection is dead (SDK: 2).
    pub max_missed_heartbeats: u32,
    /// Backoff between connection attempts.
    pub reconnect: Backoff,
    /// Retries after a refused subscription (wrong Bot ID or Secret, rate limit): with the
    /// SDK's 5, the sixth refusal in a row ends [`super::AibotWs::run`] with
    /// [`WsError::AuthFailed`]; `None` = forever. Uses the same backoff.
    pub max_auth_failures: Option<u32>,
    /// TCP + TLS + WebSocket handshake timeout (default 10 s).
    pub connect_timeout: Duration,
    /// How long to wait for the subscribe acknowledgement (default 10 s).
    pub subscribe_timeout: Duration,
    /// How long each frame waits for its acknowledgement (SDK: 5 s).
    pub ack_timeout: Duration,
    /// Most frames waiting in one `req_id`'s queue (SDK: 500).
    pub max_queue: usize,
    /// How long `enter_chat` and `template_card_event` wait for the handler's welcome or
    /// card update (WeCom allows 5 s after the event; default 4 s leaves time to send it).
    pub event_deadline: Duration,
    /// An open stream whose text has not changed for this long is sent again unchanged, so
    /// that WeCom does not expire it (field reports: 846608 after about 6 minutes without an
    /// update; default 4 min).
    pub stream_keepalive: Duration,
    /// What `disconnected_event` does.
    pub on_displaced: OnDisplaced,
    /// Largest inbound frame (default 1 MiB); a larger one closes the connection.
    pub max_frame_bytes: usize,
    /// Answer rules shared with the HTTP transport (size, lifetime, per-member streams).
    pub limits: Limits,
    /// When a connection drops while an answer is being streamed, its `req_id` is dead
    /// (WeCom answers 846605 on a new connection). With this on (default), the answer's
    /// final text is sent as a markdown `aibot_send_msg` to the same chat once the handler
    /// returns and a connection is up again; off, the answer is only reported lost and the
    /// handler's next write fails with
    /// [`StreamError::ConnectionLost`](crate::bot::StreamError::ConnectionLost). When the
    /// connection died while the finishing frame waited for its acknowledgement, WeCom may
    /// have shown it already, and the member then sees the answer twice (WeCom does not
    /// de-duplicate).
    pub resend_lost_answers: bool,
    /// TLS settings for `wss://` (default: rustls with the system's root certificates).
    pub tls: Option<Arc<rustls::ClientConfig>>,
}

impl WsConfig {
    /// WeCom's endpoint.
    pub const DEFAULT_URL: &'static str = "wss://openws.work.weixin.qq.com";
}

impl Default for WsConfig {
    fn default() -> Self {
        WsConfig {
            url: Self::DEFAULT_URL.to_owned(),
            heartbeat_interval: Duration::from_secs(30),
            max_missed_heartbeats: 2,
            reconnect: Backoff::default(),
            max_auth_failures: Some(5),
            connect_timeout: Duration::from_secs(10),
            subscribe_timeout: Duration::from_secs(10),
            ack_timeout: Duration::from_secs(5),
            max_queue: 500,
            event_deadline: Duration::from_secs(4),
            stream_keepalive: Duration::from_secs(240),
            on_displaced: OnDisplaced::default(),
            max_frame_bytes: 1024 * 1024,
            limits: Limits::default(),
            resend_lost_answers: true,
            tls: None,
        }
    }
}
