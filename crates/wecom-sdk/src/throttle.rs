//! Client-side throttling: WeCom's per-member limits, an app-wide request rate and a cap on
//! requests in flight.
//!
//! WeCom **silently drops** messages past 30 per minute or 1,000 per hour to one member (per
//! app), and blocks callers that exceed its frequency limits (errcode 45009) for the whole
//! window. A [`Throttle`] set with
//! [`ClientBuilder::throttle`](crate::ClientBuilder::throttle) keeps a client inside such
//! limits. It is off by default.
//!
//! * **Per member**: every `message/send` is counted against each member id it names,
//!   in sliding windows ([`Limit`]; WeCom's 30/minute and 1,000/hour by default). A message
//!   that would exceed a member's limit is either **delayed** until it fits or **reported**
//!   ([`OnLimit`], per client or per send with
//!   [`SendMessage::on_member_limit`](crate::SendMessage::on_member_limit)): the send goes
//!   ahead for the members within their limits, and the others come back in
//!   [`SendReceipt::held_back`](crate::SendReceipt::held_back) — never silently lost.
//!   Only explicit member ids can be counted: departments, tags and `@all` expand on WeCom's
//!   side, so they pass the per-member limits unchecked and are subject only to the app-wide
//!   rate and the in-flight cap.
//! * **Per member in app group chats**: every `appchat/send` is counted against each member
//!   of the chat, in windows of their own ([`WECOM_CHAT_MEMBER_LIMITS`]: 200 a minute and
//!   10,000 a day, which WeCom also enforces by dropping the excess silently), and against
//!   the corp-wide budget of 20,000 person-messages a minute ([`WECOM_CHAT_CORP_LIMIT`]). The
//!   client learns a chat's members from its own `appchat/create`, `update` and `get` calls,
//!   and asks `appchat/get` once for a chat it has not seen. A chat message reaches all
//!   members or none, so in [`OnLimit::Report`] mode a message that would exceed any member's
//!   limit is not sent at all, and the members over their limits come back in
//!   [`AppChatReceipt::held_back`](crate::api::appchat::send::AppChatReceipt::held_back). The
//!   corp-wide budget always delays.
//! * **App-wide rate**: at most [`requests_per_second`](Throttle::requests_per_second) API
//!   requests (every endpoint, retries included; `gettoken` excepted), in bursts of up to one
//!   second's worth.
//! * **In flight**: at most [`max_in_flight`](Throttle::max_in_flight) API requests at once
//!   (errcode 45033 is WeCom's concurrency limit).
//!
//! A message counts against its members' limits when it leaves, whatever WeCom answers: a
//! send that failed or timed out may still have been delivered, so the count errs on the side
//! of WeCom's.
//!
//! # Where the counts live
//!
//! By default in the client's memory ([`MemoryLimitStore`]): clients that share an app
//! (several processes, or several clients in one) each count only their own sends.
//! Per-member memory is bounded: only members messaged within the longest window are
//! remembered, each with at most one small entry per message. Give clients a shared
//! [`LimitStore`] with [`ClientBuilder::limit_store`](crate::ClientBuilder::limit_store) —
//! `RedisLimitStore` (feature `redis`) — and the limits hold for every process together:
//! each decision is one atomic step in the store (one round trip; a message to up to 1,000
//! members is one decision). If the store fails, the client decides on its own counts,
//! warns once per outage, and counts those decisions
//! ([`Client::throttle_fallbacks`](crate::Client::throttle_fallbacks)); the shared counts are
//! used again as soon as the store answers.
//!
//! ```
//! use wecom::{Client, OnLimit, Throttle};
//!
//! let client = Client::builder("ww0123456789abcdef", 1_000_002, "app-secret")
//!     .throttle(
//!         Throttle::new() // 30/min and 1,000/h per member, delaying what does not fit
//!             .requests_per_second(200)
//!             .max_in_flight(16)
//!             .on_member_limit(OnLimit::Report),
//!     )
//!     .build()?;
//! # Ok::<(), wecom::Error>(())
//! ```

mod chats;
mod health;
mod limit;
mod limiter;
mod members;
mod memory;
mod rate;
#[cfg(feature = "redis")]
mod redis;
mod store;

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

pub(crate) use health::Health;
pub use limit::{Limit, WECOM_CHAT_CORP_LIMIT, WECOM_CHAT_MEMBER_LIMITS, WECOM_MEMBER_LIMITS};
pub(crate) use limiter::Limiter;
pub use memory::MemoryLimitStore;
#[cfg(feature = "redis")]
pub use redis::{RedisLimitStore, RedisLimitStoreBuilder};
pub use store::{LimitScope, LimitStore, MemberDecision, WebhookScope};

/// What happens to a message that would exceed a member's limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum OnLimit {
    /// Wait until the message fits every named member's limits, then send it to all of them
    /// (the default). A request naming many members waits for the busiest one.
    #[default]
    Delay,
    /// Send now to the members within their limits and report the others in
    /// [`SendReceipt::held_back`](crate::SendReceipt::held_back). When no recipient is left,
    /// nothing is sent and the receipt's `msgid` is empty.
    Report,
}

/// Limits a client keeps to; see the [module documentation](self).
///
/// [`Throttle::new`] starts from WeCom's per-member limits with [`OnLimit::Delay`], no
/// app-wide rate and no cap on requests in flight.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct Throttle {
    member_limits: Vec<Limit>,
    chat_member_limits: Vec<Limit>,
    chat_corp_limit: Option<Limit>,
    requests_per_second: Option<u32>,
    max_in_flight: Option<usize>,
    on_member_limit: OnLimit,
}

impl Default for Throttle {
    fn default() -> Self {
        Self::new()
    }
}

impl Throttle {
    /// WeCom's per-member limits ([`WECOM_MEMBER_LIMITS`]), delaying what does not fit.
    pub fn new() -> Self {
        Self {
            member_limits: WECOM_MEMBER_LIMITS.to_vec(),
            chat_member_limits: WECOM_CHAT_MEMBER_LIMITS.to_vec(),
            chat_corp_limit: Some(WECOM_CHAT_CORP_LIMIT),
            requests_per_second: None,
            max_in_flight: None,
            on_member_limit: OnLimit::Delay,
        }
    }

    /// Replaces the per-member limits (each `max` at least 1, each window at least 1 ms).
    pub fn member_limits(mut self, limits: impl IntoIterator<Item = Limit>) -> Self {
        self.member_limits = limits.into_iter().collect();
        self
    }

    /// No per-member limits (keep only the rate and the in-flight cap).
    pub fn without_member_limits(mut self) -> Self {
        self.member_limits.clear();
        self
    }

    /// Replaces the per-member limits of app group chats (default
    /// [`WECOM_CHAT_MEMBER_LIMITS`]).
    pub fn chat_member_limits(mut self, limits: impl IntoIterator<Item = Limit>) -> Self {
        self.chat_member_limits = limits.into_iter().collect();
        self
    }

    /// Replaces the corp-wide person-message limit of app group chats (default
    /// [`WECOM_CHAT_CORP_LIMIT`]); `None` turns it off.
    pub fn chat_corp_limit(mut self, limit: Option<Limit>) -> Self {
        self.chat_corp_limit = limit;
        self
    }

    /// No limits on app group chat sends (neither per member nor corp-wide).
    pub fn without_chat_limits(mut self) -> Self {
        self.chat_member_limits.clear();
        self.chat_corp_limit = None;
        self
    }

    /// The per-member limits of app group chats.
    pub fn chat_limits(&self) -> &[Limit] {
        &self.chat_member_limits
    }

    /// At most `n` API requests per second (at least 1), in bursts of up to `n`.
    pub fn requests_per_second(mut self, n: u32) -> Self {
        self.requests_per_second = Some(n);
        self
    }

    /// At most `n` API requests in flight at once (at least 1).
    pub fn max_in_flight(mut self, n: usize) -> Self {
        self.max_in_flight = Some(n);
        self
    }

    /// What to do with a message that would exceed a member's limit (default
    /// [`OnLimit::Delay`]); a send can override it.
    pub fn on_member_limit(mut self, on_limit: OnLimit) -> Self {
        self.on_member_limit = on_limit;
        self
    }

    /// The per-member limits.
    pub fn limits(&self) -> &[Limit] {
        &self.member_limits
    }

    /// WeCom's limits per member and app in app group chats: 200 per minute and 10,000 per day;
    /// WeCom drops the excess without an error.
    pub const WECOM_CHAT_MEMBER_LIMITS: [Limit; 2] = [
        Limit::per_minute(wecom_model::limits::CHAT_MEMBER_PER_MINUTE),
        Limit::per_day(wecom_model::limits::CHAT_MEMBER_PER_DAY),
    ];

    /// WeCom's corp-wide limit for app group chats: 20,000 person-messages per minute (a message
    /// to a chat of 100 members counts 100).
    pub const WECOM_CHAT_CORP_LIMIT: Limit =
        Limit::per_minute(wecom_model::limits::CHAT_CORP_PER_MINUTE);

    /// What happens to a message that would exceed a member's limit.
    pub fn on_member_limit_mode(&self) -> OnLimit {
        self.on_member_limit
    }

    /// Checks the settings; the problem in words.
    pub(crate) fn check(&self) -> Result<(), String> {
        for limit in
            self.member_limits.iter().chain(&self.chat_member_limits).chain(&self.chat_corp_limit)
        {
            if limit.max == 0 || limit.per < Duration::from_millis(1) {
                return Err(format!(
                    "throttle: a member limit needs at least 1 message per at least 1 ms, got \
                     {} per {:?}",
                    limit.max, limit.per
                ));
            }
        }
        if self.requests_per_second == Some(0) {
            return Err("throttle: requests_per_second must be at least 1".into());
        }
        if self.max_in_flight == Some(0) {
            return Err("throttle: max_in_flight must be at least 1".into());
        }
        Ok(())
    }
}

/// The guarded state is replaced in single steps, so a poisoned lock is safe to use.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked() {
        assert!(Throttle::new().check().is_ok());
        assert!(Throttle::new().member_limits([Limit::per_minute(0)]).check().is_err());
        assert!(Throttle::new().member_limits([Limit::new(1, Duration::ZERO)]).check().is_err());
        assert!(Throttle::new().requests_per_second(0).check().is_err());
        assert!(Throttle::new().max_in_flight(0).check().is_err());
        assert!(Throttle::new().without_member_limits().check().is_ok());
        assert_eq!(Throttle::default().limits(), WECOM_MEMBER_LIMITS);
    }
}
