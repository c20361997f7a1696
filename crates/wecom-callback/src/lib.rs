//! WeCom (企业微信, WeChat Work) callbacks: typed messages and events, encrypted passive
//! replies, and an axum server.
//!
//! * [`Callback::parse`] turns decrypted callback XML into a [`Message`], an [`Event`] or an
//!   [`Unknown`] that keeps every raw field — new WeCom types are never an error.
//! * [`Reply`] builds passive replies (text, image, voice, video, news, button updates and
//!   whole template cards), checks WeCom's limits and encrypts them ([`Reply::encrypt`]).
//! * [`CallbackServer`] is an axum [`Router`](axum::Router) to mount in your app (or run with
//!   [`CallbackServer::serve`]): URL verification, signature and decryption checks, body
//!   limit, de-duplication of WeCom's retries, reply or acknowledge mode, and handler
//!   failures contained.
//! * [`receive()`] and [`verify_url()`] do the server's work on a raw query string and body, for
//!   other HTTP stacks and tools.
//!
//! # Quick start
//!
//! ```no_run
//! use wecom_callback::{Callback, CallbackServer, MessageBody, Reply};
//! use wecom_msgcrypt::MsgCrypt;
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     // Token, EncodingAESKey and corp id from the app's callback settings.
//!     let crypt = MsgCrypt::new("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7")?;
//!     CallbackServer::new(crypt, |callback: Callback| async move {
//!         let reply = match callback {
//!             Callback::Message(m) => match m.body {
//!                 MessageBody::Text(text) => Some(Reply::text(text.content)),
//!                 _ => None,
//!             },
//!             _ => None,
//!         };
//!         Ok::<_, std::convert::Infallible>(reply)
//!     })
//!     .serve("0.0.0.0:8080")
//!     .await?;
//!     Ok(())
//! }
//! ```
//!
//! # Retries and de-duplication
//!
//! WeCom retries a callback it got no answer to within 5 seconds (three deliveries in all).
//! The server marks each callback's key as seen when it arrives — before the handler runs —
//! so retries, even those arriving while the first delivery is still being handled, are
//! answered 200 empty without calling the handler again. See [`dedup`].
//!
//! # Features
//!
//! * `redis`: `RedisDedup`, de-duplication shared by every instance of a service through
//!   Redis, falling back to memory while Redis is down. Guide:
//!   [`docs/redis.md`](https://github.com/wecom-rs/wecom-rs/blob/main/docs/redis.md).

pub mod dedup;
pub mod error;
pub mod receive;
pub mod reply;
pub mod serve;
pub mod server;

/// Typed callbacks: the inbound model of `wecom-model`, re-exported under this crate's paths.
///
/// A [`Callback`] is a user [`Message`], an [`Event`], or an [`Unknown`] that keeps every raw
/// field. The types, their parser and their serde form live in [`wecom_model::callback`],
/// shared with every other crate of wecom-rs.
pub mod callback {
    pub use wecom_model::callback::*;
}

/// The generic XML element tree of `wecom-model` ([`wecom_model::xml`]), re-exported under
/// this crate's path.
pub mod element {
    pub use wecom_model::xml::Element;
}

pub use callback::{
    Callback, Event, EventBody, FieldProblem, Header, Message, MessageBody, ParseError, Unknown,
};
pub use dedup::{DedupError, DedupStore, MemoryDedup};
#[cfg(feature = "redis")]
pub use dedup::{RedisDedup, RedisDedupBuilder};
pub use element::Element;
pub use error::Error;
pub use receive::{CallbackQuery, Received, receive, verify_url};
pub use reply::Reply;
pub use serve::ServeLimits;
pub use server::{BoxError, CallbackServer, Handler, HandlerResult, Mode};
