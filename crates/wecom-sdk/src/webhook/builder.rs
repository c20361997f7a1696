//! [`WebhookClientBuilder`]: the key (or the URL a user copies), base URL, proxy, timeouts,
//! retries and the throttle.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::throttle::{WebhookThrottle, window_for};
use super::{Inner, KeyThrottle, WebhookClient};
use crate::client::RetryPolicy;
use crate::client::builder::net::{
    ProxyConfig, build_http, process_vars, proxy_from_vars, redact_url,
};
use crate::client::builder::{
    DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, DEFAULT_UPLOAD_TIMEOUT,
};
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::throttle::{Health, LimitStore, WebhookScope};

/// The path of a webhook send, which a copied webhook URL ends with.
pub(crate) const SEND_PATH: &str = "/cgi-bin/webhook/send";

/// Configures a [`WebhookClient`]. Start with [`WebhookClient::builder`] or
/// [`WebhookClientBuilder::from_env`].
///
/// Defaults: WeCom's host (or the host of the URL given), no proxy, connect timeout 10 s,
/// request timeout 30 s (uploads 120 s), [`RetryPolicy::default`] (system-busy answers and
/// failed connections only: a send that may have arrived is never repeated), no throttle.
#[must_use]
pub struct WebhookClientBuilder {
    key: std::result::Result<(Secret, Option<String>), Error>,
    base_url: Option<String>,
    proxy: ProxyConfig,
    connect_timeout: Option<Duration>,
    request_timeout: Duration,
    upload_timeout: Duration,
    http_client: Option<reqwest::Client>,
    retry: RetryPolicy,
    throttle: Option<WebhookThrottle>,
    limit_store: Option<Arc<dyn LimitStore>>,
}

impl WebhookClientBuilder {
    crate::client::builder::net::transport_setters!();

    pub(crate) fn new(key_or_url: &str) -> Self {
        Self {
            key: parse_key_or_url(key_or_url),
            base_url: None,
            proxy: ProxyConfig::default(),
            connect_timeout: None,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            upload_timeout: DEFAULT_UPLOAD_TIMEOUT,
            http_client: None,
            retry: RetryPolicy::default(),
            throttle: None,
            limit_store: None,
        }
    }

    /// A builder from the process environment; see [`from_vars`](Self::from_vars).
    pub fn from_env() -> Result<Self> {
        Self::from_vars(process_vars())
    }

    /// A builder from these variables: `WECOM_WEBHOOK_URL` (the copied URL) or
    /// `WECOM_WEBHOOK_KEY` (the key alone; the URL wins when both are set), optionally
    /// `WECOM_BASE_URL` and the standard proxy variables (`HTTPS_PROXY`, `NO_PROXY`, …).
    /// Empty values count as unset.
    pub fn from_vars<I, K, V>(vars: I) -> Result<Self>
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let vars: Vec<(String, String)> = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .filter(|(_, v)| !v.trim().is_empty())
            .collect();
        let get = |name: &str| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let key =
            get("WECOM_WEBHOOK_URL").or_else(|| get("WECOM_WEBHOOK_KEY")).ok_or_else(|| {
                Error::Config("neither WECOM_WEBHOOK_URL nor WECOM_WEBHOOK_KEY is set".into())
            })?;
        let mut builder = Self::new(&key);
        if let Some(url) = get("WECOM_BASE_URL") {
            builder = builder.base_url(url);
        }
        builder.proxy = proxy_from_vars(&vars);
        Ok(builder)
    }

    /// Where requests go instead of WeCom (or the host of the URL the client was built from):
    /// an emulator, a test server, a forwarding gateway. A path prefix is kept.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Keeps within the webhook's 20 messages per minute (see [`WebhookThrottle`]). Off by
    /// default.
    pub fn throttle(mut self, throttle: WebhookThrottle) -> Self {
        self.throttle = Some(throttle);
        self
    }

    /// Where the [`throttle`](Self::throttle) counts this key's sends: a store shared by every
    /// instance (`RedisLimitStore`, feature `redis`) keeps the 20 per minute for all of them
    /// together; it knows the key only by a hash. Default: this process's memory (shared by
    /// the clients of the key in the process). Needs a throttle.
    pub fn limit_store(mut self, store: Arc<dyn LimitStore>) -> Self {
        self.limit_store = Some(store);
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<WebhookClient> {
        let (key, url_base) = self.key?;
        let raw_base = self.base_url.or(url_base).unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        let base_url = parse_base(&raw_base)?;
        if let Some(throttle) = &self.throttle {
            throttle.check().map_err(Error::Config)?;
        } else if self.limit_store.is_some() {
            return Err(Error::Config(
                "a limit store is set but no throttle: add .throttle(WebhookThrottle::new())"
                    .into(),
            ));
        }
        if self.http_client.is_some() && (self.proxy.is_set() || self.connect_timeout.is_some()) {
            return Err(Error::Config(
                "proxy and connect timeout cannot be set together with http_client()".into(),
            ));
        }
        let http = match self.http_client {
            Some(client) => client,
            None => {
                build_http(&self.proxy, self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))?
            }
        };
        let limit_store = self.limit_store;
        let window = self.throttle.map(|throttle| KeyThrottle {
            throttle,
            local: window_for(key.expose(), throttle.limit()),
            shared: limit_store.map(|store| (store, WebhookScope::from_key(key.expose()))),
            health: Health::default(),
        });
        Ok(WebhookClient {
            inner: Arc::new(Inner {
                key,
                base_url,
                http,
                retry: self.retry,
                request_timeout: self.request_timeout,
                upload_timeout: self.upload_timeout,
                proxy_summary: self.proxy.summary(),
                throttle: window,
            }),
        })
    }
}

impl fmt::Debug for WebhookClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookClientBuilder")
            .field("key", &"***")
            .field("base_url", &self.base_url.as_deref().map(redact_url))
            .field("proxy", &self.proxy.summary())
            .field("throttle", &self.throttle)
            .field("limit_store", &self.limit_store)
            .finish_non_exhaustive()
    }
}

/// A key, or a webhook URL (`…/cgi-bin/webhook/send?key=…`) giving the key and the base URL.
fn parse_key_or_url(input: &str) -> std::result::Result<(Secret, Option<String>), Error> {
    let input = input.trim();
    if input.is_empty() {
        return Err(Error::Config("the webhook key is empty".into()));
    }
    if !input.contains("://") {
        if input.chars().any(|c| c.is_whitespace() || matches!(c, '/' | '?' | '&' | '=' | '#')) {
            return Err(Error::Config(
                "the webhook key has characters a key cannot have; pass the key alone or the \
                 whole webhook URL"
                    .into(),
            ));
        }
        return Ok((Secret::new(input), None));
    }
    let shown = redact_key(input);
    let url = url::Url::parse(input)
        .map_err(|e| Error::Config(format!("webhook URL `{shown}` is invalid: {e}")))?;
    let key = url
        .query_pairs()
        .find(|(k, _)| k == "key")
        .map(|(_, v)| v.into_owned())
        .filter(|k| !k.is_empty())
        .ok_or_else(|| Error::Config(format!("webhook URL `{shown}` has no key= parameter")))?;
    let Some(prefix) = url.path().strip_suffix(SEND_PATH) else {
        return Err(Error::Config(format!(
            "webhook URL `{shown}` does not end in {SEND_PATH}?key=…; copy the whole URL"
        )));
    };
    let mut base = url.clone();
    base.set_query(None);
    base.set_fragment(None);
    base.set_path(prefix);
    Ok((Secret::new(key), Some(base.as_str().trim_end_matches('/').to_owned())))
}

fn parse_base(raw: &str) -> Result<url::Url> {
    let shown = redact_url(raw);
    let url = url::Url::parse(raw.trim())
        .map_err(|e| Error::Config(format!("base URL `{shown}` is invalid: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(Error::Config(format!("base URL `{shown}` must be http(s)://host")));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(format!("base URL `{shown}` must not have a query")));
    }
    Ok(url)
}

/// `url` with the value of `key=` replaced by `***`, for messages and logs.
pub(crate) fn redact_key(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    let mut rest = url;
    while let Some(pos) = rest.find("key=") {
        let at_param = pos == 0 || matches!(rest.as_bytes()[pos - 1], b'?' | b'&');
        out.push_str(&rest[..pos + 4]);
        rest = &rest[pos + 4..];
        if at_param {
            let end = rest.find(['&', '#']).unwrap_or(rest.len());
            out.push_str("***");
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    redact_url(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7b2c";

    #[test]
    fn a_copied_url_gives_the_key_and_the_host() {
        let (key, base) = parse_key_or_url(URL).unwrap();
        assert_eq!(key.expose(), "693a91f6-7b2c");
        assert_eq!(base.as_deref(), Some("https://qyapi.weixin.qq.com"));
        let (_, base) =
            parse_key_or_url("http://127.0.0.1:9/gw/cgi-bin/webhook/send?debug=1&key=k").unwrap();
        assert_eq!(base.as_deref(), Some("http://127.0.0.1:9/gw"));
        let (key, base) = parse_key_or_url(" 693a91f6-7b2c ").unwrap();
        assert_eq!((key.expose(), base), ("693a91f6-7b2c", None));
    }

    #[test]
    fn bad_keys_and_urls_are_refused_without_showing_the_key() {
        for bad in [
            "",
            "has space",
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send",
            "https://qyapi.weixin.qq.com/cgi-bin/other?key=SECRETKEY",
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=",
        ] {
            let err = parse_key_or_url(bad).unwrap_err().to_string();
            assert!(!err.contains("SECRETKEY"), "{err}");
        }
    }

    #[test]
    fn keys_are_redacted_from_urls() {
        assert_eq!(
            redact_key("http://h/cgi-bin/webhook/send?a=1&key=SECRET&b=2"),
            "http://h/cgi-bin/webhook/send?a=1&key=***&b=2"
        );
        assert_eq!(redact_key("monkey=1"), "monkey=1");
    }

    #[test]
    fn from_vars_prefers_the_url_and_debug_hides_the_key() {
        let vars = [("WECOM_WEBHOOK_KEY", "K1"), ("WECOM_WEBHOOK_URL", URL)];
        let builder = WebhookClientBuilder::from_vars(vars).unwrap();
        let client = builder.build().unwrap();
        assert_eq!(client.inner.key.expose(), "693a91f6-7b2c");
        let shown = format!("{client:?}");
        assert!(!shown.contains("693a91f6"), "{shown}");
        let none: [(&str, &str); 0] = [];
        assert!(WebhookClientBuilder::from_vars(none).is_err());
    }
}
