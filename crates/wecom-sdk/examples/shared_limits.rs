//! Sends to a member within WeCom's per-member limits counted in Redis, so that every
//! instance of a service keeps them together; prints what was held back and how many
//! decisions fell back to local counts.
//!
//! ```sh
//! WECOM_CORP_ID=… WECOM_AGENT_ID=… WECOM_SECRET=… REDIS_URL=redis://127.0.0.1:6379 \
//!     cargo run -p wecom-sdk --features redis --example shared_limits -- alice
//! ```
#![allow(clippy::print_stdout)]

use std::sync::Arc;

use wecom::{ClientBuilder, OnLimit, Recipients, RedisLimitStore, Text, Throttle};

#[tokio::main(flavor = "current_thread")]
async fn main() -> wecom::Result<()> {
    let member = std::env::args().nth(1).unwrap_or_else(|| "alice".to_owned());
    let url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned());
    let limits = Arc::new(RedisLimitStore::new(&url)?);
    let client = ClientBuilder::from_env()?
        .throttle(Throttle::new().on_member_limit(OnLimit::Report))
        .limit_store(limits)
        .build()?;
    for i in 1..=35 {
        let receipt = client.send(Recipients::user(&member), Text::new(format!("#{i}"))).await?;
        if !receipt.held_back.is_empty() {
            println!(
                "#{i}: held back for {:?} (over 30 a minute across all instances)",
                receipt.held_back
            );
        }
    }
    println!("decisions on local counts (Redis unreachable): {}", client.throttle_fallbacks());
    Ok(())
}
