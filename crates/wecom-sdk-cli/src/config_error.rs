//! Parse errors of `wecom.toml` without the file's values: toml's own messages quote the
//! offending line (and serde's name the offending value), which may be a secret. What is
//! shown instead: the line number, the key when it is one of the known ones (or close to
//! one), the table, and the kind of problem.

/// The keys a configuration file may hold.
const KEYS: &[&str] = &[
    "default_profile",
    "profiles",
    "corp_id",
    "agent_id",
    "secret",
    "callback_token",
    "token",
    "encoding_aes_key",
    "aes_key",
    "base_url",
    "aibot_id",
    "aibot_secret",
    "aibot_url",
    "aibot_token",
    "aibot_aes_key",
];

/// A description of `error` in `text` that quotes nothing from the file but known key and
/// profile names.
pub(crate) fn redacted(text: &str, error: &toml::de::Error) -> String {
    use std::fmt::Write as _;

    let mut out = String::new();
    let line_no = error.span().map(|span| {
        let start = span.start.min(text.len());
        text[..start].matches('\n').count() + 1
    });
    if let Some(n) = line_no {
        let _ = write!(out, "line {n}");
        let lines: Vec<&str> = text.lines().collect();
        if let Some(table) = lines.iter().take(n).rev().find_map(|l| table_name(l)) {
            let _ = write!(out, " in [{table}]");
        }
        let _ = match lines.get(n - 1).and_then(|l| key_of(l)) {
            Some(Key::Known(key)) => write!(out, ", key `{key}`"),
            Some(Key::Near(key)) => write!(out, ", an unknown key (did you mean `{key}`?)"),
            Some(Key::Unknown) => write!(out, ", an unknown key"),
            None => Ok(()),
        };
        out.push_str(": ");
    }
    out.push_str(&problem(error.message()));
    out
}

enum Key {
    Known(&'static str),
    Near(&'static str),
    Unknown,
}

/// The key of a `key = value` line, by name only when it is known or close to a known one.
fn key_of(line: &str) -> Option<Key> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    if key.is_empty() || line.trim_start().starts_with('[') {
        return None;
    }
    if let Some(known) = KEYS.iter().find(|k| **k == key) {
        return Some(Key::Known(known));
    }
    Some(match KEYS.iter().find(|k| distance(k, key) <= 2) {
        Some(near) => Key::Near(near),
        None => Key::Unknown,
    })
}

/// `profiles.NAME` from a table header whose name is made of plain characters.
fn table_name(line: &str) -> Option<String> {
    let inner = line.trim().strip_prefix('[')?.strip_suffix(']')?.trim();
    let plain = inner.len() <= 64
        && inner.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    (plain && inner.starts_with("profiles")).then(|| inner.to_owned())
}

/// The kind of problem, from toml's message, with anything it quotes left out.
fn problem(message: &str) -> String {
    let message = message.trim();
    if message.starts_with("unknown field") {
        return format!("unknown key (known keys: {})", KEYS[2..].join(", "));
    }
    if message.starts_with("invalid type") || message.starts_with("invalid value") {
        // serde: "invalid type: string \"…\", expected i64" — keep the expectation only.
        return match message.rsplit_once(", expected ") {
            Some((_, expected)) => format!("wrong kind of value, expected {}", unquoted(expected)),
            None => "wrong kind of value".to_owned(),
        };
    }
    if message.starts_with("missing field") || message.starts_with("duplicate key") {
        return unquoted(message);
    }
    // Syntax errors: toml's wording, minus quoted input.
    format!("not valid TOML ({})", unquoted(message.lines().next().unwrap_or("syntax error")))
}

/// `message` with every part quoted in backticks that is longer than three characters
/// (input, not punctuation such as `=`) and every part in double quotes left out.
fn unquoted(message: &str) -> String {
    let mut out = String::new();
    for (i, part) in message.split('`').enumerate() {
        if i % 2 == 1 && part.chars().count() > 3 && !KEYS.contains(&part) {
            out.push_str("`…`");
        } else if i % 2 == 1 {
            out.push('`');
            out.push_str(part);
            out.push('`');
        } else {
            // Outside backticks, serde quotes values in double quotes: leave them out too.
            for (j, piece) in part.split('"').enumerate() {
                out.push_str(if j % 2 == 1 { "…" } else { piece });
            }
        }
    }
    out
}

/// Levenshtein distance, for "did you mean".
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_keys_are_suggested_and_others_not_named() {
        assert!(matches!(key_of("secrte = \"x\""), Some(Key::Near("secret"))));
        assert!(matches!(key_of("  token=1"), Some(Key::Known("token"))));
        assert!(matches!(key_of("abcdefghijkl = 1"), Some(Key::Unknown)));
        assert!(key_of("just text").is_none());
        assert_eq!(distance("aes_key", "aeskey"), 1);
    }
}
