//! [`LimitStore`]: where a throttle keeps its counts — this process's memory
//! ([`MemoryLimitStore`](super::MemoryLimitStore), the default) or a store shared by every
//! instance of a service (`RedisLimitStore`, feature `redis`), so that the limits hold for the
//! fleet rather than for each process.
//!
//! Each method is one decision, taken atomically by the store: check the counts and record
//! the send in one step, so two processes can never both take the last slot.

use std::fmt;
use std::time::Duration;

use futures::future::BoxFuture;

use super::{Limit, OnLimit};
use crate::error::StoreError;

/// Whose limits a decision counts against: one app of one corp (WeCom counts per member
/// *and app*). Made from a client's corp id and agent id; never holds a secret.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LimitScope {
    /// The corp id.
    pub corp_id: String,
    /// The app's agent id.
    pub agent_id: i64,
}

impl LimitScope {
    /// The scope of app `agent_id` of corp `corp_id`.
    pub fn new(corp_id: impl Into<String>, agent_id: i64) -> Self {
        Self { corp_id: corp_id.into(), agent_id }
    }
}

/// One webhook key, known only by a hash: the key is a credential, so a store never sees or
/// keeps it. Prints as its hash.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct WebhookScope {
    /// The first 16 bytes of the key's SHA-256, in hex.
    hash: String,
}

impl WebhookScope {
    /// The scope of the webhook `key`.
    pub fn from_key(key: &str) -> Self {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(key.as_bytes());
        let mut hash = String::with_capacity(32);
        for b in &digest[..16] {
            hash.push(char::from(HEX[usize::from(b >> 4)]));
            hash.push(char::from(HEX[usize::from(b & 0xf)]));
        }
        Self { hash }
    }

    /// The key's hash (32 hex digits): what stores use to name it.
    pub fn hash(&self) -> &str {
        &self.hash
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

impl fmt::Debug for WebhookScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WebhookScope({})", self.hash)
    }
}

/// What a per-member decision found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberDecision {
    /// The message was counted for every member except those at these positions (in the
    /// `members` given; always empty for [`OnLimit::Delay`]).
    Admitted {
        /// Positions of the members held back, ascending.
        held: Vec<usize>,
    },
    /// [`OnLimit::Delay`] only: nothing was counted; every member fits after this long.
    Wait(Duration),
}

/// Where a throttle keeps its counts: each method is one decision, checked and recorded
/// atomically by the store (see the [`throttle`](crate::throttle) module).
///
/// The client calls a store for every decision and falls back to counting in its own memory
/// when the store fails (logging the outage once and counting the decisions taken locally;
/// see [`Client::throttle_fallbacks`](crate::Client::throttle_fallbacks)).
pub trait LimitStore: Send + Sync + fmt::Debug {
    /// One message to `members` (distinct, lower-case member ids) of `scope` under `limits`
    /// (sliding windows, all of which must hold). [`OnLimit::Delay`]: count it for all of
    /// them if all fit, else count nothing and say how long until they do.
    /// [`OnLimit::Report`]: count it for each member that fits and report the others.
    fn admit_members<'a>(
        &'a self,
        scope: &'a LimitScope,
        members: &'a [&'a str],
        limits: &'a [Limit],
        mode: OnLimit,
    ) -> BoxFuture<'a, Result<MemberDecision, StoreError>>;

    /// Reserves the next slot of `scope`'s app-wide rate of `per_second` requests (bursts of
    /// up to `per_second`); returns how long until it (zero: now).
    fn reserve_request<'a>(
        &'a self,
        scope: &'a LimitScope,
        per_second: u32,
    ) -> BoxFuture<'a, Result<Duration, StoreError>>;

    /// Reserves the next send slot of a webhook under `limit` (a sliding window): `Ok(wait)`
    /// until the reserved slot; with [`OnLimit::Report`], `Err(wait)` without reserving when
    /// no slot is free now.
    fn reserve_webhook<'a>(
        &'a self,
        scope: &'a WebhookScope,
        limit: Limit,
        mode: OnLimit,
    ) -> BoxFuture<'a, Result<Result<Duration, Duration>, StoreError>>;
}
