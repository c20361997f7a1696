//! The generic call path every endpoint uses.
//!
//! An endpoint describes its request as a [`Call`] (method, path, query, body, whether it may
//! be repeated) and hands it to [`Client::call`]. This module adds the access token, sends,
//! decodes the envelope, and carries out what the retry rules
//! ([`classify`](super::retry::classify)) decide after a failure: wait and send again,
//! refresh the token and send again, or give up. Bodies are kept as [`Bytes`], so every retry
//! sends exactly the same bytes (multipart included). A new JSON endpoint is a few lines
//! (crate-internal, so not a doctest):
//!
//! ```text
//! let call = Call::post_json("/cgi-bin/message/update_template_card", &body)?;
//! let reply: UpdateReply = client.call(call).await?;
//! ```
//!
//! `gettoken` goes through [`Client::call_without_token`] instead. The loop is generic over
//! where its token comes from ([`Auth`]), and that entry point runs it with [`NoToken`]: its
//! future does not contain the token cache's, so fetching a token cannot re-enter the
//! token-refreshing path — the compiler would reject the cycle (it did, before this split,
//! until a `BoxFuture` hid it).

use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use tracing::Instrument;

mod auth;

use super::Client;
use super::RetryPolicy;
use super::envelope::Exchange;
use super::retry::{Action, Attempt, Outcome, RequestKind, classify};
use crate::error::{Error, InvalidArgument, Result};
use crate::token::AccessToken;
use auth::{AppToken, Auth, NoToken};

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
    /// Runs `call` with the app's access token and decodes the successful response into `T`.
    pub(crate) async fn call<T: DeserializeOwned>(&self, call: Call) -> Result<T> {
        self.call_with(call, &AppToken(self)).await
    }

    /// Runs `call` without an access token (`gettoken`): retried by the same rules, but it
    /// never asks the token cache for a token, so it cannot recurse into a token refresh.
    pub(crate) async fn call_without_token<T: DeserializeOwned>(&self, call: Call) -> Result<T> {
        self.call_with(call, &NoToken).await
    }

    async fn call_with<T: DeserializeOwned, A: Auth>(&self, call: Call, auth: &A) -> Result<T> {
        let span = tracing::debug_span!("wecom_call", path = call.path);
        let (response, token) = self.execute(&call, auth).instrument(span).await?;
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
        let (response, _) = self.execute(&call, &AppToken(self)).instrument(span).await?;
        Ok(BinaryResponse {
            content_type: response.content_type,
            disposition: response.disposition,
            body: response.body,
        })
    }

    /// The retry loop: sends, checks the envelope, and on failure carries out what
    /// [`classify`] decides. Returns the response that passed the envelope check and the
    /// token it was sent with.
    async fn execute<A: Auth>(
        &self,
        call: &Call,
        auth: &A,
    ) -> Result<(Response, Option<AccessToken>)> {
        let policy = self.inner.retry;
        let kind = RequestKind { authenticated: A::AUTHENTICATED, replay: call.replay };
        let mut attempt = Attempt::FIRST;
        let mut sent = 0; // requests that left the process
        let mut rejected: Option<AccessToken> = None;
        let mut maybe_delivered = false;
        loop {
            let token = auth.token(rejected.take()).await?;
            // gettoken is exempt: callers wait for it while holding their own places.
            let permit = match self.limiter() {
                Some(limiter) if A::AUTHENTICATED => limiter.admit_request().await,
                _ => None,
            };
            let started = Instant::now();
            let result = self.send_once(call, token.as_ref()).await;
            drop(permit);
            sent += 1;
            let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            let (outcome, err) = match result {
                Ok(response) => match self.check(call, &response, token.as_ref()) {
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
                    Err(err) => match err.code() {
                        Some(code) => (Outcome::Api(code), err),
                        None => (Outcome::Other, err),
                    },
                },
                Err(err) => {
                    let outcome = if err.is_connect() {
                        Outcome::ConnectFailed
                    } else {
                        Outcome::Interrupted
                    };
                    maybe_delivered |= outcome == Outcome::Interrupted;
                    (outcome, Error::transport(call.path, err))
                }
            };
            let action = classify(kind, outcome, attempt, &policy);
            match (action, outcome, token) {
                (Action::RetryAfter(delay), Outcome::Api(code), _) => {
                    tracing::warn!(
                        path = call.path,
                        attempt = sent,
                        errcode = code,
                        elapsed_ms,
                        "WeCom is busy; retrying"
                    );
                    tokio::time::sleep(RetryPolicy::jitter(delay)).await;
                }
                (Action::RetryAfter(delay), _, _) => {
                    tracing::warn!(
                        path = call.path,
                        attempt = sent,
                        elapsed_ms,
                        error = %err,
                        "WeCom call failed; retrying"
                    );
                    tokio::time::sleep(RetryPolicy::jitter(delay)).await;
                }
                (Action::RefreshTokenThenRetry, _, Some(token)) => {
                    tracing::warn!(
                        path = call.path,
                        attempt = sent,
                        errcode = err.code(),
                        elapsed_ms,
                        "access token rejected; refreshing it and retrying once"
                    );
                    auth.invalidate(&token).await?;
                    rejected = Some(token);
                }
                // A refresh without a token cannot be carried out (`classify` asks for one
                // only for calls that carry a token): give up.
                (Action::RefreshTokenThenRetry | Action::GiveUp, _, _) => {
                    tracing::debug!(
                        path = call.path,
                        attempt = sent,
                        errcode = err.code(),
                        elapsed_ms,
                        error = %err,
                        "WeCom call failed"
                    );
                    return Err(match (call.replay, err) {
                        (Replay::Send { .. }, Error::Transport { source, .. })
                            if maybe_delivered =>
                        {
                            Error::DeliveryUnknown { attempts: sent, source }
                        }
                        (_, err) => err,
                    });
                }
            }
            attempt = attempt.after(action);
        }
    }

    /// The envelope check of a response: JSON, or a binary payload for a binary call.
    fn check(&self, call: &Call, response: &Response, token: Option<&AccessToken>) -> Result<()> {
        let exchange = Exchange {
            path: call.path,
            status: response.status,
            body: &response.body,
            secrets: self.secrets(token),
        };
        if call.binary {
            let content_type = response.content_type.as_ref().and_then(|v| v.to_str().ok());
            exchange.check_binary(content_type)
        } else {
            exchange.check()
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
