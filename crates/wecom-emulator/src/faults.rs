//! Fault injection: the next N calls of one API path (or of any) answer errcode -1 (system
//! busy) or 45009 (frequency limit), or stall for a while before being served normally.
//! Set through `POST /emulator/faults`; checked by a middleware in front of `/cgi-bin/`.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// What a faulty call does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer this errcode without doing anything (WeCom's -1 or 45009).
    Errcode {
        /// The code: -1 or 45009.
        errcode: i64,
    },
    /// Wait this long, then serve the call normally (for client timeouts).
    Stall {
        /// Milliseconds.
        ms: u64,
    },
}

/// One armed fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// Path it applies to, such as `/cgi-bin/message/send` (or `message/send`); `None`: any
    /// `/cgi-bin/` path.
    #[serde(default)]
    pub path: Option<String>,
    /// How many calls it still affects.
    pub count: u32,
    /// What it does.
    #[serde(flatten)]
    pub kind: FaultKind,
}

/// What the middleware must do with one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Action {
    Errcode(i64),
    Stall(Duration),
}

/// The armed faults.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    armed: Mutex<Vec<Fault>>,
    /// Number of armed faults: the hot path reads only this.
    pending: AtomicUsize,
}

/// Normalises `message/send`, `/cgi-bin/message/send` to `/cgi-bin/message/send`.
fn normalise(path: &str) -> String {
    let p = path.trim_start_matches('/');
    let p = p.strip_prefix("cgi-bin/").unwrap_or(p);
    format!("/cgi-bin/{p}")
}

impl Faults {
    /// Arms a fault (rejecting codes other than -1 and 45009).
    pub(crate) fn arm(&self, mut fault: Fault) -> Result<(), String> {
        if let FaultKind::Errcode { errcode } = fault.kind
            && errcode != -1
            && errcode != 45009
        {
            return Err(format!("errcode must be -1 or 45009, got {errcode}"));
        }
        if fault.count == 0 {
            return Err("count must be at least 1".to_owned());
        }
        fault.path = fault.path.as_deref().map(normalise);
        let mut armed = self.armed.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        armed.push(fault);
        self.pending.store(armed.len(), Ordering::Release);
        Ok(())
    }

    /// The faults still armed.
    pub(crate) fn list(&self) -> Vec<Fault> {
        self.armed.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// Disarms everything.
    pub(crate) fn clear(&self) {
        let mut armed = self.armed.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        armed.clear();
        self.pending.store(0, Ordering::Release);
    }

    /// Takes the first fault matching `path` (first armed, first used).
    pub(crate) fn take(&self, path: &str) -> Option<Action> {
        if self.pending.load(Ordering::Acquire) == 0 {
            return None;
        }
        let mut armed = self.armed.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let i = armed.iter().position(|f| f.path.as_deref().is_none_or(|p| p == path))?;
        let action = match armed[i].kind {
            FaultKind::Errcode { errcode } => Action::Errcode(errcode),
            FaultKind::Stall { ms } => Action::Stall(Duration::from_millis(ms)),
        };
        armed[i].count -= 1;
        if armed[i].count == 0 {
            armed.remove(i);
        }
        self.pending.store(armed.len(), Ordering::Release);
        Some(action)
    }
}

#[cfg(test)]
mod tests {
    use super::{Action, Fault, FaultKind, Faults};

    #[test]
    fn faults_apply_to_their_path_and_count_down() {
        let f = Faults::default();
        f.arm(Fault {
            path: Some("message/send".into()),
            count: 2,
            kind: FaultKind::Errcode { errcode: -1 },
        })
        .unwrap();
        assert_eq!(f.take("/cgi-bin/gettoken"), None);
        assert_eq!(f.take("/cgi-bin/message/send"), Some(Action::Errcode(-1)));
        assert_eq!(f.take("/cgi-bin/message/send"), Some(Action::Errcode(-1)));
        assert_eq!(f.take("/cgi-bin/message/send"), None);
        assert!(
            f.arm(Fault { path: None, count: 1, kind: FaultKind::Errcode { errcode: 40014 } })
                .is_err()
        );
    }
}
