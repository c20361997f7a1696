//! One webhook request with its retries: the key is added to the URL here and nowhere else,
//! the answer goes through the shared `{errcode, errmsg}` envelope check, and errors leave
//! without the URL.

use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use serde::de::DeserializeOwned;

use super::WebhookClient;
use crate::RetryPolicy;
use crate::client::Replay;
use crate::client::envelope::Exchange;
use crate::client::retry::{Action, Attempt, Outcome, RequestKind, classify};
use crate::error::{Error, Result};

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
        // The app client's retry rules, decided by the same pure function: a webhook call
        // carries no token, and only uploads may be repeated after an ambiguous failure.
        let kind = RequestKind {
            authenticated: false,
            replay: if request.replay_safe { Replay::Safe } else { Replay::Unsafe },
        };
        let mut attempt = Attempt::FIRST;
        loop {
            let (outcome, err) = match self.send_once(request).await {
                Ok((status, body)) => {
                    let exchange = Exchange {
                        path: request.path,
                        status,
                        body: &body,
                        secrets: [self.inner.key.expose(), ""],
                    };
                    match exchange.check() {
                        Ok(()) => return exchange.parse(),
                        Err(err) => (err.code().map_or(Outcome::Other, Outcome::Api), err),
                    }
                }
                Err(err) => {
                    let outcome = if err.is_connect() {
                        Outcome::ConnectFailed
                    } else {
                        Outcome::Interrupted
                    };
                    (outcome, Error::transport(request.path, err))
                }
            };
            let action = classify(kind, outcome, attempt, &policy);
            match action {
                Action::RetryAfter(ceiling) => {
                    tracing::warn!(
                        path = request.path,
                        attempt = attempt.number,
                        error = %err,
                        "webhook call failed; retrying"
                    );
                    tokio::time::sleep(RetryPolicy::jitter(ceiling)).await;
                    attempt = attempt.after(action);
                }
                Action::RefreshTokenThenRetry | Action::GiveUp => {
                    tracing::debug!(
                        path = request.path,
                        errcode = err.code(),
                        "webhook call failed"
                    );
                    return Err(err);
                }
            }
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
