//! Consistency checks of a [`Config`]: unique ids, references that exist, callback settings
//! that the crypto accepts. Each error names the offending entry.

use std::collections::HashSet;

use super::Config;

/// Why a configuration was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file {path}: {reason}")]
    Read {
        /// The path given.
        path: String,
        /// The operating system's reason.
        reason: String,
    },
    /// The TOML is malformed or has unknown keys.
    #[error("invalid config: {0}")]
    Parse(String),
    /// The content is inconsistent; the message names the field.
    #[error("invalid config: {0}")]
    Invalid(String),
}

fn invalid(msg: impl Into<String>) -> ConfigError {
    ConfigError::Invalid(msg.into())
}

/// A UserID as WeCom accepts it: 1–64 ASCII letters, digits, `-`, `_`, `.` or `@`.
pub(crate) fn valid_userid(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'@'))
}

pub(super) fn check(config: &Config) -> Result<(), ConfigError> {
    for (i, bot) in config.aibots.iter().enumerate() {
        bot.check().map_err(invalid)?;
        if config.aibots[..i].iter().any(|b| b.botid == bot.botid) {
            return Err(invalid(format!("aibots: botid {} appears twice", bot.botid)));
        }
    }
    if config.corp_id.is_empty() || !config.corp_id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(invalid("corp_id must be non-empty ASCII letters and digits"));
    }
    let o = &config.options;
    if o.token_ttl_seconds == 0 || o.callback_timeout_ms == 0 || o.callback_tries == 0 {
        return Err(invalid(
            "options: token_ttl_seconds, callback_timeout_ms and callback_tries must be > 0",
        ));
    }
    if o.expired_token_errcode != 42001 && o.expired_token_errcode != 40014 {
        return Err(invalid("options.expired_token_errcode must be 42001 or 40014"));
    }
    let mut departments = HashSet::new();
    for d in &config.departments {
        if d.id <= 0 || !departments.insert(d.id) {
            return Err(invalid(format!("departments: id {} is not positive or repeats", d.id)));
        }
    }
    for d in &config.departments {
        if d.parentid != 0 && !departments.contains(&d.parentid) {
            return Err(invalid(format!(
                "departments[{}].parentid {} does not exist",
                d.id, d.parentid
            )));
        }
        // Walk up: a cycle never reaches the root.
        let mut cur = d.parentid;
        for _ in 0..=config.departments.len() {
            if cur == 0 {
                break;
            }
            cur = config.departments.iter().find(|p| p.id == cur).map_or(0, |p| p.parentid);
            if cur == d.id {
                return Err(invalid(format!("departments[{}]: parentid forms a cycle", d.id)));
            }
        }
    }
    let mut users = HashSet::new();
    for u in &config.users {
        if !valid_userid(&u.userid) {
            return Err(invalid(format!(
                "users: userid {:?} must be 1-64 letters, digits, '-', '_', '.' or '@'",
                u.userid
            )));
        }
        if !users.insert(u.userid.to_ascii_lowercase()) {
            return Err(invalid(format!(
                "users: userid {:?} repeats (ids are case-insensitive)",
                u.userid
            )));
        }
        if let Some(d) = u.departments.iter().find(|d| !departments.contains(d)) {
            return Err(invalid(format!("users[{}].departments: {d} does not exist", u.userid)));
        }
    }
    let known_user = |id: &String| users.contains(&id.to_ascii_lowercase());
    let mut tags = HashSet::new();
    for t in &config.tags {
        if t.id <= 0 || !tags.insert(t.id) {
            return Err(invalid(format!("tags: id {} is not positive or repeats", t.id)));
        }
        if let Some(u) = t.users.iter().find(|u| !known_user(u)) {
            return Err(invalid(format!("tags[{}].users: {u:?} does not exist", t.id)));
        }
        if let Some(d) = t.parties.iter().find(|d| !departments.contains(d)) {
            return Err(invalid(format!("tags[{}].parties: {d} does not exist", t.id)));
        }
    }
    let mut apps = HashSet::new();
    for a in &config.apps {
        check_app(a, &config.corp_id, &mut apps)?;
        if let Some(u) = a.visible_users.iter().find(|u| !known_user(u)) {
            return Err(invalid(format!(
                "apps[{}].visible_users: {u:?} does not exist",
                a.agentid
            )));
        }
        if let Some(d) = a.visible_parties.iter().find(|d| !departments.contains(d)) {
            return Err(invalid(format!(
                "apps[{}].visible_parties: {d} does not exist",
                a.agentid
            )));
        }
        if let Some(t) = a.visible_tags.iter().find(|t| !tags.contains(t)) {
            return Err(invalid(format!("apps[{}].visible_tags: {t} does not exist", a.agentid)));
        }
    }
    super::groups::check(config, &users)?;
    Ok(())
}

fn check_app(
    a: &super::AppConfig,
    corp_id: &str,
    seen: &mut HashSet<i64>,
) -> Result<(), ConfigError> {
    if a.agentid <= 0 || !seen.insert(a.agentid) {
        return Err(invalid(format!("apps: agentid {} is not positive or repeats", a.agentid)));
    }
    if a.secret.expose().is_empty() {
        return Err(invalid(format!("apps[{}].secret is empty", a.agentid)));
    }
    if let Some(url) = &a.callback_url {
        check_callback_url(url)
            .map_err(|m| invalid(format!("apps[{}].callback_url {m}", a.agentid)))?;
        let (Some(token), Some(key)) = (&a.callback_token, &a.encoding_aes_key) else {
            return Err(invalid(format!(
                "apps[{}]: callback_url needs callback_token and encoding_aes_key",
                a.agentid
            )));
        };
        wecom_msgcrypt::MsgCrypt::new(token.expose(), key.expose(), corp_id)
            .map_err(|e| invalid(format!("apps[{}]: callback settings: {e}", a.agentid)))?;
    }
    Ok(())
}

/// A callback URL must be absolute `http://` or `https://`.
pub(crate) fn check_callback_url(url: &str) -> Result<(), &'static str> {
    let parsed = reqwest::Url::parse(url).map_err(|_| "is not a valid URL")?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err("must start with http:// or https://");
    }
    Ok(())
}
