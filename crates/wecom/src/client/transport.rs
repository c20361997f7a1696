//! The generic call path every endpoint uses.
//!
//! An endpoint describes its request as a [`Call`] (method, path, query, body, whether it may
//! be repeated) and hands it to [`Client::call`]. This module adds the access token, sends,
//! decodes the envelope, refreshes a rejected token once and retries what is safe to retry.
//! Bodies are kept as [`Bytes`], so every retry sends exactly the same bytes (multipart
//! included). A new JSON endpoint is a few lines (crate-internal, so not a doctest):
//!
//! ```text
//! let call = Call::post_json("/cgi-bin/message/update_template_card", &body)?;
//! let reply: UpdateReply = client.call(call).await?;
//! ```

use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use super::Client;
use super::envelope::Exchange;
use crate::error::{Error, InvalidArgument, Result, codes};
use crate::token::AccessToken;

/// Whether a request may be sent again after a failure that happened after it may have
/// reached WeCom (a timeout, a broken connection). Failures to connect are always retried:
/// nothing was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Replay {
    /// Repeating is harmless (reads, `gettoken`, uploads).
    Safe,
    /// Repeating could fail or act twice; the transport error is returned.
    Unsafe,
    /// `message/send`: repeat only when WeCom's duplicate check drops the copy; otherwise
    /// report [`Error::DeliveryUnknown`].
    Send {
        /// Whether the request has `enable_duplicate_check` set.
        duplicate_check: bool,
    },
}

enum Body {
    Empty,
    Bytes { content_type: HeaderValue, bytes: Bytes },
}

/// One API request, replayable as often as the retry rules allow.
///
/// Deliberately not `Debug`: for `gettoken` the query holds the secret.
pub(crate) struct Call {
    method: Method,
    path: &'static str,
    query: Vec<(&'static str, String)>,
    body: Body,
    with_token: bool,
    replay: Replay,
    timeout: Option<Duration>,
    /// The success response is not JSON (a media download): only a JSON error envelope is
    /// decoded, anything else is the payload.
    binary: bool,
}

impl Call {
    fn new(method: Method, path: &'static str, body: Body) -> Self {
        Self {
            method,
            path,
            query: Vec::new(),
            body,
            with_token: true,
            replay: Replay::Safe,
            timeout: None,
            binary: false,
        }
    }

    /// A `GET` of `path` (for example `/cgi-bin/getcallbackip`).
    pub(crate) fn get(path: &'static str) -> Self {
        Self::new(Method::GET, path, Body::Empty)
    }

    /// A `POST` of `body` as JSON. Not replayable by default: say so with
    /// [`replay`](Self::replay) where it is.
    pub(crate) fn post_json<B: serde::Serialize + ?Sized>(
        path: &'static str,
        body: &B,
    ) -> Result<Self> {
        let bytes = serde_json::to_vec(body).map_err(|e| {
            InvalidArgument::new("body", format!("cannot be serialized to JSON: {e}"))
        })?;
        Ok(Self::post_json_bytes(path, bytes))
    }

    /// A `POST` of an already serialized JSON body. Not replayable by default.
    pub(crate) fn post_json_bytes(path: &'static str, json: Vec<u8>) -> Self {
        Self::post_bytes(path, HeaderValue::from_static("application/json"), json.into())
            .replay(Replay::Unsafe)
    }

    /// A `POST` of ready-made bytes, for example a multipart form.
    pub(crate) fn post_bytes(path: &'static str, content_type: HeaderValue, bytes: Bytes) -> Self {
        Self::new(Method::POST, path, Body::Bytes { content_type, bytes })
    }

    /// Adds a query parameter (besides `access_token`, which is added per attempt).
    pub(crate) fn query(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query.push((name, value.into()));
        self
    }

    /// Sets whether the call may be repeated after an ambiguous failure.
    pub(crate) fn replay(mut self, replay: Replay) -> Self {
        self.replay = replay;
        self
    }

    /// Overrides the client's request timeout for this call.
    pub(crate) fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Expects a binary payload on success (see [`Client::call_binary`]).
    pub(crate) fn binary(mut self) -> Self {
        self.binary = true;
        self
    }

    /// Sends no access token (`gettoken` itself).
    pub(crate) fn without_token(mut self) -> Self {
        self.with_token = false;
        self
    }
}

struct Response {
    status: StatusCode,
    /// `Content-Type` and `Content-Disposition`, kept for binary calls only.
    content_type: Option<HeaderValue>,
    disposition: Option<HeaderValue>,
    body: Bytes,
}

/// A successful binary response: the payload and the headers that describe it.
pub(crate) struct BinaryResponse {
    pub(crate) content_type: Option<HeaderValue>,
    pub(crate) disposition: Option<HeaderValue>,
    pub(crate) body: Bytes,
}

impl Client {
    /// Runs `call` and decodes the successful response into `T`.
    pub(crate) async fn call<T: DeserializeOwned>(&self, call: Call) -> Result<T> {
        let span = tracing::debug_span!("wecom_call", path = call.path);
        let (response, token) = self.execute(&call).instrument(span).await?;
        Exchange {
            path: call.path,
            status: response.status,
            body: &response.body,
            secrets: self.secrets(token.as_ref()),
        }
        .parse()
    }

    /// Runs a [`binary`](Call::binary) `call`: the payload on success; WeCom's JSON error
    /// envelope (which it answers instead of the payload on failure) as [`Error::Api`],
    /// refreshed and retried like any call.
    pub(crate) async fn call_binary(&self, call: Call) -> Result<BinaryResponse> {
        let span = tracing::debug_span!("wecom_call", path = call.path);
        let (response, _) = self.execute(&call).instrument(span).await?;
        Ok(BinaryResponse {
            content_type: response.content_type,
            disposition: response.disposition,
            body: response.body,
        })
    }

    /// The retry loop. Returns the response that passed the envelope check and the token it
    /// was sent with.
    async fn execute(&self, call: &Call) -> Result<(Response, Option<AccessToken>)> {
        let policy = self.inner.retry;
        let mut tries = 0; // counted against the retry policy
        let mut sent = 0; // requests that left the process
        let mut token_refreshed = false;
        let mut rejected: Option<AccessToken> = None;
        let mut maybe_delivered = false;
        loop {
            tries += 1;
            let token = if call.with_token {
                Some(self.token(rejected.take().as_ref()).await?)
            } else {
                None
            };
            // gettoken is exempt: callers wait for it while holding their own places.
            let permit = match self.limiter() {
                Some(limiter) if call.with_token => limiter.admit_request().await,
                _ => None,
            };
            let started = Instant::now();
            let outcome = self.send_once(call, token.as_ref()).await;
            drop(permit);
            sent += 1;
            let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            let err = match outcome {
                Ok(response) => {
                    let exchange = Exchange {
                        path: call.path,
                        status: response.status,
                        body: &response.body,
                        secrets: self.secrets(token.as_ref()),
                    };
                    let checked = if call.binary {
                        let content_type =
                            response.content_type.as_ref().and_then(|v| v.to_str().ok());
                        exchange.check_binary(content_type)
                    } else {
                        exchange.check()
                    };
                    match checked {
                        Ok(()) => {
                            tracing::debug!(
                                path = call.path,
                                attempt = sent,
                                errcode = 0,
                                elapsed_ms,
                                "WeCom call succeeded"
                            );
                            return Ok((response, token));
                        }
                        Err(err) => err,
                    }
                }
                Err(err) => {
                    let not_sent = err.is_connect();
                    maybe_delivered |= !not_sent;
                    let may_repeat = not_sent
                        || match call.replay {
                            Replay::Safe => true,
                            Replay::Unsafe => false,
                            Replay::Send { duplicate_check } => duplicate_check,
                        };
                    let error = Error::transport(call.path, err);
                    if may_repeat && tries < policy.attempts() {
                        tracing::warn!(
                            path = call.path,
                            attempt = sent,
                            elapsed_ms,
                            error = %error,
                            "WeCom call failed; retrying"
                        );
                        tokio::time::sleep(policy.delay(tries)).await;
                        continue;
                    }
                    tracing::debug!(
                        path = call.path,
                        attempt = sent,
                        elapsed_ms,
                        error = %error,
                        "WeCom call failed"
                    );
                    return Err(match (call.replay, error) {
                        (Replay::Send { .. }, Error::Transport { source, .. })
                            if maybe_delivered =>
                        {
                            Error::DeliveryUnknown { attempts: sent, source }
                        }
                        (_, error) => error,
                    });
                }
            };
            let code = err.code();
            if let (Some(code), Some(token)) = (code, token)
                && codes::is_token_invalid(code)
                && !token_refreshed
            {
                tracing::warn!(
                    path = call.path,
                    attempt = sent,
                    errcode = code,
                    elapsed_ms,
                    "access token rejected; refreshing it and retrying once"
                );
                token_refreshed = true;
                self.inner.tokens.invalidate(&token).await?;
                rejected = Some(token);
                tries -= 1; // the token retry has its own budget of one
                continue;
            }
            if code == Some(codes::SYSTEM_BUSY) && tries < policy.attempts() {
                tracing::warn!(
                    path = call.path,
                    attempt = sent,
                    errcode = code,
                    elapsed_ms,
                    "WeCom is busy; retrying"
                );
                tokio::time::sleep(policy.delay(tries)).await;
                continue;
            }
            tracing::debug!(
                path = call.path,
                attempt = sent,
                errcode = code,
                elapsed_ms,
                error = %err,
                "WeCom call failed"
            );
            return Err(err);
        }
    }

    /// One HTTP exchange. The URL (with the token or secret) lives only here and in reqwest;
    /// errors leave [`execute`](Self::execute) with it stripped.
    async fn send_once(
        &self,
        call: &Call,
        token: Option<&AccessToken>,
    ) -> reqwest::Result<Response> {
        let mut url = self.inner.base_url.clone();
        let path = format!("{}{}", url.path().trim_end_matches('/'), call.path);
        url.set_path(&path);
        if token.is_some() || !call.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            if let Some(token) = token {
                pairs.append_pair("access_token", token.expose());
            }
            for (name, value) in &call.query {
                pairs.append_pair(name, value);
            }
        }
        let timeout = call.timeout.unwrap_or(self.inner.request_timeout);
        let mut request = self.inner.http.request(call.method.clone(), url).timeout(timeout);
        if let Body::Bytes { content_type, bytes } = &call.body {
            request = request.header(CONTENT_TYPE, content_type.clone()).body(bytes.clone());
        }
        let response = request.send().await?;
        let status = response.status();
        let (content_type, disposition) = if call.binary {
            let headers = response.headers();
            (headers.get(CONTENT_TYPE).cloned(), headers.get(CONTENT_DISPOSITION).cloned())
        } else {
            (None, None)
        };
        let body = response.bytes().await?;
        Ok(Response { status, content_type, disposition, body })
    }
}
