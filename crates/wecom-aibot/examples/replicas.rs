//! One replica of a bot that runs as several: start it three times against one Redis and
//! exactly one of them holds the WebSocket connection (the one holding the Redis lease); kill
//! that one and another connects within the lease's TTL. Ctrl-C releases the lease at once.
//!
//! ```sh
//! export WECOM_AIBOT_ID=… WECOM_AIBOT_SECRET=…   # the bot's 长连接 settings
//! export REDIS_URL=redis://127.0.0.1:6379        # the same Redis for every replica
//! # optional: the local emulator (`wecom emulator`), ws://127.0.0.1:PORT/aibot/ws
//! export WECOM_AIBOT_WS_URL=…
//! cargo run -p wecom-aibot --features redis --example replicas   # in three terminals
//! ```

use std::time::Duration;

use wecom_aibot::bot::{Responder, bot_fn};
use wecom_aibot::model::Message;
use wecom_aibot::ws::{
    Credentials, LeaderEvent, LeaseOptions, LeasedAibotWs, LeasedStopped, WsConfig,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt().with_writer(std::io::stderr).init();
    let me = std::process::id();
    let bot = bot_fn(move |msg: Message, reply: Responder| async move {
        let _ = reply.markdown(format!("Replica {me} heard: {}", msg.text()));
    });
    let mut config = WsConfig::default();
    if let Ok(url) = std::env::var("WECOM_AIBOT_WS_URL") {
        config.url = url;
    }
    let redis = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let mut options = LeaseOptions::default();
    options.ttl = Duration::from_secs(10); // the default; a dead replica is replaced after it
    let replica =
        LeasedAibotWs::new(Credentials::from_env()?, config, bot, &redis)?.lease_options(options);

    let handle = replica.handle();
    let mut events = handle.events();
    let watcher = handle.clone();
    tokio::spawn(async move {
        while let Ok(event) = events.recv().await {
            match event {
                LeaderEvent::Connection(event) => tracing::debug!(?event, "connection"),
                other => tracing::info!(event = ?other, state = ?watcher.state(), "replica"),
            }
        }
    });
    let stop = handle.clone();
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        stop.shutdown();
    });

    match replica.run().await? {
        LeasedStopped::Shutdown => tracing::info!("stopped; the lease was released"),
        LeasedStopped::Displaced => {
            tracing::error!("another connection outside the lease took over the bot");
        }
        other => tracing::info!(?other, "stopped"),
    }
    Ok(())
}
