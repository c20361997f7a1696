//! The optional state file: messages, tokens, media, response codes, callbacks, app group
//! chats (without their messages, which live in memory only, like webhook group messages)
//! and the clock offset, as JSON, so a restarted emulator keeps its inbox. Written atomically (temporary
//! file, then rename) when the state changed, at most once a second, and on shutdown.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::callback::CallbackRecord;
use crate::state::media::MediaStore;
use crate::state::store::Store;
use crate::state::tokens::Tokens;
use crate::state::{AppChat, EmulatorState};

/// Format version of the state file.
const VERSION: u32 = 1;

/// Why the state file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StateFileError {
    /// Reading or writing failed.
    #[error("state file {path}: {reason}")]
    Io {
        /// The file.
        path: String,
        /// The operating system's reason.
        reason: String,
    },
    /// The content is not a state file of this corp and version.
    #[error("state file {path} cannot be used: {reason}")]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong.
        reason: String,
    },
}

#[derive(Serialize, Deserialize)]
struct Snapshot {
    version: u32,
    corp_id: String,
    clock_offset_ms: i64,
    store: Store,
    tokens: Tokens,
    media: MediaStore,
    callbacks: Vec<CallbackRecord>,
    /// Absent in files written before app chats existed.
    #[serde(default)]
    app_chats: Vec<AppChat>,
}

fn io_error(path: &Path, e: &impl std::fmt::Display) -> StateFileError {
    StateFileError::Io { path: path.display().to_string(), reason: e.to_string() }
}

impl EmulatorState {
    /// Writes the state to `path` (atomically).
    pub fn save_state(&self, path: &Path) -> Result<(), StateFileError> {
        self.inner.dirty.store(false, Ordering::Release);
        // Clone under the locks, serialize outside them.
        let snapshot = Snapshot {
            version: VERSION,
            corp_id: self.config().corp_id.clone(),
            clock_offset_ms: self.clock().offset_ms(),
            store: self.store().clone(),
            tokens: self.tokens().clone(),
            media: self.media().clone(),
            callbacks: self.callbacks().clone(),
            app_chats: self.app_chats(),
        };
        let json = serde_json::to_vec(&snapshot).map_err(|e| io_error(path, &e))?;
        let mut tmp = PathBuf::from(path);
        tmp.as_mut_os_string().push(".tmp");
        std::fs::write(&tmp, json).map_err(|e| io_error(&tmp, &e))?;
        std::fs::rename(&tmp, path).map_err(|e| io_error(path, &e))
    }

    /// Restores the state from `path`; a missing file is not an error (nothing to restore).
    pub fn load_state(&self, path: &Path) -> Result<bool, StateFileError> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(io_error(path, &e)),
        };
        let invalid =
            |reason: String| StateFileError::Invalid { path: path.display().to_string(), reason };
        let mut snap: Snapshot =
            serde_json::from_slice(&bytes).map_err(|e| invalid(e.to_string()))?;
        if snap.version != VERSION {
            return Err(invalid(format!(
                "version {} (this emulator writes {VERSION})",
                snap.version
            )));
        }
        if snap.corp_id != self.config().corp_id {
            return Err(invalid(format!(
                "it belongs to corp {}, not {}",
                snap.corp_id,
                self.config().corp_id
            )));
        }
        self.clock().set_offset_ms(snap.clock_offset_ms);
        snap.store.rebuild(&self.inner.dir, self.clock().now_ms());
        *self.store() = snap.store;
        *self.tokens_mut() = snap.tokens;
        *self.media_mut() = snap.media;
        crate::callback::ids_above(snap.callbacks.iter().map(|c| c.id).max().unwrap_or(0));
        *self.callbacks() = snap.callbacks;
        self.groups().app_chats = snap.app_chats;
        Ok(true)
    }

    /// Whether something changed since the last save.
    pub(crate) fn take_dirty(&self) -> bool {
        self.inner.dirty.swap(false, Ordering::AcqRel)
    }
}

/// Saves the state to `path` once a second when it changed. A failed save is reported on
/// standard error at once (and again only when the reason changes, then when saving works
/// again): a state file that silently stopped being written is found out only at the next
/// start, too late.
pub(crate) async fn keep_saved(state: EmulatorState, path: PathBuf) {
    keep_saved_with(state, path, |line, failed| {
        if failed {
            tracing::error!("{line}");
        } else {
            tracing::info!("{line}");
        }
    })
    .await;
}

async fn keep_saved_with(state: EmulatorState, path: PathBuf, mut report: impl FnMut(&str, bool)) {
    let mut failing: Option<String> = None;
    loop {
        tokio::time::sleep(Duration::from_secs(1)).await;
        if !state.take_dirty() {
            continue;
        }
        match state.save_state(&path) {
            Ok(()) => {
                if failing.take().is_some() {
                    report(&format!("saved {} again", path.display()), false);
                }
            }
            Err(e) => {
                // Try again next second even if nothing else changes.
                state.changed_quietly();
                let reason = e.to_string();
                if failing.as_deref() != Some(reason.as_str()) {
                    report(&format!("saving the emulator state failed: {reason}"), true);
                    failing = Some(reason);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use crate::config::Config;
    use crate::state::EmulatorState;

    #[tokio::test]
    async fn a_failing_save_is_reported_at_once_and_once() {
        let state = EmulatorState::new(Config::demo()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing-dir").join("state.json");
        let lines = Arc::new(Mutex::new(Vec::<String>::new()));
        let sink = Arc::clone(&lines);
        state.changed_quietly();
        let saver =
            tokio::spawn(super::keep_saved_with(state.clone(), path.clone(), move |l, _failed| {
                sink.lock().unwrap().push(l.to_owned());
            }));
        tokio::time::sleep(Duration::from_millis(2600)).await;
        {
            let lines = lines.lock().unwrap();
            assert_eq!(lines.len(), 1, "reported once, not every second: {lines:?}");
            assert!(
                lines[0].starts_with("saving the emulator state failed: state file"),
                "{lines:?}"
            );
        }
        std::fs::create_dir(path.parent().unwrap()).unwrap();
        tokio::time::sleep(Duration::from_millis(1200)).await;
        saver.abort();
        assert!(path.exists(), "the retry wrote the file once the directory existed");
        assert!(lines.lock().unwrap()[1].starts_with("saved "), "{:?}", lines.lock().unwrap());
    }
}
