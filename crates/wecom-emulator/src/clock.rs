//! The virtual clock. Every time-based rule of the emulator (token lifetime, media expiry,
//! recall window, `response_code` lifetime, duplicate check, per-member limits) reads this
//! clock, which is the system clock plus an offset that `POST /emulator/clock/advance` moves
//! forward. Tests cover hours or days of WeCom behaviour in milliseconds.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The system clock shifted by an adjustable offset. Times are Unix milliseconds.
#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    /// A clock at the system time (offset 0).
    pub fn new() -> Self {
        Self::default()
    }

    /// Virtual now, in Unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        system_ms() + self.offset_ms.load(Ordering::Relaxed)
    }

    /// Virtual now, in Unix seconds.
    pub fn now_secs(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    /// Moves the clock forward by `seconds` (never backwards: rules assume time only grows).
    /// The offset stops at about 73 million years, so that no amount of advancing wraps.
    pub fn advance(&self, seconds: u64) {
        let ms = i64::try_from(seconds.saturating_mul(1000)).unwrap_or(MAX_OFFSET_MS);
        let _ = self.offset_ms.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |o| {
            Some(o.saturating_add(ms).min(MAX_OFFSET_MS))
        });
    }

    /// How far the clock is ahead of the system clock, in milliseconds.
    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }

    /// Sets the offset (used when restoring persisted state and on reset).
    pub fn set_offset_ms(&self, offset: i64) {
        self.offset_ms.store(offset.clamp(0, MAX_OFFSET_MS), Ordering::Relaxed);
    }
}

/// The largest offset: far beyond any test, and far enough from `i64::MAX` that virtual
/// times plus the emulator's longest lifetimes (days) never overflow.
const MAX_OFFSET_MS: i64 = i64::MAX / 4;

fn system_ms() -> i64 {
    let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX / 4)
}

#[cfg(test)]
mod tests {
    use super::Clock;

    #[test]
    fn advance_moves_virtual_time_by_whole_seconds() {
        let clock = Clock::new();
        clock.advance(7200);
        assert_eq!(clock.offset_ms(), 7_200_000);
        clock.advance(1);
        assert_eq!(clock.offset_ms(), 7_201_000);
        assert!(clock.now_secs() >= 7201);
    }

    #[test]
    fn a_huge_advance_saturates_instead_of_wrapping() {
        let clock = Clock::new();
        for _ in 0..8 {
            clock.advance(u64::MAX);
        }
        assert!(clock.offset_ms() > 0, "the offset wrapped to {}", clock.offset_ms());
        assert!(clock.now_ms() > 0 && clock.now_ms().checked_add(30 * 86_400_000).is_some());
    }

    #[test]
    fn offset_cannot_go_negative() {
        let clock = Clock::new();
        clock.set_offset_ms(-5);
        assert_eq!(clock.offset_ms(), 0);
    }
}
