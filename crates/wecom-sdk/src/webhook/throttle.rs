//! The per-key webhook throttle: at most 20 messages per sliding minute for each webhook key,
//! shared by every [`WebhookClient`](super::WebhookClient) of the key in the process.
//!
//! WeCom documents 20 messages a minute per webhook but not the window's shape; the safe
//! reading is a sliding window, so a send is admitted only when fewer than 20 sends of the key
//! went out in the last minute — plus a small margin (a twentieth of the window), because
//! WeCom counts arrivals and a request can take longer to arrive than the one 20 before it.
//! Each caller reserves its own slot, so queued sends leave in order and none is lost.
//! Uploads are not counted (whether WeCom counts them is unverified).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, Weak};
use std::time::Duration;

use tokio::time::Instant;

use crate::throttle::{Limit, OnLimit};
use wecom_model::webhook::MESSAGES_PER_MINUTE;

/// How a [`WebhookClient`](super::WebhookClient) keeps within WeCom's 20 messages per minute
/// per webhook. Off unless set with
/// [`WebhookClientBuilder::throttle`](super::WebhookClientBuilder::throttle).
///
/// ```
/// use std::time::Duration;
/// use wecom::OnLimit;
/// use wecom::webhook::WebhookThrottle;
///
/// let delay = WebhookThrottle::new(); // 20 per minute, waiting for a free slot
/// let report = WebhookThrottle::new().on_limit(OnLimit::Report);
/// assert_eq!(delay.limit().max(), 20);
/// # let _ = report;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebhookThrottle {
    limit: Limit,
    on_limit: OnLimit,
    backoff: Duration,
    max_backoffs: u32,
}

impl Default for WebhookThrottle {
    fn default() -> Self {
        Self::new()
    }
}

impl WebhookThrottle {
    /// WeCom's limit (20 per minute), delaying sends that do not fit, and waiting 65 s
    /// before repeating a send WeCom refused with 45009 (at most twice).
    pub fn new() -> Self {
        Self {
            limit: Limit::per_minute(MESSAGES_PER_MINUTE),
            on_limit: OnLimit::Delay,
            backoff: Duration::from_secs(65),
            max_backoffs: 2,
        }
    }

    /// Another limit than WeCom's (for a gateway with its own, or a test).
    #[must_use]
    pub fn limit_to(mut self, limit: Limit) -> Self {
        self.limit = limit;
        self
    }

    /// What happens to a send that does not fit: wait for a slot ([`OnLimit::Delay`], the
    /// default) or fail at once with [`Error::Throttled`](crate::Error::Throttled)
    /// ([`OnLimit::Report`]), having sent nothing.
    #[must_use]
    pub fn on_limit(mut self, on_limit: OnLimit) -> Self {
        self.on_limit = on_limit;
        self
    }

    /// With [`OnLimit::Delay`]: how long to wait before repeating a send WeCom refused with
    /// 45009 (another process using the same key, say), and how many times (default 65 s,
    /// twice; `0` times turns it off). WeCom blocks a key for the rest of the window.
    #[must_use]
    pub fn rejected_backoff(mut self, wait: Duration, times: u32) -> Self {
        self.backoff = wait;
        self.max_backoffs = times;
        self
    }

    /// The limit kept to.
    pub fn limit(&self) -> Limit {
        self.limit
    }

    pub(crate) fn mode(&self) -> OnLimit {
        self.on_limit
    }

    pub(crate) fn backoff(&self) -> Option<(Duration, u32)> {
        (self.on_limit == OnLimit::Delay && self.max_backoffs > 0)
            .then_some((self.backoff, self.max_backoffs))
    }

    pub(crate) fn check(&self) -> Result<(), String> {
        if self.limit.max() == 0 || self.limit.per().is_zero() {
            return Err("the webhook throttle's limit must allow at least one send".into());
        }
        Ok(())
    }
}

/// The reserved send times of one key, oldest first (at most `max` within a window).
#[derive(Debug)]
pub(crate) struct KeyWindow {
    limit: Limit,
    slots: Mutex<VecDeque<Instant>>,
}

impl KeyWindow {
    /// An empty window for `limit`.
    pub(crate) fn new(limit: Limit) -> Self {
        Self { limit, slots: Mutex::default() }
    }

    /// The limit it keeps.
    pub(crate) fn limit(&self) -> Limit {
        self.limit
    }

    fn window(&self) -> Duration {
        self.limit.per() + self.limit.per() / 20
    }

    /// Reserves the next slot: `Ok(wait)` until it (zero when free now), or, with
    /// `report`, `Err(wait)` without reserving when none is free now.
    pub(crate) fn reserve(&self, now: Instant, report: bool) -> Result<Duration, Duration> {
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        let window = self.window();
        while slots.front().is_some_and(|t| *t + window <= now) {
            slots.pop_front();
        }
        let max = self.limit.max() as usize;
        let slot = if slots.len() < max {
            now.max(slots.back().copied().unwrap_or(now))
        } else {
            (slots[slots.len() - max] + window).max(*slots.back().unwrap_or(&now))
        };
        let wait = slot.saturating_duration_since(now);
        if report && !wait.is_zero() {
            return Err(wait);
        }
        slots.push_back(slot);
        Ok(wait)
    }
}

/// The window of `key` under `limit`, shared by every client of the key in the process.
pub(crate) fn window_for(key: &str, limit: Limit) -> Arc<KeyWindow> {
    type Registry = Mutex<HashMap<(String, Limit), Weak<KeyWindow>>>;
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    let mut map =
        REGISTRY.get_or_init(Registry::default).lock().unwrap_or_else(PoisonError::into_inner);
    map.retain(|_, w| w.strong_count() > 0);
    let entry = (key.to_owned(), limit);
    if let Some(window) = map.get(&entry).and_then(Weak::upgrade) {
        return window;
    }
    let window = Arc::new(KeyWindow { limit, slots: Mutex::default() });
    map.insert(entry, Arc::downgrade(&window));
    window
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(max: u32, secs: u64) -> KeyWindow {
        KeyWindow { limit: Limit::new(max, Duration::from_secs(secs)), slots: Mutex::default() }
    }

    #[test]
    fn twenty_go_at_once_and_the_next_waits_for_the_window() {
        let w = window(20, 60);
        let now = Instant::now();
        for _ in 0..20 {
            assert_eq!(w.reserve(now, false), Ok(Duration::ZERO));
        }
        assert_eq!(w.reserve(now, false), Ok(Duration::from_secs(63)));
        assert_eq!(w.reserve(now, true), Err(Duration::from_secs(63)));
    }

    #[test]
    fn a_burst_never_puts_more_than_the_limit_in_any_window() {
        let w = window(20, 60);
        let now = Instant::now();
        let slots: Vec<Duration> = (0..100).map(|_| w.reserve(now, false).unwrap()).collect();
        assert!(slots.windows(2).all(|p| p[0] <= p[1]), "in order");
        for (i, s) in slots.iter().enumerate() {
            let in_window = slots[i..].iter().filter(|t| **t < *s + Duration::from_secs(60));
            assert!(in_window.count() <= 20, "window from {s:?}");
        }
        assert_eq!(slots[99], Duration::from_secs(4 * 63));
    }

    #[test]
    fn clients_of_one_key_share_a_window() {
        let limit = Limit::per_minute(20);
        let a = window_for("key-shared-test", limit);
        let b = window_for("key-shared-test", limit);
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &window_for("another-key", limit)));
    }
}
