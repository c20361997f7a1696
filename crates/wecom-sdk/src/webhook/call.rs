//! One webhook request with its retries: the key is added to the URL here and nowhere else,
//! the answer goes through the shared `{errcode, errmsg}` envelope check, and errors leave
//! without the URL.

use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use serde::de::DeserializeOwned;

use super::WebhookClient;
use crate::client::envelope::Exchange;
use crate::error::{Error, Result, codes};

/// A request body to POST to a webhook path, replayable as the retry rules allow.
pub(super) struct Request {
    path: &'static str,
    query: Option<(&'static str, &'static str)>,
    content_type: HeaderValue,
    body: Bytes,
    timeout: Duration,
    /// Whether repeating after an ambiguous failure is harmless (uploads).
    replay_safe: bool,
}

impl Request {
    pub(super) fn json(path: &'static str, body: Bytes, timeout: Duration) -> Self {
        Self {
            path,
            query: None,
            content_type: HeaderValue::from_static("application/json"),
            body,
            timeout,
            replay_safe: false,
        }
    }

    pub(super) fn upload(
        path: &'static str,
        kind: &'static str,
        content_type: HeaderValue,
        body: Bytes,
        timeout: Duration,
    ) -> Self {
        Self { path, query: Some(("type", kind)), content_type, body, timeout, replay_safe: true }
    }
}

impl WebhookClient {
    /// Sends `request`; retries failed connections, errcode −1, and (for replay-safe
    /// requests) other transport failures, within the retry policy.
    pub(super) async fn call<T: DeserializeOwned>(&self, request: &Request) -> Result<T> {
        let policy = self.inner.retry;
        let mut tries = 0;
        loop {
            tries += 1;
            let err = match self.send_once(request).await {
                Ok((status, body)) => {
                    let exchange = Exchange {
                        path: request.path,
                        status,
                        body: &body,
                        secrets: [self.inner.key.expose(), ""],
                    };
                    match exchange.check() {
                        Ok(()) => return exchange.parse(),
                        Err(err) if err.code() == Some(codes::SYSTEM_BUSY) => err,
                        Err(err) => {
                            tracing::debug!(
                                path = request.path,
                                errcode = err.code(),
                                "webhook call failed"
                            );
                            return Err(err);
                        }
                    }
                }
                Err(err) => {
                    let retry = err.is_connect() || request.replay_safe;
                    let err = Error::transport(request.path, err);
                    if !retry {
                        return Err(err);
                    }
                    err
                }
            };
            if tries >= policy.attempts() {
                return Err(err);
            }
            tracing::warn!(path = request.path, attempt = tries, error = %err, "webhook call failed; retrying");
            tokio::time::sleep(policy.delay(tries)).await;
        }
    }

    async fn send_once(&self, request: &Request) -> reqwest::Result<(reqwest::StatusCode, Bytes)> {
        let mut url = self.inner.base_url.clone();
        let path = format!("{}{}", url.path().trim_end_matches('/'), request.path);
        url.set_path(&path);
        {
            let mut pairs = url.query_pairs_mut();
            pairs.append_pair("key", self.inner.key.expose());
            if let Some((name, value)) = request.query {
                pairs.append_pair(name, value);
            }
        }
        let response = self
            .inner
            .http
            .post(url)
            .timeout(request.timeout)
            .header(CONTENT_TYPE, request.content_type.clone())
            .body(request.body.clone())
            .send()
            .await?;
        let status = response.status();
        let body = response.bytes().await?;
        Ok((status, body))
    }
}
