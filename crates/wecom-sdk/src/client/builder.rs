//! [`ClientBuilder`]: base URL, proxy, timeouts, retries, token store and TLS set-up.

pub(crate) mod net;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::{Client, Inner, RetryPolicy};
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::throttle::{LimitScope, LimitStore, Limiter, Throttle};
use crate::token::{MemoryTokenStore, TokenCache, TokenKey, TokenStore, TokenTiming};
use net::{ProxyConfig, build_http, process_vars, proxy_from_vars, redact_url};

/// WeCom's API host.
pub const DEFAULT_BASE_URL: &str = "https://qyapi.weixin.qq.com";

pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub(crate) const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
pub(crate) const DEFAULT_UPLOAD_TIMEOUT: Duration = Duration::from_secs(120);
const DEFAULT_TOKEN_TIMING: TokenTiming = TokenTiming {
    margin: Duration::from_secs(300),
    lease_ttl: Duration::from_secs(10),
    lease_wait: Duration::from_secs(5),
    poll: Duration::from_millis(50),
};

/// Configures a [`Client`]. Start with [`Client::builder`] or [`ClientBuilder::from_env`].
///
/// Defaults: base URL `https://qyapi.weixin.qq.com`, no proxy, connect timeout 10 s, request
/// timeout 30 s (uploads 120 s), [`RetryPolicy::default`], an in-memory token store, tokens
/// refreshed 5 minutes before they expire.
///
/// The builder reads nothing from the environment unless asked to
/// ([`from_env`](Self::from_env), [`proxy_from_env`](Self::proxy_from_env)), so a program's
/// behaviour does not change with stray variables.
#[must_use]
pub struct ClientBuilder {
    corp_id: String,
    agent_id: i64,
    secret: Secret,
    base_url: String,
    proxy: ProxyConfig,
    connect_timeout: Option<Duration>,
    request_timeout: Duration,
    upload_timeout: Duration,
    http_client: Option<reqwest::Client>,
    retry: RetryPolicy,
    store: Option<Arc<dyn TokenStore>>,
    store_required: bool,
    timing: TokenTiming,
    throttle: Option<Throttle>,
    limit_store: Option<Arc<dyn LimitStore>>,
}

impl ClientBuilder {
    net::transport_setters!();

    pub(crate) fn new(
        corp_id: impl Into<String>,
        agent_id: i64,
        secret: impl Into<Secret>,
    ) -> Self {
        Self {
            corp_id: corp_id.into(),
            agent_id,
            secret: secret.into(),
            base_url: DEFAULT_BASE_URL.to_owned(),
            proxy: ProxyConfig::default(),
            connect_timeout: None,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            upload_timeout: DEFAULT_UPLOAD_TIMEOUT,
            http_client: None,
            retry: RetryPolicy::default(),
            store: None,
            store_required: false,
            timing: DEFAULT_TOKEN_TIMING,
            throttle: None,
            limit_store: None,
        }
    }

    /// A builder from the process environment; see [`from_vars`](Self::from_vars).
    pub fn from_env() -> Result<Self> {
        Self::from_vars(process_vars())
    }

    /// A builder from these variables, as `from_env` reads them from the environment:
    ///
    /// * `WECOM_CORP_ID`, `WECOM_AGENT_ID` (an integer), `WECOM_SECRET` — required;
    /// * `WECOM_BASE_URL` — optional, for example an emulator or a forwarding gateway;
    /// * `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY` — optional, in any case (the
    ///   lower-case spelling wins). As in curl, an upper-case `HTTP_PROXY` is ignored when
    ///   `REQUEST_METHOD` is set (a CGI environment, where it could come from a request
    ///   header).
    ///
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
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let get = |name: &str| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let required =
            |name: &str| get(name).ok_or_else(|| Error::Config(format!("{name} is not set")));
        let corp_id = required("WECOM_CORP_ID")?;
        let agent_id = required("WECOM_AGENT_ID")?;
        let agent_id = agent_id.trim().parse::<i64>().map_err(|_| {
            Error::Config(format!("WECOM_AGENT_ID must be an integer, got `{agent_id}`"))
        })?;
        let secret = required("WECOM_SECRET")?;
        let mut builder = Self::new(corp_id, agent_id, secret);
        if let Some(url) = get("WECOM_BASE_URL") {
            builder = builder.base_url(url);
        }
        builder.proxy = proxy_from_vars(&vars);
        Ok(builder)
    }

    /// Where requests go instead of `https://qyapi.weixin.qq.com`: an emulator, a test
    /// server, or a forwarding gateway with a trusted IP. A path prefix is kept
    /// (`http://gw.example/wecom` → `http://gw.example/wecom/cgi-bin/...`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Proxy for `http://` base URLs only.
    pub fn http_proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy.http = Some(url.into());
        self.proxy.from_env = false;
        self
    }

    /// Proxy for `https://` base URLs only.
    pub fn https_proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy.https = Some(url.into());
        self.proxy.from_env = false;
        self
    }

    /// Where access tokens are kept (default: a fresh [`MemoryTokenStore`]). Pass a shared
    /// store to share tokens between clients or processes (for example a `RedisTokenStore`,
    /// feature `redis`).
    ///
    /// The client keeps its current token in memory as well and asks the store only when it
    /// needs another: near expiry, or when WeCom rejects it. If the store fails, calls go on
    /// with a token of the client's own (a warning at most once a minute); see
    /// [`token_store_required`](Self::token_store_required).
    pub fn token_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.store = Some(store);
        self
    }

    /// Whether a failing token store fails calls with
    /// [`Error::TokenStore`](crate::Error::TokenStore) (`true`) instead of being worked around
    /// (`false`, the default: the client fetches a token of its own, keeps it in memory and
    /// keeps sending; the store is used again as soon as it answers). Failures to store a new
    /// token or release a lease are only logged either way.
    pub fn token_store_required(mut self, required: bool) -> Self {
        self.store_required = required;
        self
    }

    /// How long before its expiry a token is replaced (default 5 minutes; never more than
    /// half the token's lifetime).
    pub fn token_refresh_margin(mut self, margin: Duration) -> Self {
        self.timing.margin = margin;
        self
    }

    /// How long a refresh lease in a shared token store lasts (default 10 s), and how long a
    /// process waits for another's refresh before fetching a token itself (default 5 s).
    pub fn token_refresh_lease(mut self, lease: Duration, max_wait: Duration) -> Self {
        self.timing.lease_ttl = lease;
        self.timing.lease_wait = max_wait;
        self
    }

    /// Keeps the client within these limits: WeCom's per-member limits, an app-wide request
    /// rate, a cap on requests in flight (see [`Throttle`]). Off by default.
    pub fn throttle(mut self, throttle: Throttle) -> Self {
        self.throttle = Some(throttle);
        self
    }

    /// Where the [`throttle`](Self::throttle) keeps its counts: a store shared by every
    /// instance of a service (`RedisLimitStore`, feature `redis`) makes the limits hold for
    /// all of them together. Default: this client's memory. Needs a throttle.
    pub fn limit_store(mut self, store: Arc<dyn LimitStore>) -> Self {
        self.limit_store = Some(store);
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client> {
        if self.corp_id.trim().is_empty() {
            return Err(Error::Config("the corp id is empty".into()));
        }
        if self.agent_id <= 0 {
            return Err(Error::Config(format!(
                "the agent id must be a positive integer, got {}",
                self.agent_id
            )));
        }
        if self.secret.is_empty() {
            return Err(Error::Config("the app secret is empty".into()));
        }
        let base_url = parse_base_url(&self.base_url)?;
        if let Some(throttle) = &self.throttle {
            throttle.check().map_err(Error::Config)?;
        } else if self.limit_store.is_some() {
            return Err(Error::Config(
                "a limit store is set but no throttle: add .throttle(Throttle::new())".into(),
            ));
        }
        let http = match self.http_client {
            Some(client) => {
                if self.proxy.is_set() || self.connect_timeout.is_some() {
                    return Err(Error::Config(
                        "proxy and connect timeout cannot be set together with http_client(); \
                         configure them on the supplied reqwest::Client"
                            .into(),
                    ));
                }
                client
            }
            None => {
                build_http(&self.proxy, self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))?
            }
        };
        let store = self.store.unwrap_or_else(|| Arc::new(MemoryTokenStore::new()));
        let key = TokenKey::new(self.corp_id.clone(), self.agent_id);
        let scope = LimitScope::new(self.corp_id.clone(), self.agent_id);
        let limit_store = self.limit_store;
        Ok(Client {
            inner: Arc::new(Inner {
                corp_id: self.corp_id,
                agent_id: self.agent_id,
                secret: self.secret,
                base_url,
                http,
                retry: self.retry,
                request_timeout: self.request_timeout,
                upload_timeout: self.upload_timeout,
                tokens: TokenCache::new(key, store, self.timing, self.store_required),
                proxy_summary: self.proxy.summary(),
                limiter: self.throttle.map(|t| Limiter::new(t, scope, limit_store)),
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("corp_id", &self.corp_id)
            .field("agent_id", &self.agent_id)
            .field("secret", &self.secret)
            .field("base_url", &redact_url(&self.base_url))
            .field("proxy", &self.proxy.summary())
            .field("retry", &self.retry)
            .field("throttle", &self.throttle)
            .field("limit_store", &self.limit_store)
            .finish_non_exhaustive()
    }
}

fn parse_base_url(raw: &str) -> Result<url::Url> {
    let url = url::Url::parse(raw.trim())
        .map_err(|e| Error::Config(format!("base URL `{}` is invalid: {e}", redact_url(raw))))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::Config(format!(
            "base URL `{}` must be http:// or https://",
            redact_url(raw)
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::Config(format!("base URL `{}` has no host", redact_url(raw))));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(format!(
            "base URL `{}` must not have a query or fragment",
            redact_url(raw)
        )));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    const BASE: [(&str, &str); 3] =
        [("WECOM_CORP_ID", "ww1"), ("WECOM_AGENT_ID", "1000002"), ("WECOM_SECRET", "s3cret")];

    #[test]
    fn from_vars_reads_the_app_and_base_url() {
        let mut v = vars(&BASE);
        v.push(("WECOM_BASE_URL".into(), "http://127.0.0.1:9/prefix".into()));
        let b = ClientBuilder::from_vars(v).unwrap();
        assert_eq!((b.corp_id.as_str(), b.agent_id), ("ww1", 1_000_002));
        assert_eq!(b.secret.expose(), "s3cret");
        assert_eq!(b.base_url, "http://127.0.0.1:9/prefix");
        assert!(!b.proxy.is_set());
    }

    #[test]
    fn from_vars_names_the_missing_or_bad_variable() {
        let err = ClientBuilder::from_vars(vars(&BASE[..2])).unwrap_err();
        assert!(err.to_string().contains("WECOM_SECRET is not set"), "{err}");
        let mut v = vars(&BASE);
        v[1].1 = "abc".into();
        let err = ClientBuilder::from_vars(v).unwrap_err();
        assert!(err.to_string().contains("WECOM_AGENT_ID must be an integer"), "{err}");
        let mut v = vars(&BASE);
        v[0].1 = String::new();
        assert!(ClientBuilder::from_vars(v).unwrap_err().to_string().contains("WECOM_CORP_ID"));
    }

    #[test]
    fn base_url_must_be_http_with_a_host() {
        assert!(parse_base_url("https://qyapi.weixin.qq.com").is_ok());
        assert!(parse_base_url("ftp://x").is_err());
        assert!(parse_base_url("not a url").is_err());
        assert!(parse_base_url("http://x/?a=1").is_err());
    }

    #[test]
    fn build_rejects_empty_credentials_and_conflicts() {
        let err = Client::builder("", 1, "s").build().unwrap_err();
        assert!(err.to_string().contains("corp id"), "{err}");
        let err = Client::builder("c", 0, "s").build().unwrap_err();
        assert!(err.to_string().contains("agent id"), "{err}");
        let err = Client::builder("c", 1, "").build().unwrap_err();
        assert!(err.to_string().contains("secret"), "{err}");
        let err = Client::builder("c", 1, "s")
            .http_client(reqwest::Client::new())
            .proxy("http://p:1")
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("http_client"), "{err}");
        let err = Client::builder("c", 1, "s").proxy("http://u:pw@[bad").build().unwrap_err();
        assert!(!err.to_string().contains("pw"), "{err}");
    }

    #[test]
    fn debug_never_shows_secret_or_proxy_password() {
        let b = Client::builder("ww1", 7, "TOP-SECRET").proxy("http://bob:hunter2@proxy:3128");
        let shown = format!("{b:?}");
        assert!(!shown.contains("TOP-SECRET") && !shown.contains("hunter2"), "{shown}");
        let client = b.build().unwrap();
        let shown = format!("{client:?}");
        assert!(shown.contains("ww1") && shown.contains("proxy:3128"), "{shown}");
        assert!(!shown.contains("TOP-SECRET") && !shown.contains("hunter2"), "{shown}");
    }
}
