//! [`EventResponder`]: the answer to an event — a welcome for `enter_chat`, a card update for
//! `template_card_event`, nothing for `feedback_event`.

use tokio::sync::oneshot;

use crate::error::Error;
use crate::model::{AibotCard, CardUpdate, EventKind, Reply};

/// An event's answer as the transport sends it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum EventAnswer {
    /// A welcome (`text` or `template_card`) to `enter_chat`.
    Welcome(Reply),
    /// `update_template_card` to `template_card_event`.
    Update(CardUpdate),
}

/// The answer to one event; each way of answering consumes it. Answer within 5 s: WeCom
/// drops the answer after that (card events are never retried).
#[derive(Debug)]
pub struct EventResponder {
    eventtype: &'static str,
    tx: oneshot::Sender<EventAnswer>,
    #[cfg(feature = "ws")]
    ws: Option<crate::ws::WsCallback>,
}

impl EventResponder {
    /// A responder for an event of `kind`, and where its answer arrives.
    pub(crate) fn new(kind: &EventKind) -> (Self, oneshot::Receiver<EventAnswer>) {
        let (tx, rx) = oneshot::channel();
        let eventtype = match kind {
            EventKind::EnterChat => "enter_chat",
            EventKind::TemplateCard(_) => "template_card_event",
            _ => "other",
        };
        let responder = EventResponder {
            eventtype,
            tx,
            #[cfg(feature = "ws")]
            ws: None,
        };
        (responder, rx)
    }

    #[cfg(feature = "ws")]
    pub(crate) fn with_ws(mut self, callback: crate::ws::WsCallback) -> Self {
        self.ws = Some(callback);
        self
    }

    /// The event's callback when it came over the WebSocket transport (`None` over HTTP).
    #[cfg(feature = "ws")]
    pub fn ws(&self) -> Option<&crate::ws::WsCallback> {
        self.ws.as_ref()
    }

    fn send(self, needs: &'static str, answer: EventAnswer) -> Result<(), Error> {
        if self.eventtype != needs {
            return Err(Error::InvalidArgument(format!(
                "this answer is only allowed for {needs}, not for this event"
            )));
        }
        self.tx
            .send(answer)
            .map_err(|_| Error::InvalidArgument("the answer came after the deadline".into()))
    }

    /// Welcomes the member with text (`enter_chat` only).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for another event or past the deadline.
    pub fn welcome(self, text: impl Into<String>) -> Result<(), Error> {
        self.send("enter_chat", EventAnswer::Welcome(Reply::welcome(text)))
    }

    /// Welcomes the member with a card (`enter_chat` only).
    ///
    /// # Errors
    /// As [`EventResponder::welcome`].
    pub fn welcome_card(self, card: impl Into<AibotCard>) -> Result<(), Error> {
        self.send("enter_chat", EventAnswer::Welcome(Reply::card(card)))
    }

    /// Replaces the clicked card (`template_card_event` only); the card's `task_id` must be
    /// the event's.
    ///
    /// # Errors
    /// As [`EventResponder::welcome`].
    pub fn update_card(self, update: CardUpdate) -> Result<(), Error> {
        self.send("template_card_event", EventAnswer::Update(update))
    }
}
