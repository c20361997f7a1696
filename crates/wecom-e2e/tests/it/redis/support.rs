//! What the Redis tests share: a `redis-server` of their own on a free port, a server that
//! accepts connections and never answers, and the emulator with its counters.

use std::sync::Arc;
use std::time::{Duration, Instant};

use wecom::{Client, RedisTokenStore, TokenStore};
use wecom_emulator::{Config, Emulator, EmulatorHandle};

/// The demo corp's build bot.
pub(crate) const AGENT: i64 = 1_000_002;

pub(crate) use wecom_redis::test_server::{RedisServer, closed_port_url, silent_server_url};

/// A store on `url` with a short retry delay, so tests see recovery quickly.
pub(crate) fn store(url: &str, prefix: &str) -> Arc<RedisTokenStore> {
    Arc::new(
        RedisTokenStore::builder(url)
            .prefix(prefix)
            .retry_delay(Duration::from_millis(100))
            .build()
            .unwrap(),
    )
}

/// The emulator with the demo corp.
pub(crate) async fn emulator() -> EmulatorHandle {
    Emulator::start(Config::demo()).await.unwrap()
}

/// A client of the build bot using `store`.
pub(crate) fn client(emu: &EmulatorHandle, store: Arc<dyn TokenStore>) -> Client {
    let secret = emu.app(AGENT).unwrap().secret.expose().to_owned();
    Client::builder(emu.corp_id(), AGENT, secret)
        .base_url(emu.base_url())
        .token_store(store)
        .build()
        .unwrap()
}

/// Successful `gettoken` calls of the build bot so far.
pub(crate) async fn gettokens(emu: &EmulatorHandle) -> u64 {
    let stats: serde_json::Value = reqwest::get(format!("{}/emulator/stats", emu.base_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    stats["gettoken_ok"][AGENT.to_string()].as_u64().unwrap_or(0)
}

/// Makes WeCom reject every live token of the build bot from now on (42001).
pub(crate) async fn expire_tokens(emu: &EmulatorHandle) {
    let reply: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/emulator/tokens/expire", emu.base_url()))
        .json(&serde_json::json!({ "agentid": AGENT }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(reply["expired"].as_u64().unwrap() >= 1, "{reply}");
}

/// Waits until `store` reaches Redis again (after a restart).
pub(crate) async fn until_reachable(store: &RedisTokenStore) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while let Err(err) = store.ping().await {
        assert!(Instant::now() < deadline, "Redis still unreachable: {err}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
