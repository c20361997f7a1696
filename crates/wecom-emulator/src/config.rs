//! The emulated corp: apps, users, departments, tags and each app's visible range, plus the
//! emulator's own knobs (token lifetime, callback timeout). Loaded from a TOML file or built
//! in ([`Config::demo`]), and checked before the server starts.
//!
//! # File format
//!
//! Every field, with its default where it has one (`examples/corp.toml`):
//!
//! ```toml
#![doc = include_str!("../examples/corp.toml")]
//! ```

pub(crate) mod check;
mod demo;
mod groups;

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

pub use check::ConfigError;
pub use demo::{DEMO_CHAT_APP, DEMO_WEBHOOK_KEY};
pub use groups::{BotConfig, GroupConfig};

/// A secret string (app secret, callback token, EncodingAESKey): readable through
/// [`Secret::expose`], redacted in `Debug`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// The whole emulated corp and the emulator's options.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The corp id (`corpid` of gettoken, `ToUserName` and receive id of callbacks).
    pub corp_id: String,
    /// A display name.
    #[serde(default)]
    pub corp_name: String,
    /// Emulator behaviour.
    #[serde(default)]
    pub options: Options,
    /// Applications.
    #[serde(default)]
    pub apps: Vec<AppConfig>,
    /// Members.
    #[serde(default)]
    pub users: Vec<UserConfig>,
    /// Departments (a tree through `parentid`).
    #[serde(default)]
    pub departments: Vec<DepartmentConfig>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<TagConfig>,
    /// AI bots (智能机器人) with API mode on.
    #[serde(default)]
    pub aibots: Vec<crate::aibot::AibotConfig>,
    /// Group chats with their webhook bots (消息推送).
    #[serde(default)]
    pub groups: Vec<GroupConfig>,
}

/// Emulator behaviour that WeCom fixes but tests may want to change.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// Lifetime of an access token in seconds (WeCom: 7,200).
    pub token_ttl_seconds: u64,
    /// What an expired token answers: 42001 (the default) or 40014 — WeCom answers both, and
    /// clients must refresh on either.
    pub expired_token_errcode: i64,
    /// When true (the default), gettoken inside a token's lifetime returns the same token
    /// with the remaining `expires_in`, as older WeCom documentation describes; when false,
    /// every call issues a new token (older ones stay valid until they expire). Clients
    /// must work with both.
    pub reuse_tokens: bool,
    /// Timeout of one callback try in milliseconds (WeCom: 5,000).
    pub callback_timeout_ms: u64,
    /// Callback tries in total (WeCom: 3).
    pub callback_tries: u32,
    /// Per member and app: deliveries allowed per minute (WeCom: 30); the excess is dropped.
    pub member_limit_per_minute: u32,
    /// Per member and app: deliveries allowed per hour (WeCom: 1,000).
    pub member_limit_per_hour: u32,
    /// The length of the "per minute" member window in milliseconds (WeCom: 60,000);
    /// shorter for fast tests of client-side throttles.
    pub member_window_ms: u64,
    /// How many messages the emulator keeps (default 100,000; 0: no limit). Beyond it the
    /// oldest are forgotten, and the admin API counts them; this bounds the memory of a
    /// long-running emulator (about 1.3 KB per small message). The same number bounds,
    /// each apart, the app messages, the group messages (webhook bots and app group chats,
    /// over all groups), the AI-bot turns (over all bots) and the callback log.
    pub retain_messages: usize,
    /// Messages older than this many seconds of virtual time are forgotten (default 0: no
    /// age limit); so are group messages and AI-bot turns.
    pub retain_seconds: u64,
    /// Total bytes of uploaded media the emulator keeps in memory (default 512 MiB); an
    /// upload beyond it answers 45001 until a reset.
    pub max_upload_bytes: usize,
    /// Host names (besides `localhost` and IP addresses of this machine) under which the
    /// admin API and the inbox answer, such as a Docker service name. Other names are refused,
    /// which stops DNS-rebinding pages.
    pub allowed_hosts: Vec<String>,
    /// Web origins (`http://localhost:3000`) besides the emulator's own whose pages may call
    /// the admin API.
    pub allowed_origins: Vec<String>,
    /// Per webhook bot: messages allowed per window (WeCom: 20 per minute).
    pub webhook_limit: u32,
    /// The webhook window in milliseconds (WeCom: 60,000); shorter for fast tests.
    pub webhook_window_ms: u64,
    /// AI-bot WebSocket endpoint: a connection that sends nothing (no frame, no `ping`) for
    /// this long is closed (default 90,000 ms: three missed 30-s heartbeats).
    pub aibot_ws_idle_timeout_ms: u64,
    /// AI-bot WebSocket endpoint: how long a new connection may take to subscribe (default
    /// 10,000 ms).
    pub aibot_ws_subscribe_timeout_ms: u64,
    /// AI-bot WebSocket endpoint: open connections at most (default 64); more are refused
    /// with HTTP 503 before the upgrade.
    pub aibot_ws_max_connections: usize,
    /// AI-bot WebSocket endpoint: bytes of chunked uploads in progress at most, over all
    /// bots (default 128 MiB); an `aibot_upload_media_init` beyond it answers 45001.
    pub aibot_ws_upload_memory: usize,
    /// Per member and app: app group chat messages allowed per minute (WeCom: 200); the
    /// excess is dropped.
    pub chat_member_limit_per_minute: u32,
    /// Per member and app: app group chat messages allowed per day (WeCom: 10,000).
    pub chat_member_limit_per_day: u32,
    /// App group chats the corp may create per day (WeCom: 1,000).
    pub chat_creates_per_day: u32,
    /// App group chat updates the corp may make per hour (WeCom: 100).
    pub chat_updates_per_hour: u32,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            token_ttl_seconds: 7200,
            expired_token_errcode: 42001,
            reuse_tokens: true,
            callback_timeout_ms: 5000,
            callback_tries: 3,
            member_limit_per_minute: 30,
            member_limit_per_hour: 1000,
            member_window_ms: 60_000,
            retain_messages: 100_000,
            retain_seconds: 0,
            max_upload_bytes: 512 * 1024 * 1024,
            allowed_hosts: Vec::new(),
            allowed_origins: Vec::new(),
            webhook_limit: 20,
            webhook_window_ms: 60_000,
            aibot_ws_idle_timeout_ms: 90_000,
            aibot_ws_subscribe_timeout_ms: 10_000,
            aibot_ws_max_connections: 64,
            aibot_ws_upload_memory: 128 * 1024 * 1024,
            chat_member_limit_per_minute: 200,
            chat_member_limit_per_day: 10_000,
            chat_creates_per_day: 1000,
            chat_updates_per_hour: 100,
        }
    }
}

/// One application of the corp.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppConfig {
    /// The app id (`agentid`).
    pub agentid: i64,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// The app secret (`corpsecret` of gettoken).
    pub secret: Secret,
    /// A disabled app cannot get tokens (40001), as in WeCom.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Visible range: these users.
    #[serde(default)]
    pub visible_users: Vec<String>,
    /// Visible range: these departments and their sub-departments.
    #[serde(default)]
    pub visible_parties: Vec<i64>,
    /// Visible range: the members of these tags.
    #[serde(default)]
    pub visible_tags: Vec<i64>,
    /// Where callbacks go; interactive template cards need one.
    #[serde(default)]
    pub callback_url: Option<String>,
    /// The callback `Token`.
    #[serde(default)]
    pub callback_token: Option<Secret>,
    /// The callback `EncodingAESKey` (43 characters).
    #[serde(default)]
    pub encoding_aes_key: Option<Secret>,
    /// The mini program bound to the app; without one, `miniprogram_notice` answers 48002.
    #[serde(default)]
    pub miniprogram_appid: Option<String>,
}

fn yes() -> bool {
    true
}

/// One member.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserConfig {
    /// The UserID (matched case-insensitively, reported lower-cased).
    pub userid: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Departments the member belongs to.
    #[serde(default)]
    pub departments: Vec<i64>,
    /// Without a basic API licence a member is listed in `unlicenseduser` and not delivered.
    #[serde(default = "yes")]
    pub licensed: bool,
}

/// One department.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepartmentConfig {
    /// Department id.
    pub id: i64,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Parent department id; 0 (the default) for the root.
    #[serde(default)]
    pub parentid: i64,
}

/// One tag.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagConfig {
    /// Tag id.
    pub id: i64,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Member users.
    #[serde(default)]
    pub users: Vec<String>,
    /// Member departments (with their sub-departments).
    #[serde(default)]
    pub parties: Vec<i64>,
}

impl Config {
    /// Parses a TOML configuration and checks it.
    pub fn from_toml_str(text: &str) -> Result<Self, ConfigError> {
        let config: Self = toml::from_str(text).map_err(|e| ConfigError::Parse(e.to_string()))?;
        config.check()?;
        Ok(config)
    }

    /// Reads, parses and checks a TOML configuration file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, ConfigError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        Self::from_toml_str(&text)
    }

    /// The built-in demo corp: users `alice`, `bob`, `carol`, `dave` (unlicensed) and `erin`
    /// (in the range of the whole-corp app only), departments, tags, three apps — `1000002`
    /// "Build bot" with a callback URL placeholder, `1000003` "Notices" without one, and
    /// `1000004` "Chat ops" ([`DEMO_CHAT_APP`]) whose range is the root department, so it may
    /// use app group chats — and the group "Ops alerts" (alice, bob, carol) with one webhook
    /// bot, key [`DEMO_WEBHOOK_KEY`].
    pub fn demo() -> Self {
        demo::demo()
    }

    /// The app with this id.
    pub fn app(&self, agentid: i64) -> Option<&AppConfig> {
        self.apps.iter().find(|a| a.agentid == agentid)
    }

    /// Whether app `agentid` has the root department (a department without a parent) in its
    /// visible range, as `appchat/*` requires.
    pub fn has_root_range(&self, agentid: i64) -> bool {
        self.app(agentid).is_some_and(|a| {
            a.visible_parties
                .iter()
                .any(|p| self.departments.iter().any(|d| d.id == *p && d.parentid == 0))
        })
    }

    /// Checks ids, references, callback settings and options.
    pub fn check(&self) -> Result<(), ConfigError> {
        check::check(self)
    }
}

#[cfg(test)]
mod tests {
    use super::Config;

    #[test]
    fn the_documented_example_file_is_valid() {
        let config = Config::from_toml_str(include_str!("../examples/corp.toml")).unwrap();
        assert_eq!(config.apps[0].agentid, 1_000_002);
        assert!(!config.users[1].licensed);
    }

    #[test]
    fn the_demo_corp_is_valid_and_debug_hides_secrets() {
        let demo = Config::demo();
        demo.check().unwrap();
        let debug = format!("{demo:?}");
        assert!(!debug.contains(demo.apps[0].secret.expose()));
        assert!(!debug.contains("demoAesKey"));
    }
}
