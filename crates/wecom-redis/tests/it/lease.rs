//! Leases: three contenders never overlap, a holder that stops renewing is replaced within
//! the TTL, and a holder that loses Redis reports it before the lease could pass on.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;
use wecom_redis::test_server::RedisServer;
use wecom_redis::{Connector, KeepOptions, Lease, LeaseEnd, Timeouts};

const KEY: &str = "test:{lease}:one";

fn connector(url: &str) -> Arc<Connector> {
    let timeouts = Timeouts {
        connect: Duration::from_millis(200),
        command: Duration::from_millis(200),
        retry_delay: Duration::from_millis(50),
    };
    Arc::new(Connector::open(url, timeouts).unwrap())
}

/// Tries to take the lease until it gets it or `within` passes.
async fn acquire_within(redis: &Arc<Connector>, ttl: Duration, within: Duration) -> Option<Lease> {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if let Ok(Some(lease)) = Lease::acquire(redis.clone(), KEY, ttl).await {
            return Some(lease);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_contenders_never_hold_at_once_and_all_get_a_turn() {
    let Some(redis) = RedisServer::start() else { return };
    let holder: Arc<Mutex<Option<usize>>> = Arc::default();
    let turns: Arc<[AtomicUsize; 3]> = Arc::default();
    let overlaps = Arc::new(AtomicUsize::new(0));
    let until = Instant::now() + Duration::from_secs(3);
    let contenders: Vec<_> = (0..3)
        .map(|me| {
            let conn = connector(&redis.url());
            let (holder, turns, overlaps) = (holder.clone(), turns.clone(), overlaps.clone());
            tokio::spawn(async move {
                while Instant::now() < until {
                    let Ok(Some(mut lease)) =
                        Lease::acquire(conn.clone(), KEY, Duration::from_millis(500)).await
                    else {
                        tokio::time::sleep(Duration::from_millis(5)).await;
                        continue;
                    };
                    if holder.lock().unwrap().replace(me).is_some() {
                        overlaps.fetch_add(1, Ordering::SeqCst);
                    }
                    turns[me].fetch_add(1, Ordering::SeqCst);
                    // Hold for a while, renewing, then let go.
                    for _ in 0..3 {
                        tokio::time::sleep(Duration::from_millis(30)).await;
                        assert!(lease.renew().await.unwrap(), "still ours");
                    }
                    assert_eq!(holder.lock().unwrap().take(), Some(me));
                    assert!(lease.release().await.unwrap());
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            })
        })
        .collect();
    for c in contenders {
        c.await.unwrap();
    }
    assert_eq!(overlaps.load(Ordering::SeqCst), 0, "two holders at once");
    let turns: Vec<usize> = turns.iter().map(|t| t.load(Ordering::SeqCst)).collect();
    assert!(turns.iter().all(|&t| t > 0), "every contender held it at some point: {turns:?}");
    assert!(turns.iter().sum::<usize>() >= 6, "{turns:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_holder_that_stops_renewing_is_replaced_within_the_ttl() {
    let Some(redis) = RedisServer::start() else { return };
    let ttl = Duration::from_millis(800);
    let (a, b, c) = (connector(&redis.url()), connector(&redis.url()), connector(&redis.url()));
    let mut first = Lease::acquire(a, KEY, ttl).await.unwrap().expect("free at first");
    assert!(Lease::acquire(b.clone(), KEY, ttl).await.unwrap().is_none());
    assert!(first.renew().await.unwrap());
    let last_renewal = Instant::now();
    let valid_until = first.valid_until();
    // The holder dies: no renewal, no release.
    drop(first);
    let next = tokio::select! {
        lease = acquire_within(&b, ttl, Duration::from_secs(5)) => lease,
        lease = acquire_within(&c, ttl, Duration::from_secs(5)) => lease,
    };
    let taken_at = Instant::now();
    let next = next.expect("another contender took the lease");
    assert!(Lease::acquire(b, KEY, ttl).await.unwrap().is_none(), "held by one only");
    assert!(Lease::acquire(c, KEY, ttl).await.unwrap().is_none(), "held by one only");
    assert_ne!(next.holder(), "", "a holder token of its own");
    assert!(taken_at >= valid_until, "not before the dead holder's lease ran out");
    assert!(
        taken_at - last_renewal < ttl + Duration::from_millis(300),
        "taken {:?} after the last renewal (TTL {ttl:?})",
        taken_at - last_renewal
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_holder_losing_redis_reports_the_loss_before_the_lease_could_pass_on() {
    let Some(mut redis) = RedisServer::start() else { return };
    let ttl = Duration::from_millis(1500);
    let lease = Lease::acquire(connector(&redis.url()), KEY, ttl).await.unwrap().unwrap();
    let keeping = tokio::spawn(lease.keep(KeepOptions::default(), || true));
    // Renewals go through while Redis is there.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert!(!keeping.is_finished(), "still held after more than two renewals");
    let stopped = Instant::now();
    redis.stop();
    let end = tokio::time::timeout(Duration::from_secs(5), keeping).await.unwrap().unwrap();
    let reported = Instant::now();
    assert!(matches!(end, LeaseEnd::Lost { .. }), "{end:?}");
    // The last renewal was sent before Redis stopped, so nobody could take the lease before
    // `stopped + ttl`: the loss is reported well before that.
    assert!(reported < stopped + ttl, "reported {:?} after the stop", reported - stopped);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keep_releases_when_the_holder_is_unhealthy_and_detects_a_stolen_lease() {
    let Some(redis) = RedisServer::start() else { return };
    let ttl = Duration::from_millis(600);
    let conn = connector(&redis.url());
    let lease = Lease::acquire(conn.clone(), KEY, ttl).await.unwrap().unwrap();
    let checks = Arc::new(AtomicUsize::new(0));
    let counted = checks.clone();
    let end = lease
        .keep(KeepOptions::default(), move || counted.fetch_add(1, Ordering::SeqCst) < 2)
        .await;
    assert_eq!(end, LeaseEnd::Released { released: true });
    assert_eq!(checks.load(Ordering::SeqCst), 3);
    // Free again at once.
    let lease = Lease::acquire(conn.clone(), KEY, ttl).await.unwrap().expect("released");
    // Someone overwrites the key (an operator, or a holder after an expiry): the keeper notices.
    let _: () = redis::cmd("SET").arg(KEY).arg("intruder").query(&mut redis.inspect()).unwrap();
    let end =
        tokio::time::timeout(Duration::from_secs(2), lease.keep(KeepOptions::default(), || true))
            .await
            .unwrap();
    assert!(matches!(&end, LeaseEnd::Lost { reason } if reason.contains("another")), "{end:?}");
    let value: String = redis::cmd("GET").arg(KEY).query(&mut redis.inspect()).unwrap();
    assert_eq!(value, "intruder", "a lost lease never deletes its successor's");
}

#[tokio::test]
async fn bad_arguments_are_refused_before_anything_is_sent() {
    // Nothing listens here: an error other than `Invalid` would mean something was sent.
    let conn = connector(&wecom_redis::test_server::closed_port_url());
    let err = Lease::acquire(conn.clone(), KEY, Duration::from_millis(5)).await.unwrap_err();
    assert_eq!(err.kind(), wecom_redis::ErrorKind::Invalid, "{err}");
    assert!(err.to_string().contains("at least 10 ms, got 5 ms"), "{err}");
    let err = Lease::acquire(conn, "", Duration::from_secs(1)).await.unwrap_err();
    assert!(err.to_string().contains("key is empty"), "{err}");
}
