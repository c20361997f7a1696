//! `task_id`: the id that ties a template card to its callbacks and updates.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::validate::{Check, Path, max_bytes, non_empty};

/// A template card's `task_id`: at most 128 bytes of `0-9`, `A-Z`, `a-z`, `_`, `-` and `@`,
/// never reused within one app.
///
/// What WeCom answers for a reused id is not documented (UNVERIFIED; errcode 42014, "task_id
/// invalid", is the nearest), so uniqueness is the caller's job — or [`TaskId::generate`]'s.
///
/// Cards that call back (button, vote and multiple interaction cards, and notice cards with an
/// action menu) need one. [`TaskId::generate`] makes a fresh one when the caller has no natural
/// id of its own.
///
/// ```
/// use wecom_model::card::TaskId;
///
/// let id = TaskId::new("deploy-v1_4-20250101-001");
/// assert_eq!(id.as_str(), "deploy-v1_4-20250101-001");
/// let fresh = TaskId::generate();
/// assert_ne!(fresh, TaskId::generate());
/// assert!(fresh.as_str().len() <= 128);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TaskId(String);

impl TaskId {
    /// The most bytes a task id may have.
    pub const MAX_BYTES: usize = crate::limits::TASK_ID_BYTES;

    /// The task id `id` (checked by validation, not here).
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// A fresh task id: the current time in milliseconds and 64 random bits, for example
    /// `t1735689600000-9f86d081884c7d65`. Unique in practice, and within the allowed
    /// characters.
    pub fn generate() -> Self {
        let millis = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis());
        Self(format!("t{millis}-{:016x}", rand::random::<u64>()))
    }

    /// An empty id, for bodies read without one (validation rejects it).
    pub(crate) fn empty() -> Self {
        Self(String::new())
    }

    /// The id as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn validate(&self, path: &Path<'_>) -> Check {
        non_empty(path, &self.0)?;
        max_bytes(path, &self.0, Self::MAX_BYTES)?;
        match self
            .0
            .chars()
            .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '@')))
        {
            Some(at) => Err(path.error(format!(
                "may only contain 0-9, A-Z, a-z, `_`, `-` and `@` (character {at} is {:?})",
                self.0.chars().nth(at).unwrap_or_default()
            ))),
            None => Ok(()),
        }
    }
}

impl From<String> for TaskId {
    fn from(id: String) -> Self {
        Self(id)
    }
}

impl From<&str> for TaskId {
    fn from(id: &str) -> Self {
        Self(id.to_owned())
    }
}

impl AsRef<str> for TaskId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
