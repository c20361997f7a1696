//! Per-member sliding windows: how many messages each member received recently, in bounded
//! memory.
//!
//! Time is counted in ticks (a sixtieth of the shortest window). Each member keeps only the
//! ticks in which it received something, with a count per tick, and only for as long as the
//! longest window; a member with nothing left in any window is forgotten. So memory grows with
//! the members messaged in the last window (an hour by default), and one member costs at most
//! one entry per message in that window.
//!
//! A window is checked conservatively: every tick that overlaps it counts in full, plus one
//! more tick for the time a request takes to reach WeCom. No sliding window of the configured
//! length, however aligned, ever holds more than the limit; the price is that a full window
//! frees up to two ticks (two seconds for a one-minute window) later than it would at best.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use super::Limit;

/// One limit in ticks.
#[derive(Debug, Clone, Copy)]
struct TickLimit {
    max: u32,
    /// Ticks counted back from the current one (inclusive of both ends' partial ticks).
    span: u64,
}

/// Recent deliveries to one member: `(tick, count)`, oldest first.
#[derive(Debug, Default)]
struct History {
    events: Vec<(u64, u32)>,
}

impl History {
    /// Drops ticks no window can see any more.
    fn prune(&mut self, oldest_visible: u64) {
        let keep_from = self.events.partition_point(|&(tick, _)| tick < oldest_visible);
        if keep_from > 0 {
            self.events.drain(..keep_from);
        }
    }

    /// Ticks from now until one more delivery fits every limit (0: it fits now).
    fn wait_ticks(&self, now: u64, limits: &[TickLimit]) -> u64 {
        let mut wait = 0;
        for limit in limits {
            let from = now.saturating_sub(limit.span);
            let first = self.events.partition_point(|&(tick, _)| tick < from);
            let visible = &self.events[first..];
            let mut count: u64 = visible.iter().map(|&(_, n)| u64::from(n)).sum();
            if count < u64::from(limit.max) {
                continue;
            }
            // Let the oldest ticks fall out of the window until one more fits.
            for &(tick, n) in visible {
                count -= u64::from(n);
                if count < u64::from(limit.max) {
                    // `tick` leaves the window when `now - span > tick`.
                    wait = wait.max(tick + limit.span + 1 - now);
                    break;
                }
            }
        }
        wait
    }

    fn record(&mut self, now: u64) {
        match self.events.last_mut() {
            Some((tick, n)) if *tick == now => *n = n.saturating_add(1),
            _ => self.events.push((now, 1)),
        }
    }
}

/// The windows of every member messaged recently.
#[derive(Debug)]
pub(crate) struct MemberWindows {
    /// The limits as configured.
    configured: Vec<Limit>,
    tick: Duration,
    limits: Vec<TickLimit>,
    /// The longest span: older ticks are dropped.
    horizon: u64,
    members: HashMap<Box<str>, History>,
    next_sweep: u64,
}

/// What admitting one request decided.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Admit {
    /// Recorded for every member; send now.
    Now,
    /// Nothing recorded; some member fits only after this long.
    Wait(Duration),
}

impl MemberWindows {
    /// Windows for these limits (at least one).
    pub(crate) fn new(limits: &[Limit]) -> Self {
        let limits_in = limits;
        let shortest = limits.iter().map(|l| l.per).min().unwrap_or(Duration::from_secs(60));
        // A sixtieth of the shortest window, at least a millisecond.
        let tick = (shortest / 60).max(Duration::from_millis(1));
        let tick_nanos = tick.as_nanos();
        let limits: Vec<TickLimit> = limits
            .iter()
            .map(|l| {
                let ticks =
                    u64::try_from(l.per.as_nanos().div_ceil(tick_nanos)).unwrap_or(u64::MAX);
                // One tick for the partial tick at the window's old end, one for the way to
                // WeCom.
                TickLimit { max: l.max, span: ticks.saturating_add(1) }
            })
            .collect();
        let horizon = limits.iter().map(|l| l.span).max().unwrap_or(0);
        Self {
            configured: limits_in.to_vec(),
            tick,
            limits,
            horizon,
            members: HashMap::new(),
            next_sweep: 0,
        }
    }

    /// The limits these windows keep.
    pub(crate) fn limits(&self) -> &[Limit] {
        &self.configured
    }

    /// The tick length.
    pub(crate) fn tick(&self) -> Duration {
        self.tick
    }

    /// How many members are remembered.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.members.len()
    }

    /// Delay mode: records one delivery to each of `users` if all fit now; otherwise records
    /// nothing and says how long until they all fit.
    pub(crate) fn admit_all(&mut self, users: &[impl AsRef<str>], now: u64) -> Admit {
        self.sweep(now);
        let mut wait = 0;
        let mut keys = Keys::new(users.len());
        for user in users {
            let Some(key) = keys.first_time(user.as_ref()) else { continue };
            if let Some(history) = self.members.get_mut(&*key) {
                history.prune(now.saturating_sub(self.horizon));
                wait = wait.max(history.wait_ticks(now, &self.limits));
            }
        }
        if wait > 0 {
            return Admit::Wait(self.ticks_to_duration(wait));
        }
        self.record(users, now);
        Admit::Now
    }

    /// Records one delivery to each member of `users` (a repeated id once), whatever the
    /// limits: for sends another store admitted.
    pub(crate) fn record(&mut self, users: &[impl AsRef<str>], now: u64) {
        self.sweep(now);
        let mut keys = Keys::new(users.len());
        for user in users {
            let Some(key) = keys.first_time(user.as_ref()) else { continue };
            self.members.entry(key).or_default().record(now);
        }
    }

    /// Report mode: records one delivery to each member of `users` that fits now and returns
    /// the positions (in `users`) of those that do not. A repeated id shares the fate of its
    /// first occurrence.
    pub(crate) fn admit_each(&mut self, users: &[impl AsRef<str>], now: u64) -> Vec<usize> {
        self.sweep(now);
        let mut held = Vec::new();
        let mut decided: HashMap<Box<str>, bool> = HashMap::new();
        for (i, user) in users.iter().enumerate() {
            let key = member_key(user.as_ref());
            if users.len() > 1
                && let Some(&fits) = decided.get(&*key)
            {
                if !fits {
                    held.push(i);
                }
                continue;
            }
            let history = self.members.entry(key.clone()).or_default();
            history.prune(now.saturating_sub(self.horizon));
            let fits = history.wait_ticks(now, &self.limits) == 0;
            if fits {
                history.record(now);
            } else {
                held.push(i);
            }
            if users.len() > 1 {
                decided.insert(key, fits);
            }
        }
        held
    }

    /// All-or-nothing report mode (a chat message reaches every member or none): the
    /// positions of the members of `users` that one more delivery would put over a limit,
    /// recording nothing when there are any; otherwise records one delivery to each.
    pub(crate) fn admit_all_or_report(&mut self, users: &[String], now: u64) -> Vec<usize> {
        self.sweep(now);
        let horizon = now.saturating_sub(self.horizon);
        let over: Vec<usize> = users
            .iter()
            .enumerate()
            .filter(|(_, user)| {
                self.members.get_mut(&*member_key(user)).is_some_and(|history| {
                    history.prune(horizon);
                    history.wait_ticks(now, &self.limits) > 0
                })
            })
            .map(|(i, _)| i)
            .collect();
        if over.is_empty() {
            let admitted = self.admit_all(users, now);
            debug_assert_eq!(admitted, Admit::Now);
        }
        over
    }

    fn ticks_to_duration(&self, ticks: u64) -> Duration {
        self.tick.saturating_mul(u32::try_from(ticks).unwrap_or(u32::MAX))
    }

    /// Forgets members with nothing in any window, at most once per shortest window.
    fn sweep(&mut self, now: u64) {
        if now < self.next_sweep {
            return;
        }
        let oldest_visible = now.saturating_sub(self.horizon);
        self.members.retain(|_, history| {
            history.prune(oldest_visible);
            !history.events.is_empty()
        });
        let shortest = self.limits.iter().map(|l| l.span).min().unwrap_or(1);
        self.next_sweep = now + shortest;
    }
}

/// WeCom matches member ids case-insensitively (and answers them lower-cased).
fn member_key(user: &str) -> Box<str> {
    crate::message::member_key(user).into()
}

/// Deduplicates the ids of one request.
struct Keys {
    seen: Option<HashSet<Box<str>>>,
}

impl Keys {
    fn new(len: usize) -> Self {
        Self { seen: (len > 1).then(HashSet::new) }
    }

    /// The member key of `user`, or `None` if this request named it already.
    fn first_time(&mut self, user: &str) -> Option<Box<str>> {
        let key = member_key(user);
        match &mut self.seen {
            None => Some(key),
            Some(seen) => seen.insert(key.clone()).then_some(key),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    /// 30 per minute and 1,000 per hour with one-second ticks.
    fn wecom() -> MemberWindows {
        MemberWindows::new(&[Limit::per_minute(30), Limit::per_hour(1000)])
    }

    /// Counts, for every window of `len` ticks ending at each tick, the deliveries inside.
    fn max_in_any_window(deliveries: &[u64], len: u64) -> usize {
        let last = deliveries.iter().copied().max().unwrap_or(0);
        (0..=last)
            .map(|end| deliveries.iter().filter(|&&t| t + len > end && t <= end).count())
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn thirty_fit_at_once_then_the_next_waits_for_the_window() {
        let mut w = wecom();
        assert_eq!(w.tick(), Duration::from_secs(1));
        let alice = ids(&["alice"]);
        for _ in 0..30 {
            assert_eq!(w.admit_all(&alice, 100), Admit::Now);
        }
        // Tick 100 stays visible while now - 61 <= 100: free at 162, when any 60-second
        // window holding the new delivery starts after every one of tick 100.
        assert_eq!(w.admit_all(&alice, 100), Admit::Wait(Duration::from_secs(62)));
        assert_eq!(w.admit_all(&alice, 150), Admit::Wait(Duration::from_secs(12)));
        assert_eq!(w.admit_all(&alice, 161), Admit::Wait(Duration::from_secs(1)));
        assert_eq!(w.admit_all(&alice, 162), Admit::Now);
        // Others are unaffected.
        assert_eq!(w.admit_all(&ids(&["bob"]), 100), Admit::Now);
    }

    #[test]
    fn a_request_waits_for_its_slowest_member_and_records_nothing_meanwhile() {
        let mut w = wecom();
        for _ in 0..30 {
            w.admit_all(&ids(&["alice"]), 0);
        }
        let both = ids(&["bob", "alice"]);
        assert!(matches!(w.admit_all(&both, 10), Admit::Wait(_)));
        // bob was not charged for the refused request.
        for _ in 0..30 {
            assert_eq!(w.admit_all(&ids(&["bob"]), 10), Admit::Now);
        }
    }

    #[test]
    fn sending_as_fast_as_allowed_never_exceeds_either_limit() {
        let mut w = wecom();
        let alice = ids(&["alice"]);
        let mut now = 0;
        let mut deliveries = Vec::new();
        while now < 2 * 3600 {
            match w.admit_all(&alice, now) {
                Admit::Now => deliveries.push(now),
                Admit::Wait(d) => now += d.as_secs(),
            }
        }
        assert!(max_in_any_window(&deliveries, 60) <= 30);
        assert!(max_in_any_window(&deliveries, 3600) <= 1000);
        // And the hourly limit is actually used, not starved: 1,000 in the first hour.
        assert_eq!(deliveries.iter().filter(|&&t| t < 3600).count(), 1000);
    }

    #[test]
    fn report_mode_holds_back_only_members_over_the_limit() {
        let mut w = MemberWindows::new(&[Limit::per_minute(2)]);
        let users = ids(&["alice", "bob"]);
        assert!(w.admit_each(&users, 0).is_empty());
        assert!(w.admit_each(&ids(&["alice"]), 0).is_empty());
        // alice has had 2, bob 1.
        assert_eq!(w.admit_each(&ids(&["carol", "alice", "bob"]), 1), [1]);
        assert_eq!(w.admit_each(&ids(&["bob"]), 1), [0]);
    }

    #[test]
    fn ids_are_matched_case_insensitively_and_repeats_count_once() {
        let mut w = MemberWindows::new(&[Limit::per_minute(2)]);
        assert_eq!(w.admit_all(&ids(&["Alice", "alice", "ALICE"]), 0), Admit::Now);
        assert_eq!(w.admit_each(&ids(&["alice", "Alice"]), 0), Vec::<usize>::new());
        assert_eq!(w.admit_each(&ids(&["aLiCe", "alice"]), 0), [0, 1]);
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn idle_members_are_forgotten() {
        let mut w = wecom();
        let many: Vec<String> = (0..5000).map(|i| format!("user{i}")).collect();
        assert_eq!(w.admit_all(&many, 0), Admit::Now);
        assert_eq!(w.len(), 5000);
        w.admit_all(&ids(&["late"]), 3000);
        assert_eq!(w.len(), 5001, "still inside the hourly window");
        w.admit_all(&ids(&["later"]), 3700);
        assert_eq!(w.len(), 2, "only members with deliveries in the last hour are kept");
    }

    #[test]
    fn short_windows_use_short_ticks() {
        let mut w = MemberWindows::new(&[Limit::new(2, Duration::from_millis(600))]);
        assert_eq!(w.tick(), Duration::from_millis(10));
        let a = ids(&["a"]);
        assert_eq!(w.admit_all(&a, 0), Admit::Now);
        assert_eq!(w.admit_all(&a, 0), Admit::Now);
        assert_eq!(w.admit_all(&a, 0), Admit::Wait(Duration::from_millis(620)));
    }
}
