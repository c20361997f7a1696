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
//! | `message/update_template_card` | `api/message/update_template_card.rs` | [`Client::update_template_card`](crate::Client::update_template_card) |
//! | `media/upload` | `api/media/upload.rs` | [`Client::upload_media`](crate::Client::upload_media) |
//! | `media/uploadimg` | `api/media/upload_image.rs` | [`Client::upload_image`](crate::Client::upload_image) |
//! | `media/get` | `api/media/download.rs` | [`Client::download_media`](crate::Client::download_media) |
//!
//! Every endpoint goes through the client's one call path (`client/transport.rs`), which
//! adds the token, decodes the `{errcode, errmsg}` envelope and carries out the retry rules.
//! Bulk sends ([`bulk`](crate::bulk)) are many `message/send` calls, not an endpoint of
//! their own.

pub mod callback_ips;
pub(crate) mod gettoken;
pub mod media;
pub mod message;
