//! The server's work without the server: from a callback URL's query string and body to a
//! typed [`Callback`], and URL verification. The CLI's `listen`, the emulator and custom
//! HTTP stacks use these directly.
//!
//! ```
//! use wecom_msgcrypt::MsgCrypt;
//!
//! // Official vector A (WeCom crypto documentation); `echostr` URL-encoded as WeCom sends it.
//! let crypt = MsgCrypt::new("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7")?;
//! let query = "msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589\
//!     &nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp\
//!     %2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D";
//! assert_eq!(wecom_callback::verify_url(&crypt, query)?, "1616140317555161061");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::borrow::Cow;
use std::time::Duration;

use wecom_msgcrypt::MsgCrypt;

use crate::callback::Callback;
use crate::error::Error;
use crate::reply::unix_now;

/// The query parameters of a callback request, URL-decoded.
///
/// Decoding follows RFC 3986 percent-encoding; a literal `+` stays `+` (it is never a space
/// here: every value is Base64, hex or digits, and WeCom's `echostr` may carry unencoded
/// `+`). Unknown parameters are ignored; a repeated known one is an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackQuery<'q> {
    /// `msg_signature`.
    pub msg_signature: Cow<'q, str>,
    /// `timestamp`: decimal Unix seconds.
    pub timestamp: Cow<'q, str>,
    /// `nonce`.
    pub nonce: Cow<'q, str>,
    /// `echostr` (URL verification only).
    pub echostr: Option<Cow<'q, str>>,
}

fn query_err(name: &'static str, problem: &'static str) -> Error {
    Error::Query { name, problem }
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes `value`; `None` for a bad escape or a result that is not UTF-8.
fn percent_decode(value: &str) -> Option<Cow<'_, str>> {
    if !value.contains('%') {
        return Some(Cow::Borrowed(value));
    }
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hi = hex(*bytes.get(i + 1)?)?;
            let lo = hex(*bytes.get(i + 2)?)?;
            out.push(hi << 4 | lo);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok().map(Cow::Owned)
}

impl<'q> CallbackQuery<'q> {
    /// Parses a raw query string (without the leading `?`).
    ///
    /// # Errors
    /// [`Error::Query`] when `msg_signature`, `timestamp` or `nonce` is missing, empty,
    /// repeated or badly encoded, when `timestamp` is not 1 to 20 decimal digits, or when
    /// `echostr` is repeated or badly encoded.
    pub fn parse(query: &'q str) -> Result<Self, Error> {
        let mut sig = None;
        let mut ts = None;
        let mut nonce = None;
        let mut echo = None;
        for pair in query.split('&') {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let (slot, name) = match name {
                "msg_signature" => (&mut sig, "msg_signature"),
                "timestamp" => (&mut ts, "timestamp"),
                "nonce" => (&mut nonce, "nonce"),
                "echostr" => (&mut echo, "echostr"),
                _ => continue,
            };
            if slot.is_some() {
                return Err(query_err(name, "repeated"));
            }
            *slot = Some(percent_decode(value).ok_or(query_err(name, "bad percent-encoding"))?);
        }
        let required = |v: Option<Cow<'q, str>>, name| match v {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(query_err(name, "missing or empty")),
        };
        let timestamp = required(ts, "timestamp")?;
        if timestamp.len() > 20 || !timestamp.bytes().all(|b| b.is_ascii_digit()) {
            return Err(query_err("timestamp", "not 1 to 20 decimal digits"));
        }
        Ok(CallbackQuery {
            msg_signature: required(sig, "msg_signature")?,
            timestamp,
            nonce: required(nonce, "nonce")?,
            echostr: echo,
        })
    }

    /// Checks that the timestamp is within `window` of the server's clock (either way).
    ///
    /// # Errors
    /// [`Error::StaleTimestamp`] when it is not.
    pub fn check_timestamp(&self, window: Duration) -> Result<(), Error> {
        // Parsing cannot fail beyond overflow (checked digits); overflow is "very far".
        let timestamp: u64 = self.timestamp.parse().unwrap_or(u64::MAX);
        let skew_secs = unix_now().abs_diff(timestamp);
        if skew_secs > window.as_secs() {
            return Err(Error::StaleTimestamp {
                timestamp,
                skew_secs,
                limit_secs: window.as_secs(),
            });
        }
        Ok(())
    }
}

/// A verified, decrypted and parsed callback.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    /// The typed callback.
    pub callback: Callback,
    /// The decrypted XML, as WeCom sent it.
    pub xml: String,
    /// The request's `timestamp` (reuse it for the reply).
    pub timestamp: String,
    /// The request's `nonce` (reuse it for the reply).
    pub nonce: String,
}

/// Verifies, decrypts and parses a callback POST: `query` is the raw query string, `body` the
/// request body.
///
/// Apps send XML callbacks by default, and that is what is parsed. An app switched to JSON
/// callbacks gets its envelope decrypted (`wecom-msgcrypt` reads both) but the decrypted JSON
/// is reported as [`Error::Xml`]; use [`MsgCrypt::decrypt_post`] directly for those.
///
/// # Errors
/// [`Error::Query`] for missing or malformed parameters, [`Error::Crypto`] when the
/// signature, ciphertext or receive id is wrong, [`Error::Xml`] / [`Error::Field`] when the
/// decrypted XML is not a well-formed callback.
pub fn receive(crypt: &MsgCrypt, query: &str, body: &[u8]) -> Result<Received, Error> {
    let q = CallbackQuery::parse(query)?;
    receive_parsed(crypt, &q, body)
}

/// [`receive`] with a query already parsed (and, if wanted, checked for freshness).
pub fn receive_parsed(
    crypt: &MsgCrypt,
    query: &CallbackQuery<'_>,
    body: &[u8],
) -> Result<Received, Error> {
    let xml = crypt.decrypt_post(&query.msg_signature, &query.timestamp, &query.nonce, body)?;
    let callback = Callback::parse(&xml)?;
    Ok(Received {
        callback,
        xml,
        timestamp: query.timestamp.clone().into_owned(),
        nonce: query.nonce.clone().into_owned(),
    })
}

/// Answers URL verification: verifies and decrypts `echostr` from the raw query string and
/// returns the plaintext to send back as the response body.
///
/// # Errors
/// [`Error::Query`] for missing or malformed parameters (including `echostr`),
/// [`Error::Crypto`] when the signature, ciphertext or receive id is wrong.
pub fn verify_url(crypt: &MsgCrypt, query: &str) -> Result<String, Error> {
    verify_url_parsed(crypt, &CallbackQuery::parse(query)?)
}

/// [`verify_url`] with a query already parsed.
pub fn verify_url_parsed(crypt: &MsgCrypt, query: &CallbackQuery<'_>) -> Result<String, Error> {
    let echostr = match &query.echostr {
        Some(e) if !e.is_empty() => e,
        _ => return Err(query_err("echostr", "missing or empty")),
    };
    Ok(crypt.verify_url(&query.msg_signature, &query.timestamp, &query.nonce, echostr)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_decoded_and_plus_is_kept() {
        let q = CallbackQuery::parse(
            "x=1&msg_signature=ab&timestamp=12&nonce=n%31&echostr=a%2Bb+c%3D%3D",
        )
        .unwrap();
        assert_eq!(q.msg_signature, "ab");
        assert_eq!(q.timestamp, "12");
        assert_eq!(q.nonce, "n1");
        assert_eq!(q.echostr.as_deref(), Some("a+b+c=="));
    }

    #[test]
    fn bad_queries_name_the_parameter() {
        let name = |q: &str| match CallbackQuery::parse(q) {
            Err(Error::Query { name, .. }) => name,
            other => panic!("{q:?} gave {other:?}"),
        };
        assert_eq!(name(""), "timestamp");
        assert_eq!(name("timestamp=1&nonce=2"), "msg_signature");
        assert_eq!(name("msg_signature=a&timestamp=1"), "nonce");
        assert_eq!(name("msg_signature=a&timestamp=1&nonce="), "nonce");
        assert_eq!(name("msg_signature=a&timestamp=1x&nonce=2"), "timestamp");
        assert_eq!(name("msg_signature=a&timestamp=1&timestamp=1&nonce=2"), "timestamp");
        assert_eq!(name("msg_signature=a%zz&timestamp=1&nonce=2"), "msg_signature");
        assert_eq!(name("msg_signature=a&timestamp=1&nonce=%ff"), "nonce");
        assert_eq!(name("msg_signature=a&timestamp=1&nonce=2&echostr=1&echostr=2"), "echostr");
        assert_eq!(name("msg_signature=a&timestamp=123456789012345678901&nonce=2"), "timestamp");
    }

    #[test]
    fn freshness_window() {
        let now = unix_now();
        let q = format!("msg_signature=a&timestamp={}&nonce=1", now - 100);
        let q = CallbackQuery::parse(&q).unwrap();
        assert!(q.check_timestamp(Duration::from_secs(300)).is_ok());
        assert!(matches!(
            q.check_timestamp(Duration::from_secs(10)),
            Err(Error::StaleTimestamp { limit_secs: 10, .. })
        ));
    }
}
