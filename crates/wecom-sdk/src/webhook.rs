//! Group-robot webhooks (消息推送, formerly 群机器人): post into one group chat with nothing
//! but the webhook's key — no app, no token.
//!
//! [`WebhookClient`] is built from the key or from the whole URL copied out of WeCom
//! (`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`). It sends every webhook kind
//! ([`WebhookMessage`]: text with mentions, markdown, markdown_v2, image, news, file, voice
//! and the two notice cards), validated before anything is sent; uploads files and voice
//! through the webhook's own `upload_media`; splits long content into several messages
//! ([`WebhookClient::send_split`]); and, with a [`WebhookThrottle`], keeps within the 20
//! messages per minute a webhook takes, so a burst of alerts is delayed rather than lost.
//!
//! ```no_run
//! use wecom::webhook::{MarkdownV2, WebhookClient, WebhookText, WebhookThrottle};
//!
//! # async fn run() -> wecom::Result<()> {
//! let bot = WebhookClient::builder("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-…")
//!     .throttle(WebhookThrottle::new())
//!     .build()?;
//! bot.send(WebhookText::new("order-svc p99 = 2.4s").mention("zhangsan")).await?;
//! bot.send_split(MarkdownV2::new("# Daily report\n…")).await?;
//! # Ok(()) }
//! ```
//!
//! The key is the credential: it is kept in a [`Secret`], and never appears in
//! `Debug` output, logs or errors (transport errors lose their URL, WeCom's messages are
//! scrubbed). WeCom answers errors with HTTP 200 and an `errcode`: 93000 (unknown key, or the
//! webhook was removed from the group — [`Error::is_webhook_gone`]),
//! 40058 (content too long, bad parameter), 45009 (rate limited) come back as
//! [`Error::Api`] with a plain [`hint`](crate::Error::hint).
//!
//! What is retried: a connection that could not be opened and errcode −1, following the
//! [`RetryPolicy`]; a send that may have reached WeCom is never repeated
//! (there is no duplicate check for webhooks), except 45009 under [`OnLimit::Delay`], which
//! waits out WeCom's block first ([`WebhookThrottle::rejected_backoff`]).

mod builder;
mod call;
mod throttle;
mod upload;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

pub use builder::WebhookClientBuilder;
pub use throttle::WebhookThrottle;
pub use wecom_model::webhook::split::{self, Piece, SplitMode};
pub use wecom_model::webhook::{
    ImageFormat, Markdown, MarkdownV2, UploadKind, UploadedWebhookMedia, WebhookArticle,
    WebhookCard, WebhookFile, WebhookImage, WebhookMediaId, WebhookMessage, WebhookNews,
    WebhookText, WebhookVoice,
};

use crate::client::RetryPolicy;
use crate::error::{Error, Result, codes};
use crate::secret::Secret;
use crate::throttle::{Health, LimitStore, OnLimit, WebhookScope};
use builder::SEND_PATH;
use call::Request;
pub(crate) use throttle::KeyWindow;

/// A client for one group-robot webhook. Cloning is cheap (an `Arc` inside); clones, and
/// other clients of the same key in the process, share the throttle's window.
///
/// `Debug` shows the base URL and settings, never the key.
#[derive(Clone)]
pub struct WebhookClient {
    inner: Arc<Inner>,
}

struct Inner {
    key: Secret,
    base_url: url::Url,
    http: reqwest::Client,
    retry: RetryPolicy,
    request_timeout: Duration,
    upload_timeout: Duration,
    proxy_summary: String,
    throttle: Option<KeyThrottle>,
}

/// A webhook throttle in use: the process's window of the key, and the shared store if any.
struct KeyThrottle {
    throttle: WebhookThrottle,
    local: Arc<KeyWindow>,
    shared: Option<(Arc<dyn LimitStore>, WebhookScope)>,
    health: Health,
}

impl fmt::Debug for WebhookClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookClient")
            .field("key", &self.inner.key)
            .field("base_url", &self.inner.base_url.as_str())
            .field("proxy", &self.inner.proxy_summary)
            .field("throttle", &self.inner.throttle.as_ref().map(|t| &t.throttle))
            .field("limit_store", &self.inner.throttle.as_ref().and_then(|t| t.shared.as_ref()))
            .finish_non_exhaustive()
    }
}

impl WebhookClient {
    /// A client with default settings for a key or a copied webhook URL.
    ///
    /// ```
    /// let bot = wecom::WebhookClient::new("693a91f6-7b2c-4bc4-97a0-0ec2a1fa5aaa")?;
    /// assert!(!format!("{bot:?}").contains("693a91f6"));
    /// # Ok::<(), wecom::Error>(())
    /// ```
    pub fn new(key_or_url: &str) -> Result<Self> {
        Self::builder(key_or_url).build()
    }

    /// A builder for a key or a copied webhook URL (`…/cgi-bin/webhook/send?key=…`, whose
    /// host becomes the base URL).
    pub fn builder(key_or_url: &str) -> WebhookClientBuilder {
        WebhookClientBuilder::new(key_or_url)
    }

    /// A client from `WECOM_WEBHOOK_URL` or `WECOM_WEBHOOK_KEY` (and `WECOM_BASE_URL`, proxy
    /// variables); see [`WebhookClientBuilder::from_vars`].
    pub fn from_env() -> Result<Self> {
        WebhookClientBuilder::from_env()?.build()
    }

    /// Validates and sends one message.
    ///
    /// With a throttle, waits for a free slot of the key's 20 per minute
    /// ([`OnLimit::Delay`]) or fails with [`Error::Throttled`] having sent nothing
    /// ([`OnLimit::Report`]).
    pub async fn send(&self, message: impl Into<WebhookMessage>) -> Result<()> {
        let message = message.into();
        message.validate()?;
        let body = serde_json::to_vec(&message).map_err(|e| {
            crate::InvalidArgument::new(message.msgtype(), format!("cannot be serialized: {e}"))
        })?;
        self.send_body(body.into()).await
    }

    /// Sends a message that may be longer than WeCom's limit as several: a `text`,
    /// `markdown` or `markdown_v2` over its limit is cut by the [splitter](split) at block,
    /// line and character boundaries (code blocks are closed and reopened when cut); any
    /// other message is sent as [`send`](Self::send) would. Every part is validated before
    /// the first is sent; the parts go in order, each counted by the throttle. Returns how
    /// many messages were sent.
    pub async fn send_split(&self, message: impl Into<WebhookMessage>) -> Result<usize> {
        let parts = message.into().split();
        let mut bodies = Vec::with_capacity(parts.len());
        for part in &parts {
            part.validate()?;
            bodies.push(serde_json::to_vec(part).map_err(|e| {
                crate::InvalidArgument::new(part.msgtype(), format!("cannot be serialized: {e}"))
            })?);
        }
        for body in bodies {
            self.send_body(body.into()).await?;
        }
        Ok(parts.len())
    }

    /// Sends the picture at `path` (JPG or PNG, at most 2 MB) as an `image` message.
    pub async fn send_image_path(&self, path: impl AsRef<std::path::Path>) -> Result<()> {
        let path = path.as_ref();
        let bytes = tokio::fs::read(path).await.map_err(|source| Error::Io {
            what: path.display().to_string(),
            source: Arc::new(source),
        })?;
        self.send(WebhookImage::from_bytes(&bytes)?).await
    }

    async fn send_body(&self, body: bytes::Bytes) -> Result<()> {
        let mut backoffs = 0;
        loop {
            self.admit().await?;
            let request = Request::json(SEND_PATH, body.clone(), self.inner.request_timeout);
            match self.call(&request).await {
                Err(err) if err.code() == Some(codes::API_FREQUENCY_LIMITED) => {
                    let Some((wait, times)) =
                        self.inner.throttle.as_ref().and_then(|t| t.throttle.backoff())
                    else {
                        return Err(err);
                    };
                    if backoffs >= times {
                        return Err(err);
                    }
                    backoffs += 1;
                    tracing::warn!(
                        wait_secs = wait.as_secs(),
                        "webhook rate limited by WeCom (45009); waiting before sending again"
                    );
                    tokio::time::sleep(wait).await;
                }
                other => return other.map(|_: serde_json::Value| ()),
            }
        }
    }

    /// Sends decided on this process's own counts because the shared
    /// [`LimitStore`] failed (0 without one). Each outage is also
    /// logged once at `warn`.
    pub fn throttle_fallbacks(&self) -> u64 {
        self.inner.throttle.as_ref().map_or(0, |t| t.health.fallbacks())
    }

    /// Waits for (or, in report mode, checks) a slot of the key's window.
    async fn admit(&self) -> Result<()> {
        let Some(kt) = &self.inner.throttle else { return Ok(()) };
        let mode = kt.throttle.mode();
        let report = mode == OnLimit::Report;
        let local = || kt.local.reserve(tokio::time::Instant::now(), report);
        let slot = match &kt.shared {
            None => local(),
            Some((store, scope)) => {
                match store.reserve_webhook(scope, kt.throttle.limit(), mode).await {
                    Ok(slot) => {
                        kt.health.ok();
                        slot
                    }
                    Err(err) => {
                        kt.health.failed("webhook limit", &err);
                        local()
                    }
                }
            }
        };
        match slot {
            Ok(wait) if wait.is_zero() => Ok(()),
            Ok(wait) => {
                tracing::debug!(wait_ms = wait.as_millis(), "webhook throttle: waiting for a slot");
                tokio::time::sleep(wait).await;
                Ok(())
            }
            Err(retry_after) => Err(Error::Throttled { retry_after }),
        }
    }
}
