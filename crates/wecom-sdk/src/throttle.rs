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
//! of WeCom's. The counts live in the client's memory: clients that share an app (several processes, or
//! several clients in one) each count only their own sends. Per-member memory is bounded:
//! only members messaged within the longest window are remembered, each with at most one
//! small entry per message.
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
mod limit;
mod members;
mod rate;

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{Semaphore, SemaphorePermit};
use tokio::time::Instant;

pub use limit::{Limit, WECOM_CHAT_CORP_LIMIT, WECOM_CHAT_MEMBER_LIMITS, WECOM_MEMBER_LIMITS};
use members::{Admit, MemberWindows};
use rate::Gcra;

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

/// A throttle in use: the state behind a [`Throttle`].
#[derive(Debug)]
pub(crate) struct Limiter {
    settings: Throttle,
    start: Instant,
    members: Option<Mutex<MemberWindows>>,
    rate: Option<Mutex<Gcra>>,
    in_flight: Option<Semaphore>,
    chats: chats::ChatLimiter,
}

impl Limiter {
    pub(crate) fn new(settings: Throttle) -> Self {
        Self {
            start: Instant::now(),
            members: (!settings.member_limits.is_empty())
                .then(|| Mutex::new(MemberWindows::new(&settings.member_limits))),
            rate: settings.requests_per_second.map(|n| Mutex::new(Gcra::new(n))),
            in_flight: settings.max_in_flight.map(Semaphore::new),
            chats: chats::ChatLimiter::new(&settings.chat_member_limits, settings.chat_corp_limit),
            settings,
        }
    }

    /// The settings it was made from.
    pub(crate) fn settings(&self) -> &Throttle {
        &self.settings
    }

    /// Waits for a slot of the app-wide rate and a place among the requests in flight; the
    /// place is held as long as the returned permit.
    pub(crate) async fn admit_request(&self) -> Option<SemaphorePermit<'_>> {
        if let Some(rate) = &self.rate {
            let wait = lock(rate).reserve(Instant::now());
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
        }
        match &self.in_flight {
            // The semaphore is never closed.
            Some(semaphore) => semaphore.acquire().await.ok(),
            None => None,
        }
    }

    /// The app group chat part.
    pub(crate) fn chats(&self) -> &chats::ChatLimiter {
        &self.chats
    }

    /// Whether member ids are counted.
    pub(crate) fn counts_members(&self) -> bool {
        self.members.is_some()
    }

    /// Waits until one more message fits every member of `users`, and counts it.
    pub(crate) async fn wait_for_members(&self, users: &[String]) {
        let Some(members) = &self.members else { return };
        loop {
            let admit = {
                let mut windows = lock(members);
                let now = self.tick(windows.tick());
                windows.admit_all(users, now)
            };
            match admit {
                Admit::Now => return,
                Admit::Wait(wait) => {
                    tracing::debug!(
                        members = users.len(),
                        wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                        "delaying a message to stay within the per-member limits"
                    );
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    /// Counts one message for each member of `users` that fits now; returns the positions of
    /// those that do not.
    pub(crate) fn admit_members_now(&self, users: &[String]) -> Vec<usize> {
        let Some(members) = &self.members else { return Vec::new() };
        let mut windows = lock(members);
        let now = self.tick(windows.tick());
        windows.admit_each(users, now)
    }

    fn tick(&self, tick: Duration) -> u64 {
        let elapsed = Instant::now().saturating_duration_since(self.start);
        u64::try_from(elapsed.as_nanos() / tick.as_nanos().max(1)).unwrap_or(u64::MAX)
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

    #[tokio::test(start_paused = true)]
    async fn delayed_messages_wait_on_the_clock() {
        let limiter =
            Limiter::new(Throttle::new().member_limits([Limit::new(2, Duration::from_secs(6))]));
        let alice = vec!["alice".to_owned()];
        let start = Instant::now();
        for _ in 0..2 {
            limiter.wait_for_members(&alice).await;
        }
        assert_eq!(Instant::now(), start, "the first two fit at once");
        limiter.wait_for_members(&alice).await;
        // Tick = 100 ms; the window of 60 ticks is counted as 61 (its partial oldest tick),
        // and the first two leave it one tick later (the way to WeCom): 6.2 s.
        assert_eq!(Instant::now() - start, Duration::from_millis(6200));
        assert_eq!(limiter.admit_members_now(&alice), Vec::<usize>::new());
        assert_eq!(limiter.admit_members_now(&alice), [0]);
    }

    #[tokio::test(start_paused = true)]
    async fn the_in_flight_cap_and_the_rate_hold_callers_back() {
        let limiter = Limiter::new(Throttle::new().max_in_flight(1).requests_per_second(2));
        let start = Instant::now();
        let first = limiter.admit_request().await;
        assert!(first.is_some());
        let second = tokio::time::timeout(Duration::from_secs(60), limiter.admit_request()).await;
        assert!(second.is_err(), "no second request while the first is in flight");
        drop(first);
        // The third gets its place once the first is released.
        let _third = limiter.admit_request().await;
        assert!(Instant::now() - start >= Duration::from_secs(60));
    }
}
