//! The optional state file: messages, tokens, media, response codes, callbacks and the clock
//! offset, as JSON, so a restarted emulator keeps its inbox. Written atomically (temporary
//! file, then rename) when the state changed, at most once a second, and on shutdown.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use serde::{Deserialize, Serialize};

use crate::callback::CallbackRecord;
use crate::state::EmulatorState;
use crate::state::media::MediaStore;
use crate::state::store::Store;
use crate::state::tokens::Tokens;

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
        Ok(true)
    }

    /// Whether something changed since the last save.
    pub(crate) fn take_dirty(&self) -> bool {
        self.inner.dirty.swap(false, Ordering::AcqRel)
    }
}
