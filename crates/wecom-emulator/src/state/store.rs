//! The mutable heart of the emulator: accepted messages and the indexes over them
//! (msgid, per-app task ids, response codes, duplicate check, per-member delivery counters).
//! It sits behind one mutex that handlers take only for the short bookkeeping step, after
//! parsing and validating outside the lock.
//!
//! What it keeps is bounded: past the configured retention (a number of messages and/or an
//! age) the oldest messages are forgotten together with their entries in the indexes, and the
//! per-member counters are fixed-size windows ([`super::rate`]).

use std::collections::VecDeque;

use crate::hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use serde::{Deserialize, Serialize};

use super::chunked::Chunked;
use super::directory::{Directory, UserIdx};
use super::message::{Message, Status};
use super::rate::MemberRate;

/// A `response_code` handed out by `message/send` or a card callback.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ResponseCode {
    /// Index of the card message in [`Store::messages`].
    pub(crate) msg: usize,
    pub(crate) agentid: i64,
    /// For codes from a callback: the member who clicked.
    pub(crate) user: Option<String>,
    pub(crate) expires_ms: i64,
    pub(crate) used: bool,
}

/// Duplicate-check entry: the original message and when the window closes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DupEntry {
    pub(crate) msg: usize,
    pub(crate) until_ms: i64,
}

/// How many messages to keep, and for how long: `Options::retain_messages` and
/// `retain_seconds`, applied alike to app messages, group messages
/// ([`super::groups::GroupStore`]) and AI-bot turns, each store counted apart.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Retention {
    /// At most this many messages (`None`: no limit).
    pub(crate) max_messages: Option<usize>,
    /// Messages older than this are forgotten (`None`: no limit).
    pub(crate) max_age_ms: Option<i64>,
}

impl Retention {
    /// Whether the oldest of `len` entries, made at `oldest_ms`, is to be forgotten at
    /// `now_ms`: past the count or the age. The newest entry is always kept.
    pub(crate) fn drops_oldest(&self, len: usize, oldest_ms: i64, now_ms: i64) -> bool {
        let max = self.max_messages.unwrap_or(usize::MAX).max(1);
        len > 1
            && (len > max
                || self.max_age_ms.is_some_and(|age| oldest_ms < now_ms.saturating_sub(age)))
    }

    /// Forgets the oldest entries of `queue` (made at `made_ms`) past the retention at
    /// `now_ms`, never the newest; returns how many went.
    pub(crate) fn trim_front<T>(
        &self,
        queue: &mut std::collections::VecDeque<T>,
        made_ms: impl Fn(&T) -> i64,
        now_ms: i64,
    ) -> usize {
        let mut dropped = 0;
        while queue.front().is_some_and(|t| self.drops_oldest(queue.len(), made_ms(t), now_ms)) {
            queue.pop_front();
            dropped += 1;
        }
        dropped
    }
}

/// Messages and their indexes.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Store {
    /// Messages by position (the `n`-th accepted message is at position `n` for life).
    pub(crate) messages: Chunked<Message>,
    /// How many of the oldest messages were forgotten (retention); kept in the state file so
    /// that positions stay the same after a restart.
    #[serde(default)]
    pub(crate) messages_dropped: usize,
    /// Task ids used per app (they must not repeat within an app).
    pub(crate) task_ids: HashMap<i64, HashSet<String>>,
    pub(crate) response_codes: HashMap<String, ResponseCode>,
    /// Virtual times of `media/uploadimg` calls (daily and monthly quota).
    pub(crate) uploadimg_times: VecDeque<i64>,
    #[serde(skip)]
    by_msgid: HashMap<String, usize>,
    /// (agentid, hash of body) → original, for `enable_duplicate_check`.
    #[serde(skip)]
    pub(crate) dup: HashMap<(i64, u64), DupEntry>,
    /// (agentid, member) → deliveries in the last minute and hour.
    #[serde(skip)]
    member_rate: HashMap<(i64, UserIdx), MemberRate>,
}

/// How often (in pushes) the indexes that outlive messages are swept.
const SWEEP_EVERY: usize = 4096;

const HOUR_MS: i64 = 3_600_000;

impl Store {
    /// Index of the message with this msgid.
    pub(crate) fn find(&self, msgid: &str) -> Option<usize> {
        self.by_msgid.get(msgid).copied()
    }

    /// The message at position `idx`, unless it was forgotten.
    pub(crate) fn get(&self, idx: usize) -> Option<&Message> {
        self.messages.get(idx)
    }

    /// The message at position `idx`, mutably.
    pub(crate) fn get_mut(&mut self, idx: usize) -> Option<&mut Message> {
        self.messages.get_mut(idx)
    }

    /// Appends a message and indexes it, then forgets the oldest messages beyond
    /// `retention`; returns the new message's position.
    pub(crate) fn push(&mut self, message: Message, retention: Retention, now_ms: i64) -> usize {
        let msgid = message.msgid.clone();
        let idx = self.messages.push(message);
        self.by_msgid.insert(msgid, idx);
        self.trim(retention, now_ms);
        if idx.is_multiple_of(SWEEP_EVERY) {
            self.sweep(now_ms);
        }
        idx
    }

    /// Forgets the oldest messages beyond `retention` (never the newest one).
    pub(crate) fn trim(&mut self, retention: Retention, now_ms: i64) {
        while self
            .messages
            .front()
            .is_some_and(|m| retention.drops_oldest(self.messages.len(), m.sent_at_ms, now_ms))
        {
            let Some((_, m)) = self.messages.pop_front() else { break };
            self.by_msgid.remove(&m.msgid);
            if let Some(rc) = &m.response_code {
                self.response_codes.remove(rc);
            }
            if let Some(task_id) = &m.task_id
                && let Some(ids) = self.task_ids.get_mut(&m.agentid)
            {
                ids.remove(task_id);
            }
        }
        self.messages_dropped = self.messages.dropped();
    }

    /// Removes index entries that point at forgotten messages or have expired: response codes
    /// handed out by card callbacks and duplicate-check windows.
    fn sweep(&mut self, now_ms: i64) {
        let first = self.messages.dropped();
        self.response_codes.retain(|_, rc| rc.msg >= first && rc.expires_ms > now_ms);
        self.dup.retain(|_, d| d.msg >= first && d.until_ms > now_ms);
    }

    /// Whether one more delivery to `user` by `agentid` at `now_ms` fits the per-member
    /// limits; if so, counts it.
    #[cfg(test)]
    pub(crate) fn admit(
        &mut self,
        agentid: i64,
        user: UserIdx,
        now_ms: i64,
        per_min: u32,
        per_hour: u32,
    ) -> Status {
        self.admit_in(agentid, user, now_ms, 60_000, per_min, per_hour)
    }

    /// [`admit`](Self::admit) with a "minute" window of `minute_ms`
    /// ([`Options::member_window_ms`](crate::config::Options::member_window_ms)).
    pub(crate) fn admit_in(
        &mut self,
        agentid: i64,
        user: UserIdx,
        now_ms: i64,
        minute_ms: i64,
        per_min: u32,
        per_hour: u32,
    ) -> Status {
        let rate = self.member_rate.entry((agentid, user)).or_default();
        if rate.admit_in(now_ms, minute_ms, per_min, per_hour) {
            Status::Delivered
        } else {
            Status::Dropped
        }
    }

    /// Rebuilds the indexes that are not persisted (after loading a state file).
    pub(crate) fn rebuild(&mut self, dir: &Directory, now_ms: i64) {
        self.messages.renumber(self.messages_dropped);
        self.by_msgid = self.messages.iter_positions().map(|(i, m)| (m.msgid.clone(), i)).collect();
        self.member_rate.clear();
        self.dup.clear();
        for (i, m) in self.messages.iter_positions() {
            if m.sent_at_ms > now_ms - HOUR_MS && m.origin == super::Origin::Api {
                for r in m.recipients.iter().filter(|r| r.status != Status::Dropped) {
                    if let Some(u) = dir.lookup(&r.userid) {
                        self.member_rate.entry((m.agentid, u)).or_default().count(m.sent_at_ms);
                    }
                }
            }
            if let Some(until_ms) = dup_window(m)
                && until_ms > now_ms
            {
                let key = (m.agentid, body_hash(&m.body_json()));
                self.dup.insert(key, DupEntry { msg: i, until_ms });
            }
        }
    }
}

/// When a persisted message asked for the duplicate check, the end of its window.
fn dup_window(m: &Message) -> Option<i64> {
    let body = m.body_json();
    if body.get("enable_duplicate_check").and_then(serde_json::Value::as_i64) != Some(1) {
        return None;
    }
    let interval =
        body.get("duplicate_check_interval").and_then(serde_json::Value::as_i64).unwrap_or(1800);
    Some(m.sent_at_ms + interval * 1000)
}

/// The duplicate check's hash of a body: FNV-1a over its JSON value with object keys in
/// sorted order, so that whitespace (Go's encoder ends every body with a newline) and key
/// order do not matter — WeCom speaks of "the same request JSON", that is the same content.
/// The hash only finds the candidate; the values are compared before a request counts as a
/// duplicate.
pub(crate) fn body_hash(body: &serde_json::Value) -> u64 {
    fn feed(h: &mut u64, bytes: &[u8]) {
        for &b in bytes {
            *h ^= u64::from(b);
            *h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn walk(h: &mut u64, v: &serde_json::Value) {
        use serde_json::Value;
        match v {
            Value::Null => feed(h, b"n"),
            Value::Bool(b) => feed(h, if *b { b"t" } else { b"f" }),
            Value::Number(n) => {
                feed(h, b"#");
                feed(h, n.to_string().as_bytes());
            }
            Value::String(s) => {
                feed(h, b"\"");
                feed(h, s.as_bytes());
                feed(h, b"\"");
            }
            Value::Array(a) => {
                feed(h, b"[");
                for v in a {
                    walk(h, v);
                }
                feed(h, b"]");
            }
            Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort_unstable();
                feed(h, b"{");
                for k in keys {
                    feed(h, k.as_bytes());
                    feed(h, b":");
                    walk(h, &m[k]);
                }
                feed(h, b"}");
            }
        }
    }
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    walk(&mut h, body);
    h
}

#[cfg(test)]
mod tests {
    use super::{Retention, Status, Store};
    use crate::state::{Direction, Message, Origin};

    fn message(n: usize, at_ms: i64) -> Message {
        Message {
            msgid: format!("m{n}"),
            agentid: 1,
            msgtype: "text".to_owned(),
            direction: Direction::AppToUser,
            origin: Origin::Api,
            from_user: None,
            body: serde_json::value::RawValue::from_string("{}".to_owned()).unwrap(),
            body_whitespace: None,
            sent_at_ms: at_ms,
            recipients: Vec::new(),
            invaliduser: Vec::new(),
            invalidparty: Vec::new(),
            invalidtag: Vec::new(),
            unlicenseduser: Vec::new(),
            card_type: None,
            task_id: Some(format!("t{n}")),
            response_code: None,
            recalled_at_ms: None,
            duplicates_suppressed: 0,
        }
    }

    #[test]
    fn retention_forgets_the_oldest_messages_and_their_index_entries() {
        let keep = Retention { max_messages: Some(3), max_age_ms: None };
        let mut s = Store::default();
        for n in 0..5 {
            let idx = s.push(message(n, 1000), keep, 1000);
            s.task_ids.entry(1).or_default().insert(format!("t{n}"));
            assert_eq!(idx, n, "positions count every message ever accepted");
        }
        assert_eq!(s.messages.len(), 3);
        assert_eq!(s.messages_dropped, 2);
        assert_eq!(s.find("m1"), None);
        assert_eq!(s.find("m2"), Some(2));
        assert!(s.get(1).is_none());
        assert_eq!(s.get(4).map(|m| m.msgid.as_str()), Some("m4"));
        assert!(!s.task_ids[&1].contains("t1") && s.task_ids[&1].contains("t2"));

        let by_age = Retention { max_messages: None, max_age_ms: Some(60_000) };
        s.push(message(5, 50_000), by_age, 50_000);
        s.push(message(6, 200_000), by_age, 200_000);
        assert_eq!(s.messages.iter().map(|m| m.msgid.as_str()).collect::<Vec<_>>(), ["m6"]);
        assert_eq!(s.messages_dropped, 6);
    }

    #[test]
    fn per_member_limits_drop_the_excess_per_minute_and_hour() {
        let mut s = Store::default();
        let statuses: Vec<Status> = (0..31).map(|i| s.admit(1, 0, 1000 + i, 30, 1000)).collect();
        assert!(statuses[..30].iter().all(|&st| st == Status::Delivered));
        assert_eq!(statuses[30], Status::Dropped);
        // Another member and another app have their own budgets.
        assert_eq!(s.admit(1, 1, 2000, 30, 1000), Status::Delivered);
        assert_eq!(s.admit(2, 0, 2000, 30, 1000), Status::Delivered);
        // A minute later the minute budget is back.
        assert_eq!(s.admit(1, 0, 61_000 + 1000, 30, 1000), Status::Delivered);
        let mut h = Store::default();
        for m in 0..40 {
            for i in 0..25 {
                assert_eq!(h.admit(1, 0, m * 60_000 + i, 30, 1000), Status::Delivered);
            }
        }
        assert_eq!(h.admit(1, 0, 40 * 60_000, 30, 1000), Status::Dropped);
        assert_eq!(h.admit(1, 0, 3_600_000 + 1, 30, 1000), Status::Delivered);
    }
}
