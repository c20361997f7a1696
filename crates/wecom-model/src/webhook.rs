//! Group-robot webhooks (消息推送, formerly 群机器人): the body of
//! `POST /cgi-bin/webhook/send?key=…` as [`WebhookMessage`], one type per `msgtype`, its
//! limits, the upload rules of `webhook/upload_media` ([`UploadKind`]) and a splitter for long
//! text and markdown ([`split`]).
//!
//! A webhook is bound to one group chat and takes eight kinds of message; each has its required
//! fields in its constructor, optional ones as chainable setters, and converts into
//! [`WebhookMessage`] with `From`:
//!
//! ```
//! use wecom_model::webhook::{MarkdownV2, WebhookMessage, WebhookText};
//!
//! let alert: WebhookMessage = WebhookText::new("order-svc p99 = 2.4s").mention("zhangsan").into();
//! alert.validate()?;
//! assert_eq!(serde_json::to_value(&alert).unwrap()["text"]["mentioned_list"][0], "zhangsan");
//!
//! let report: WebhookMessage = MarkdownV2::new("| svc | p99 |\n| --- | --- |\n| order | 180ms |").into();
//! assert_eq!(report.msgtype(), "markdown_v2");
//! # Ok::<(), wecom_model::InvalidArgument>(())
//! ```
//!
//! Limits are UTF-8 bytes: 2,048 for `text`, 4,096 for `markdown` and `markdown_v2`; an image is
//! at most 2 MB of JPG or PNG; `news` takes 1 to 8 articles, each with a URL. Only the
//! `text_notice` and `news_notice` template cards reach a group, and only without a menu or a
//! task id: [`WebhookCard`] cannot hold any other kind.

use crate::msgtype::msgtype_enum;

use crate::InvalidArgument;
use crate::validate::Path;

mod card;
mod image;
mod markdown;
mod media;
mod news;
pub mod split;
mod text;

pub use card::WebhookCard;
pub use image::{IMAGE_MAX_BYTES, ImageFormat, WebhookImage};
pub use markdown::{MARKDOWN_MAX_BYTES, Markdown, MarkdownV2};
pub use media::{
    UPLOAD_MIN_BYTES, UploadKind, UploadedWebhookMedia, WebhookFile, WebhookMediaId, WebhookVoice,
};
pub use news::{ARTICLES_MAX, WebhookArticle, WebhookNews};
pub use text::{MENTION_ALL, TEXT_MAX_BYTES, WebhookText};

/// The most messages one webhook accepts per minute (WeCom's documented limit).
pub const MESSAGES_PER_MINUTE: u32 = 20;

msgtype_enum! {
    /// The body of a webhook send, tagged on the wire by `msgtype`.
    ///
    /// ```
    /// use wecom_model::webhook::{Markdown, WebhookMessage};
    ///
    /// let message: WebhookMessage = Markdown::new("## Deployed").into();
    /// assert_eq!(
    ///     serde_json::to_value(&message)?,
    ///     serde_json::json!({ "msgtype": "markdown", "markdown": { "content": "## Deployed" } })
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub enum WebhookMessage {
        /// `text`.
        Text(WebhookText) = "text",
        /// `markdown`.
        Markdown(Markdown) = "markdown",
        /// `markdown_v2`.
        MarkdownV2(MarkdownV2) = "markdown_v2",
        /// `image`.
        Image(WebhookImage) = "image",
        /// `news`.
        News(WebhookNews) = "news",
        /// `file`.
        File(WebhookFile) = "file",
        /// `voice`.
        Voice(WebhookVoice) = "voice",
        /// `template_card` (`text_notice` or `news_notice`).
        TemplateCard(WebhookCard) = "template_card",
    }
}

impl WebhookMessage {
    /// Checks every documented hard limit; errors name the field as it appears in the body
    /// (`news.articles[2].url`) and the limit.
    pub fn validate(&self) -> Result<(), InvalidArgument> {
        let path = Path::root(self.msgtype());
        match self {
            Self::Text(m) => m.validate(&path),
            Self::Markdown(m) => m.validate(&path),
            Self::MarkdownV2(m) => m.validate(&path),
            Self::Image(m) => m.validate(&path),
            Self::News(m) => m.validate(&path),
            Self::File(m) => m.validate(&path),
            Self::Voice(m) => m.validate(&path),
            Self::TemplateCard(m) => m.validate(&path),
        }
    }

    /// The media ids this message refers to (a `file` or `voice`, a card attachment).
    pub fn media_ids(&self) -> Vec<&str> {
        match self {
            Self::File(m) => vec![m.media_id.as_str()],
            Self::Voice(m) => vec![m.media_id.as_str()],
            Self::TemplateCard(card) => card.attachment_ids(),
            _ => Vec::new(),
        }
    }
}
