//! [`Health`]: how a throttle with a shared store notices that the store fails, says so once
//! per outage, and counts the decisions it took on local counts meanwhile.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::error::StoreError;

/// The state of a shared limit store, as seen by one client.
#[derive(Debug, Default)]
pub(crate) struct Health {
    down: AtomicBool,
    fallbacks: AtomicU64,
}

impl Health {
    /// A decision went through the store.
    pub(crate) fn ok(&self) {
        if self.down.load(Ordering::Relaxed) && self.down.swap(false, Ordering::Relaxed) {
            tracing::info!("the shared rate-limit store works again; counting shared limits");
        }
    }

    /// A decision could not go through the store and is taken on local counts.
    pub(crate) fn failed(&self, what: &str, err: &StoreError) {
        self.fallbacks.fetch_add(1, Ordering::Relaxed);
        if !self.down.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                decision = what,
                error = %err,
                "the shared rate-limit store failed; counting this process's sends only until \
                 it answers again"
            );
        }
    }

    /// Decisions taken on local counts because the store failed.
    pub(crate) fn fallbacks(&self) -> u64 {
        self.fallbacks.load(Ordering::Relaxed)
    }
}
