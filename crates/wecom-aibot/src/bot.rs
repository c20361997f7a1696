//! One bot, written once: the [`Bot`] trait (or a closure through [`bot_fn`]) receives a typed
//! message and a [`Responder`], and answers at once, with a card, or with a [`StreamWriter`]
//! it writes to as tokens arrive. The transport (HTTP callbacks here, the WebSocket long
//! connection, module `ws`) decides how each state of the answer reaches WeCom; the handler never
//! sees the difference.
//!
//! ```
//! use wecom_aibot::bot::{Responder, bot_fn};
//! use wecom_aibot::model::Message;
//!
//! let bot = bot_fn(|msg: Message, reply: Responder| async move {
//!     let mut stream = reply.stream();
//!     for word in msg.text().split_whitespace() {
//!         if stream.push(word).is_err() {
//!             return; // expired or too long: the stream says why
//!         }
//!     }
//!     let _ = stream.finish();
//! });
//! # let _ = bot;
//! ```

mod event;
mod exchange;
mod limits;
#[cfg(feature = "ws")]
mod push;
mod responder;
mod stream;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub use event::{EventAnswer, EventResponder};
pub(crate) use exchange::{Exchange, Slots};
pub use limits::{Busy, Limits, Overflow};
#[cfg(feature = "ws")]
pub(crate) use push::{Next, Pushed};
pub use responder::Responder;
pub use stream::{StreamError, StreamWriter};

use crate::model::{Event, Message};

/// An AI bot's logic, independent of the transport.
pub trait Bot: Send + Sync + 'static {
    /// A member wrote to the bot. Answer through `reply`; returning without an answer
    /// finishes whatever was started (an empty answer if nothing was).
    fn on_message(&self, message: Message, reply: Responder) -> impl Future<Output = ()> + Send;

    /// An event: `enter_chat` (welcome), `template_card_event` (card update),
    /// `feedback_event` (no answer allowed). The default ignores it.
    fn on_event(&self, event: Event, reply: EventResponder) -> impl Future<Output = ()> + Send {
        let _ = (event, reply);
        async {}
    }
}

/// A bot made of a closure handling messages (events are ignored).
#[derive(Clone)]
pub struct BotFn<F>(F);

impl<F> std::fmt::Debug for BotFn<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BotFn")
    }
}

/// Makes a [`Bot`] of `f(message, reply)`.
pub fn bot_fn<F, Fut>(f: F) -> BotFn<F>
where
    F: Fn(Message, Responder) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    BotFn(f)
}

impl<F, Fut> Bot for BotFn<F>
where
    F: Fn(Message, Responder) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    fn on_message(&self, message: Message, reply: Responder) -> impl Future<Output = ()> + Send {
        (self.0)(message, reply)
    }
}

type BoxFut = Pin<Box<dyn Future<Output = ()> + Send>>;

/// The object-safe form transports keep.
pub(crate) trait DynBot: Send + Sync {
    fn message(self: Arc<Self>, message: Message, reply: Responder) -> BoxFut;
    fn event(self: Arc<Self>, event: Event, reply: EventResponder) -> BoxFut;
}

impl<B: Bot> DynBot for B {
    fn message(self: Arc<Self>, message: Message, reply: Responder) -> BoxFut {
        Box::pin(async move { self.on_message(message, reply).await })
    }

    fn event(self: Arc<Self>, event: Event, reply: EventResponder) -> BoxFut {
        Box::pin(async move { self.on_event(event, reply).await })
    }
}
