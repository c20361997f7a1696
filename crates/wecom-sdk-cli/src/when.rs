//! Points in time for people: a UTC date and time (`2026-12-05 06:40 UTC`) and how far it is
//! from now (`in 3 days`, `2 hours ago`), without a date library.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// `YYYY-MM-DD HH:MM UTC` for a Unix time in seconds.
pub(crate) fn utc(unix_secs: u64) -> String {
    let days = i64::try_from(unix_secs / 86_400).unwrap_or(i64::MAX / 2);
    let secs = unix_secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02} UTC", secs / 3600, secs % 3600 / 60)
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// `in 3 days` / `2 hours ago`: the largest whole unit between `now` and `at`.
pub(crate) fn relative(at: SystemTime, now: SystemTime) -> String {
    let (span, future) = match at.duration_since(now) {
        Ok(d) => (d, true),
        Err(e) => (e.duration(), false),
    };
    let amount = span_words(span);
    if future { format!("in {amount}") } else { format!("{amount} ago") }
}

fn span_words(d: Duration) -> String {
    let s = d.as_secs();
    let (n, unit) = if s >= 86_400 {
        ((s + 43_200) / 86_400, "day")
    } else if s >= 3600 {
        ((s + 1800) / 3600, "hour")
    } else if s >= 60 {
        ((s + 30) / 60, "minute")
    } else {
        (s, "second")
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// `2026-12-05 06:40 UTC, in 3 days`.
pub(crate) fn both(at: SystemTime) -> String {
    let secs = at.duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or_default();
    format!("{}, {}", utc(secs), relative(at, SystemTime::now()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_calendar_dates() {
        assert_eq!(utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(utc(1_796_452_800), "2026-12-05 06:40 UTC");
    }

    #[test]
    fn relative_times_round_to_the_largest_unit() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let later = |s| now + Duration::from_secs(s);
        assert_eq!(relative(later(3 * 86_400 - 5), now), "in 3 days");
        assert_eq!(relative(later(3600), now), "in 1 hour");
        assert_eq!(relative(later(90), now), "in 2 minutes");
        assert_eq!(relative(now - Duration::from_secs(7200), now), "2 hours ago");
    }
}
