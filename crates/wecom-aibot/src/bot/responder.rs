//! [`Responder`]: how a handler answers one message — at once, with a card, or with a
//! stream.

use std::sync::Arc;

use super::exchange::{Exchange, Kind};
use super::stream::{StreamError, StreamWriter};
use crate::model::{AibotCard, Feedback, Reply};

/// The answer to one message; each way of answering consumes it.
#[derive(Debug)]
pub struct Responder {
    pub(crate) exchange: Arc<Exchange>,
    #[cfg(feature = "ws")]
    ws: Option<crate::ws::WsCallback>,
}

impl Responder {
    pub(crate) fn new(exchange: Arc<Exchange>) -> Self {
        Responder {
            exchange,
            #[cfg(feature = "ws")]
            ws: None,
        }
    }

    #[cfg(feature = "ws")]
    pub(crate) fn with_ws(mut self, callback: crate::ws::WsCallback) -> Self {
        self.ws = Some(callback);
        self
    }

    /// The callback being answered, when the message came over the WebSocket transport
    /// (`None` over HTTP): for media replies and pushes. Take it before answering (the
    /// answering methods consume the responder).
    #[cfg(feature = "ws")]
    pub fn ws(&self) -> Option<&crate::ws::WsCallback> {
        self.ws.as_ref()
    }

    /// Puts a feedback id on the answer (like/dislike → `feedback_event` with this id).
    #[must_use]
    pub fn feedback(self, id: impl Into<String>) -> Self {
        let feedback = Feedback::new(id);
        self.exchange.update(|s| s.feedback = Some(feedback));
        self
    }

    /// Opens a stream to write the answer to as it is produced.
    pub fn stream(self) -> StreamWriter {
        self.exchange.open();
        StreamWriter { exchange: Arc::clone(&self.exchange), text: String::new() }
    }

    /// Opens a stream that shows `card` under it (`stream_with_template_card`).
    pub fn stream_with_card(self, card: impl Into<AibotCard>) -> StreamWriter {
        let card = card.into();
        self.exchange.update(|s| s.card = Some(card));
        self.stream()
    }

    /// Answers at once with finished Markdown text (a stream of one frame).
    ///
    /// # Errors
    /// [`StreamError::TooLong`] under [`super::Overflow::Error`]; see [`StreamWriter::set`].
    pub fn markdown(self, text: impl Into<String>) -> Result<(), StreamError> {
        let mut stream = self.stream();
        stream.set(text)?;
        stream.finish()
    }

    /// Answers with a template card.
    pub fn card(self, card: impl Into<AibotCard>) {
        let mut card = card.into();
        self.exchange.update(|s| {
            if card.feedback.is_none() {
                card.feedback = s.feedback.take();
            }
            s.kind = Kind::Immediate(Box::new(Reply::card(card)));
            s.finished = true;
        });
    }
}
