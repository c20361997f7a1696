//! Every WeCom endpoint this crate wraps, one file per endpoint: the file holds the
//! endpoint's request type (where it is its own; message content and cards live in
//! [`wecom_model`]), its response type and the [`Client`](crate::Client) method, so an
//! endpoint is found from its file name, as in octocrab's `api/` tree.
//!
//! | Endpoint | File | Method |
//! |---|---|---|
//! | `gettoken` | `api/gettoken.rs` | [`Client::access_token`](crate::Client::access_token) |
//! | `getcallbackip` | `api/callback_ips.rs` | [`Client::callback_ips`](crate::Client::callback_ips) |
//! | `message/send` | `api/message/send.rs` | [`Client::send`](crate::Client::send), [`Client::send_request`](crate::Client::send_request) |
//! | `message/recall` | `api/message/recall.rs` | [`Client::recall`](crate::Client::recall) |
//! | `message/get_statistics` | `api/message/statistics.rs` | [`Client::message_statistics`](crate::Client::message_statistics) |
//! | `appchat/create`, `update`, `get`, `send` | `api/appchat/*.rs` | [`Client::create_chat`](crate::Client::create_chat), [`Client::update_chat`](crate::Client::update_chat), [`Client::get_chat`](crate::Client::get_chat), [`Client::send_to_chat`](crate::Client::send_to_chat) |
//! | `linkedcorp/message/send` | `api/linkedcorp/send.rs` | [`Client::send_linked`](crate::Client::send_linked) |
//! | `message/update_template_card` | `api/message/update_template_card.rs` | [`Client::update_template_card`](crate::Client::update_template_card) |
//! | `media/upload` | `api/media/upload.rs` | [`Client::upload_media`](crate::Client::upload_media) |
//! | `media/uploadimg` | `api/media/upload_image.rs` | [`Client::upload_image`](crate::Client::upload_image) |
//! | `media/get` | `api/media/download.rs` | [`Client::download_media`](crate::Client::download_media) |
//!
//! Every endpoint goes through the client's one call path (`client/transport.rs`), which
//! adds the token, decodes the `{errcode, errmsg}` envelope and carries out the retry rules.
//! Bulk sends ([`bulk`](crate::bulk)) are many `message/send` calls, not an endpoint of
//! their own.

pub mod appchat;
pub mod callback_ips;
pub(crate) mod gettoken;
pub mod linkedcorp;
pub mod media;
pub mod message;
