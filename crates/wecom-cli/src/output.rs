//! Output for people (plain text) and for scripts (`--json`, one JSON value per result).

use std::io::Write as _;

/// Where results and errors go, in the format the user asked for.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Output {
    json: bool,
}

impl Output {
    pub(crate) fn new(json: bool) -> Self {
        Self { json }
    }

    /// Prints a result: `text` for people, `value` for `--json`.
    pub(crate) fn result(self, text: &str, value: &serde_json::Value) {
        let mut stdout = std::io::stdout().lock();
        let _ = if self.json { writeln!(stdout, "{value}") } else { writeln!(stdout, "{text}") };
    }

    /// Prints an error to stderr (as JSON with `--json`).
    pub(crate) fn error(self, err: &anyhow::Error) {
        let mut stderr = std::io::stderr().lock();
        let message = format!("{err:#}");
        let _ = if self.json {
            writeln!(stderr, "{}", serde_json::json!({ "ok": false, "error": message }))
        } else {
            writeln!(stderr, "error: {message}")
        };
    }
}
