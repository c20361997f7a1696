//! An async client for WeCom (企业微信, WeChat Work) application messaging.
//!
//! Send every kind of app message and template card to users, departments and tags, recall
//! messages, update sent template cards and upload media — with access tokens cached and
//! refreshed correctly, bounded retries, and input validated before anything is sent.

pub mod card;
pub mod error;
pub mod message;
mod quirks;
pub mod update_card;
mod validate;

pub use card::TemplateCard;
pub use error::{Error, InvalidArgument, Result};
pub use message::{Message, MessageRequest, Recipients, Safe, SendOptions, Text};
pub use update_card::{UpdateTemplateCard, UpdateTemplateCardResponse};
