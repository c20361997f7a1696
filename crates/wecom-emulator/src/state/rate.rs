//! Per-member delivery counters for WeCom's limits (30 a minute, 1,000 an hour per member and
//! app, both configurable): two sliding windows of 60 buckets each — seconds for the minute,
//! minutes for the hour — with a running total, so a check costs the same whatever the
//! limits and however many deliveries the window holds.
//!
//! The windows slide in whole buckets: a delivery counts for the minute until the 60th
//! second after the one it fell in, and for the hour until the 60th minute. WeCom does not
//! say how its windows move; this reading never admits more than the limit in any 60
//! seconds (or 60 minutes).

const BUCKETS: usize = 60;
const BUCKETS_I64: i64 = 60;

/// The slot of bucket number `b`.
fn slot(b: i64) -> usize {
    usize::try_from(b.rem_euclid(BUCKETS_I64)).unwrap_or(0)
}

/// One sliding window of 60 buckets.
#[derive(Debug, Clone)]
struct Window {
    counts: [u32; BUCKETS],
    /// The bucket number (time / bucket width) of the newest bucket.
    head: i64,
    total: u32,
}

impl Window {
    fn new() -> Self {
        Self { counts: [0; BUCKETS], head: i64::MIN, total: 0 }
    }

    /// Moves the window so that `bucket` is the newest one, forgetting older buckets.
    fn slide(&mut self, bucket: i64) {
        if bucket <= self.head {
            return;
        }
        let gap = bucket.saturating_sub(self.head);
        if gap >= BUCKETS_I64 || self.head == i64::MIN {
            self.counts = [0; BUCKETS];
            self.total = 0;
        } else {
            for b in self.head + 1..=bucket {
                let count = &mut self.counts[slot(b)];
                self.total -= *count;
                *count = 0;
            }
        }
        self.head = bucket;
    }

    fn add(&mut self) {
        self.counts[slot(self.head)] += 1;
        self.total += 1;
    }
}

/// The deliveries of one member by one app in the last minute and the last hour.
#[derive(Debug, Clone)]
pub(crate) struct MemberRate {
    minute: Window,
    hour: Window,
}

impl Default for MemberRate {
    fn default() -> Self {
        Self { minute: Window::new(), hour: Window::new() }
    }
}

impl MemberRate {
    /// Whether one more delivery at `now_ms` fits both limits; if so, counts it.
    #[cfg(test)]
    pub(crate) fn admit(&mut self, now_ms: i64, per_min: u32, per_hour: u32) -> bool {
        self.admit_in(now_ms, 60_000, per_min, per_hour)
    }

    /// [`admit`](Self::admit) with a "minute" window of `minute_ms` (60 buckets of a
    /// sixtieth each; shorter than a minute for fast tests).
    pub(crate) fn admit_in(
        &mut self,
        now_ms: i64,
        minute_ms: i64,
        per_min: u32,
        per_hour: u32,
    ) -> bool {
        self.minute.slide(now_ms.div_euclid((minute_ms / BUCKETS_I64).max(1)));
        self.hour.slide(now_ms.div_euclid(60_000));
        if self.minute.total >= per_min || self.hour.total >= per_hour {
            return false;
        }
        self.minute.add();
        self.hour.add();
        true
    }

    /// Counts a delivery made at `at_ms` unconditionally (rebuilding after a restart; calls
    /// come in time order).
    pub(crate) fn count(&mut self, at_ms: i64) {
        self.minute.slide(at_ms.div_euclid(1000));
        self.hour.slide(at_ms.div_euclid(60_000));
        self.minute.add();
        self.hour.add();
    }
}

#[cfg(test)]
mod tests {
    use super::MemberRate;

    #[test]
    fn the_minute_window_forgets_deliveries_after_sixty_seconds() {
        let mut r = MemberRate::default();
        assert!((0..30).all(|i| r.admit(1000 + i, 30, 1000)));
        assert!(!r.admit(1500, 30, 1000));
        assert!(!r.admit(60_999, 30, 1000), "59 s later the minute is still full");
        assert!(r.admit(61_000, 30, 1000), "60 s after their second they no longer count");
    }

    #[test]
    fn a_short_minute_window_slides_in_sixtieths() {
        let mut r = MemberRate::default();
        // A 2-second "minute": buckets of 33 ms.
        assert!((0..10).all(|i| r.admit_in(1000 + i, 2000, 10, 1000)));
        assert!(!r.admit_in(2900, 2000, 10, 1000), "still inside the 2 s window");
        assert!(
            r.admit_in(3000 + 33, 2000, 10, 1000),
            "2 s after their bucket they no longer count"
        );
    }

    #[test]
    fn the_hour_window_counts_sixty_minutes() {
        let mut r = MemberRate::default();
        for m in 0..40 {
            assert!((0..25).all(|i| r.admit(m * 60_000 + i, 30, 1000)));
        }
        assert!(!r.admit(40 * 60_000, 30, 1000));
        assert!(r.admit(3_600_000 + 1, 30, 1000), "minute 0 has left the hour");
    }

    #[test]
    fn raised_limits_cost_nothing_per_delivery_and_a_long_gap_resets() {
        let mut r = MemberRate::default();
        // 100,000 in one second: every check is O(1).
        assert!((0..100_000).all(|_| r.admit(5_000, 100_000, 6_000_000)));
        assert!(!r.admit(5_000, 100_000, 6_000_000));
        // Days later (a far clock advance), everything is forgotten.
        assert!(r.admit(5_000 + 3 * 86_400_000, 100_000, 6_000_000));
        // A huge jump does not overflow.
        assert!(r.admit(i64::MAX / 2, 1, 1));
        assert!(!r.admit(i64::MAX / 2, 1, 1));
    }
}
