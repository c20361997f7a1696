//! Output for people (plain text) and for scripts (`--json`, one JSON value per result).

use std::io::{IsTerminal as _, Write as _};

use crate::exit;

/// Where results and errors go, in the format the user asked for.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Output {
    json: bool,
}

impl Output {
    pub(crate) fn new(json: bool) -> Self {
        Self { json }
    }

    /// Whether results are printed as JSON.
    pub(crate) fn is_json(self) -> bool {
        self.json
    }

    /// Whether a person is watching: stdout and stderr are terminals and `--json` is off.
    pub(crate) fn interactive(self) -> bool {
        !self.json && std::io::stdout().is_terminal() && std::io::stderr().is_terminal()
    }

    /// Prints a result: `text` for people, `value` for `--json`.
    pub(crate) fn result(self, text: &str, value: &serde_json::Value) {
        let mut stdout = std::io::stdout().lock();
        let _ = if self.json { writeln!(stdout, "{value}") } else { writeln!(stdout, "{text}") };
        let _ = stdout.flush();
    }

    /// Prints a line for people only (nothing with `--json`).
    pub(crate) fn line(self, text: &str) {
        if !self.json {
            let mut stdout = std::io::stdout().lock();
            let _ = writeln!(stdout, "{text}");
            let _ = stdout.flush();
        }
    }

    /// Prints a note on stderr (progress, warnings), for people and scripts alike.
    #[allow(clippy::unused_self)] // A method, so every output goes through `Output`.
    pub(crate) fn note(self, text: &str) {
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(stderr, "{text}");
    }

    /// Prints an error to stderr (as JSON with `--json`, with WeCom's errcode and the hint
    /// when there are).
    pub(crate) fn error(self, err: &anyhow::Error) {
        let mut stderr = std::io::stderr().lock();
        let message = chain(err);
        let _ = if self.json {
            let mut value = serde_json::json!({ "ok": false, "error": message });
            if let Some(failure) = exit::failure(err) {
                value["exit_code"] = failure.code.into();
                if let Some(code) = failure.errcode {
                    value["errcode"] = code.into();
                }
                if let Some(hint) = failure.hint {
                    value["hint"] = hint.into();
                }
            }
            writeln!(stderr, "{value}")
        } else {
            writeln!(stderr, "error: {message}")
        };
    }
}

/// The error and its causes joined with `: `, each cause said once: a cause whose text the
/// message before it already quotes (SDK errors include their source's text, and also return
/// it as the source) is left out.
pub(crate) fn chain(err: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in err.chain() {
        // A `Failure` prints its own error's chain (already deduplicated).
        let part = match cause.downcast_ref::<exit::Failure>() {
            Some(failure) => failure.to_string(),
            None => cause.to_string(),
        };
        if part.is_empty() || text.contains(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::chain;

    #[derive(Debug)]
    struct Quoting(std::io::Error);

    impl std::fmt::Display for Quoting {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "could not read a.png: {}", self.0)
        }
    }

    impl std::error::Error for Quoting {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn a_cause_quoted_by_its_parent_is_said_once() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file (os error 2)");
        let err = anyhow::Error::new(Quoting(io)).context("upload failed");
        assert_eq!(chain(&err), "upload failed: could not read a.png: No such file (os error 2)");
        let plain = anyhow::anyhow!("inner").context("outer");
        assert_eq!(chain(&plain), "outer: inner");
    }
}
