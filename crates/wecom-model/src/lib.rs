//! The WeCom (企业微信, WeChat Work) wire model, shared by every crate of wecom-rs.
//!
//! One definition of each thing that travels: application messages ([`message`]), template
//! cards ([`card`]), app group chats ([`appchat`]), linked-corp messages ([`linkedcorp`]),
//! send statistics ([`statistics`]), group-robot webhook messages ([`webhook`]), WeCom's error codes
//! ([`codes`]) and the documented limits, checked before
//! anything is sent ([`InvalidArgument`] names the field path and the limit). No I/O, no async
//! runtime, no HTTP: the client (`wecom`), the callback server (`wecom-callback`), the emulator
//! and the CLI all build on these types, so a card sent by one is the card another reads.
//!
//! ```
//! use wecom_model::card::{Button, ButtonInteraction};
//! use wecom_model::message::{MessageRequest, Recipients, Text};
//!
//! let text = MessageRequest::new(1000002, Recipients::users(["alice"]), Text::new("Build passed"));
//! text.validate()?;
//! let card = ButtonInteraction::new("Deploy v1.4?", "deploy-42", [Button::callback("Go", "go")]);
//! let req = MessageRequest::new(1000002, Recipients::users(["alice"]), card);
//! assert_eq!(serde_json::to_value(&req).unwrap()["msgtype"], "template_card");
//! # Ok::<(), wecom_model::InvalidArgument>(())
//! ```

pub mod appchat;
pub mod callback;
pub mod card;
pub mod codes;
mod error;
pub mod ids;
pub mod limits;
pub mod linkedcorp;
pub mod message;
mod msgtype;
pub mod quirks;
pub mod statistics;
mod string_enum;
pub mod validate;
pub mod webhook;
pub mod xml;

pub use card::{TaskId, TemplateCard};
pub use error::InvalidArgument;
pub use ids::{ChatId, MediaId, MsgId, ResponseCode};
pub use message::{Message, MessageRequest, Recipients, Safe, SendOptions, Text};
