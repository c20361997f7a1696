//! The mutable heart of the emulator: accepted messages and the indexes over them
//! (msgid, per-app task ids, response codes, duplicate check, per-member delivery counters).
//! It sits behind one mutex that handlers take only for the short bookkeeping step, after
//! parsing and validating outside the lock.

use std::collections::VecDeque;

use crate::hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use serde::{Deserialize, Serialize};

use super::chunked::Chunked;
use super::directory::{Directory, UserIdx};
use super::message::{Message, Status};

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

/// Messages and their indexes.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Store {
    pub(crate) messages: Chunked<Message>,
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
    /// (agentid, member) → virtual times of deliveries in the last hour.
    #[serde(skip)]
    member_rate: HashMap<(i64, UserIdx), VecDeque<i64>>,
}

const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 3_600_000;

impl Store {
    /// Index of the message with this msgid.
    pub(crate) fn find(&self, msgid: &str) -> Option<usize> {
        self.by_msgid.get(msgid).copied()
    }

    /// Appends a message and indexes it; returns its index.
    pub(crate) fn push(&mut self, message: Message) -> usize {
        let idx = self.messages.len();
        self.by_msgid.insert(message.msgid.clone(), idx);
        self.messages.push(message);
        idx
    }

    /// Whether one more delivery to `user` by `agentid` at `now_ms` fits the per-member
    /// limits; if so, counts it.
    pub(crate) fn admit(
        &mut self,
        agentid: i64,
        user: UserIdx,
        now_ms: i64,
        per_min: u32,
        per_hour: u32,
    ) -> Status {
        let times = self.member_rate.entry((agentid, user)).or_default();
        while times.front().is_some_and(|&t| t <= now_ms - HOUR_MS) {
            times.pop_front();
        }
        let last_minute = times.iter().rev().take_while(|&&t| t > now_ms - MINUTE_MS).count();
        if last_minute >= per_min as usize || times.len() >= per_hour as usize {
            return Status::Dropped;
        }
        times.push_back(now_ms);
        Status::Delivered
    }

    /// Rebuilds the indexes that are not persisted (after loading a state file).
    pub(crate) fn rebuild(&mut self, dir: &Directory, now_ms: i64) {
        self.by_msgid =
            self.messages.iter().enumerate().map(|(i, m)| (m.msgid.clone(), i)).collect();
        self.member_rate.clear();
        self.dup.clear();
        for (i, m) in self.messages.iter().enumerate() {
            if m.sent_at_ms > now_ms - HOUR_MS && m.origin == super::Origin::Api {
                for r in m.recipients.iter().filter(|r| r.status != Status::Dropped) {
                    if let Some(u) = dir.lookup(&r.userid) {
                        self.member_rate.entry((m.agentid, u)).or_default().push_back(m.sent_at_ms);
                    }
                }
            }
            if let Some(until_ms) = dup_window(m)
                && until_ms > now_ms
            {
                let key = (m.agentid, body_hash(m.body.get().as_bytes()));
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

/// FNV-1a over the body: the duplicate check compares byte-identical bodies (the hash only
/// finds the candidate; the bytes are compared before a request counts as a duplicate).
pub(crate) fn body_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::{Status, Store};

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
