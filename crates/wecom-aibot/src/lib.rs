//! WeCom (企业微信) AI bots (智能机器人, API mode): one handler API, streamed replies, the
//! HTTP callback transport, and (feature `ws`) the WebSocket long-connection transport in
//! module `ws` — with (feature `redis`) one connection across several replicas, decided by a
//! Redis lease (`ws::LeasedAibotWs`).
//!
//! A member writes to the bot (or @-mentions it in a group); your [`Bot`](bot::Bot) gets a
//! typed [`Message`](model::Message) and a [`Responder`](bot::Responder), and answers at once,
//! with a card, or with a stream it writes to as tokens arrive. The transport turns that into
//! what WeCom expects: in HTTP mode, an encrypted first answer and then the current text on
//! each of WeCom's refresh callbacks until the stream is finished; over the long connection,
//! pushed frames, one acknowledged at a time, coalescing what the handler wrote meanwhile.
//!
//! # Quick start
//!
//! ```no_run
//! use wecom_aibot::bot::{Responder, bot_fn};
//! use wecom_aibot::http::AibotServer;
//! use wecom_aibot::model::Message;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let bot = bot_fn(|msg: Message, reply: Responder| async move {
//!     let mut stream = reply.stream();
//!     for word in ["Thinking", " about: ", &msg.text()] {
//!         let _ = stream.push(word);
//!         tokio::time::sleep(std::time::Duration::from_millis(200)).await;
//!     }
//!     let _ = stream.finish();
//! });
//! let server = AibotServer::new("token", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", bot)?;
//! server.serve("0.0.0.0:8080").await?;
//! # Ok(())
//! # }
//! ```
//!
//! # Limits, handled for you
//!
//! * **20,480 bytes per stream**: past it, the stream is finished with what fits and the rest
//!   follows as one markdown message through `response_url` ([`bot::Overflow::FollowUp`], the
//!   default), or the write is refused ([`bot::Overflow::Error`]).
//! * **6 minutes per stream**: an open stream is finished with its text and a note, and the
//!   handler's next write returns [`bot::StreamError::Expired`].
//! * **3 open streams per member**: a fourth message gets a short busy answer
//!   ([`bot::Busy::Reply`], the default) or waits ([`bot::Busy::Wait`]).
//!
//! # Secrets
//!
//! The token, EncodingAESKey and per-file `aeskey`s never appear in logs, `Debug` output or
//! errors; neither do `response_url`s and media URLs (their query is a capability).

pub mod bot;
pub mod error;
pub mod http;
pub mod media;
pub mod model;
pub mod response_url;
#[cfg(feature = "ws")]
pub mod ws;

pub use error::Error;
pub use response_url::ResponseUrl;
