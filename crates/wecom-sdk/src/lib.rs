//! An async client for WeCom (企业微信, WeChat Work) application messaging.
//!
//! Send every kind of app message and template card to users, departments and tags, update
//! sent cards, recall messages, upload and download media, and fan a message out to any
//! number of members — with access tokens cached and refreshed correctly, bounded retries, an
//! optional throttle that keeps within WeCom's limits, and input validated before anything is
//! sent.
//!
//! # Quick start
//!
//! ```no_run
//! use wecom::{Client, Recipients, Text};
//!
//! # async fn run() -> wecom::Result<()> {
//! // WECOM_CORP_ID, WECOM_AGENT_ID, WECOM_SECRET (and optionally WECOM_BASE_URL, HTTPS_PROXY…)
//! let client = Client::from_env()?;
//! let receipt = client
//!     .send(Recipients::users(["alice", "bob"]), Text::new("Build #42 passed"))
//!     .await?;
//! if !receipt.all_delivered() {
//!     eprintln!("not delivered to {:?}", receipt.invalid_users);
//! }
//! client.recall(&receipt.msgid).await?;
//! # Ok(()) }
//! ```
//!
//! Or configure a client explicitly:
//!
//! ```no_run
//! use std::time::Duration;
//! use wecom::{Client, Media, MediaType, RetryPolicy, Throttle};
//!
//! # async fn run() -> wecom::Result<()> {
//! let client = Client::builder("ww0123456789abcdef", 1_000_002, "app-secret")
//!     .proxy("http://proxy.internal:3128")
//!     .request_timeout(Duration::from_secs(10))
//!     .retry_policy(RetryPolicy::default().max_attempts(5))
//!     // WeCom drops messages past 30/min or 1,000/h to one member: delay them instead.
//!     .throttle(Throttle::new().max_in_flight(16))
//!     .build()?;
//! let media = Media::from_path("report.pdf").await?;
//! let uploaded = client.upload_media(MediaType::File, media).await?;
//! println!("media id {} (type {})", uploaded.media_id, uploaded.kind);
//! # Ok(()) }
//! ```
//!
//! # What it covers
//!
//! | Task | API |
//! |---|---|
//! | Send any message or template card | [`Client::send`], [`Client::send_request`]; types in [`message`], [`card`] |
//! | One message to thousands of members | [`Client::send_bulk`] ([`bulk`]): batches of 1,000, concurrent, progress, per-recipient outcome, resumable |
//! | Update a sent card (`response_code`) | [`Client::update_template_card`] ([`update_card`]) |
//! | Recall a message | [`Client::recall`] |
//! | App group chats (应用群聊): create, update, read, post | [`Client::create_chat`], [`Client::update_chat`], [`Client::get_chat`], [`Client::send_to_chat`] ([`api::appchat`]) |
//! | Message members of linked corps (互联企业) | [`Client::send_linked`] ([`api::linkedcorp`]) |
//! | How many messages each app sent today or yesterday | [`Client::message_statistics`] |
//! | Upload / download media | [`Client::upload_media`], [`Client::upload_image`], [`Client::download_media`] |
//! | Firewall the callback server | [`Client::callback_ips`] |
//! | Stay within WeCom's limits | [`ClientBuilder::throttle`] ([`throttle`]) |
//! | Call an endpoint not wrapped here | [`Client::access_token`] |
//! | Post to a group through its webhook (群机器人) | [`WebhookClient`] ([`webhook`]): every kind, uploads, splitting, 20/min throttle |
//!
//! Runnable examples live in `examples/`: `send_text`, `send_news`, `button_card`,
//! `vote_card`, `update_card`, `recall`, `upload_media`, `webhook_alert`, `appchat`.
//!
//! # Errors, tokens and retries
//!
//! Every call returns [`Result`] with one [`Error`] type: WeCom's `errcode` survives in
//! [`Error::Api`], with named [`codes`](error::codes), predicates such as
//! [`Error::is_rate_limited`], and [`Error::hint`] — one plain sentence of what to do (add the
//! IP to the trusted IPs, check the secret, back off…). Tokens are fetched once for all
//! concurrent callers, refreshed before expiry, and refreshed once more when WeCom rejects
//! one. What is retried, and what is not, is listed in the [`client`] module. The corp secret
//! and tokens never appear in logs, `Debug` output or errors.
//!
//! # Features
//!
//! * `rustls` (default): TLS through rustls with reqwest's built-in crypto provider; nothing is
//!   installed process-wide, so other `reqwest` clients in the program are unaffected.
//! * `native-tls`: TLS through the platform library instead.
//! * `redis`: `RedisTokenStore`, a [`TokenStore`] in Redis, so that every process of a service
//!   shares one access token per app and one refresh. The client keeps the token in memory
//!   (Redis is not asked on every call) and keeps sending on a token of its own while Redis is
//!   down. Guide: [`docs/redis.md`](https://github.com/wecom-rs/wecom-rs/blob/main/docs/redis.md).

pub mod api;
pub mod bulk;
pub mod client;
pub mod error;
mod secret;
pub mod throttle;
pub mod token;

/// Media upload and download: [`Media`], [`MediaType`], [`UploadedMedia`],
/// [`DownloadedMedia`] and the size limits (the endpoints are in [`api::media`]).
pub use api::media;

pub mod receipt {
    //! [`SendReceipt`]: what `message/send` reports back. The endpoint, with this type, is
    //! [`api::message::send`](crate::api::message::send); this module keeps the
    //! `wecom::receipt::SendReceipt` path.

    pub use crate::api::message::send::SendReceipt;
}

pub mod update_card {
    //! Updating a sent template card with its single-use `response_code`. The endpoint, with
    //! these types, is
    //! [`api::message::update_template_card`](crate::api::message::update_template_card); this
    //! module keeps the `wecom::update_card::…` paths.

    pub use crate::api::message::update_template_card::{
        CardUpdate, UPDATE_FIELDS, UpdateTemplateCard, UpdateTemplateCardBody,
        UpdateTemplateCardResponse,
    };
}
pub mod webhook;

// The wire model lives in `wecom-model`, shared with the callback server, the emulator and the
// CLI; it is re-exported here so that `wecom::card` and `wecom::message` are where users look.
pub use wecom_model::{ChatId, MediaId, MsgId, ResponseCode, card, message, statistics};
use wecom_model::{quirks, validate};

pub use bulk::{BulkOptions, BulkReport, BulkSend};
pub use card::TemplateCard;
pub use client::{Client, ClientBuilder, RetryPolicy, SendMessage};
pub use error::{Error, InvalidArgument, Result};
pub use media::{DownloadedMedia, Media, MediaType, UploadedMedia};
pub use message::{Message, MessageRequest, Recipients, Safe, SendOptions, Text};
pub use receipt::SendReceipt;
pub use secret::Secret;
pub use throttle::{LimitStore, MemoryLimitStore, OnLimit, Throttle};
#[cfg(feature = "redis")]
pub use throttle::{RedisLimitStore, RedisLimitStoreBuilder};
pub use token::{AccessToken, CachedToken, MemoryTokenStore, TokenKey, TokenStore};
#[cfg(feature = "redis")]
pub use token::{RedisTokenStore, RedisTokenStoreBuilder};
pub use update_card::{UpdateTemplateCard, UpdateTemplateCardResponse};
pub use webhook::{WebhookClient, WebhookClientBuilder, WebhookThrottle};
