//! The `appchat/*` endpoints: group chats an app creates and posts into (应用群聊).
//!
//! | Endpoint | File | Method |
//! |---|---|---|
//! | `appchat/create` | `api/appchat/create.rs` | [`Client::create_chat`](crate::Client::create_chat) |
//! | `appchat/update` | `api/appchat/update.rs` | [`Client::update_chat`](crate::Client::update_chat) |
//! | `appchat/get` | `api/appchat/get.rs` | [`Client::get_chat`](crate::Client::get_chat) |
//! | `appchat/send` | `api/appchat/send.rs` | [`Client::send_to_chat`](crate::Client::send_to_chat) |
//!
//! Only self-built apps whose visible range is the root department (the whole corp) may call
//! them; WeCom answers others with 48002 ([`Error::hint`](crate::Error::hint) says so). The
//! request types are the shared model in [`wecom_model::appchat`].

pub mod create;
pub mod get;
pub mod send;
pub mod update;

pub use wecom_model::appchat::{AppChatRequest, ChatInfo, CreateChat, UpdateChat};
