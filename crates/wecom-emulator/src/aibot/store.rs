//! The conversations with AI bots: one [`Turn`] per member action, with everything the bot
//! answered, and the `response_url` codes handed out.
//!
//! What is kept is bounded. Turns follow the message retention (`retain_messages`,
//! `retain_seconds` of virtual time): past it the oldest turns of any bot are forgotten,
//! never the newest, and counted ([`AibotState::retained`]). Turns are found by id, never by
//! position. A forgotten turn is an unknown one: the admin routes answer 404 for it, its
//! `response_url` answers 40008 like an unknown code, a WebSocket answer on its `req_id`
//! answers 846605, and its stream is no longer refreshed. A code is kept for its hour (a
//! second use reads "already used") and swept with the codes of forgotten turns when codes
//! are issued or used and when turns are added, so the codes kept are at most those of the
//! last hour.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use serde::Serialize;
use serde_json::Value;
use tokio::sync::broadcast;

use crate::state::store::Retention;

/// One member action and the bot's answers to it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Turn {
    pub(crate) id: u64,
    pub(crate) botid: String,
    pub(crate) userid: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) chatid: Option<String>,
    /// `message`, the event type, or `push` (an `aibot_send_msg` of a WebSocket-mode bot).
    pub(crate) kind: String,
    /// WebSocket mode: the callback frame's `req_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) req_id: Option<String>,
    /// The callback body as sent (plaintext).
    pub(crate) callback: Value,
    pub(crate) created_at_ms: i64,
    /// `delivering`, `delivered` (WebSocket: sent, no answer yet), `streaming`, `finished`,
    /// `expired`, `answered`, `no_answer`, `failed`, `pushed`.
    pub(crate) status: String,
    /// Deliveries of the first callback (1 = no retry).
    pub(crate) tries: u32,
    /// The last passive answer (decrypted), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) reply: Option<Value>,
    /// Stream state, for stream answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) stream: Option<StreamView>,
    /// A card shown with the answer (template_card or stream_with_template_card).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) card: Option<Value>,
    /// Card replacements (update_template_card answers to clicks on this turn's card).
    pub(crate) card_updates: Vec<Value>,
    /// Active replies through this turn's `response_url`.
    pub(crate) follow_ups: Vec<Value>,
    /// The feedback id the answer carried.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) feedback_id: Option<String>,
    /// Protocol violations by the bot, in words.
    pub(crate) errors: Vec<String>,
}

impl Turn {
    /// A new turn, `delivering`, not yet tried; the store gives it its id.
    pub(crate) fn new(
        botid: &str,
        userid: &str,
        chatid: Option<&str>,
        kind: &str,
        callback: Value,
        created_at_ms: i64,
    ) -> Self {
        Self {
            id: 0,
            botid: botid.to_owned(),
            userid: userid.to_owned(),
            chatid: chatid.map(str::to_owned),
            kind: kind.to_owned(),
            req_id: None,
            callback,
            created_at_ms,
            status: "delivering".into(),
            tries: 0,
            reply: None,
            stream: None,
            card: None,
            card_updates: Vec::new(),
            follow_ups: Vec::new(),
            feedback_id: None,
            errors: Vec::new(),
        }
    }
}

/// A stream answer as the member sees it.
#[derive(Debug, Clone, Serialize, Default)]
pub(crate) struct StreamView {
    pub(crate) id: String,
    pub(crate) content: String,
    pub(crate) finish: bool,
    /// How many refresh callbacks were answered.
    pub(crate) refreshes: u32,
    /// How many times the content changed.
    pub(crate) updates: u32,
    /// How many of those changes did not extend the content before them: the member saw the
    /// text shrink or change (frames applied out of order, or a bot rewriting its answer).
    pub(crate) rewinds: u32,
    pub(crate) images: usize,
}

/// A `response_url` code is valid this long (virtual ms): an hour.
const CODE_TTL_MS: i64 = 3_600_000;

/// An issued `response_url` code.
#[derive(Debug, Clone)]
pub(crate) struct Code {
    pub(crate) turn: u64,
    /// Virtual time of issue.
    pub(crate) issued_ms: i64,
    pub(crate) used: bool,
}

#[derive(Default)]
struct Inner {
    /// Oldest first; ids grow with position, so a turn is found by binary search.
    turns: VecDeque<Turn>,
    /// How many of the oldest turns were forgotten (retention), over all bots.
    dropped: usize,
    codes: HashMap<String, Code>,
    /// The codes in issue order, for the sweep.
    code_order: VecDeque<String>,
    next: u64,
}

impl Inner {
    fn find(&self, id: u64) -> Option<usize> {
        self.turns.binary_search_by_key(&id, |t| t.id).ok()
    }

    /// Forgets the oldest turns beyond `retention` at `now_ms` (never the newest one).
    fn trim(&mut self, retention: Retention, now_ms: i64) {
        self.dropped += retention.trim_front(&mut self.turns, |t| t.created_at_ms, now_ms);
    }

    /// Forgets, oldest first, the codes that are past their hour at `now_ms`, were already
    /// removed, or belong to a forgotten turn.
    fn sweep_codes(&mut self, now_ms: i64) {
        let first = self.turns.front().map_or(u64::MAX, |t| t.id);
        while let Some(oldest) = self.code_order.front() {
            let keep = self
                .codes
                .get(oldest)
                .is_some_and(|c| c.issued_ms + CODE_TTL_MS > now_ms && c.turn >= first);
            if keep {
                break;
            }
            if let Some(code) = self.code_order.pop_front() {
                self.codes.remove(&code);
            }
        }
    }
}

/// All AI-bot state of one emulator.
pub(crate) struct AibotState {
    inner: Mutex<Inner>,
    pub(crate) changes: broadcast::Sender<u64>,
    /// The WebSocket side: live connections, `req_id`s, uploads, faults.
    pub(crate) ws: super::ws::Hub,
}

impl Default for AibotState {
    fn default() -> Self {
        AibotState {
            inner: Mutex::default(),
            changes: broadcast::channel(1024).0,
            ws: super::ws::Hub::default(),
        }
    }
}

impl AibotState {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Records a new turn (made now: its `created_at_ms` is the virtual now), forgets the
    /// oldest turns beyond `retention`, and returns the new turn's id.
    pub(crate) fn add(&self, mut turn: Turn, retention: Retention) -> u64 {
        let mut inner = self.lock();
        inner.next += 1;
        turn.id = inner.next;
        let id = turn.id;
        let now_ms = turn.created_at_ms;
        inner.turns.push_back(turn);
        inner.trim(retention, now_ms);
        inner.sweep_codes(now_ms);
        drop(inner);
        let _ = self.changes.send(id);
        id
    }

    /// Changes a turn and tells live views; `false` when there is no such turn (never
    /// recorded, or forgotten).
    pub(crate) fn update(&self, id: u64, f: impl FnOnce(&mut Turn)) -> bool {
        let found = {
            let mut inner = self.lock();
            let at = inner.find(id);
            at.and_then(|i| inner.turns.get_mut(i)).map(f).is_some()
        };
        let _ = self.changes.send(id);
        found
    }

    pub(crate) fn get(&self, id: u64) -> Option<Turn> {
        let inner = self.lock();
        inner.find(id).and_then(|i| inner.turns.get(i)).cloned()
    }

    /// Whether the turn is still kept.
    pub(crate) fn contains(&self, id: u64) -> bool {
        self.lock().find(id).is_some()
    }

    /// The turns of a bot, or of one member of it: theirs, and pushes into the groups in
    /// `groups` (the member's groups).
    pub(crate) fn list(&self, botid: &str, userid: Option<&str>, groups: &[String]) -> Vec<Turn> {
        let seen = |t: &Turn| {
            userid.is_none_or(|u| {
                t.userid == u
                    || (t.userid.is_empty()
                        && t.chatid.as_ref().is_some_and(|c| groups.contains(c)))
            })
        };
        self.lock().turns.iter().filter(|t| t.botid == botid && seen(t)).cloned().collect()
    }

    /// How many turns are kept and how many of the oldest were forgotten, over all bots.
    pub(crate) fn retained(&self) -> (usize, usize) {
        let inner = self.lock();
        (inner.turns.len(), inner.dropped)
    }

    /// A new `response_url` code for `turn`, valid for an hour from `now_ms`.
    pub(crate) fn issue_code(&self, turn: u64, now_ms: i64) -> String {
        let code = format!("RC_{}", crate::ids::random_token(24));
        let mut inner = self.lock();
        inner.sweep_codes(now_ms);
        inner.codes.insert(code.clone(), Code { turn, issued_ms: now_ms, used: false });
        inner.code_order.push_back(code.clone());
        code
    }

    /// Takes a code for one use at `now_ms`: the turn, or why not. The code of a forgotten
    /// turn is an unknown code.
    pub(crate) fn use_code(&self, code: &str, now_ms: i64) -> Result<u64, (i64, &'static str)> {
        let mut inner = self.lock();
        let outcome = match inner.codes.get(code).cloned() {
            None => Err((40008, "invalid response_code")),
            Some(c) if c.used => Err((40008, "response_code already used")),
            Some(c) if now_ms - c.issued_ms >= CODE_TTL_MS => {
                inner.codes.remove(code);
                Err((40008, "response_code expired"))
            }
            Some(c) if inner.find(c.turn).is_none() => {
                inner.codes.remove(code);
                Err((40008, "invalid response_code"))
            }
            Some(c) => {
                if let Some(kept) = inner.codes.get_mut(code) {
                    kept.used = true;
                }
                Ok(c.turn)
            }
        };
        inner.sweep_codes(now_ms);
        outcome
    }

    /// Forgets the conversations and the WebSocket bookkeeping (live connections stay).
    pub(crate) fn reset(&self) {
        *self.lock() = Inner::default();
        self.ws.reset();
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::{AibotState, CODE_TTL_MS, Turn};
    use crate::state::store::Retention;

    fn turn(at_ms: i64) -> Turn {
        let mut t = Turn::new("aib", "alice", None, "message", Value::Null, at_ms);
        t.status = "streaming".into();
        t.tries = 1;
        t
    }

    const KEEP_3: Retention = Retention { max_messages: Some(3), max_age_ms: None };

    #[test]
    fn turns_follow_the_retention_and_are_found_by_id_after_drops() {
        let ai = AibotState::default();
        let ids: Vec<u64> = (0..5).map(|_| ai.add(turn(1000), KEEP_3)).collect();
        assert_eq!(ai.retained(), (3, 2));
        assert!(ai.get(ids[1]).is_none());
        assert!(!ai.update(ids[1], |t| t.status = "finished".into()), "a forgotten turn");
        assert!(ai.update(ids[3], |t| t.status = "finished".into()));
        assert_eq!(ai.get(ids[3]).map(|t| (t.id, t.status)), Some((ids[3], "finished".into())));
        assert_eq!(ai.get(ids[4]).map(|t| t.status), Some("streaming".into()));
        let by_age = Retention { max_messages: None, max_age_ms: Some(60_000) };
        let newest = ai.add(turn(500_000), by_age);
        assert_eq!(ai.retained(), (1, 5));
        assert!(ai.contains(newest) && !ai.contains(ids[4]));
    }

    #[test]
    fn codes_are_swept_after_their_hour_and_with_their_turn() {
        let ai = AibotState::default();
        let t1 = ai.add(turn(0), KEEP_3);
        let used = ai.issue_code(t1, 0);
        let idle = ai.issue_code(t1, 10);
        assert_eq!(ai.use_code(&used, 20), Ok(t1));
        assert_eq!(ai.use_code(&used, 30), Err((40008, "response_code already used")));
        assert_eq!(ai.lock().codes.len(), 2);
        // An hour later both are gone: the used one and the one never used.
        let t2 = ai.add(turn(CODE_TTL_MS + 10), KEEP_3);
        let fresh = ai.issue_code(t2, CODE_TTL_MS + 10);
        assert_eq!(ai.lock().codes.len(), 1);
        assert_eq!(ai.lock().code_order.len(), 1);
        assert_eq!(ai.use_code(&idle, CODE_TTL_MS + 20), Err((40008, "invalid response_code")));
        // The code of a turn that retention forgot goes with it.
        for _ in 0..3 {
            ai.add(turn(CODE_TTL_MS + 30), KEEP_3);
        }
        assert!(!ai.contains(t2));
        assert!(ai.lock().codes.is_empty());
        assert_eq!(ai.use_code(&fresh, CODE_TTL_MS + 40), Err((40008, "invalid response_code")));
    }
}
