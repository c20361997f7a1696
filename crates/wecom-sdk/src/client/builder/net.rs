//! The HTTP side of the builder: proxy settings (explicit or from `*_PROXY` variables),
//! URL redaction for `Debug` and errors, and building the `reqwest::Client` with TLS.

use std::time::Duration;

use crate::error::{Error, Result};

#[derive(Default, Clone)]
pub(crate) struct ProxyConfig {
    pub(crate) http: Option<String>,
    pub(crate) https: Option<String>,
    pub(crate) all: Option<String>,
    pub(crate) no_proxy: Option<String>,
    /// Read from `*_PROXY` variables: an unusable entry is skipped with a warning instead of
    /// failing the build (a `socks5://` `ALL_PROXY` set for other tools must not break us).
    pub(crate) from_env: bool,
}

impl ProxyConfig {
    pub(crate) fn is_set(&self) -> bool {
        self.http.is_some() || self.https.is_some() || self.all.is_some()
    }

    pub(crate) fn summary(&self) -> String {
        let mut parts = Vec::new();
        for (name, value) in [("https", &self.https), ("http", &self.http), ("all", &self.all)] {
            if let Some(url) = value {
                parts.push(format!("{name}={}", redact_url(url)));
            }
        }
        if let Some(list) = &self.no_proxy {
            parts.push(format!("no_proxy={list}"));
        }
        if parts.is_empty() { "none".to_owned() } else { parts.join(", ") }
    }
}

pub(crate) fn process_vars() -> Vec<(String, String)> {
    std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect()
}

/// Looks `name` up ignoring case; an exact lower-case spelling wins over upper case, which
/// wins over any other mix.
fn lookup_any_case<'a>(vars: &'a [(String, String)], name: &str) -> Option<&'a str> {
    let lower = name.to_ascii_lowercase();
    let upper = name.to_ascii_uppercase();
    let find = |pred: &dyn Fn(&str) -> bool| {
        vars.iter().find(|(k, v)| pred(k) && !v.is_empty()).map(|(_, v)| v.as_str())
    };
    find(&|k| k == lower)
        .or_else(|| find(&|k| k == upper))
        .or_else(|| find(&|k| k.eq_ignore_ascii_case(name)))
}

pub(crate) fn proxy_from_vars(vars: &[(String, String)]) -> ProxyConfig {
    let cgi = vars.iter().any(|(k, _)| k == "REQUEST_METHOD");
    let http = if cgi {
        vars.iter().find(|(k, v)| k == "http_proxy" && !v.is_empty()).map(|(_, v)| v.as_str())
    } else {
        lookup_any_case(vars, "http_proxy")
    };
    ProxyConfig {
        http: http.map(str::to_owned),
        https: lookup_any_case(vars, "https_proxy").map(str::to_owned),
        all: lookup_any_case(vars, "all_proxy").map(str::to_owned),
        no_proxy: lookup_any_case(vars, "no_proxy").map(str::to_owned),
        from_env: true,
    }
}

/// The URL with any user name and password replaced by `***`; unparsable input is hidden.
pub(crate) fn redact_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut url) if url.has_host() => {
            if !url.username().is_empty() || url.password().is_some() {
                let _ = url.set_username("***");
                let _ = url.set_password(None);
            }
            url.to_string()
        }
        // Parsed, but not as scheme://user:password@host (say `user:pw@proxy:3128`, which
        // reqwest reads as an http proxy with credentials): hide anything with an `@`.
        _ => hide_if_credentials(raw),
    }
}

fn hide_if_credentials(raw: &str) -> String {
    if raw.contains('@') { "<URL with credentials hidden>".to_owned() } else { raw.to_owned() }
}

/// reqwest is built without SOCKS support; it would accept a `socks5://` proxy and fail every
/// request later. A URL without a scheme is taken as `http://` (as reqwest does).
fn check_proxy_scheme(url: &str) -> std::result::Result<(), String> {
    match url.split_once("://") {
        Some((scheme, _))
            if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") =>
        {
            Err(scheme.to_ascii_lowercase())
        }
        _ => Ok(()),
    }
}

pub(crate) fn build_http(
    proxy: &ProxyConfig,
    connect_timeout: Duration,
) -> Result<reqwest::Client> {
    // Redirects are never followed: WeCom does not redirect API calls, and following one
    // would hand the access token in the URL to another host.
    let mut builder = reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("wecom-rs/", env!("CARGO_PKG_VERSION")))
        .no_proxy();
    let no_proxy = proxy.no_proxy.as_deref().and_then(reqwest::NoProxy::from_string);
    let entries = [("https", &proxy.https), ("http", &proxy.http), ("all", &proxy.all)];
    for (name, url) in entries {
        let Some(url) = url else { continue };
        let made = match check_proxy_scheme(url) {
            Ok(()) => match name {
                "https" => reqwest::Proxy::https(url.as_str()),
                "http" => reqwest::Proxy::http(url.as_str()),
                _ => reqwest::Proxy::all(url.as_str()),
            }
            .map_err(|_| format!("{name} proxy URL `{}` is invalid", redact_url(url))),
            Err(scheme) => Err(format!(
                "{name} proxy URL `{}`: `{scheme}://` proxies are not supported, only http:// \
                 and https://",
                redact_url(url)
            )),
        };
        match made {
            Ok(made) => builder = builder.proxy(made.no_proxy(no_proxy.clone())),
            Err(problem) if proxy.from_env => {
                tracing::warn!("ignoring a proxy variable: {problem}");
            }
            Err(problem) => return Err(Error::Config(problem)),
        }
    }
    builder = tls(builder);
    builder.build().map_err(|e| Error::Config(format!("could not build the HTTP client: {e}")))
}

#[cfg(feature = "rustls")]
fn tls(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    builder.tls_backend_rustls()
}

#[cfg(all(feature = "native-tls", not(feature = "rustls")))]
fn tls(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    builder.tls_backend_native()
}

#[cfg(not(any(feature = "rustls", feature = "native-tls")))]
fn tls(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    // Without a TLS feature only http:// base URLs (an emulator, a local gateway) work.
    builder
}

/// The connection setters of both builders (the app client's and the webhook client's), which
/// name their fields alike: the proxy, timeouts, an own `reqwest::Client` and the retry policy.
macro_rules! transport_setters {
    () => {
        /// Sends every request through this HTTP(S) proxy, for example
        /// `http://user:password@proxy.example:3128` (credentials are never shown in `Debug`).
        pub fn proxy(mut self, url: impl Into<String>) -> Self {
            self.proxy.all = Some(url.into());
            self.proxy.from_env = false;
            self
        }

        /// Hosts that bypass the proxy, in `NO_PROXY` syntax: comma-separated host names,
        /// domain suffixes, IP addresses or CIDR blocks, or `*`.
        pub fn no_proxy(mut self, list: impl Into<String>) -> Self {
            self.proxy.no_proxy = Some(list.into());
            self
        }

        /// Replaces the proxy settings with the standard proxy variables of the process
        /// environment (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`, any case).
        pub fn proxy_from_env(mut self) -> Self {
            self.proxy = $crate::client::builder::net::proxy_from_vars(
                &$crate::client::builder::net::process_vars(),
            );
            self
        }

        /// How long to wait for a TCP/TLS connection (default 10 s).
        pub fn connect_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.connect_timeout = Some(timeout);
            self
        }

        /// The total time one request (an API call, a webhook send) may take (default 30 s).
        pub fn request_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.request_timeout = timeout;
            self
        }

        /// The total time one media upload or download may take (default 120 s).
        pub fn upload_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.upload_timeout = timeout;
            self
        }

        /// Uses this `reqwest::Client` instead of building one. Proxy and connect timeout are
        /// then the supplied client's business: setting them here as well is an error at
        /// `build`. Request timeouts still apply per request. Redirects should be disabled on
        /// it (URLs carry the access token or the webhook key).
        pub fn http_client(mut self, client: reqwest::Client) -> Self {
            self.http_client = Some(client);
            self
        }

        /// How busy answers and transport failures are retried.
        pub fn retry_policy(mut self, policy: $crate::RetryPolicy) -> Self {
            self.retry = policy;
            self
        }
    };
}

pub(crate) use transport_setters;

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn proxy_variables_in_any_case_lower_case_wins() {
        let v = vars(&[
            ("HTTPS_PROXY", "http://upper:1"),
            ("https_proxy", "http://lower:1"),
            ("Http_Proxy", "http://mixed:2"),
            ("ALL_PROXY", "socks5://all:3"),
            ("no_proxy", "localhost,.internal"),
        ]);
        let p = proxy_from_vars(&v);
        assert_eq!(p.https.as_deref(), Some("http://lower:1"));
        assert_eq!(p.http.as_deref(), Some("http://mixed:2"));
        assert_eq!(p.all.as_deref(), Some("socks5://all:3"));
        assert_eq!(p.no_proxy.as_deref(), Some("localhost,.internal"));
    }

    #[test]
    fn upper_case_http_proxy_is_ignored_under_cgi() {
        let v = vars(&[("REQUEST_METHOD", "GET"), ("HTTP_PROXY", "http://evil:1")]);
        assert_eq!(proxy_from_vars(&v).http, None);
        let v = vars(&[("REQUEST_METHOD", "GET"), ("http_proxy", "http://ok:1")]);
        assert_eq!(proxy_from_vars(&v).http.as_deref(), Some("http://ok:1"));
    }

    #[test]
    fn credentials_in_urls_are_redacted() {
        assert_eq!(redact_url("http://user:pw@proxy:3128"), "http://***@proxy:3128/");
        assert_eq!(redact_url("http://proxy:3128"), "http://proxy:3128/");
        assert!(!redact_url("user:pw@proxy:3128 x").contains("pw"));
    }

    #[test]
    fn unsupported_proxy_schemes_fail_explicitly_and_are_skipped_from_env() {
        let explicit =
            ProxyConfig { all: Some("socks5://p:1080".into()), ..ProxyConfig::default() };
        let err = build_http(&explicit, Duration::from_secs(1)).unwrap_err();
        assert!(err.to_string().contains("`socks5://` proxies are not supported"), "{err}");
        let from_env = proxy_from_vars(&vars(&[("ALL_PROXY", "socks5://p:1080")]));
        assert!(build_http(&from_env, Duration::from_secs(1)).is_ok());
        assert_eq!(check_proxy_scheme("HTTPS://p:1"), Ok(()));
        assert_eq!(check_proxy_scheme("p:3128"), Ok(()));
    }
}
