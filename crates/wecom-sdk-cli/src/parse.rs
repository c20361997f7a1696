//! Small parsers for flag values: `key=value` pairs, `key=…,key=…` field lists, and reading
//! an argument from stdin when it is `-`.

use std::io::Read as _;
use std::path::Path;

use anyhow::{Context as _, Result, anyhow};

use crate::exit::usage;

/// `KEY=VALUE`, split at the first `=`; both sides must be non-empty.
pub(crate) fn pair(flag: &str, value: &str) -> Result<(String, String)> {
    match value.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() && !v.is_empty() => {
            Ok((k.trim().to_owned(), v.to_owned()))
        }
        _ => Err(usage(anyhow!("--{flag} `{value}`: expected KEY=VALUE"))),
    }
}

/// `KEY=VALUE` where the value may be left out (`KEY` alone).
pub(crate) fn pair_opt(value: &str) -> (String, Option<String>) {
    match value.split_once('=') {
        Some((k, v)) => (k.trim().to_owned(), Some(v.to_owned())),
        None => (value.trim().to_owned(), None),
    }
}

/// A list of `key=value` fields separated by commas, such as
/// `title=Release notes,url=https://example.com`. A comma only separates fields when a known
/// key and `=` follow it, so values may contain commas. Unknown keys are an error naming the
/// known ones.
pub(crate) fn fields(flag: &str, value: &str, keys: &[&str]) -> Result<Vec<(String, String)>> {
    let starts_field = |rest: &str| {
        keys.iter().any(|k| rest.strip_prefix(k).is_some_and(|after| after.starts_with('=')))
    };
    let mut out: Vec<(String, String)> = Vec::new();
    let mut rest = value;
    loop {
        let Some((key, after)) = rest.split_once('=') else {
            return Err(usage(anyhow!(
                "--{flag} `{value}`: expected {}",
                keys.iter().map(|k| format!("{k}=…")).collect::<Vec<_>>().join(",")
            )));
        };
        let key = key.trim();
        if !keys.contains(&key) {
            return Err(usage(anyhow!(
                "--{flag}: unknown field `{key}` (known: {})",
                keys.join(", ")
            )));
        }
        // The value runs to the next `,key=` (or the end).
        let mut end = after.len();
        for (i, _) in after.match_indices(',') {
            if starts_field(after[i + 1..].trim_start()) {
                end = i;
                break;
            }
        }
        if out.iter().any(|(k, _)| k == key) {
            return Err(usage(anyhow!("--{flag}: field `{key}` given twice")));
        }
        out.push((key.to_owned(), after[..end].to_owned()));
        if end == after.len() {
            return Ok(out);
        }
        rest = after[end + 1..].trim_start();
    }
}

/// The value of `key` in parsed [`fields`].
pub(crate) fn field<'a>(fields: &'a [(String, String)], key: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// The argument itself, or stdin when it is `-`.
pub(crate) fn arg_or_stdin(value: &str) -> Result<String> {
    if value == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).context("cannot read stdin")?;
        Ok(text)
    } else {
        Ok(value.to_owned())
    }
}

/// The content of a file, or stdin when the path is `-`; a missing file is a usage error.
pub(crate) fn file_or_stdin(path: &str) -> Result<String> {
    if path == "-" {
        return arg_or_stdin(path);
    }
    std::fs::read_to_string(Path::new(path))
        .with_context(|| format!("cannot read {path}"))
        .map_err(usage)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: &[&str] = &["title", "url", "picurl", "description"];

    #[test]
    fn fields_split_at_commas_followed_by_a_known_key() {
        let f = fields("article", "title=Q3, in numbers,url=https://e.com/a,b,description=x", KEYS)
            .unwrap();
        assert_eq!(field(&f, "title"), Some("Q3, in numbers"));
        assert_eq!(field(&f, "url"), Some("https://e.com/a,b"));
        assert_eq!(field(&f, "description"), Some("x"));
        assert_eq!(field(&f, "picurl"), None);
    }

    #[test]
    fn fields_reject_unknown_and_repeated_keys() {
        // `,colour=red` does not start a field, so it is part of the title …
        let f = fields("article", "title=a,colour=red", KEYS).unwrap();
        assert_eq!(field(&f, "title"), Some("a,colour=red"));
        // … but an unknown leading key is refused, and so is a repeated one.
        let unknown = fields("article", "colour=red", KEYS).unwrap_err();
        assert!(format!("{unknown:#}").contains("unknown field `colour`"));
        let twice = fields("article", "title=a,title=b", KEYS).unwrap_err();
        assert!(format!("{twice:#}").contains("twice"));
        assert!(fields("article", "no equals sign", KEYS).is_err());
    }

    #[test]
    fn pairs_need_both_sides() {
        assert_eq!(pair("button", "ok=Approve").unwrap(), ("ok".into(), "Approve".into()));
        assert_eq!(pair("button", "ok=a=b").unwrap().1, "a=b");
        assert!(pair("button", "=x").is_err());
        assert!(pair("button", "x=").is_err());
        assert!(pair("button", "x").is_err());
        assert_eq!(pair_opt("t"), ("t".into(), None));
    }
}
