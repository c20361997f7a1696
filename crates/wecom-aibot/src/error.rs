//! The crate's error type. No variant carries a secret: URLs are stripped from transport
//! errors (a `response_url` or a media URL is a capability), keys never appear.

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// WeCom answered with a non-zero `errcode`.
    #[error("WeCom error {code}: {msg}")]
    Api {
        /// `errcode`.
        code: i64,
        /// `errmsg`.
        msg: String,
    },
    /// The HTTP request failed (the URL is not included).
    #[error("transport: {0}")]
    Transport(String),
    /// A body could not be decoded.
    #[error("decode: {0}")]
    Decode(String),
    /// An argument breaks one of WeCom's rules; nothing was sent.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// Signature, decryption or key check failed.
    #[error("crypto: {0}")]
    Crypto(#[from] wecom_msgcrypt::Error),
    /// A downloaded file is larger than the limit given.
    #[error("media larger than the {limit}-byte limit")]
    MediaTooLarge {
        /// The limit.
        limit: usize,
    },
    /// A `response_url` was already used, or is past its 1-hour validity.
    #[error("response_url {0}")]
    ResponseUrl(&'static str),
}

impl Error {
    pub(crate) fn transport(e: &reqwest::Error) -> Self {
        // `without_url` drops the URL, which carries the response code or a signed link.
        let mut text = String::new();
        let mut source: Option<&dyn std::error::Error> = Some(e);
        while let Some(s) = source {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&s.to_string());
            source = s.source();
        }
        let _ = e;
        Error::Transport(redact_urls(&text))
    }
}

/// Removes anything that looks like a URL query from `text`.
fn redact_urls(text: &str) -> String {
    text.split(' ')
        .map(
            |w| if w.contains("://") { crate::response_url::redact_query(w) } else { w.to_owned() },
        )
        .collect::<Vec<_>>()
        .join(" ")
}
