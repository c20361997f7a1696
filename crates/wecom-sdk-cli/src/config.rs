//! Settings: flags > environment (both handled by clap) > a profile of `wecom.toml`.
//!
//! ```toml
//! default_profile = "prod"
//!
//! [profiles.prod]
//! corp_id = "ww0123456789abcdef"
//! agent_id = 1000002
//! secret = "…"
//! callback_token = "…"     # `token` is accepted too
//! encoding_aes_key = "…"   # `aes_key` is accepted too
//! base_url = "https://qyapi.weixin.qq.com"
//! webhook = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"  # wecom bot send
//! aibot_id = "aib…"      # wecom aibot connect: Bot ID
//! aibot_secret = "…"     #   and Secret (long connection)
//! aibot_url = "wss://openws.work.weixin.qq.com"
//! aibot_token = "…"      # wecom aibot listen: the AI bot's callback Token
//! aibot_aes_key = "…"    #   and EncodingAESKey
//!
//! [profiles.local]
//! corp_id = "wwemulator"
//! base_url = "http://127.0.0.1:8025"   # `wecom emulator`
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, anyhow};
use serde::Deserialize;

use crate::cli::{AppArgs, GlobalArgs};
use crate::config_error::redacted;
use crate::exit::usage;

/// The configuration file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConfigFile {
    /// The profile used when `--profile` is not given.
    pub(crate) default_profile: Option<String>,
    /// Named profiles.
    #[serde(default)]
    pub(crate) profiles: BTreeMap<String, Profile>,
}

/// One app's settings in the configuration file.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Profile {
    pub(crate) corp_id: Option<String>,
    pub(crate) agent_id: Option<i64>,
    pub(crate) secret: Option<String>,
    #[serde(rename = "callback_token", alias = "token")]
    pub(crate) token: Option<String>,
    #[serde(rename = "encoding_aes_key", alias = "aes_key")]
    pub(crate) aes_key: Option<String>,
    pub(crate) base_url: Option<String>,
    /// A group webhook: the URL copied from WeCom, or its key (`wecom bot send`).
    pub(crate) webhook: Option<String>,
    /// The AI bot's Bot ID (`wecom aibot connect`).
    pub(crate) aibot_id: Option<String>,
    /// The AI bot's Secret.
    pub(crate) aibot_secret: Option<String>,
    /// The AI bot's WebSocket endpoint.
    pub(crate) aibot_url: Option<String>,
    /// The AI bot's callback Token (`wecom aibot listen`).
    pub(crate) aibot_token: Option<String>,
    /// The AI bot's callback EncodingAESKey.
    pub(crate) aibot_aes_key: Option<String>,
}

/// The AI-bot settings of the profile (flags and environment are applied by the command).
#[derive(Debug, Clone, Default)]
pub(crate) struct AibotProfile {
    pub(crate) id: Option<String>,
    pub(crate) secret: Option<String>,
    pub(crate) url: Option<String>,
    pub(crate) token: Option<String>,
    pub(crate) aes_key: Option<String>,
}

/// The settings after layering flags, environment and profile.
#[derive(Debug, Clone, Default)]
pub(crate) struct Settings {
    pub(crate) app: AppArgs,
    /// The profile's webhook, if any.
    pub(crate) webhook: Option<String>,
    /// The profile's AI-bot settings.
    pub(crate) aibot: AibotProfile,
}

impl Settings {
    /// Resolves the settings for this invocation.
    pub(crate) fn resolve(global: &GlobalArgs) -> Result<Self> {
        let profile = load_profile(global.config.as_deref(), global.profile.as_deref())?;
        let flags = global.app.clone();
        let app = AppArgs {
            corp_id: flags.corp_id.or(profile.corp_id),
            agent_id: flags.agent_id.or(profile.agent_id),
            secret: flags.secret.or(profile.secret),
            token: flags.token.or(profile.token),
            // WECOM_ENCODING_AES_KEY is the name (clap reads it); WECOM_AES_KEY an alias.
            aes_key: flags
                .aes_key
                .or_else(|| std::env::var("WECOM_AES_KEY").ok().filter(|k| !k.is_empty()))
                .or(profile.aes_key),
            base_url: flags.base_url.or(profile.base_url),
        };
        let aibot = AibotProfile {
            id: profile.aibot_id,
            secret: profile.aibot_secret,
            url: profile.aibot_url,
            token: profile.aibot_token,
            aes_key: profile.aibot_aes_key,
        };
        Ok(Self { app, webhook: profile.webhook, aibot })
    }

    /// A required setting, or a usage error naming the flag and variable that provide it.
    pub(crate) fn require<'a, T>(value: Option<&'a T>, flag: &str, env: &str) -> Result<&'a T>
    where
        T: ?Sized,
    {
        value.ok_or_else(|| {
            usage(anyhow!(
                "missing setting: pass --{flag}, set {env}, or add `{}` to a profile in wecom.toml",
                flag.replace('-', "_")
            ))
        })
    }
}

fn default_paths() -> Vec<PathBuf> {
    let mut paths = vec![PathBuf::from("wecom.toml")];
    let config_home = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".config")));
    if let Some(dir) = config_home {
        paths.push(dir.join("wecom").join("wecom.toml"));
    }
    paths
}

/// Loads the selected profile: an explicit file must exist; default locations are optional.
fn load_profile(explicit: Option<&Path>, name: Option<&str>) -> Result<Profile> {
    let file = match explicit {
        Some(path) => Some(read_config(path)?),
        None => match default_paths().into_iter().find(|p| p.is_file()) {
            Some(path) => Some(read_config(&path)?),
            None => None,
        },
    };
    let Some(file) = file else {
        return match name {
            Some(name) => {
                Err(usage(anyhow!("profile `{name}` requested but no wecom.toml was found")))
            }
            None => Ok(Profile::default()),
        };
    };
    let name = name.map(str::to_owned).or(file.default_profile.clone());
    match name {
        None => Ok(Profile::default()),
        Some(name) => file.profiles.get(&name).cloned().ok_or_else(|| {
            let known: Vec<&str> = file.profiles.keys().map(String::as_str).collect();
            usage(anyhow!(
                "no profile `{name}` in the configuration file (profiles: {})",
                known.join(", ")
            ))
        }),
    }
}

fn read_config(path: &Path) -> Result<ConfigFile> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read configuration file {}", path.display()))
        .map_err(usage)?;
    // toml's own message quotes the offending line, which may hold a secret: only the line
    // number, the key and the kind of problem are shown.
    toml::from_str(&text).map_err(|e| {
        usage(anyhow!("invalid configuration file {}: {}", path.display(), redacted(&text, &e)))
    })
}

#[cfg(test)]
mod tests {
    use super::ConfigFile;

    #[test]
    fn the_readme_example_profile_file_is_valid() {
        let readme = include_str!("../README.md");
        let start = readme.find("```toml\n# ./wecom.toml").expect("the example in the README");
        let body = &readme[start + "```toml\n".len()..];
        let example = &body[..body.find("```").expect("the end of the example")];
        let file: ConfigFile = toml::from_str(example).expect("the example parses");
        let local = &file.profiles["local"];
        assert_eq!(file.default_profile.as_deref(), Some("local"));
        assert_eq!(local.token.as_deref(), Some("demoToken"));
        assert_eq!(local.aes_key.as_deref(), Some("demoAesKey0123456789abcdefghijklmnopqrstuvw"));
        // The older key names are accepted too.
        let old: ConfigFile =
            toml::from_str("[profiles.a]\ntoken = \"t\"\naes_key = \"k\"\n").expect("parses");
        assert_eq!(old.profiles["a"].token.as_deref(), Some("t"));
    }
}
