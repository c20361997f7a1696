//! A string that never prints itself.
//!
//! The corp secret and access tokens are kept in [`Secret`], whose `Debug` and `Display`
//! print `***`. The value is reachable only through the explicit [`Secret::expose`].

use std::fmt;

/// A secret string (corp secret, access token) that prints as `***`.
///
/// ```
/// let secret = wecom::Secret::new("s3cr3t");
/// assert_eq!(format!("{secret} {secret:?}"), "*** ***");
/// assert_eq!(secret.expose(), "s3cr3t");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
// An `Arc` so that handing the current access token to every call is a reference-count
// increment, not an allocation.
pub struct Secret(std::sync::Arc<str>);

impl Secret {
    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Self(std::sync::Arc::from(value.into()))
    }

    /// The secret value. Never log or format the result.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

/// Replaces every occurrence of each non-empty `secret` in `text` with `***`, and the value of
/// any JSON `"access_token"` member as well, so response bodies can be shown in errors.
pub(crate) fn scrub(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        if out.contains(secret) {
            out = out.replace(secret, "***");
        }
    }
    scrub_json_member(&out, "\"access_token\"")
}

/// Blanks the string value following `key` (a quoted JSON member name) wherever it occurs.
fn scrub_json_member(text: &str, key: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find(key) {
        let (head, tail) = rest.split_at(pos + key.len());
        out.push_str(head);
        let after_ws = tail.trim_start();
        let Some(after_colon) = after_ws.strip_prefix(':') else {
            rest = tail;
            continue;
        };
        let value = after_colon.trim_start();
        let Some(inner) = value.strip_prefix('"') else {
            rest = tail;
            continue;
        };
        // The end of the JSON string: the first quote not escaped by a backslash.
        let mut end = None;
        let mut escaped = false;
        for (i, c) in inner.char_indices() {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => {
                    end = Some(i);
                    break;
                }
                _ => escaped = false,
            }
        }
        out.push_str(&tail[..tail.len() - inner.len()]);
        out.push_str("***");
        match end {
            Some(i) => rest = &inner[i..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_prints_as_stars() {
        let s = Secret::new("corp-secret-value");
        assert_eq!(format!("{s}"), "***");
        assert_eq!(format!("{s:?}"), "***");
        assert_eq!(format!("{:?}", Some(s.clone())), "Some(***)");
        assert_eq!(s.expose(), "corp-secret-value");
    }

    #[test]
    fn scrub_replaces_known_secrets() {
        let out = scrub("token=abc123 and abc123 again; sec=xyz", &["abc123", "xyz", ""]);
        assert_eq!(out, "token=*** and *** again; sec=***");
    }

    #[test]
    fn scrub_blanks_access_token_members() {
        let body =
            r#"{"errcode":0,"access_token" : "T\"OK\\EN","expires_in":"x","access_token":"b"}"#;
        let out = scrub(body, &[]);
        assert_eq!(
            out,
            r#"{"errcode":0,"access_token" : "***","expires_in":"x","access_token":"***"}"#
        );
    }

    #[test]
    fn scrub_handles_truncated_and_non_string_members() {
        assert_eq!(scrub(r#"{"access_token":"abc"#, &[]), r#"{"access_token":"***"#);
        assert_eq!(scrub(r#"{"access_token":42}"#, &[]), r#"{"access_token":42}"#);
        assert_eq!(scrub(r#"x "access_token" y"#, &[]), r#"x "access_token" y"#);
    }
}
