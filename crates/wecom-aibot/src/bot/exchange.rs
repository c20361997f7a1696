//! The state of one answer, shared by the handler's [`super::Responder`]/[`super::StreamWriter`]
//! and the transport: the latest text (coalesced: each write replaces the snapshot, the
//! transport reads whichever is current), whether it is finished, the card, the follow-up.
//! Also the per-member slots that bound open streams.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::sync::{Notify, watch};

use super::limits::Limits;
use super::stream::StreamError;
use crate::model::{AibotCard, Feedback, Reply, StreamBody, StreamId, StreamImage};

/// What the handler has decided so far.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    /// Nothing yet.
    Pending,
    /// A stream is open (or finished).
    Stream,
    /// One immediate answer (a card).
    Immediate(Box<Reply>),
}

#[derive(Debug)]
pub(crate) struct State {
    pub(crate) kind: Kind,
    pub(crate) text: String,
    pub(crate) finished: bool,
    pub(crate) expired: bool,
    pub(crate) card: Option<AibotCard>,
    pub(crate) images: Vec<StreamImage>,
    pub(crate) feedback: Option<Feedback>,
    pub(crate) follow_up: String,
    pub(crate) handler_done: bool,
    /// Whether a frame with `finish: true` has been handed to the transport.
    pub(crate) final_sent: bool,
    /// Where the text was cut when it passed the size limit (the rest is the follow-up).
    pub(crate) split_at: Option<usize>,
    /// The answer can no longer be delivered (WebSocket connection lost): writes fail.
    pub(crate) lost: bool,
    slot: Option<SlotGuard>,
}

/// One answer in progress.
#[derive(Debug)]
pub(crate) struct Exchange {
    pub(crate) id: StreamId,
    pub(crate) started: Instant,
    pub(crate) limits: Arc<Limits>,
    state: Mutex<State>,
    version: watch::Sender<u64>,
}

impl Exchange {
    pub(crate) fn new(limits: Arc<Limits>, started: Instant) -> Arc<Self> {
        Arc::new(Exchange {
            id: StreamId::generate(),
            started,
            limits,
            state: Mutex::new(State {
                kind: Kind::Pending,
                text: String::new(),
                finished: false,
                expired: false,
                card: None,
                images: Vec::new(),
                feedback: None,
                follow_up: String::new(),
                handler_done: false,
                final_sent: false,
                split_at: None,
                lost: false,
                slot: None,
            }),
            version: watch::channel(0).0,
        })
    }

    pub(super) fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Runs `f` on the state (after applying the lifetime) and tells watchers.
    pub(crate) fn update<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let r = {
            let mut s = self.lock();
            self.apply_lifetime(&mut s);
            let r = f(&mut s);
            if s.finished || s.handler_done {
                s.slot = None;
            }
            r
        };
        self.version.send_modify(|v| *v += 1);
        r
    }

    /// Reads the state (after applying the lifetime).
    pub(crate) fn read<R>(&self, f: impl FnOnce(&State) -> R) -> R {
        let mut s = self.lock();
        self.apply_lifetime(&mut s);
        f(&s)
    }

    pub(super) fn apply_lifetime(&self, s: &mut State) {
        if !s.finished && self.started.elapsed() >= self.limits.stream_lifetime {
            s.finished = true;
            s.expired = true;
            s.text.push_str(super::Limits::EXPIRED_NOTE);
            s.slot = None;
            tracing::warn!(stream = %self.id, "stream finished at its time limit");
        }
    }

    /// Opens the stream if the handler has not decided yet.
    pub(crate) fn open(&self) {
        self.update(|s| {
            if s.kind == Kind::Pending {
                s.kind = Kind::Stream;
            }
        });
    }

    pub(crate) fn set_slot(&self, slot: SlotGuard) {
        self.lock().slot = Some(slot);
    }

    /// A receiver that changes whenever the answer does.
    pub(crate) fn subscribe(&self) -> watch::Receiver<u64> {
        self.version.subscribe()
    }

    /// Waits until the handler has chosen how to answer (or returned), up to `timeout`.
    pub(crate) async fn decided(&self, timeout: std::time::Duration) {
        let mut rx = self.subscribe();
        let check = |s: &State| s.kind != Kind::Pending || s.handler_done;
        let _ = tokio::time::timeout(timeout, async {
            loop {
                if self.read(check) {
                    return;
                }
                if rx.changed().await.is_err() {
                    return;
                }
            }
        })
        .await;
    }

    /// Waits until the stream is finished or the handler returned; the time limit counts
    /// even when nobody reads the stream.
    pub(crate) async fn done(&self) {
        let mut rx = self.subscribe();
        let deadline = tokio::time::Instant::from_std(self.started + self.limits.stream_lifetime);
        loop {
            if self.read(|s| s.finished || s.handler_done) {
                return;
            }
            tokio::select! {
                changed = rx.changed() => if changed.is_err() { return },
                () = tokio::time::sleep_until(deadline) => {}
            }
        }
    }

    /// Marks the handler as returned: an open stream is finished with what it has.
    pub(crate) fn handler_returned(&self) {
        self.update(|s| {
            s.handler_done = true;
            if s.kind != Kind::Pending {
                s.finished = true;
            }
        });
    }

    /// The follow-up text to deliver after the stream (taken once).
    pub(crate) fn take_follow_up(&self) -> Option<String> {
        let mut s = self.lock();
        (!s.follow_up.is_empty()).then(|| std::mem::take(&mut s.follow_up))
    }

    /// The answer to the member's message itself: `None` = no answer (empty body).
    pub(crate) fn first_reply(&self) -> Option<Reply> {
        self.update(|s| match &s.kind {
            Kind::Immediate(reply) => {
                s.final_sent = true;
                Some((**reply).clone())
            }
            Kind::Pending if s.handler_done => None,
            _ => {
                // Pending past the wait: open the stream now; the handler's answer comes
                // with the refreshes.
                if s.kind == Kind::Pending {
                    s.kind = Kind::Stream;
                }
                Some(self.frame(s, true))
            }
        })
    }

    /// The answer to a refresh: the current snapshot (never waits for new text).
    pub(crate) fn refresh_reply(&self) -> Reply {
        self.update(|s| {
            if let Kind::Immediate(reply) = &s.kind
                && let Reply::TemplateCard { template_card } = &**reply
            {
                // A card decided after the stream was opened goes with the stream.
                s.card = Some(template_card.clone());
                s.kind = Kind::Stream;
                s.finished = true;
            } else if s.kind == Kind::Pending && s.handler_done {
                s.kind = Kind::Stream;
                s.finished = true;
            }
            self.frame(s, false)
        })
    }

    pub(super) fn frame(&self, s: &mut State, first: bool) -> Reply {
        let mut body = StreamBody::new(self.id.clone(), s.finished, s.text.clone());
        if first {
            body.feedback.clone_from(&s.feedback);
        }
        if s.finished {
            s.final_sent = true;
            body.msg_item.clone_from(&s.images);
        }
        match s.card.take() {
            Some(card) => Reply::StreamWithTemplateCard { stream: body, template_card: card },
            None => Reply::Stream { stream: body },
        }
    }

    /// Applies a new whole text under the size policy.
    pub(crate) fn set_text(&self, s: &mut State, text: String) -> Result<(), StreamError> {
        if s.lost {
            return Err(StreamError::ConnectionLost);
        }
        if s.expired {
            return Err(StreamError::Expired);
        }
        let max = self.limits.max_bytes;
        if let Some(head) = s.split_at {
            // Already split: the text past the frozen head goes to the follow-up.
            let rest = text.get(head..).unwrap_or_default();
            if rest.len() > max {
                return Err(StreamError::TooLong { bytes: rest.len(), limit: max });
            }
            rest.clone_into(&mut s.follow_up);
            return Ok(());
        }
        if s.finished {
            return Err(StreamError::Finished);
        }
        if text.len() <= max {
            s.text = text;
            return Ok(());
        }
        match self.limits.overflow {
            super::Overflow::Error => Err(StreamError::TooLong { bytes: text.len(), limit: max }),
            super::Overflow::FollowUp => {
                let cut = split_point(&text, max - super::Limits::CONTINUED_NOTE.len());
                let rest = &text[cut..];
                if rest.len() > max {
                    return Err(StreamError::TooLong { bytes: rest.len(), limit: max });
                }
                s.follow_up = rest.to_owned();
                s.split_at = Some(cut);
                s.text = format!("{}{}", &text[..cut], super::Limits::CONTINUED_NOTE);
                s.finished = true;
                Ok(())
            }
        }
    }
}

/// Where to cut `text` to keep at most `budget` bytes: after the last line break in the
/// second half of the budget, else at the last character boundary.
pub(crate) fn split_point(text: &str, budget: usize) -> usize {
    let mut end = budget.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    match text[..end].rfind('\n') {
        Some(nl) if nl + 1 >= end / 2 => nl + 1,
        _ => end,
    }
}

/// Open-stream counts per member, shared by one bot's transport.
#[derive(Debug, Default)]
pub(crate) struct Slots {
    open: Mutex<HashMap<String, usize>>,
    freed: Notify,
}

impl Slots {
    /// Takes a slot for `member` if fewer than `max` are open.
    pub(crate) fn try_take(self: &Arc<Self>, member: &str, max: usize) -> Option<SlotGuard> {
        let mut open = self.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let n = open.entry(member.to_owned()).or_default();
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(SlotGuard { slots: Arc::clone(self), member: member.to_owned() })
    }

    /// Waits for a slot.
    pub(crate) async fn take(self: &Arc<Self>, member: &str, max: usize) -> SlotGuard {
        loop {
            let freed = self.freed.notified();
            if let Some(g) = self.try_take(member, max) {
                return g;
            }
            freed.await;
        }
    }
}

/// A held slot; released on drop.
#[derive(Debug)]
pub(crate) struct SlotGuard {
    slots: Arc<Slots>,
    member: String,
}

impl Drop for SlotGuard {
    fn drop(&mut self) {
        let mut open = self.slots.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(n) = open.get_mut(&self.member) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.remove(&self.member);
            }
        }
        drop(open);
        self.slots.freed.notify_waiters();
    }
}
