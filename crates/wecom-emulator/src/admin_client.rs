//! A typed client of the admin API, for tests and tools: act as a member
//! ([`EmulatorHandle::member`] → [`Member`]), read the callback log, and — with the `client`
//! feature — get a ready [`wecom::Client`] for an app ([`EmulatorHandle::client`]).
//!
//! It talks HTTP to a running emulator, in this process or another one
//! ([`AdminClient::new`] with the base URL a `wecom emulator` printed), so what a test does
//! through it is what a browser or `curl` could do.
//!
//! ```
//! use wecom_emulator::{Config, Emulator};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let emu = Emulator::start(Config::demo()).await?;
//! let alice = emu.member("alice");
//! // alice writes to the Notices app, which has no callback URL: the record says so.
//! let record = alice.send_text(1_000_003, "hi").await?;
//! assert_eq!(record.reason, Some(wecom_emulator::FailureReason::NoCallbackUrl));
//! assert_eq!(alice.inbox().await?[0].text(), Some("hi"));
//! # Ok(()) }
//! ```

mod member;
mod types;

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::Value;

pub use member::Member;
pub use types::{AibotTurn, GroupInfo, InboxMessage, InboxStatus, StreamAnswer};

use crate::callback::CallbackRecord;
use crate::server::EmulatorHandle;

/// How long a call of the admin API may take: member actions wait for the callback delivery
/// (3 tries of 5 s) and an AI bot's answer for its stream to finish.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Why an admin API call failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AdminApiError {
    /// The emulated corp has no such app.
    #[error("no app {agentid} in the emulated corp")]
    UnknownApp {
        /// The agent id asked for.
        agentid: i64,
    },
    /// The emulator could not be reached, or did not answer in time.
    #[error("cannot reach the emulator's admin API at {url}: {reason}")]
    Transport {
        /// The call (method and URL).
        url: String,
        /// The cause.
        reason: String,
    },
    /// The emulator refused the call (unknown member, message or key, a disabled card, …).
    #[error("{call}: HTTP {status}: {message}")]
    Refused {
        /// The call (method and path).
        call: String,
        /// The HTTP status (400 bad input, 404 unknown, 409 not possible now).
        status: u16,
        /// The emulator's `error` text.
        message: String,
    },
    /// The answer was not what this client expects (an emulator of another version?).
    #[error("{call}: unexpected answer: {reason}")]
    Decode {
        /// The call (method and path).
        call: String,
        /// The decoding error.
        reason: String,
    },
    /// The SDK client could not be built.
    #[cfg(feature = "client")]
    #[error(transparent)]
    Client(#[from] wecom::Error),
}

impl AdminApiError {
    /// The HTTP status of a refused call.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Refused { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether the call named something that does not exist (HTTP 404).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }
}

/// A client of one emulator's admin API (`/emulator/…`); cheap to clone.
#[derive(Debug, Clone)]
pub struct AdminClient {
    base_url: String,
    http: reqwest::Client,
}

impl AdminClient {
    /// A client of the emulator at `base_url` (`http://127.0.0.1:8025`). Proxy variables are
    /// ignored: the emulator is local.
    pub fn new(base_url: impl Into<String>) -> Self {
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(TIMEOUT)
            .build()
            .unwrap_or_else(|_| reqwest::Client::new());
        Self { base_url: base_url.into().trim_end_matches('/').to_owned(), http }
    }

    /// The emulator's base URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// A handle to act as the member `userid`.
    pub fn member(&self, userid: impl Into<String>) -> Member {
        Member::new(self.clone(), userid.into())
    }

    /// The callback log, oldest first (`GET /emulator/callbacks`), optionally of one member.
    pub async fn callbacks(
        &self,
        userid: Option<&str>,
    ) -> Result<Vec<CallbackRecord>, AdminApiError> {
        let path = match userid {
            Some(u) => format!("/emulator/callbacks?user={}", encode(u)),
            None => "/emulator/callbacks".to_owned(),
        };
        let v: Value = self.call(reqwest::Method::GET, &path, None).await?;
        field(&path, v, "callbacks")
    }

    /// Calls the admin API and decodes its JSON answer.
    pub(crate) async fn call<T: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<T, AdminApiError> {
        let call = format!("{method} {path}");
        let url = format!("{}{path}", self.base_url);
        let mut req = self.http.request(method, &url);
        if let Some(body) = body {
            req = req.json(body);
        }
        let transport = |e: reqwest::Error| AdminApiError::Transport {
            url: url.clone(),
            reason: if e.is_timeout() {
                format!("no answer within {} s", TIMEOUT.as_secs())
            } else {
                e.without_url().to_string()
            },
        };
        let resp = req.send().await.map_err(transport)?;
        let status = resp.status();
        let bytes = resp.bytes().await.map_err(transport)?;
        if !status.is_success() {
            let message = serde_json::from_slice::<Value>(&bytes)
                .ok()
                .and_then(|v| v.get("error").and_then(Value::as_str).map(str::to_owned))
                .unwrap_or_else(|| String::from_utf8_lossy(&bytes).chars().take(200).collect());
            return Err(AdminApiError::Refused { call, status: status.as_u16(), message });
        }
        serde_json::from_slice(&bytes)
            .map_err(|e| AdminApiError::Decode { call, reason: e.to_string() })
    }
}

/// `v[name]` decoded.
fn field<T: DeserializeOwned>(path: &str, mut v: Value, name: &str) -> Result<T, AdminApiError> {
    serde_json::from_value(v.get_mut(name).map_or(Value::Null, Value::take)).map_err(|e| {
        AdminApiError::Decode { call: format!("GET {path}"), reason: format!("`{name}`: {e}") }
    })
}

/// Percent-encodes a path segment or query value (userids, msgids, bot ids).
pub(crate) fn encode(s: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

impl EmulatorHandle {
    /// A client of this emulator's admin API.
    pub fn admin(&self) -> AdminClient {
        AdminClient::new(self.base_url())
    }

    /// A handle to act as the member `userid`: send an app a text, click and submit cards,
    /// read their inbox, their groups, ask an AI bot. See [`Member`].
    pub fn member(&self, userid: impl Into<String>) -> Member {
        self.admin().member(userid)
    }

    /// A [`wecom::Client`] for the app `agentid`, pointed at this emulator with the app's
    /// credentials (feature `client`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let emu = wecom_emulator::Emulator::start(wecom_emulator::Config::demo()).await?;
    /// let client = emu.client(1_000_002)?;
    /// let receipt = client
    ///     .send(wecom::Recipients::users(["alice"]), wecom::Text::new("Build #42 passed"))
    ///     .await?;
    /// assert!(!receipt.msgid.is_empty());
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "client")]
    pub fn client(&self, agentid: i64) -> Result<wecom::Client, AdminApiError> {
        let app = self.app(agentid).ok_or(AdminApiError::UnknownApp { agentid })?;
        let client = wecom::Client::builder(self.corp_id(), agentid, app.secret.expose())
            .base_url(self.base_url())
            .build()?;
        Ok(client)
    }
}
