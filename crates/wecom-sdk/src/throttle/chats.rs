//! The app group chat part of the throttle: each member's windows for chat messages (their
//! own limits, apart from `message/send`'s), the corp-wide person-message budget, and the
//! members of the chats this client knows.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use super::members::{Admit, MemberWindows};
use super::{Limit, lock};

/// Chats whose members are remembered; past it, the cache starts over (a chat not found is
/// asked for again, one `appchat/get`).
const MAX_KNOWN_CHATS: usize = 10_000;

/// Person-messages sent within a sliding window, corp-wide.
#[derive(Debug)]
struct CorpWindow {
    limit: Limit,
    sent: VecDeque<(Instant, u64)>,
    total: u64,
}

impl CorpWindow {
    /// Records `n` person-messages at `now` if they fit; otherwise says how long to wait.
    /// A single message larger than the whole budget is let through alone.
    fn reserve(&mut self, now: Instant, n: u64) -> Option<Duration> {
        while let Some(&(at, count)) = self.sent.front() {
            if now.saturating_duration_since(at) < self.limit.per() {
                break;
            }
            self.sent.pop_front();
            self.total -= count;
        }
        let max = u64::from(self.limit.max());
        if self.total + n > max && self.total > 0 {
            // Wait until enough of the oldest have left the window.
            let mut left = self.total;
            for &(at, count) in &self.sent {
                left -= count;
                if left + n <= max {
                    return Some(
                        self.limit.per().saturating_sub(now.saturating_duration_since(at)),
                    );
                }
            }
        }
        self.sent.push_back((now, n));
        self.total += n;
        None
    }
}

/// The chat limits in use.
#[derive(Debug)]
pub(crate) struct ChatLimiter {
    start: Instant,
    members: Option<Mutex<MemberWindows>>,
    corp: Option<Mutex<CorpWindow>>,
    known: Mutex<HashMap<String, Arc<[String]>>>,
}

impl ChatLimiter {
    pub(crate) fn new(member_limits: &[Limit], corp: Option<Limit>) -> Self {
        Self {
            start: Instant::now(),
            members: (!member_limits.is_empty())
                .then(|| Mutex::new(MemberWindows::new(member_limits))),
            corp: corp
                .map(|limit| Mutex::new(CorpWindow { limit, sent: VecDeque::new(), total: 0 })),
            known: Mutex::default(),
        }
    }

    /// Whether chat sends are counted at all (then the members of a chat are needed).
    pub(crate) fn counts(&self) -> bool {
        self.members.is_some() || self.corp.is_some()
    }

    /// The members of `chatid`, if known.
    pub(crate) fn members_of(&self, chatid: &str) -> Option<Arc<[String]>> {
        lock(&self.known).get(chatid).cloned()
    }

    /// Remembers the members of `chatid`.
    pub(crate) fn set_members(&self, chatid: &str, members: Vec<String>) {
        let mut known = lock(&self.known);
        if known.len() >= MAX_KNOWN_CHATS && !known.contains_key(chatid) {
            known.clear();
        }
        known.insert(chatid.to_owned(), members.into());
    }

    /// Applies a successful `appchat/update` to a known chat.
    pub(crate) fn update_members(&self, chatid: &str, add: &[String], del: &[String]) {
        let mut known = lock(&self.known);
        if let Some(current) = known.get_mut(chatid) {
            let mut next: Vec<String> = current
                .iter()
                .filter(|m| !del.iter().any(|d| d.eq_ignore_ascii_case(m)))
                .cloned()
                .collect();
            for a in add {
                if !next.iter().any(|m| m.eq_ignore_ascii_case(a)) {
                    next.push(a.clone());
                }
            }
            *current = next.into();
        }
    }

    fn tick(&self, tick: Duration) -> u64 {
        let elapsed = Instant::now().saturating_duration_since(self.start);
        u64::try_from(elapsed.as_nanos() / tick.as_nanos().max(1)).unwrap_or(u64::MAX)
    }

    /// Delay mode: waits until one more message fits every member and the corp budget, and
    /// counts it.
    pub(crate) async fn wait(&self, members: &[String]) {
        if let Some(windows) = &self.members {
            loop {
                let admit = {
                    let mut windows = lock(windows);
                    let now = self.tick(windows.tick());
                    windows.admit_all(members, now)
                };
                match admit {
                    Admit::Now => break,
                    Admit::Wait(wait) => {
                        tracing::debug!(
                            members = members.len(),
                            wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                            "delaying a chat message to stay within the per-member limits"
                        );
                        tokio::time::sleep(wait).await;
                    }
                }
            }
        }
        self.wait_for_corp(members.len()).await;
    }

    /// Report mode: the positions of the members over a limit (nothing counted then), or an
    /// empty list when the message fits and was counted. The corp budget still delays.
    pub(crate) async fn admit_or_report(&self, members: &[String]) -> Vec<usize> {
        if let Some(windows) = &self.members {
            let over = {
                let mut windows = lock(windows);
                let now = self.tick(windows.tick());
                windows.admit_all_or_report(members, now)
            };
            if !over.is_empty() {
                return over;
            }
        }
        self.wait_for_corp(members.len()).await;
        Vec::new()
    }

    async fn wait_for_corp(&self, members: usize) {
        let Some(corp) = &self.corp else { return };
        let n = u64::try_from(members).unwrap_or(u64::MAX);
        loop {
            let wait = lock(corp).reserve(Instant::now(), n);
            match wait {
                None => return,
                Some(wait) => {
                    tracing::debug!(
                        wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                        "delaying a chat message to stay within the corp's person-message limit"
                    );
                    tokio::time::sleep(wait.max(Duration::from_millis(1))).await;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    #[tokio::test(start_paused = true)]
    async fn a_chat_message_waits_for_the_busiest_member() {
        let chats = ChatLimiter::new(&[Limit::per_minute(2)], None);
        let start = Instant::now();
        chats.wait(&ids(&["alice", "bob"])).await;
        chats.wait(&ids(&["alice"])).await;
        assert_eq!(Instant::now(), start);
        chats.wait(&ids(&["bob", "alice"])).await;
        assert!(Instant::now() - start >= Duration::from_secs(60), "alice was full");
    }

    #[tokio::test(start_paused = true)]
    async fn report_mode_holds_the_whole_message_and_names_who_is_full() {
        let chats = ChatLimiter::new(&[Limit::per_minute(1)], None);
        assert!(chats.admit_or_report(&ids(&["alice"])).await.is_empty());
        assert_eq!(chats.admit_or_report(&ids(&["bob", "ALICE", "carol"])).await, [1]);
        // Nothing was counted for bob or carol: they still fit.
        assert!(chats.admit_or_report(&ids(&["bob", "carol"])).await.is_empty());
        assert_eq!(chats.admit_or_report(&ids(&["carol"])).await, [0]);
    }

    #[tokio::test(start_paused = true)]
    async fn the_corp_budget_counts_person_messages() {
        let chats = ChatLimiter::new(&[], Some(Limit::per_minute(5)));
        let start = Instant::now();
        chats.wait(&ids(&["a", "b", "c"])).await;
        chats.wait(&ids(&["a", "b"])).await;
        assert_eq!(Instant::now(), start, "5 person-messages fit");
        chats.wait(&ids(&["a"])).await;
        assert_eq!(Instant::now() - start, Duration::from_secs(60));
    }

    #[test]
    fn known_members_follow_updates() {
        let chats = ChatLimiter::new(&[Limit::per_minute(1)], None);
        assert!(chats.members_of("c1").is_none());
        chats.set_members("c1", ids(&["alice", "bob"]));
        chats.update_members("c1", &ids(&["carol", "ALICE"]), &ids(&["Bob"]));
        assert_eq!(&*chats.members_of("c1").unwrap(), ids(&["alice", "carol"]).as_slice());
        chats.update_members("unknown", &ids(&["x"]), &[]);
        assert!(chats.members_of("unknown").is_none());
    }
}
