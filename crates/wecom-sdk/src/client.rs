//! The [`Client`]: one WeCom app (corp id, agent id, secret) behind a cheap-to-clone handle.
//!
//! Endpoints live in [`api`](crate::api), one file each, next to their request and response
//! types; all of them go through one internal call path (`transport`) that adds the access token,
//! decodes WeCom's `{errcode, errmsg}` envelope in one place, refreshes a rejected token once,
//! and retries what is safe to retry.
//!
//! # What is retried
//!
//! Decided by one pure function of the kind of request, how it failed and which attempt it
//! was (`retry/classify.rs`, tested as a table); the call loop only carries out its answer.
//!
//! | Failure | Retried? |
//! |---|---|
//! | errcode −1 (system busy) | yes, with backoff, up to [`RetryPolicy`] attempts |
//! | errcode 40001/40014/41001/42001 from an API call | token refreshed once, call repeated once |
//! | errcode 45009/45033 (rate limits) | never: returned typed ([`Error::is_rate_limited`](crate::Error::is_rate_limited)) |
//! | connection could not be opened | yes: nothing was sent |
//! | timeout / broken connection, `gettoken` and uploads | yes: repeating is harmless (an upload retried only wastes a media id) |
//! | timeout / broken connection, `message/send` | only with [`duplicate_check`](crate::MessageRequest::duplicate_check) (WeCom drops the duplicate); else [`Error::DeliveryUnknown`](crate::Error::DeliveryUnknown) |
//! | timeout / broken connection, `appchat/send`, `linkedcorp/message/send` | no (they have no duplicate check): [`Error::DeliveryUnknown`](crate::Error::DeliveryUnknown) |
//! | timeout / broken connection, `appchat/create`, `appchat/update` | no: a repeat could create a second chat or fail although the first worked |
//! | timeout / broken connection, `appchat/get`, `message/get_statistics` | yes: reads |
//! | timeout / broken connection, `message/recall` | no: a repeated recall could fail although the first worked |
//! | timeout / broken connection, `message/update_template_card` | no: the `response_code` is single-use, so a repeat could fail although the first worked |
//! | errcode 40001/40013/41002/41004 from `gettoken` (wrong secret or corp id) | never: [`Error::Credentials`](crate::Error::Credentials) |
//! | any other errcode, an HTTP error without an envelope, an undecodable body | never |

pub(crate) mod builder;
pub(crate) mod envelope;
pub(crate) mod retry;
mod transport;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use futures::FutureExt;

pub use builder::{ClientBuilder, DEFAULT_BASE_URL};
pub use retry::RetryPolicy;
pub(crate) use transport::{Call, Replay};

/// Where [`SendMessage`] lived before endpoints moved to [`api`](crate::api); kept so that
/// `wecom::client::SendMessage` still names it.
pub use crate::api::message::send::SendMessage;

use crate::error::Result;
use crate::secret::Secret;
use crate::throttle::{Limiter, Throttle};
use crate::token::{AccessToken, TokenCache};

/// An async client for one WeCom app. Cloning is cheap (an `Arc` inside) and clones share the
/// connection pool and the token cache.
///
/// Several clients — different apps, or different corps — live side by side; each has its
/// own token, keyed by corp id and agent id.
///
/// `Debug` shows the corp id, agent id and base URL, never the secret or a token.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    corp_id: String,
    agent_id: i64,
    secret: Secret,
    base_url: url::Url,
    http: reqwest::Client,
    retry: RetryPolicy,
    request_timeout: Duration,
    upload_timeout: Duration,
    tokens: TokenCache,
    proxy_summary: String,
    limiter: Option<Limiter>,
}

impl Client {
    /// Starts configuring a client for the app `agent_id` of corp `corp_id`, authenticated by
    /// the app's `secret`.
    pub fn builder(
        corp_id: impl Into<String>,
        agent_id: i64,
        secret: impl Into<Secret>,
    ) -> ClientBuilder {
        ClientBuilder::new(corp_id, agent_id, secret)
    }

    /// A client configured from the environment: `WECOM_CORP_ID`, `WECOM_AGENT_ID`,
    /// `WECOM_SECRET`, optionally `WECOM_BASE_URL`, and the standard proxy variables
    /// (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`, in any case). See
    /// [`ClientBuilder::from_env`] to adjust more settings before building.
    pub fn from_env() -> Result<Client> {
        ClientBuilder::from_env()?.build()
    }

    /// The corp id.
    pub fn corp_id(&self) -> &str {
        &self.inner.corp_id
    }

    /// The app's agent id.
    pub fn agent_id(&self) -> i64 {
        self.inner.agent_id
    }

    /// The base URL requests go to (`https://qyapi.weixin.qq.com` unless overridden).
    pub fn base_url(&self) -> &url::Url {
        &self.inner.base_url
    }

    /// A valid access token for this app, from the cache or freshly fetched (one fetch shared
    /// by all concurrent callers). Useful for calling endpoints this crate does not wrap yet;
    /// the token prints as `***`.
    pub async fn access_token(&self) -> Result<AccessToken> {
        self.token(None).await
    }

    /// A usable token other than `rejected`.
    ///
    /// A plain `async fn`: `gettoken` runs on a call path that holds no token (see
    /// `transport`), so the fetch future does not contain this one. Were `gettoken` to go
    /// through the token-refreshing path again, the compiler could not prove this future
    /// `Send` and this would stop compiling.
    pub(crate) async fn token(&self, rejected: Option<&AccessToken>) -> Result<AccessToken> {
        self.inner
            .tokens
            .token(rejected, || {
                let client = self.clone();
                async move { client.fetch_token().await }.boxed()
            })
            .await
    }

    /// The throttle this client keeps to, if any.
    pub fn throttle(&self) -> Option<&Throttle> {
        self.inner.limiter.as_ref().map(Limiter::settings)
    }

    /// Throttle decisions taken on this process's own counts because the shared
    /// [`LimitStore`](crate::throttle::LimitStore) failed (0 without one). Each outage is
    /// also logged once at `warn`.
    pub fn throttle_fallbacks(&self) -> u64 {
        self.inner.limiter.as_ref().map_or(0, Limiter::fallbacks)
    }

    pub(crate) fn limiter(&self) -> Option<&Limiter> {
        self.inner.limiter.as_ref()
    }

    pub(crate) fn upload_timeout(&self) -> Duration {
        self.inner.upload_timeout
    }

    /// The app's secret, for `gettoken`.
    pub(crate) fn secret(&self) -> &Secret {
        &self.inner.secret
    }

    /// The strings that must never appear in errors or logs: the secret and `token`.
    fn secrets<'a>(&'a self, token: Option<&'a AccessToken>) -> [&'a str; 2] {
        [self.inner.secret.expose(), token.map_or("", AccessToken::expose)]
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("corp_id", &self.inner.corp_id)
            .field("agent_id", &self.inner.agent_id)
            .field("secret", &self.inner.secret)
            .field("base_url", &self.inner.base_url.as_str())
            .field("proxy", &self.inner.proxy_summary)
            .field("retry", &self.inner.retry)
            .field("request_timeout", &self.inner.request_timeout)
            .field("upload_timeout", &self.inner.upload_timeout)
            .field("throttle", &self.throttle())
            .finish_non_exhaustive()
    }
}
