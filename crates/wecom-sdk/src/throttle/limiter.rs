//! [`Limiter`]: a [`Throttle`] in use — its counts (in memory, or in a shared
//! [`LimitStore`] with a fallback to memory) and its cap on requests in flight.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Semaphore, SemaphorePermit};

use super::health::Health;
use super::memory::MemoryLimitStore;
use super::store::{LimitScope, LimitStore, MemberDecision};
use super::{OnLimit, Throttle};

/// A throttle in use: the state behind a [`Throttle`].
#[derive(Debug)]
pub(crate) struct Limiter {
    settings: Throttle,
    scope: LimitScope,
    /// This process's counts: all of them without a shared store, the fallback with one.
    local: MemoryLimitStore,
    shared: Option<Arc<dyn LimitStore>>,
    health: Health,
    in_flight: Option<Semaphore>,
    /// The app group chat counts (this process's own).
    chats: super::chats::ChatLimiter,
}

/// The distinct member keys of a request, and which key each id of the request maps to.
struct Members<'u> {
    keys: Vec<Cow<'u, str>>,
    /// `key_of[i]`: the position in `keys` of `users[i]`.
    key_of: Vec<usize>,
}

impl<'u> Members<'u> {
    fn of(users: &'u [String]) -> Self {
        let mut keys: Vec<Cow<'u, str>> = Vec::with_capacity(users.len());
        let mut key_of = Vec::with_capacity(users.len());
        if users.len() == 1 {
            keys.push(crate::message::member_key(&users[0]));
            key_of.push(0);
            return Self { keys, key_of };
        }
        let mut seen: HashMap<Cow<'u, str>, usize> = HashMap::with_capacity(users.len());
        for user in users {
            let key = crate::message::member_key(user);
            let at = *seen.entry(key.clone()).or_insert_with(|| {
                keys.push(key);
                keys.len() - 1
            });
            key_of.push(at);
        }
        Self { keys, key_of }
    }

    fn refs(&self) -> Vec<&str> {
        self.keys.iter().map(AsRef::as_ref).collect()
    }
}

impl Limiter {
    pub(crate) fn new(
        settings: Throttle,
        scope: LimitScope,
        shared: Option<Arc<dyn LimitStore>>,
    ) -> Self {
        Self {
            in_flight: settings.max_in_flight.map(Semaphore::new),
            chats: super::chats::ChatLimiter::new(
                &settings.chat_member_limits,
                settings.chat_corp_limit,
            ),
            settings,
            scope,
            local: MemoryLimitStore::new(),
            shared,
            health: Health::default(),
        }
    }

    /// The settings it was made from.
    pub(crate) fn settings(&self) -> &Throttle {
        &self.settings
    }

    /// The app group chat part.
    pub(crate) fn chats(&self) -> &super::chats::ChatLimiter {
        &self.chats
    }

    /// Decisions taken on local counts because the shared store failed.
    pub(crate) fn fallbacks(&self) -> u64 {
        self.health.fallbacks()
    }

    /// Waits for a slot of the app-wide rate and a place among the requests in flight; the
    /// place is held as long as the returned permit.
    pub(crate) async fn admit_request(&self) -> Option<SemaphorePermit<'_>> {
        if let Some(n) = self.settings.requests_per_second {
            let wait = match &self.shared {
                None => self.local.request_now(&self.scope, n),
                Some(store) => match store.reserve_request(&self.scope, n).await {
                    Ok(wait) => {
                        self.health.ok();
                        wait
                    }
                    Err(err) => {
                        self.health.failed("request rate", &err);
                        self.local.request_now(&self.scope, n)
                    }
                },
            };
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

    /// Whether member ids are counted.
    pub(crate) fn counts_members(&self) -> bool {
        !self.settings.member_limits.is_empty()
    }

    /// One member decision: through the shared store, or locally if there is none or it
    /// fails.
    async fn decide(&self, members: &[&str], mode: OnLimit) -> MemberDecision {
        let limits = &self.settings.member_limits;
        let Some(store) = &self.shared else {
            return self.local.members_now(&self.scope, members, limits, mode);
        };
        match store.admit_members(&self.scope, members, limits, mode).await {
            Ok(decision) => {
                self.health.ok();
                // Keep this process's own counts current, so that a fallback starts from
                // what this process sent rather than from nothing.
                if let MemberDecision::Admitted { held } = &decision {
                    if held.is_empty() {
                        self.local.record_members(&self.scope, members, limits);
                    } else {
                        let sent: Vec<&str> = (0..members.len())
                            .filter(|i| held.binary_search(i).is_err())
                            .map(|i| members[i])
                            .collect();
                        self.local.record_members(&self.scope, &sent, limits);
                    }
                }
                decision
            }
            Err(err) => {
                self.health.failed("member limits", &err);
                self.local.members_now(&self.scope, members, limits, mode)
            }
        }
    }

    /// Waits until one more message fits every member of `users`, and counts it.
    pub(crate) async fn wait_for_members(&self, users: &[String]) {
        if !self.counts_members() || users.is_empty() {
            return;
        }
        let members = Members::of(users);
        let keys = members.refs();
        loop {
            match self.decide(&keys, OnLimit::Delay).await {
                MemberDecision::Admitted { .. } => return,
                MemberDecision::Wait(wait) => {
                    tracing::debug!(
                        members = keys.len(),
                        wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                        "delaying a message to stay within the per-member limits"
                    );
                    // Never spin: a store answering "wait 0" still yields a millisecond.
                    tokio::time::sleep(wait.max(Duration::from_millis(1))).await;
                }
            }
        }
    }

    /// Counts one message for each member of `users` that fits now; returns the positions of
    /// those that do not (a repeated id shares the fate of its first occurrence).
    pub(crate) async fn admit_members_now(&self, users: &[String]) -> Vec<usize> {
        if !self.counts_members() || users.is_empty() {
            return Vec::new();
        }
        let members = Members::of(users);
        let held = match self.decide(&members.refs(), OnLimit::Report).await {
            MemberDecision::Admitted { held } => held,
            // A store answering Wait in report mode: hold everyone back, count nothing.
            MemberDecision::Wait(_) => (0..members.keys.len()).collect(),
        };
        if held.is_empty() {
            return held;
        }
        let mut held_key = vec![false; members.keys.len()];
        for k in held {
            if let Some(slot) = held_key.get_mut(k) {
                *slot = true;
            }
        }
        (0..users.len()).filter(|&i| held_key[members.key_of[i]]).collect()
    }
}

#[cfg(test)]
mod tests {
    use tokio::time::Instant;

    use super::super::Limit;
    use super::*;

    fn limiter(throttle: Throttle) -> Limiter {
        Limiter::new(throttle, LimitScope::new("ww1", 1), None)
    }

    #[tokio::test(start_paused = true)]
    async fn delayed_messages_wait_on_the_clock() {
        let limiter =
            limiter(Throttle::new().member_limits([Limit::new(2, Duration::from_secs(6))]));
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
        assert_eq!(limiter.admit_members_now(&alice).await, Vec::<usize>::new());
        assert_eq!(limiter.admit_members_now(&alice).await, [0]);
    }

    #[tokio::test(start_paused = true)]
    async fn report_mode_maps_held_members_back_to_every_occurrence() {
        let limiter = limiter(Throttle::new().member_limits([Limit::per_minute(1)]));
        let ids = |names: &[&str]| names.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert!(limiter.admit_members_now(&ids(&["alice"])).await.is_empty());
        assert_eq!(limiter.admit_members_now(&ids(&["Alice", "bob", "alice"])).await, [0, 2]);
    }

    #[tokio::test(start_paused = true)]
    async fn the_in_flight_cap_and_the_rate_hold_callers_back() {
        let limiter = limiter(Throttle::new().max_in_flight(1).requests_per_second(2));
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
