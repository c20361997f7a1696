//! The crate's single error type.
//!
//! `Api` carries WeCom's own `errcode`/`errmsg` unchanged; `InvalidArgument` is produced by
//! validation before any request leaves the process and names the offending field path and
//! the limit it broke. Transport errors never carry the request URL (it holds the access
//! token, or the corp secret for `gettoken`), and decode errors keep the raw body with every
//! known secret scrubbed out. Known error codes are named in [`codes`].
//!
//! [`Error`] is `Clone` so that one failed token fetch can be handed to every caller that was
//! waiting for it.

pub use wecom_model::InvalidArgument;
pub use wecom_model::codes;

use std::sync::Arc;

/// A `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The error type a [`TokenStore`](crate::TokenStore) reports.
pub type StoreError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong talking to WeCom.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// WeCom answered with a non-zero `errcode`.
    #[error("WeCom API error {code}: {msg}")]
    Api {
        /// The `errcode`, unchanged.
        code: i64,
        /// The `errmsg`, unchanged.
        msg: String,
    },
    /// The request was rejected locally before anything was sent.
    #[error(transparent)]
    InvalidArgument(#[from] InvalidArgument),
    /// `gettoken` rejected the corp id or the app secret (errcode 40001, 40013, 41002 or
    /// 41004). This is a configuration error and is never retried: WeCom blocks the calling
    /// IP for an hour after repeated wrong secrets, so for a minute afterwards the client
    /// answers with this error again without asking WeCom.
    #[error(
        "WeCom rejected the credentials (errcode {code}: {msg}); check the corp id and the \
         app secret"
    )]
    Credentials {
        /// The `errcode` of `gettoken`, unchanged.
        code: i64,
        /// The `errmsg` of `gettoken`, unchanged.
        msg: String,
    },
    /// The HTTP exchange failed (connect, TLS, timeout, broken connection). The URL is
    /// stripped from the inner error because it carries the token or the secret.
    #[error("request to WeCom `{path}` failed ({}): {source}", transport_kind(source))]
    Transport {
        /// The API path, for example `/cgi-bin/message/send`.
        path: String,
        /// The underlying error, without its URL.
        #[source]
        source: Arc<reqwest::Error>,
    },
    /// A `message/send` request failed after it may have reached WeCom (a timeout or a broken
    /// connection), so whether the message was delivered is unknown. It was not retried
    /// blindly, because that could deliver it twice: turn on
    /// [`duplicate_check`](crate::MessageRequest::duplicate_check) to make such retries safe.
    #[error(
        "delivery unknown: message/send failed after {attempts} attempt(s) and the message may \
         or may not have been delivered ({source}); enable duplicate_check to make retries safe"
    )]
    DeliveryUnknown {
        /// How many times the request was sent.
        attempts: u32,
        /// The last transport error, without its URL.
        #[source]
        source: Arc<reqwest::Error>,
    },
    /// WeCom's response could not be decoded. `body` holds the raw response (truncated to a
    /// few KiB, secrets scrubbed) so the cause is visible.
    #[error(
        "could not decode WeCom's response to `{path}` (HTTP {status}): {source}; body: {body}"
    )]
    Decode {
        /// The API path.
        path: String,
        /// The HTTP status code.
        status: u16,
        /// The raw body, truncated, with secrets replaced by `***`.
        body: String,
        /// What did not parse.
        #[source]
        source: Arc<serde_json::Error>,
    },
    /// WeCom (or something in between, such as a proxy) answered with a non-success HTTP
    /// status and no WeCom error envelope.
    #[error("WeCom answered `{path}` with HTTP {status}; body: {body}")]
    Http {
        /// The API path.
        path: String,
        /// The HTTP status code.
        status: u16,
        /// The raw body, truncated, with secrets replaced by `***`.
        body: String,
    },
    /// The client configuration is invalid or incomplete (missing environment variable, bad
    /// base URL or proxy URL, conflicting options).
    #[error("invalid WeCom client configuration: {0}")]
    Config(String),
    /// The [`TokenStore`](crate::TokenStore) failed, and the client was told to require it
    /// ([`ClientBuilder::token_store_required`](crate::ClientBuilder::token_store_required));
    /// by default the client works around a failing store instead.
    #[error("access-token store failed: {0}")]
    TokenStore(#[source] Arc<dyn std::error::Error + Send + Sync + 'static>),
    /// A webhook throttle in [`OnLimit::Report`](crate::OnLimit::Report) mode held a send
    /// back: the key's messages per minute are used up. Nothing was sent.
    #[error("webhook send held back by the throttle; a slot frees in {} ms", retry_after.as_millis())]
    Throttled {
        /// How long until the send would fit.
        retry_after: std::time::Duration,
    },
    /// Reading local input (a media file or reader) failed.
    #[error("could not read {what}: {source}")]
    Io {
        /// What was being read, for example the file path.
        what: String,
        /// The I/O error.
        #[source]
        source: Arc<std::io::Error>,
    },
}

fn transport_kind(err: &reqwest::Error) -> &'static str {
    if err.is_timeout() {
        "timed out"
    } else if err.is_connect() {
        "could not connect"
    } else if err.is_body() || err.is_decode() {
        "broken response body"
    } else {
        "request failed"
    }
}

impl Error {
    /// WeCom's `errcode`, for [`Error::Api`] and [`Error::Credentials`].
    pub fn code(&self) -> Option<i64> {
        match self {
            Error::Api { code, .. } | Error::Credentials { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// The access token was rejected by an API call (errcode 40001, 40014, 41001 or 42001).
    ///
    /// The client already refreshed the token and retried once before returning this.
    /// Not true for [`Error::Credentials`], where 40001 from `gettoken` means a wrong secret.
    pub fn is_token_invalid(&self) -> bool {
        matches!(self, Error::Api { code, .. } if codes::is_token_invalid(*code))
    }

    /// WeCom's frequency (45009) or concurrency (45033) limit was hit, or a webhook throttle
    /// held a send back ([`Error::Throttled`]). Not retried: back off.
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, Error::Throttled { .. })
            || matches!(
                self.code(),
                Some(codes::API_FREQUENCY_LIMITED | codes::API_CONCURRENCY_LIMITED)
            )
    }

    /// The webhook key is unknown, or the webhook was removed from its group or disabled
    /// (errcode 93000 or 93004): permanent, do not retry.
    pub fn is_webhook_gone(&self) -> bool {
        matches!(self.code(), Some(codes::WEBHOOK_INVALID | codes::WEBHOOK_DISABLED))
    }

    /// WeCom reported "system busy" (errcode -1), even after the configured retries.
    pub fn is_system_busy(&self) -> bool {
        self.code() == Some(codes::SYSTEM_BUSY)
    }

    /// The calling IP is not in the app's trusted IP list (errcode 60020).
    pub fn is_ip_not_trusted(&self) -> bool {
        self.code() == Some(codes::IP_NOT_TRUSTED)
    }

    /// The corp id or secret is wrong ([`Error::Credentials`]).
    pub fn is_credentials(&self) -> bool {
        matches!(self, Error::Credentials { .. })
    }

    /// The request timed out (including [`Error::DeliveryUnknown`] caused by a timeout).
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Transport { source, .. } | Error::DeliveryUnknown { source, .. } => {
                source.is_timeout()
            }
            _ => false,
        }
    }

    /// A send may or may not have been delivered ([`Error::DeliveryUnknown`]).
    pub fn is_delivery_unknown(&self) -> bool {
        matches!(self, Error::DeliveryUnknown { .. })
    }

    /// The request was rejected locally ([`Error::InvalidArgument`]); nothing was sent.
    pub fn is_invalid_argument(&self) -> bool {
        matches!(self, Error::InvalidArgument(_))
    }

    /// One plain sentence saying what to do about this error, for the common cases: a
    /// WeCom errcode people often meet (60020 untrusted IP, 40001 wrong secret, 45009 rate
    /// limited, 81013 no valid recipient, …), a delivery of unknown outcome, a timeout or a
    /// proxy in the way. `None` where the error message says it all.
    ///
    /// ```
    /// let err = wecom::Error::Api { code: 60020, msg: "not allow to access from your ip".into() };
    /// assert!(err.hint().unwrap().contains("trusted IP"));
    /// ```
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Error::Api { code, .. } | Error::Credentials { code, .. } => codes::hint(*code),
            Error::DeliveryUnknown { .. } => Some(
                "Check whether the message arrived before sending it again; with \
                 duplicate_check enabled the client retries such sends safely by itself.",
            ),
            Error::Transport { source, .. } if source.is_timeout() => Some(
                "WeCom did not answer in time: check the network and proxy settings \
                 (HTTPS_PROXY), or raise the request timeout.",
            ),
            Error::Transport { source, .. } if source.is_connect() => Some(
                "Could not connect to WeCom: check the network, DNS, the proxy settings \
                 (HTTPS_PROXY) and WECOM_BASE_URL.",
            ),
            Error::Throttled { .. } => Some(
                "A webhook takes 20 messages a minute and this one's are used up: send again \
                 after retry_after, or let the throttle wait (OnLimit::Delay).",
            ),
            Error::Http { .. } => Some(
                "Something other than WeCom answered (a proxy or gateway?): check the proxy \
                 settings and WECOM_BASE_URL.",
            ),
            _ => None,
        }
    }

    pub(crate) fn transport(path: &str, err: reqwest::Error) -> Self {
        Error::Transport { path: path.to_owned(), source: Arc::new(err.without_url()) }
    }

    pub(crate) fn store(err: StoreError) -> Self {
        Error::TokenStore(Arc::from(err))
    }
}

#[cfg(test)]
mod tests {
    use super::Error;

    #[test]
    fn errors_carry_the_hint_of_their_code() {
        let api = |code| Error::Api { code, msg: "x".into() };
        assert!(api(60020).hint().unwrap().contains("trusted IPs"));
        assert!(api(40001).hint().unwrap().contains("secret"));
        assert!(api(42001).hint().unwrap().contains("refreshes it"));
        assert!(api(40014).hint().unwrap().contains("refreshes it"));
        assert!(api(45009).hint().unwrap().contains("back off"));
        assert!(api(45033).hint().unwrap().contains("concurrency"));
        assert!(api(81013).hint().unwrap().contains("visible range"));
        assert!(api(40007).hint().unwrap().contains("3 days"));
        assert!(api(301_002).hint().unwrap().contains("agent id"));
        assert!(api(93000).hint().unwrap().contains("copy the webhook URL again"));
        assert!(api(93000).is_webhook_gone() && !api(45009).is_webhook_gone());
        let throttled = Error::Throttled { retry_after: std::time::Duration::from_secs(3) };
        assert!(throttled.is_rate_limited());
        assert!(throttled.hint().unwrap().contains("20 messages a minute"));
        assert_eq!(api(99_999).hint(), None);
        let creds = Error::Credentials { code: 40013, msg: "invalid corpid".into() };
        assert!(creds.hint().unwrap().contains("corp id"));
        let config = Error::Config("x".into());
        assert_eq!(config.hint(), None);
        let http = Error::Http { path: "/cgi-bin/x".into(), status: 502, body: String::new() };
        assert!(http.hint().unwrap().contains("proxy"));
    }
}
