//! [`Lease::keep`]: renewing a lease for as long as its holder is healthy, and saying when
//! and why holding stopped — in time for the holder to stop before anybody else can start.

use std::time::Duration;

use tokio::time::Instant;

use super::Lease;

/// How [`Lease::keep`] renews.
#[derive(Debug, Clone, Copy)]
pub struct KeepOptions {
    /// Time between renewals (default: a third of the TTL).
    pub every: Option<Duration>,
    /// How long before [`Lease::valid_until`] an unrenewable lease is reported lost (default:
    /// a tenth of the TTL): room for the holder to stop, and for clock drift.
    pub margin: Option<Duration>,
    /// After a failed renewal, how soon to try again (default 100 ms).
    pub retry: Duration,
}

impl Default for KeepOptions {
    fn default() -> Self {
        Self { every: None, margin: None, retry: Duration::from_millis(100) }
    }
}

/// Why [`Lease::keep`] stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LeaseEnd {
    /// The health check said to let go; the lease was released (`released: false`: Redis
    /// could not be told, and the lease expires by itself within its TTL).
    Released {
        /// Whether Redis confirmed the release.
        released: bool,
    },
    /// The lease is no longer ours: another holder may have it now or at `valid_until`.
    /// Stop acting on it.
    Lost {
        /// Why: the key held another token, or Redis could not be reached in time.
        reason: String,
    },
}

const EXPIRING: &str = "no renewal got through before the lease could expire";

impl Lease {
    fn lost(&self, reason: &str) -> LeaseEnd {
        tracing::warn!(lease = %self.key, holder = %self.token, reason, "lease lost");
        LeaseEnd::Lost { reason: reason.to_owned() }
    }

    /// Renews the lease while `healthy()` says so, and returns when it stops holding it:
    /// [`LeaseEnd::Released`] once `healthy()` returns false (checked before each renewal),
    /// [`LeaseEnd::Lost`] when Redis says it is somebody else's, or when no renewal got
    /// through by [`valid_until`](Lease::valid_until) minus the margin — so the holder hears
    /// of the loss before anybody else could take the lease.
    ///
    /// Run it beside the work the lease guards (`tokio::select!`) and stop that work when it
    /// returns.
    pub async fn keep(
        mut self,
        options: KeepOptions,
        mut healthy: impl FnMut() -> bool,
    ) -> LeaseEnd {
        let every = options.every.unwrap_or(self.ttl / 3);
        let margin = options.margin.unwrap_or(self.ttl / 10);
        let mut next = Instant::now() + every;
        loop {
            let deadline = self.valid_until.checked_sub(margin).unwrap_or(self.valid_until);
            tokio::time::sleep_until(next.min(deadline)).await;
            if !healthy() {
                let released = self.release().await.unwrap_or(false);
                return LeaseEnd::Released { released };
            }
            let deadline = self.valid_until.checked_sub(margin).unwrap_or(self.valid_until);
            if Instant::now() >= deadline {
                return self.lost(EXPIRING);
            }
            match tokio::time::timeout_at(deadline, self.renew()).await {
                Ok(Ok(true)) => next = Instant::now() + every,
                Ok(Ok(false)) => return self.lost("the lease is held by another holder"),
                Ok(Err(err)) => {
                    tracing::debug!(lease = %self.key, error = %err, "lease renewal failed");
                    next = Instant::now() + options.retry;
                }
                Err(_) => return self.lost(EXPIRING),
            }
        }
    }
}
