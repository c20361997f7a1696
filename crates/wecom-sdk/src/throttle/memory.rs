//! [`MemoryLimitStore`]: the throttle's counts in this process's memory — the default, and
//! what a client falls back to while a shared store fails.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::BoxFuture;
use tokio::time::Instant;

use super::members::{Admit, MemberWindows};
use super::rate::Gcra;
use super::store::{LimitScope, LimitStore, MemberDecision, WebhookScope};
use super::{Limit, OnLimit, lock};
use crate::error::StoreError;
use crate::webhook::KeyWindow;

/// A [`LimitStore`] in memory: exact and instant, but each process counts only its own sends.
///
/// Every client gets one of its own unless given a store; share one `Arc` between clients of
/// the same app in a process to count their sends together.
#[derive(Debug)]
pub struct MemoryLimitStore {
    start: Instant,
    members: Mutex<HashMap<LimitScope, MemberWindows>>,
    rates: Mutex<HashMap<LimitScope, (u32, Gcra)>>,
    webhooks: Mutex<HashMap<WebhookScope, Arc<KeyWindow>>>,
}

impl Default for MemoryLimitStore {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryLimitStore {
    /// An empty store.
    pub fn new() -> Self {
        Self {
            start: Instant::now(),
            members: Mutex::default(),
            rates: Mutex::default(),
            webhooks: Mutex::default(),
        }
    }

    /// Runs `f` on the windows of `scope` under `limits`, with the current tick.
    fn with_windows<T>(
        &self,
        scope: &LimitScope,
        limits: &[Limit],
        f: impl FnOnce(&mut MemberWindows, u64) -> T,
    ) -> T {
        let mut all = lock(&self.members);
        let windows = match all.get_mut(scope) {
            Some(windows) if windows.limits() == limits => windows,
            _ => {
                all.insert(scope.clone(), MemberWindows::new(limits));
                all.get_mut(scope).expect("just inserted")
            }
        };
        let now = ticks_since(self.start, windows.tick());
        f(windows, now)
    }

    /// Records a message to `members` that a shared store admitted, so that this process's
    /// own counts are current if it has to fall back on them.
    pub(crate) fn record_members(&self, scope: &LimitScope, members: &[&str], limits: &[Limit]) {
        self.with_windows(scope, limits, |windows, now| windows.record(members, now));
    }

    /// The member decision, synchronously.
    pub(crate) fn members_now(
        &self,
        scope: &LimitScope,
        members: &[&str],
        limits: &[Limit],
        mode: OnLimit,
    ) -> MemberDecision {
        self.with_windows(scope, limits, |windows, now| Self::decide(windows, now, members, mode))
    }

    fn decide(
        windows: &mut MemberWindows,
        now: u64,
        members: &[&str],
        mode: OnLimit,
    ) -> MemberDecision {
        match mode {
            OnLimit::Delay => match windows.admit_all(members, now) {
                Admit::Now => MemberDecision::Admitted { held: Vec::new() },
                Admit::Wait(wait) => MemberDecision::Wait(wait),
            },
            OnLimit::Report => MemberDecision::Admitted { held: windows.admit_each(members, now) },
        }
    }

    /// The rate reservation, synchronously.
    pub(crate) fn request_now(&self, scope: &LimitScope, per_second: u32) -> Duration {
        let mut rates = lock(&self.rates);
        let now = Instant::now();
        match rates.get_mut(scope) {
            Some((n, gcra)) if *n == per_second => gcra.reserve(now),
            _ => {
                let mut gcra = Gcra::new(per_second);
                let wait = gcra.reserve(now);
                rates.insert(scope.clone(), (per_second, gcra));
                wait
            }
        }
    }

    /// The webhook reservation, synchronously.
    pub(crate) fn webhook_now(
        &self,
        scope: &WebhookScope,
        limit: Limit,
        mode: OnLimit,
    ) -> Result<Duration, Duration> {
        let window = {
            let mut all = lock(&self.webhooks);
            match all.get(scope) {
                Some(window) if window.limit() == limit => window.clone(),
                _ => {
                    let window = Arc::new(KeyWindow::new(limit));
                    all.insert(scope.clone(), window.clone());
                    window
                }
            }
        };
        window.reserve(Instant::now(), mode == OnLimit::Report)
    }
}

impl LimitStore for MemoryLimitStore {
    fn admit_members<'a>(
        &'a self,
        scope: &'a LimitScope,
        members: &'a [&'a str],
        limits: &'a [Limit],
        mode: OnLimit,
    ) -> BoxFuture<'a, Result<MemberDecision, StoreError>> {
        Box::pin(std::future::ready(Ok(self.members_now(scope, members, limits, mode))))
    }

    fn reserve_request<'a>(
        &'a self,
        scope: &'a LimitScope,
        per_second: u32,
    ) -> BoxFuture<'a, Result<Duration, StoreError>> {
        Box::pin(std::future::ready(Ok(self.request_now(scope, per_second))))
    }

    fn reserve_webhook<'a>(
        &'a self,
        scope: &'a WebhookScope,
        limit: Limit,
        mode: OnLimit,
    ) -> BoxFuture<'a, Result<Result<Duration, Duration>, StoreError>> {
        Box::pin(std::future::ready(Ok(self.webhook_now(scope, limit, mode))))
    }
}

/// Whole ticks since `start`.
fn ticks_since(start: Instant, tick: Duration) -> u64 {
    let elapsed = Instant::now().saturating_duration_since(start);
    u64::try_from(elapsed.as_nanos() / tick.as_nanos().max(1)).unwrap_or(u64::MAX)
}
