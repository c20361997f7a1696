//! The conversations with AI bots: one [`Turn`] per member action, with everything the bot
//! answered, and the `response_url` codes handed out.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use serde::Serialize;
use serde_json::Value;
use tokio::sync::broadcast;

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

/// An issued `response_url` code.
#[derive(Debug, Clone)]
pub(crate) struct Code {
    pub(crate) turn: u64,
    pub(crate) issued: Instant,
    pub(crate) used: bool,
}

#[derive(Default)]
struct Inner {
    turns: Vec<Turn>,
    codes: HashMap<String, Code>,
    next: u64,
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

    /// Records a new turn and returns its id.
    pub(crate) fn add(&self, mut turn: Turn) -> u64 {
        let mut inner = self.lock();
        inner.next += 1;
        turn.id = inner.next;
        let id = turn.id;
        inner.turns.push(turn);
        drop(inner);
        let _ = self.changes.send(id);
        id
    }

    /// Changes a turn and tells live views.
    pub(crate) fn update(&self, id: u64, f: impl FnOnce(&mut Turn)) {
        if let Some(t) = self.lock().turns.iter_mut().find(|t| t.id == id) {
            f(t);
        }
        let _ = self.changes.send(id);
    }

    pub(crate) fn get(&self, id: u64) -> Option<Turn> {
        self.lock().turns.iter().find(|t| t.id == id).cloned()
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

    pub(crate) fn issue_code(&self, turn: u64) -> String {
        let code = format!("RC_{}", crate::ids::random_token(24));
        self.lock().codes.insert(code.clone(), Code { turn, issued: Instant::now(), used: false });
        code
    }

    /// Takes a code for one use: the turn, or why not.
    pub(crate) fn use_code(&self, code: &str) -> Result<u64, (i64, &'static str)> {
        let mut inner = self.lock();
        let Some(c) = inner.codes.get_mut(code) else {
            return Err((40008, "invalid response_code"));
        };
        if c.used {
            return Err((40008, "response_code already used"));
        }
        if c.issued.elapsed().as_secs() >= 3600 {
            return Err((40008, "response_code expired"));
        }
        c.used = true;
        Ok(c.turn)
    }

    /// Forgets the conversations and the WebSocket bookkeeping (live connections stay).
    pub(crate) fn reset(&self) {
        *self.lock() = Inner::default();
        self.ws.reset();
    }
}
