//! The API client and the async runtime the network commands run on.

use std::sync::Arc;

use anyhow::Result;
use wecom::{Client, MemoryTokenStore, Throttle};

use crate::config::Settings;
use crate::exit;

/// Options for [`build`] beyond the settings.
#[derive(Debug, Default)]
pub(crate) struct ClientOptions {
    /// A throttle (bulk sends).
    pub(crate) throttle: Option<Throttle>,
    /// A token store to look into afterwards (`wecom token`).
    pub(crate) store: Option<Arc<MemoryTokenStore>>,
}

/// A client for the app in the settings: corp id, agent id and secret are required; the base
/// URL is optional; proxies come from the usual environment variables (`HTTPS_PROXY`, …).
pub(crate) fn build(settings: &Settings, options: ClientOptions) -> Result<Client> {
    let app = &settings.app;
    let corp_id = Settings::require(app.corp_id.as_ref(), "corp-id", "WECOM_CORP_ID")?;
    let agent_id = *Settings::require(app.agent_id.as_ref(), "agent-id", "WECOM_AGENT_ID")?;
    let secret = Settings::require(app.secret.as_ref(), "secret", "WECOM_SECRET")?;
    let mut builder = Client::builder(corp_id.clone(), agent_id, secret.clone());
    // A local server (an emulator) is reached directly, whatever the proxy variables say.
    if !app.base_url.as_deref().is_some_and(is_loopback) {
        builder = builder.proxy_from_env();
    }
    if let Some(url) = &app.base_url {
        builder = builder.base_url(url.clone());
    }
    if let Some(throttle) = options.throttle {
        builder = builder.throttle(throttle);
    }
    if let Some(store) = options.store {
        builder = builder.token_store(store);
    }
    builder.build().map_err(exit::api)
}

/// Whether a base URL points at this machine.
fn is_loopback(url: &str) -> bool {
    let Ok(url) = reqwest::Url::parse(url) else { return false };
    let Some(host) = url.host_str() else { return false };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The runtime for commands that talk to the network.
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime> {
    server_runtime(2)
}

/// A runtime of `threads` workers, for commands that serve many connections.
pub(crate) fn server_runtime(threads: usize) -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads.max(1))
        .enable_all()
        .build()?)
}

/// One worker per core (as far as the process may use them), the usual size for a server.
pub(crate) fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
}

#[cfg(test)]
mod tests {
    #[test]
    fn loopback_base_urls_are_recognised() {
        for url in ["http://127.0.0.1:8025", "http://localhost:1", "http://[::1]:8025/"] {
            assert!(super::is_loopback(url), "{url}");
        }
        for url in ["https://qyapi.weixin.qq.com", "http://10.0.0.1", "not a url"] {
            assert!(!super::is_loopback(url), "{url}");
        }
    }
}
