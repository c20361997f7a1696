//! What a [`super::LeasedAibotWs`] is told and tells: the lease's settings
//! ([`LeaseOptions`]), where the replica is ([`LeaderState`]), what happened
//! ([`LeaderEvent`]) and why it stopped ([`LeasedStopped`]).

use std::time::Duration;

use crate::ws::{WsError, WsEvent};

/// How the lease is taken and kept. Start from [`LeaseOptions::default`] and change fields;
/// every replica of a bot must use the same `key` (and should use the same `ttl`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct LeaseOptions {
    /// The Redis key; `None` (default): [`LeaseOptions::default_key`] of the bot id,
    /// `wecom:aibot:{<botid>}:lease`.
    pub key: Option<String>,
    /// How long the lease outlives its last renewal (default 10 s, at least 100 ms). A
    /// holder that dies is replaced after at most about `ttl + poll`.
    pub ttl: Duration,
    /// How often a standby replica tries to take the lease (default 1 s).
    pub poll: Duration,
    /// Spread of `poll` as a fraction, 0.0–1.0 (default 0.2), so replicas do not ask in step.
    pub jitter: f64,
    /// Time between renewals (default: a third of `ttl`).
    pub renew_every: Option<Duration>,
    /// How long before the lease could pass to another replica a holder that could not
    /// renew closes its connection (default: a fifth of `ttl`): room to close the socket,
    /// and for clock drift between hosts.
    pub margin: Option<Duration>,
}

impl Default for LeaseOptions {
    fn default() -> Self {
        LeaseOptions {
            key: None,
            ttl: Duration::from_secs(10),
            poll: Duration::from_secs(1),
            jitter: 0.2,
            renew_every: None,
            margin: None,
        }
    }
}

impl LeaseOptions {
    /// `wecom:aibot:{<bot_id>}:lease` (the braces make it a Redis Cluster hash tag).
    pub fn default_key(bot_id: &str) -> String {
        format!("wecom:aibot:{{{bot_id}}}:lease")
    }

    pub(crate) fn key_for(&self, bot_id: &str) -> String {
        self.key.clone().unwrap_or_else(|| Self::default_key(bot_id))
    }

    pub(crate) fn renew_every(&self) -> Duration {
        self.renew_every.unwrap_or(self.ttl / 3)
    }

    pub(crate) fn margin(&self) -> Duration {
        self.margin.unwrap_or(self.ttl / 5)
    }

    /// The standby's next wait: `poll` ± `jitter`, with `unit` in `[0, 1)`.
    pub(crate) fn poll_delay(&self, unit: f64) -> Duration {
        let jitter = self.jitter.clamp(0.0, 1.0);
        self.poll.mul_f64(1.0 + jitter * (unit.clamp(0.0, 1.0) * 2.0 - 1.0))
    }

    /// Refuses settings that cannot keep the guarantee, naming the field.
    pub(crate) fn validate(&self) -> Result<(), WsError> {
        let bad = |why: String| Err(WsError::InvalidArgument(format!("LeaseOptions::{why}")));
        if self.ttl < Duration::from_millis(100) {
            return bad(format!("ttl must be at least 100 ms, got {:?}", self.ttl));
        }
        if self.key.as_deref().is_some_and(str::is_empty) {
            return bad("key: empty".into());
        }
        if self.poll.is_zero() {
            return bad("poll must be greater than zero".into());
        }
        if !(0.0..=1.0).contains(&self.jitter) {
            return bad(format!("jitter must be within 0.0–1.0, got {}", self.jitter));
        }
        let (every, margin) = (self.renew_every(), self.margin());
        if every.is_zero() || every + margin >= self.ttl {
            return bad(format!(
                "renew_every ({every:?}) plus margin ({margin:?}) must be below ttl ({:?})",
                self.ttl
            ));
        }
        Ok(())
    }
}

/// Where a replica is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LeaderState {
    /// Not started yet.
    Idle,
    /// Without the lease (another replica holds it, or Redis cannot be reached): polling.
    Standby,
    /// Holding the lease: the connection is up or being opened
    /// ([`LeasedHandle::ws`](super::LeasedHandle::ws) has its state).
    Leader,
    /// Stopped because another connection took over the bot while this replica held the
    /// lease: something outside the lease connects the bot.
    Displaced,
    /// Stopped (shut down, or the credentials were refused).
    Stopped,
}

/// Something the application may want to know; see
/// [`LeasedHandle::events`](super::LeasedHandle::events).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum LeaderEvent {
    /// This replica took the lease and is connecting.
    Acquired {
        /// The holder token stored in Redis (`{pid}-{random}`; not a secret).
        holder: String,
    },
    /// An event of the connection of this term.
    Connection(WsEvent),
    /// The lease could not be renewed (Redis unreachable until shortly before it could
    /// pass on, or another holder has it): the connection was closed; standing by.
    LeaseLost {
        /// Why, in words.
        reason: String,
    },
    /// The connection was displaced right as the lease passed to another replica (a
    /// hand-over, not a conflict): standing by.
    HandedOver,
    /// The lease was given up (`confirmed: false`: Redis could not be told, and the lease
    /// expires by itself within its TTL).
    Released {
        /// Whether Redis confirmed the release.
        confirmed: bool,
    },
    /// The connection gave up reconnecting while this replica held the lease; the lease
    /// was released so that another replica may try.
    ConnectionFailed {
        /// The error.
        error: WsError,
    },
    /// Redis could not be reached while standing by (once per outage).
    RedisUnavailable {
        /// The error, in words (never a password).
        error: String,
    },
    /// Redis answers again.
    RedisBack,
    /// Another connection took over the bot while this replica held the lease.
    Displaced,
    /// The replica stopped.
    Stopped,
}

/// Why [`super::LeasedAibotWs::run`] returned without an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LeasedStopped {
    /// [`LeasedHandle::shutdown`](super::LeasedHandle::shutdown) was called; the lease was
    /// released.
    Shutdown,
    /// Another connection took over the bot while this replica held the lease; the lease
    /// was released.
    Displaced,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_the_key_is_a_hash_tag() {
        let o = LeaseOptions::default();
        o.validate().unwrap();
        assert_eq!(o.key_for("aib_1"), "wecom:aibot:{aib_1}:lease");
        assert_eq!(o.renew_every(), Duration::from_secs(10) / 3);
        assert_eq!(o.margin(), Duration::from_secs(2));
        assert_eq!(o.poll_delay(0.0), Duration::from_millis(800));
        assert_eq!(o.poll_delay(1.0), Duration::from_millis(1200));
    }

    #[test]
    fn bad_settings_name_the_field() {
        let err = |o: LeaseOptions| o.validate().unwrap_err().to_string();
        let o = LeaseOptions { ttl: Duration::from_millis(50), ..LeaseOptions::default() };
        assert!(err(o).contains("ttl must be at least 100 ms"));
        let o = LeaseOptions { key: Some(String::new()), ..LeaseOptions::default() };
        assert!(err(o).contains("key: empty"));
        let o = LeaseOptions { jitter: 1.5, ..LeaseOptions::default() };
        assert!(err(o).contains("jitter"));
        let o =
            LeaseOptions { renew_every: Some(Duration::from_secs(9)), ..LeaseOptions::default() };
        assert!(err(o).contains("renew_every"));
        let o = LeaseOptions { poll: Duration::ZERO, ..LeaseOptions::default() };
        assert!(err(o).contains("poll"));
    }
}
