//! One leadership term: connect while renewing the lease; close the connection at once when
//! the lease cannot be kept, and release it when the connection ends.
//!
//! The renewals follow [`Lease::keep`]'s rules (every `ttl/3`, a failed renewal retried
//! after 100 ms, the loss declared `margin` before [`Lease::valid_until`]) but run here, so
//! that the lease is still at hand when the connection ends: released on shutdown, checked
//! on a displacement (a hand-over race or a connection outside the lease?).

use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;
use wecom_redis::Lease;

use super::{LeaderEvent, LeaderState, LeasedAibotWs, LeasedStopped};
use crate::ws::{AibotWs, OnDisplaced, Stopped, WsError, WsEvent};

/// How a term ended.
pub(super) enum End {
    /// Go back to standby.
    Standby,
    /// Stop the replica with this result.
    Stop(Result<LeasedStopped, WsError>),
}

/// After a failed renewal, how soon to try again.
const RETRY: Duration = Duration::from_millis(100);

const EXPIRING: &str = "no renewal got through before the lease could pass on";

/// The least time given to the client to close after the lease was lost.
const CLOSE_FLOOR: Duration = Duration::from_secs(1);

/// Leads while `lease` holds.
pub(super) async fn lead(
    replica: &LeasedAibotWs,
    mut lease: Lease,
    shutdown: &mut watch::Receiver<bool>,
) -> End {
    let shared = &replica.shared;
    let options = &replica.options;
    tracing::info!(
        bot_id = %shared.bot_id,
        lease = %lease.key(),
        holder = %lease.holder(),
        "lease acquired; connecting"
    );
    shared.set_state(LeaderState::Leader);
    shared.emit(LeaderEvent::Acquired { holder: lease.holder().to_owned() });

    let mut config = replica.config.clone();
    if config.on_displaced != OnDisplaced::Stop {
        tracing::debug!("on_displaced is always Stop under a lease");
        config.on_displaced = OnDisplaced::Stop;
    }
    let client = AibotWs::with_dyn_bot(
        replica.credentials.clone(),
        config,
        std::sync::Arc::clone(&replica.bot),
    );
    let ws = client.handle();
    let forward = forward_events(&ws, shared);
    shared.set_ws(Some(ws.clone()));
    let mut run = tokio::spawn(client.run());

    let every = options.renew_every();
    let margin = options.margin();
    let mut next = Instant::now() + every;
    let mut stopping = false;
    let ended = loop {
        let deadline = lease.valid_until().checked_sub(margin).unwrap_or(lease.valid_until());
        tokio::select! {
            done = &mut run => break Ok(done),
            () = stop_asked(shutdown), if !stopping => {
                tracing::info!("shutting down: closing the connection, then releasing the lease");
                stopping = true;
                ws.shutdown();
            }
            () = tokio::time::sleep_until(next.min(deadline)) => {
                let renewed = if Instant::now() >= deadline {
                    None
                } else {
                    tokio::time::timeout_at(deadline, lease.renew()).await.ok()
                };
                match renewed {
                    Some(Ok(true)) => next = Instant::now() + every,
                    Some(Ok(false)) => break Err("another holder has the lease".to_owned()),
                    Some(Err(err)) => {
                        tracing::debug!(lease = %lease.key(), error = %err, "renewal failed");
                        next = Instant::now() + RETRY;
                    }
                    None => break Err(EXPIRING.to_owned()),
                }
            }
        }
    };
    let end = match ended {
        Err(reason) => {
            // Close before anybody else can hold the lease: the shutdown takes a moment (the
            // margin leaves room for it). A client that has not stopped by the lease's
            // deadline is aborted; if the lease was taken from under it (the deadline is past),
            // it gets a second.
            ws.shutdown();
            let now = Instant::now();
            let limit =
                if lease.valid_until() > now { lease.valid_until() } else { now + CLOSE_FLOOR };
            if tokio::time::timeout_at(limit, &mut run).await.is_err() {
                tracing::warn!("the connection did not close in time; aborting it");
                run.abort();
            }
            tracing::warn!(
                lease = %lease.key(),
                holder = %lease.holder(),
                %reason,
                "lease lost; connection closed, standing by"
            );
            shared.emit(LeaderEvent::LeaseLost { reason });
            End::Standby
        }
        Ok(done) => {
            let done = done.unwrap_or_else(|e| {
                Err(WsError::InvalidArgument(format!("the connection task failed: {e}")))
            });
            after_connection(replica, lease, done).await
        }
    };
    shared.set_ws(None);
    forward.abort();
    end
}

/// The connection ended while the lease was held.
async fn after_connection(
    replica: &LeasedAibotWs,
    mut lease: Lease,
    done: Result<Stopped, WsError>,
) -> End {
    let shared = &replica.shared;
    match done {
        Ok(Stopped::Displaced) => {
            // Still ours: something outside the lease connects the bot. Otherwise (or when
            // Redis cannot tell) the lease just passed on and this is the hand-over.
            if matches!(lease.renew().await, Ok(true)) {
                tracing::warn!(
                    lease = %lease.key(),
                    "displaced by a connection outside the lease while holding it; \
                     releasing the lease and stopping (no fight)"
                );
                release(shared, lease).await;
                shared.emit(LeaderEvent::Displaced);
                End::Stop(Ok(LeasedStopped::Displaced))
            } else {
                tracing::warn!(
                    lease = %lease.key(),
                    "displaced as the lease passed to another replica; standing by"
                );
                shared.emit(LeaderEvent::HandedOver);
                End::Standby
            }
        }
        Ok(Stopped::Shutdown) => {
            release(shared, lease).await;
            End::Stop(Ok(LeasedStopped::Shutdown))
        }
        Err(error @ WsError::AuthFailed { .. }) => {
            tracing::error!(%error, "credentials refused; releasing the lease and stopping");
            release(shared, lease).await;
            End::Stop(Err(error))
        }
        Err(error) => {
            tracing::warn!(%error, "the connection gave up; releasing the lease for another");
            release(shared, lease).await;
            shared.emit(LeaderEvent::ConnectionFailed { error });
            End::Standby
        }
    }
}

/// Resolves once shutdown is asked (the guard `wait_for` returns is not `Send`).
async fn stop_asked(shutdown: &mut watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|stop| *stop).await;
}

async fn release(shared: &super::Shared, lease: Lease) {
    let key = lease.key().to_owned();
    let confirmed = match lease.release().await {
        Ok(confirmed) => confirmed,
        Err(err) => {
            tracing::warn!(lease = %key, error = %err, "not released; the lease expires by itself");
            false
        }
    };
    tracing::info!(lease = %key, confirmed, "lease released");
    shared.emit(LeaderEvent::Released { confirmed });
}

/// Passes the connection's events on until it stops.
fn forward_events(
    ws: &crate::ws::WsHandle,
    shared: &std::sync::Arc<super::Shared>,
) -> tokio::task::JoinHandle<()> {
    let mut events = ws.events();
    let shared = std::sync::Arc::clone(shared);
    tokio::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => {
                    let last = event == WsEvent::Stopped;
                    shared.emit(LeaderEvent::Connection(event));
                    if last {
                        break;
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            }
        }
    })
}
