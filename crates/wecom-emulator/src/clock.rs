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

    /// The furthest the clock can be ahead of the system clock: about 10,000 years, so that
    /// virtual time (and every expiry computed from it) stays far from overflowing.
    pub const MAX_OFFSET_MS: i64 = 10_000 * 366 * 24 * 3600 * 1000;

    /// Moves the clock forward by `seconds` (never backwards: rules assume time only grows).
    /// A huge advance saturates at [`Clock::MAX_OFFSET_MS`] instead of wrapping around.
    pub fn advance(&self, seconds: u64) {
        let ms = i64::try_from(seconds.saturating_mul(1000)).unwrap_or(i64::MAX);
        let _ = self.offset_ms.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |offset| {
            Some(offset.saturating_add(ms).clamp(0, Self::MAX_OFFSET_MS))
        });
    }

    /// How far the clock is ahead of the system clock, in milliseconds.
    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }

    /// Sets the offset (used when restoring persisted state and on reset), kept within 0 and
    /// [`Clock::MAX_OFFSET_MS`].
    pub fn set_offset_ms(&self, offset: i64) {
        self.offset_ms.store(offset.clamp(0, Self::MAX_OFFSET_MS), Ordering::Relaxed);
    }
}

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
        clock.advance(u64::MAX);
        assert_eq!(clock.offset_ms(), Clock::MAX_OFFSET_MS);
        // Again, and by a little more: still at the end of the range, never negative.
        clock.advance(u64::MAX);
        clock.advance(1);
        assert_eq!(clock.offset_ms(), Clock::MAX_OFFSET_MS);
        assert!(clock.now_secs() > 0);
        // Just under the range then past it, in steps that would wrap an i64.
        let clock = Clock::new();
        clock.advance(u64::try_from(i64::MAX / 1000).unwrap());
        clock.advance(u64::try_from(i64::MAX / 1000).unwrap());
        assert_eq!(clock.offset_ms(), Clock::MAX_OFFSET_MS);
        clock.set_offset_ms(i64::MAX);
        assert_eq!(clock.offset_ms(), Clock::MAX_OFFSET_MS);
    }

    #[test]
    fn offset_cannot_go_negative() {
        let clock = Clock::new();
        clock.set_offset_ms(-5);
        assert_eq!(clock.offset_ms(), 0);
    }
}
