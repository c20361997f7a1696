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
        let message = format!("{err:#}");
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
