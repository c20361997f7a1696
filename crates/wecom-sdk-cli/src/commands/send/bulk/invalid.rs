//! The members a bulk send could not reach because WeCom refused them — `invaliduser`
//! (unknown, or outside the app's visible range) and `unlicenseduser` — named in the summary
//! (the first few inline) and, with `--invalid-out FILE`, all of them in a file that reads
//! back as a users file.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context as _, Result};
use wecom::bulk::{BulkReport, RecipientOutcome};

/// How many ids the summary lists inline per kind.
pub(super) const INLINE: usize = 10;

/// The refused members of a send, in file order.
#[derive(Debug, Default)]
pub(super) struct Refused {
    pub(super) invalid: Vec<String>,
    pub(super) unlicensed: Vec<String>,
}

impl Refused {
    /// Adds the refused members of one bulk send.
    pub(super) fn add(&mut self, report: &BulkReport) {
        for (user, outcome) in report.iter() {
            match outcome {
                RecipientOutcome::Invalid => self.invalid.push(user.to_owned()),
                RecipientOutcome::Unlicensed => self.unlicensed.push(user.to_owned()),
                _ => {}
            }
        }
    }

    /// Summary lines naming them: `invalid: a, b, … and 12 more`.
    pub(super) fn lines(&self, out_file: Option<&Path>) -> String {
        let mut text = String::new();
        for (label, ids) in [("invalid", &self.invalid), ("unlicensed", &self.unlicensed)] {
            if ids.is_empty() {
                continue;
            }
            let shown: Vec<&str> = ids.iter().take(INLINE).map(String::as_str).collect();
            let _ = write!(text, "\n{label}: {}", shown.join(", "));
            if ids.len() > INLINE {
                let _ = write!(text, " and {} more", ids.len() - INLINE);
                if out_file.is_none() {
                    text.push_str(" (--invalid-out FILE lists them all)");
                }
            }
        }
        if let Some(path) = out_file.filter(|_| !self.is_empty()) {
            let _ = write!(text, "\nall of them are listed in {}", path.display());
        }
        text
    }

    /// Whether nobody was refused.
    pub(super) fn is_empty(&self) -> bool {
        self.invalid.is_empty() && self.unlicensed.is_empty()
    }

    /// Writes them to `path`, one id a line under a `#` comment per kind: a users file.
    pub(super) fn write(&self, path: &Path) -> Result<()> {
        let mut text = String::new();
        for (label, ids) in [
            ("invalid (unknown, or outside the app's visible range)", &self.invalid),
            ("unlicensed (no basic API licence)", &self.unlicensed),
        ] {
            let _ = writeln!(text, "# {label}: {}", ids.len());
            for id in ids {
                text.push_str(id);
                text.push('\n');
            }
        }
        std::fs::write(path, text)
            .with_context(|| format!("cannot write the invalid members to {}", path.display()))
    }
}
