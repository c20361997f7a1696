//! The bulk-send journal: which recipients of one message are finished, so that a run that
//! was interrupted (Ctrl-C, a crash, a lost connection) can be started again without sending
//! to anyone twice.
//!
//! A text file, appended to and flushed to disk after every finished batch:
//!
//! ```text
//! # wecom bulk-send journal v2 message=3f2a… seed=9c1d…
//! # batch 0 msgid=… at=1735689600
//! delivered<TAB>alice
//! invalid<TAB>eve
//! unlicensed<TAB>dave
//! # complete at=1735689612
//! ```
//!
//! * The header names the message by a fingerprint of its JSON (without a generated task id):
//!   a journal is refused for another message. It also holds the seed the cards' per-request
//!   task ids are derived from, drawn when the journal is created, so that a re-run repeats
//!   the requests that were in flight byte for byte (journals of version 1 have none; a
//!   re-run then draws a new seed).
//! * Only final outcomes are recorded — delivered, invalid (WeCom refused the id) and
//!   unlicensed. Failed batches and members held back by the per-member limit are not, so a
//!   re-run sends to them.
//! * A line counts only once its newline is written: a line cut short by a crash is ignored.
//! * Once a run finishes with nothing left to send, `# complete` is appended; running again
//!   then sends nothing. The journal may be deleted once the send is complete and it is not
//!   meant to be repeated; delete it (or pass another `--journal`) to send the same message
//!   to the same users again.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::Path;

use anyhow::{Context as _, Result, anyhow};
use wecom::bulk::{BatchDone, RecipientOutcome};

use crate::exit::usage;

const HEADER: &str = "# wecom bulk-send journal v2 message=";
const HEADER_V1: &str = "# wecom bulk-send journal v1 message=";
const COMPLETE: &str = "# complete";

/// What an existing journal says.
#[derive(Debug, Default)]
pub(crate) struct Resume {
    /// Finished recipients, lower-cased (WeCom compares ids case-insensitively).
    pub(crate) done: HashSet<String>,
    /// Whether a previous run completed.
    pub(crate) complete: bool,
    /// Whether a previous run started (the journal existed).
    pub(crate) started: bool,
    /// The seed of the per-request task ids.
    pub(crate) seed: u64,
}

/// An open journal.
#[derive(Debug)]
pub(crate) struct Journal {
    file: File,
}

/// A stable fingerprint (FNV-1a, 64 bits) of the message's JSON.
pub(crate) fn fingerprint(message_json: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in message_json.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

impl Journal {
    /// Opens (or creates) the journal at `path` for the message with `fingerprint`.
    pub(crate) fn open(path: &Path, fingerprint: &str) -> Result<(Journal, Resume)> {
        let mut resume = Resume { seed: rand::random(), ..Resume::default() };
        let exists = path.exists();
        if exists {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the journal {}", path.display()))?;
            resume = read(path, &text, fingerprint)?;
            // A header cut short (the process died while creating the journal) starts afresh;
            // anything else without a header is not ours to overwrite.
            if !resume.started && !HEADER.starts_with(text.as_str()) {
                return Err(usage(anyhow!(
                    "{} is not a wecom bulk-send journal; pass --journal with another path",
                    path.display()
                )));
            }
        }
        let exists = exists && resume.started;
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("cannot open the journal {}", path.display()))
            .map_err(usage)?;
        if !exists {
            file.set_len(0)?;
            writeln!(file, "{HEADER}{fingerprint} seed={:016x}", resume.seed)?;
            file.sync_data()?;
        }
        Ok((Journal { file }, resume))
    }

    /// Records a finished batch: one write, then flushed to disk.
    pub(crate) fn record(&mut self, done: &BatchDone<'_>) -> std::io::Result<()> {
        let mut text = format!(
            "# batch {} msgid={} at={}\n",
            done.batch.index,
            done.batch.msgid.as_deref().unwrap_or("-"),
            now()
        );
        for (user, outcome) in done.users() {
            let word = match outcome {
                RecipientOutcome::Delivered { .. } => "delivered",
                RecipientOutcome::Invalid => "invalid",
                RecipientOutcome::Unlicensed => "unlicensed",
                _ => continue,
            };
            text.push_str(word);
            text.push('\t');
            text.push_str(user);
            text.push('\n');
        }
        self.file.write_all(text.as_bytes())?;
        self.file.flush()?;
        self.file.sync_data()
    }

    /// Marks the send complete.
    pub(crate) fn complete(&mut self) -> std::io::Result<()> {
        writeln!(self.file, "{COMPLETE} at={}", now())?;
        self.file.sync_data()
    }
}

fn read(path: &Path, text: &str, fingerprint: &str) -> Result<Resume> {
    let mut resume = Resume { seed: rand::random(), ..Resume::default() };
    // Only whole lines: a last line without its newline was cut short.
    let whole = match text.rfind('\n') {
        Some(end) => &text[..=end],
        None => "",
    };
    let mut lines = whole.lines();
    let header = lines.next().and_then(|l| {
        l.strip_prefix(HEADER)
            .map(|rest| {
                let (found, seed) = rest.split_once(" seed=").unwrap_or((rest, ""));
                (found, u64::from_str_radix(seed.trim(), 16).ok())
            })
            .or_else(|| l.strip_prefix(HEADER_V1).map(|found| (found, None)))
    });
    match header {
        Some((found, seed)) if found.trim() == fingerprint => {
            resume.started = true;
            if let Some(seed) = seed {
                resume.seed = seed;
            }
        }
        Some(_) => {
            return Err(usage(anyhow!(
                "the journal {} belongs to another message; delete it to start over, or pass \
                 --journal with another path",
                path.display()
            )));
        }
        None if whole.is_empty() => return Ok(resume),
        None => {
            return Err(usage(anyhow!(
                "{} is not a wecom bulk-send journal; pass --journal with another path",
                path.display()
            )));
        }
    }
    for line in lines {
        if line.starts_with(COMPLETE) {
            resume.complete = true;
        } else if let Some((word, user)) = line.split_once('\t')
            && matches!(word, "delivered" | "invalid" | "unlicensed")
        {
            resume.done.insert(user.to_lowercase());
        }
    }
    Ok(resume)
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_cut_short_is_ignored_and_only_final_outcomes_count() {
        let text = format!(
            "{HEADER}abc seed=00000000000000ff\n# batch 0 msgid=m at=1\ndelivered\tAlice\ninvalid\teve\nfailed\tbob\ndelivered\tcar"
        );
        let r = read(Path::new("j"), &text, "abc").unwrap();
        let mut done: Vec<_> = r.done.into_iter().collect();
        done.sort();
        assert_eq!(done, ["alice", "eve"]);
        assert!(!r.complete);
        assert_eq!(r.seed, 0xff);
    }

    #[test]
    fn a_version_1_journal_resumes_with_a_new_seed() {
        let text = format!("{HEADER_V1}abc\ndelivered\tbob\n");
        let r = read(Path::new("j"), &text, "abc").unwrap();
        assert!(r.started && r.done.contains("bob"));
    }

    #[test]
    fn another_message_or_another_file_is_refused() {
        let text = format!("{HEADER}abc\n");
        assert!(
            format!("{:#}", read(Path::new("j"), &text, "def").unwrap_err())
                .contains("another message")
        );
        assert!(read(Path::new("j"), "alice\nbob\n", "abc").is_err());
        assert!(read(Path::new("j"), "", "abc").unwrap().done.is_empty());
    }

    #[test]
    fn fingerprints_are_stable() {
        assert_eq!(fingerprint(""), "cbf29ce484222325");
        assert_ne!(fingerprint("{\"a\":1}"), fingerprint("{\"a\":2}"));
    }
}
