//! How failed calls are retried: what is retried is decided by one pure function,
//! [`classify`] (in `classify`), from the kind of request, how it failed and which attempt it
//! was; how often and how long to wait is the [`RetryPolicy`]: bounded attempts with
//! exponential backoff, jittered by the call loop.

mod classify;

use std::time::Duration;

pub(crate) use classify::{Action, Attempt, Outcome, RequestKind, classify};

/// Bounded retries with exponential backoff and jitter.
///
/// Used for errcode −1 (system busy), for connections that could not be opened, and — for
/// calls that are safe to repeat — for timeouts and broken connections. The default is at
/// most 3 attempts in total, waiting about 200 ms and then 400 ms.
///
/// ```
/// use std::time::Duration;
/// let policy = wecom::RetryPolicy::default()
///     .max_attempts(5)
///     .base_delay(Duration::from_millis(100))
///     .max_delay(Duration::from_secs(1));
/// assert_eq!(policy.attempts(), 5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(2),
        }
    }
}

impl RetryPolicy {
    /// No retries: every call is attempted once.
    pub fn never() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// At most `attempts` tries in total, including the first (at least 1).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry; it doubles for each further retry.
    #[must_use]
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest wait between two tries.
    #[must_use]
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The maximum number of tries in total.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The longest wait after failed attempt number `attempt` (1-based):
    /// `base · 2^(attempt−1)`, capped at the maximum. Deterministic; see
    /// [`jitter`](Self::jitter).
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let exp = attempt.saturating_sub(1).min(16);
        self.base_delay.saturating_mul(1 << exp).min(self.max_delay)
    }

    /// `full` jittered uniformly into its upper half, so that clients failing together do
    /// not retry together. The only randomness in retrying.
    pub(crate) fn jitter(full: Duration) -> Duration {
        let half = full / 2;
        let nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        if nanos == 0 {
            return full;
        }
        half + Duration::from_nanos(rand::random_range(0..=nanos))
    }

    /// The wait after failed attempt number `attempt`: its [`backoff`](Self::backoff),
    /// [jittered](Self::jitter).
    #[cfg(test)]
    fn delay(&self, attempt: u32) -> Duration {
        Self::jitter(self.backoff(attempt))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_exponentially_within_jitter_bounds_and_are_capped() {
        let policy = RetryPolicy::default()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(350));
        for _ in 0..200 {
            let d1 = policy.delay(1);
            assert!(d1 >= Duration::from_millis(50) && d1 <= Duration::from_millis(100), "{d1:?}");
            let d2 = policy.delay(2);
            assert!(d2 >= Duration::from_millis(100) && d2 <= Duration::from_millis(200), "{d2:?}");
            let d3 = policy.delay(3);
            assert!(d3 >= Duration::from_millis(175) && d3 <= Duration::from_millis(350), "{d3:?}");
            let d40 = policy.delay(40);
            assert!(d40 <= Duration::from_millis(350), "{d40:?}");
        }
    }

    #[test]
    fn jitter_actually_varies() {
        let policy = RetryPolicy::default().base_delay(Duration::from_secs(1));
        let samples: std::collections::HashSet<_> = (0..20).map(|_| policy.delay(1)).collect();
        assert!(samples.len() > 1);
    }

    #[test]
    fn backoff_is_the_deterministic_ceiling_of_the_delay() {
        let policy = RetryPolicy::default()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(350));
        let backoffs: Vec<_> = (1..=4).map(|n| policy.backoff(n).as_millis()).collect();
        assert_eq!(backoffs, [100, 200, 350, 350]);
        assert_eq!(policy.backoff(u32::MAX), Duration::from_millis(350));
    }

    #[test]
    fn zero_delay_and_attempt_floor() {
        let policy = RetryPolicy::default().base_delay(Duration::ZERO).max_attempts(0);
        assert_eq!(policy.delay(3), Duration::ZERO);
        assert_eq!(policy.attempts(), 1);
        assert_eq!(RetryPolicy::never().attempts(), 1);
        assert_eq!(RetryPolicy::default().attempts(), 3);
    }
}
