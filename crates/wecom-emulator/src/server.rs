//! Running the emulator: [`Emulator::start`] for tests (binds `127.0.0.1:0`), the
//! [`EmulatorBuilder`] for tools (address, configuration file, state file), and [`run`] for
//! a foreground server that prints its credentials.

use std::fmt::Write as _;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use wecom_callback::ServeLimits;

use crate::config::{Config, ConfigError, Secret};
use crate::persist::StateFileError;
use crate::state::EmulatorState;

/// Why the emulator could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The configuration was refused.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The state file could not be read.
    #[error(transparent)]
    StateFile(#[from] StateFileError),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {reason}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The operating system's reason.
        reason: String,
    },
}

/// The credentials of one app, as a client needs them.
#[derive(Clone)]
pub struct AppCredentials {
    /// `agentid`.
    pub agentid: i64,
    /// Display name.
    pub name: String,
    /// `corpsecret` for gettoken.
    pub secret: Secret,
    /// Callback URL, if configured.
    pub callback_url: Option<String>,
    /// Callback `Token`.
    pub callback_token: Option<Secret>,
    /// Callback `EncodingAESKey`.
    pub encoding_aes_key: Option<Secret>,
}

impl std::fmt::Debug for AppCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppCredentials")
            .field("agentid", &self.agentid)
            .field("name", &self.name)
            .field("callback_url", &self.callback_url)
            .finish_non_exhaustive()
    }
}

/// Entry points.
#[derive(Debug)]
pub struct Emulator;

impl Emulator {
    /// Starts an emulator with `config` on `127.0.0.1:0` (a free port).
    pub async fn start(config: Config) -> Result<EmulatorHandle, Error> {
        Self::builder().config(config).start().await
    }

    /// A builder with the demo corp on `127.0.0.1:0`.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder {
            config: None,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            state_file: None,
            limits: ServeLimits::new(),
            callback_url: None,
        }
    }
}

/// Configures and starts an emulator.
#[derive(Debug)]
pub struct EmulatorBuilder {
    config: Option<Config>,
    addr: SocketAddr,
    state_file: Option<PathBuf>,
    limits: ServeLimits,
    callback_url: Option<String>,
}

impl EmulatorBuilder {
    /// Calls back to `url` instead of the configured callback URLs: every app with a
    /// callback token and EncodingAESKey gets it (in the demo corp, app 1000002). The demo
    /// corp's default is `http://127.0.0.1:3000/wecom/callback`, where `wecom listen` listens
    /// by default.
    #[must_use]
    pub fn callback_url(mut self, url: impl Into<String>) -> Self {
        self.callback_url = Some(url.into());
        self
    }

    /// Sets the connection limits: header, body and idle timeouts and the connection cap
    /// (default [`ServeLimits::new`]; the web inbox keeps one connection open per tab).
    #[must_use]
    pub fn serve_limits(mut self, limits: ServeLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Uses this configuration (default: [`Config::demo`]).
    #[must_use]
    pub fn config(mut self, config: Config) -> Self {
        self.config = Some(config);
        self
    }

    /// Loads the configuration from a TOML file.
    pub fn config_file(self, path: impl Into<PathBuf>) -> Result<Self, ConfigError> {
        let config = Config::from_file(path.into())?;
        Ok(self.config(config))
    }

    /// Listens on this address (default `127.0.0.1:0`).
    #[must_use]
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Restores state from this file if it exists, and keeps it up to date.
    #[must_use]
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    /// Binds and serves in the background.
    pub async fn start(self) -> Result<EmulatorHandle, Error> {
        let mut config = self.config.unwrap_or_else(Config::demo);
        if let Some(url) = &self.callback_url {
            let apps = config.apps.iter_mut();
            for app in apps.filter(|a| a.callback_token.is_some() && a.encoding_aes_key.is_some()) {
                app.callback_url = Some(url.clone());
            }
        }
        let state = EmulatorState::new(config)?;
        if let Some(path) = &self.state_file {
            state.load_state(path)?;
        }
        let listener = TcpListener::bind(self.addr)
            .await
            .map_err(|e| Error::Bind { addr: self.addr, reason: e.to_string() })?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::Bind { addr: self.addr, reason: e.to_string() })?;
        let _ = state.inner.bound.set(addr);
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let app = crate::app(state.clone());
        let limits = self.limits;
        let server = tokio::spawn(async move {
            let stop = async {
                let _ = stop_rx.await;
            };
            let serve = wecom_callback::serve::serve_with_shutdown(listener, app, limits, stop);
            if let Err(e) = serve.await {
                tracing::error!(error = %e, "emulator server stopped");
            }
        });
        let saver = self
            .state_file
            .clone()
            .map(|path| tokio::spawn(crate::persist::keep_saved(state.clone(), path)));
        tracing::info!(%addr, corp_id = %state.config().corp_id, "WeCom emulator listening");
        Ok(EmulatorHandle {
            base_url: format!("http://{addr}"),
            addr,
            state,
            state_file: self.state_file,
            stop: Some(stop_tx),
            server: Some(server),
            saver,
        })
    }
}

/// A running emulator. Dropping it stops the server (without saving: call
/// [`EmulatorHandle::shutdown`] for a clean stop).
pub struct EmulatorHandle {
    base_url: String,
    addr: SocketAddr,
    state: EmulatorState,
    state_file: Option<PathBuf>,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
    saver: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for EmulatorHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmulatorHandle").field("base_url", &self.base_url).finish_non_exhaustive()
    }
}

impl EmulatorHandle {
    /// `http://127.0.0.1:PORT` — the base URL to give a client instead of
    /// `https://qyapi.weixin.qq.com`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `ws://127.0.0.1:PORT/aibot/ws` — the AI-bot long-connection endpoint, to give a bot
    /// program (the official SDKs' `wsUrl`) instead of `wss://openws.work.weixin.qq.com`.
    pub fn aibot_ws_url(&self) -> String {
        format!("ws://{}/aibot/ws", self.addr)
    }

    /// The corp id.
    pub fn corp_id(&self) -> &str {
        &self.state.config().corp_id
    }

    /// Every app's credentials.
    pub fn apps(&self) -> Vec<AppCredentials> {
        self.state
            .config()
            .apps
            .iter()
            .map(|a| {
                let target = self.state.callback_target(a.agentid);
                AppCredentials {
                    agentid: a.agentid,
                    name: a.name.clone(),
                    secret: a.secret.clone(),
                    callback_url: target.as_ref().map(|t| t.url.clone()),
                    callback_token: target.as_ref().map(|t| t.token.clone()),
                    encoding_aes_key: target.as_ref().map(|t| t.encoding_aes_key.clone()),
                }
            })
            .collect()
    }

    /// One app's credentials.
    pub fn app(&self, agentid: i64) -> Option<AppCredentials> {
        self.apps().into_iter().find(|a| a.agentid == agentid)
    }

    /// The shared state (inspect messages, move the clock, subscribe to changes).
    pub fn state(&self) -> &EmulatorState {
        &self.state
    }

    /// The start-up banner: URL, corp id, each app's credentials and the WebSocket endpoint
    /// with each WebSocket-mode AI bot's credentials. These are the
    /// emulator's own made-up credentials, shown so that a client can be configured.
    pub fn banner(&self) -> String {
        let mut out = format!(
            "WeCom emulator listening on {}\n  corp_id: {}\n",
            self.base_url,
            self.corp_id()
        );
        for a in self.apps() {
            let _ = writeln!(out, "  app {} ({}): secret {}", a.agentid, a.name, a.secret.expose());
            if let (Some(url), Some(token), Some(key)) =
                (&a.callback_url, &a.callback_token, &a.encoding_aes_key)
            {
                let _ = writeln!(
                    out,
                    "    callback {url} token {} encoding_aes_key {}",
                    token.expose(),
                    key.expose()
                );
            }
        }
        for b in &self.state.config().aibots {
            if b.mode == crate::aibot::AibotMode::Websocket {
                let secret = b.secret.as_ref().map_or("", |s| s.expose());
                let _ = writeln!(
                    out,
                    "  AI bot {} ({}): WebSocket {} bot_id {} secret {secret}",
                    b.botid,
                    b.name,
                    self.aibot_ws_url(),
                    b.botid
                );
            }
        }
        let _ = writeln!(out, "  inbox: {}/", self.base_url);
        let _ = writeln!(out, "  admin API: {}/emulator/messages", self.base_url);
        out
    }

    /// Stops serving (finishing requests in flight) and writes the state file.
    pub async fn shutdown(mut self) -> Result<(), StateFileError> {
        self.state.close_streams();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
        if let Some(saver) = self.saver.take() {
            saver.abort();
        }
        match &self.state_file {
            Some(path) => self.state.save_state(path),
            None => Ok(()),
        }
    }

    /// Waits until the server stops (it runs until [`EmulatorHandle::shutdown`] or the
    /// process ends).
    pub async fn wait(mut self) {
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        if let Some(server) = &self.server {
            server.abort();
        }
        if let Some(saver) = &self.saver {
            saver.abort();
        }
    }
}

/// Runs an emulator on `addr` in the foreground: prints the banner (URL and credentials) to
/// standard output and serves until Ctrl-C or SIGTERM ([`crate::shutdown_signal`]), then
/// stops cleanly.
pub async fn run(config: Config, addr: SocketAddr) -> Result<(), Error> {
    let handle = Emulator::builder().config(config).addr(addr).start().await?;
    let _ = std::io::stdout().write_all(handle.banner().as_bytes());
    crate::shutdown_signal().await;
    handle.shutdown().await?;
    Ok(())
}
