//! An app-wide request rate: GCRA (a token bucket kept as one timestamp), allowing a burst
//! of one second's worth of requests and then the steady rate.

use std::time::Duration;

use tokio::time::Instant;

/// The generic cell rate algorithm with reservation: every caller is given its own slot, so
/// concurrent waiters leave in order instead of waking together.
#[derive(Debug)]
pub(crate) struct Gcra {
    /// Time between two requests at the steady rate.
    interval: Duration,
    /// How far ahead of the steady schedule a burst may run.
    tolerance: Duration,
    /// The theoretical arrival time of the next request.
    next: Option<Instant>,
}

impl Gcra {
    /// `per_second` requests per second (at least 1), in bursts of up to `per_second`.
    pub(crate) fn new(per_second: u32) -> Self {
        let per_second = per_second.max(1);
        let interval = Duration::from_secs(1) / per_second;
        Self { interval, tolerance: interval * (per_second - 1), next: None }
    }

    /// Reserves the next slot at `now`; returns how long to wait for it.
    pub(crate) fn reserve(&mut self, now: Instant) -> Duration {
        let tat = self.next.map_or(now, |next| next.max(now));
        let allowed_at = tat.checked_sub(self.tolerance).unwrap_or(now);
        self.next = Some(tat + self.interval);
        allowed_at.saturating_duration_since(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_of_one_second_then_the_steady_rate() {
        let now = Instant::now();
        let mut rate = Gcra::new(4);
        let waits: Vec<_> = (0..8).map(|_| rate.reserve(now)).collect();
        let ms = |n| Duration::from_millis(n);
        assert_eq!(waits, [ms(0), ms(0), ms(0), ms(0), ms(250), ms(500), ms(750), ms(1000)]);
        // After a quiet period the burst is available again, not more.
        let later = now + Duration::from_secs(10);
        let waits: Vec<_> = (0..5).map(|_| rate.reserve(later)).collect();
        assert_eq!(waits, [ms(0), ms(0), ms(0), ms(0), ms(250)]);
    }

    #[test]
    fn one_per_second_has_no_burst() {
        let now = Instant::now();
        let mut rate = Gcra::new(1);
        assert_eq!(rate.reserve(now), Duration::ZERO);
        assert_eq!(rate.reserve(now), Duration::from_secs(1));
        assert_eq!(rate.reserve(now + Duration::from_secs(5)), Duration::ZERO);
    }
}
