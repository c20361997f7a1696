//! Holds a lease for a few seconds while "working", then lets go; run it in two terminals to
//! see the second wait for the first.
//!
//! ```sh
//! cargo run -p wecom-redis --example lease -- redis://127.0.0.1:6379
//! ```
#![allow(clippy::print_stdout)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use wecom_redis::{Connector, KeepOptions, Lease, Timeouts};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args().nth(1).unwrap_or_else(|| "redis://127.0.0.1:6379".to_owned());
    let redis = Arc::new(Connector::open(&url, Timeouts::DEFAULT)?);
    let key = "example:{lease}:worker";
    let lease = loop {
        if let Some(lease) = Lease::acquire(redis.clone(), key, Duration::from_secs(3)).await? {
            break lease;
        }
        println!("held by someone else; waiting");
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    println!("holding as {}", lease.holder());
    // "Healthy" for five checks (a second apart), then let go.
    let checks = AtomicU32::new(0);
    let end =
        lease.keep(KeepOptions::default(), || checks.fetch_add(1, Ordering::Relaxed) < 5).await;
    println!("stopped holding: {end:?}");
    Ok(())
}
