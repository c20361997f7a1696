//! Pushing an answer (WebSocket transport): which frame goes next. The transport sends one
//! frame, waits for its acknowledgement, then asks again — so every write the handler made
//! meanwhile is folded into one frame holding the latest whole text, and the finishing frame
//! is never skipped.

use super::exchange::{Exchange, Kind};
use crate::model::Reply;

/// What the transport does next.
#[derive(Debug)]
pub(crate) enum Next {
    /// Send this frame; `last` when it finishes the answer.
    Send { reply: Box<Reply>, last: bool },
    /// Nothing new: wait for a change.
    Wait,
    /// Nothing more to send.
    Done,
}

/// What was pushed so far.
#[derive(Debug, Default)]
pub(crate) struct Pushed {
    any: bool,
    finished: bool,
    again: bool,
    text: String,
}

impl Pushed {
    /// Makes the next call send the current state even if unchanged (a keep-alive).
    pub(crate) fn resend(&mut self) {
        self.again = true;
    }
}

impl Exchange {
    /// The next frame to push, if the answer changed since the last one.
    pub(crate) fn next_push(&self, pushed: &mut Pushed) -> Next {
        let mut s = self.lock();
        self.apply_lifetime(&mut s);
        if pushed.finished {
            return Next::Done;
        }
        match &s.kind {
            Kind::Pending if s.handler_done => Next::Done,
            Kind::Pending => Next::Wait,
            Kind::Immediate(reply) => {
                let reply = (**reply).clone();
                s.final_sent = true;
                pushed.any = true;
                pushed.finished = true;
                Next::Send { reply: Box::new(reply), last: true }
            }
            Kind::Stream => {
                if pushed.any
                    && !pushed.again
                    && s.text == pushed.text
                    && !s.finished
                    && s.card.is_none()
                {
                    return Next::Wait;
                }
                pushed.again = false;
                let reply = self.frame(&mut s, !pushed.any);
                pushed.any = true;
                pushed.finished = s.finished;
                pushed.text.clone_from(&s.text);
                Next::Send { reply: Box::new(reply), last: s.finished }
            }
        }
    }

    /// Answers at once with `text`, finished, without calling the handler.
    pub(crate) fn busy(&self, text: String) {
        self.open();
        self.update(|s| {
            let _ = self.set_text(s, text);
            s.finished = true;
            s.handler_done = true;
        });
    }

    /// The answer can no longer be delivered: the handler's next write fails.
    pub(crate) fn mark_lost(&self) {
        self.update(|s| s.lost = true);
    }

    /// The text as it stands.
    pub(crate) fn read_text(&self) -> String {
        self.read(|s| s.text.clone())
    }

    /// Waits until the handler returned.
    pub(crate) async fn handler_finished(&self) {
        let mut rx = self.subscribe();
        loop {
            rx.borrow_and_update();
            if self.read(|s| s.handler_done) {
                return;
            }
            if rx.changed().await.is_err() {
                return;
            }
        }
    }
}
