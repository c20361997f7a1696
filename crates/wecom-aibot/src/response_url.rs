//! Active replies through `response_url`: one POST per URL, within 1 hour, of markdown or a
//! card. [`ResponseUrl::send`] takes the URL by value, so a second use does not compile.

use std::fmt;
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::error::Error;
use crate::model::{ActiveReply, STREAM_CONTENT_MAX_BYTES};

/// The one-shot URL of a message or card event, with the moment it was received.
///
/// Its query holds a `response_code` that lets anyone answer in the chat, so `Debug` hides
/// it.
#[derive(Clone)]
pub struct ResponseUrl {
    url: String,
    received: Instant,
}

impl fmt::Debug for ResponseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ResponseUrl").field(&redact_query(&self.url)).finish()
    }
}

/// `scheme://host/path?…`: everything after `?` replaced.
pub(crate) fn redact_query(url: &str) -> String {
    match url.split_once('?') {
        Some((base, _)) => format!("{base}?<redacted>"),
        None => url.to_owned(),
    }
}

#[derive(Deserialize)]
struct Answer {
    #[serde(default)]
    errcode: i64,
    #[serde(default)]
    errmsg: String,
}

impl ResponseUrl {
    /// How long WeCom accepts a reply.
    pub const VALIDITY: Duration = Duration::from_secs(3600);

    /// A URL received just now.
    pub fn received(url: &str) -> Self {
        ResponseUrl { url: url.to_owned(), received: Instant::now() }
    }

    /// The URL itself (keep it out of logs).
    pub fn expose(&self) -> &str {
        &self.url
    }

    /// Whether it is still within its validity.
    pub fn is_valid(&self) -> bool {
        self.received.elapsed() < Self::VALIDITY
    }

    /// Posts `reply` (one call per URL).
    ///
    /// # Errors
    /// [`Error::ResponseUrl`] past the 1-hour validity, [`Error::InvalidArgument`] for
    /// markdown over 20,480 bytes (checked before any I/O), [`Error::Api`] with WeCom's
    /// `errcode`, [`Error::Transport`] (without the URL).
    pub async fn send(self, client: &reqwest::Client, reply: &ActiveReply) -> Result<(), Error> {
        if !self.is_valid() {
            return Err(Error::ResponseUrl("is past its 1-hour validity"));
        }
        if let ActiveReply::Markdown { markdown } = reply
            && markdown.content.len() > STREAM_CONTENT_MAX_BYTES
        {
            return Err(Error::InvalidArgument(format!(
                "markdown.content: {} bytes, at most {STREAM_CONTENT_MAX_BYTES}",
                markdown.content.len()
            )));
        }
        let response = client
            .post(&self.url)
            .json(reply)
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .map_err(|e| Error::transport(&e.without_url()))?;
        let bytes = response.bytes().await.map_err(|e| Error::transport(&e.without_url()))?;
        let answer: Answer =
            serde_json::from_slice(&bytes).map_err(|e| Error::Decode(e.to_string()))?;
        if answer.errcode == 0 {
            Ok(())
        } else {
            Err(Error::Api { code: answer.errcode, msg: answer.errmsg })
        }
    }
}
