//! AI bots in the corp configuration (`[[aibots]]` in the TOML file).

use serde::{Deserialize, Serialize};

use crate::config::Secret;

/// How a bot's API mode talks to its program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AibotMode {
    /// HTTP callbacks to `callback_url` (encrypted JSON, stream refreshes).
    #[default]
    Http,
    /// The WebSocket long connection: the bot's program dials `/aibot/ws` and subscribes
    /// with `botid` and `secret`.
    Websocket,
}

/// One AI bot (智能机器人) with API mode switched on.
///
/// ```toml
/// [[aibots]]
/// botid = "aib_demo"
/// name = "Ask me"
/// secret = "…"                      # the WebSocket mode's secret
/// token = "…"                       # HTTP mode
/// encoding_aes_key = "…43 chars…"   # HTTP mode
/// callback_url = "http://127.0.0.1:8081/"
/// mode = "http"
/// refresh_interval_ms = 1000
///
/// [[aibots]]
/// botid = "aib_ws"
/// name = "Ask me over WebSocket"
/// mode = "websocket"                # the program dials ws://HOST:PORT/aibot/ws
/// secret = "…"                      # required in WebSocket mode
/// stream_window_seconds = 360       # stream frames later than this answer 846608
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AibotConfig {
    /// The bot id (`aibotid`).
    pub botid: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// The bot secret (WebSocket mode).
    #[serde(default)]
    pub secret: Option<Secret>,
    /// The callback `Token` (HTTP mode).
    #[serde(default)]
    pub token: Option<Secret>,
    /// The callback `EncodingAESKey` (HTTP mode, 43 characters).
    #[serde(default)]
    pub encoding_aes_key: Option<Secret>,
    /// Where callbacks go (HTTP mode).
    #[serde(default)]
    pub callback_url: Option<String>,
    /// HTTP or WebSocket.
    #[serde(default)]
    pub mode: AibotMode,
    /// Pause between stream-refresh callbacks. WeCom does not document its interval; the
    /// default, 1,000 ms, is what the WeCom client appears to do, and tests lower it.
    #[serde(default = "default_refresh")]
    pub refresh_interval_ms: u64,
    /// How long after the member's message refreshes keep coming (WeCom: 6 minutes); in
    /// WebSocket mode, how long stream frames for a message are accepted.
    #[serde(default = "default_window")]
    pub stream_window_seconds: u64,
}

fn default_refresh() -> u64 {
    1000
}

fn default_window() -> u64 {
    360
}

impl AibotConfig {
    /// Checks the bot's fields.
    pub(crate) fn check(&self) -> Result<(), String> {
        let at = format!("aibots[{}]", self.botid);
        if self.botid.is_empty() || self.botid.len() > 64 {
            return Err(format!("{at}: botid must be 1 to 64 characters"));
        }
        if self.mode == AibotMode::Http {
            let (Some(token), Some(key), Some(url)) =
                (&self.token, &self.encoding_aes_key, &self.callback_url)
            else {
                return Err(format!(
                    "{at}: http mode needs token, encoding_aes_key and callback_url"
                ));
            };
            wecom_msgcrypt::MsgCrypt::new(token.expose(), key.expose(), "")
                .map_err(|e| format!("{at}: {e}"))?;
            crate::config::check::check_callback_url(url)
                .map_err(|e| format!("{at}.callback_url: {e}"))?;
        }
        if self.mode == AibotMode::Websocket
            && self.secret.as_ref().is_none_or(|s| s.expose().is_empty())
        {
            return Err(format!("{at}: websocket mode needs a secret"));
        }
        if self.refresh_interval_ms == 0 {
            return Err(format!("{at}: refresh_interval_ms must be at least 1"));
        }
        Ok(())
    }
}
