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

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use super::*;

    /// Log lines written during `f`.
    fn logged(f: impl FnOnce()) -> String {
        #[derive(Clone, Default)]
        struct Buffer(Arc<Mutex<Vec<u8>>>);
        impl Write for Buffer {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .with_max_level(tracing::Level::INFO)
            .finish();
        tracing::subscriber::with_default(subscriber, f);
        String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap()
    }

    #[test]
    fn one_warning_per_outage_and_every_fallback_counted() {
        let health = Health::default();
        let err: StoreError =
            "Redis `member limits` at 10.0.0.5:6379: no answer within 500 ms".into();
        let log = logged(|| {
            health.ok();
            for _ in 0..3 {
                health.failed("member limits", &err);
            }
            health.ok();
            health.ok();
            health.failed("request rate", &err);
        });
        assert_eq!(health.fallbacks(), 4);
        assert_eq!(log.matches("WARN").count(), 2, "{log}");
        assert_eq!(log.matches("works again").count(), 1, "{log}");
        assert!(log.contains("no answer within 500 ms"), "{log}");
    }
}
