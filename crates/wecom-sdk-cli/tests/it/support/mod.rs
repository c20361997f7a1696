//! Helpers shared by the CLI tests: a `wecom` command isolated from the host's environment
//! and configuration files, and an in-process emulator to point it at.

#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;
use wecom_emulator::{Config, Emulator, EmulatorHandle, UserConfig};

/// Official vector A (WeCom crypto documentation).
pub const TOKEN: &str = "QDG6eK";
pub const AES_KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
pub const CORP_ID: &str = "wx5823bf96d3bd56c7";

/// The demo corp's app with a callback URL.
pub const AGENT_ID: i64 = 1_000_002;

/// Variables that would reach the host's proxy or configuration instead of the local servers.
const HOST_VARS: &[&str] = &[
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
    "RUST_LOG",
];

/// A `wecom` command run in an empty directory, with no WECOM_* or proxy variables and no
/// user configuration.
pub fn wecom(dir: &TempDir) -> Command {
    let mut cmd = Command::cargo_bin("wecom").expect("binary is built");
    for (key, _) in std::env::vars() {
        if key.starts_with("WECOM_") {
            cmd.env_remove(key);
        }
    }
    for key in HOST_VARS {
        cmd.env_remove(key);
    }
    cmd.current_dir(dir.path())
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join(".config"))
        .env("NO_COLOR", "1");
    cmd
}

/// The same isolation for a `std::process::Command` (for long-running children).
pub fn wecom_std(dir: &TempDir) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("wecom"));
    for (key, _) in std::env::vars() {
        if key.starts_with("WECOM_") {
            cmd.env_remove(key);
        }
    }
    for key in HOST_VARS {
        cmd.env_remove(key);
    }
    cmd.current_dir(dir.path())
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join(".config"))
        .env("NO_COLOR", "1");
    cmd
}

/// [`wecom`] with vector A's callback settings in the environment.
pub fn wecom_with_keys(dir: &TempDir) -> Command {
    let mut cmd = wecom(dir);
    cmd.env("WECOM_TOKEN", TOKEN).env("WECOM_AES_KEY", AES_KEY).env("WECOM_CORP_ID", CORP_ID);
    cmd
}

pub fn tempdir() -> TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// An emulator running in this process, on its own runtime.
pub struct Emu {
    pub handle: EmulatorHandle,
    pub rt: tokio::runtime::Runtime,
    http: reqwest::Client,
}

impl Emu {
    /// The demo corp.
    pub fn start() -> Self {
        Self::with_config(Config::demo())
    }

    /// The demo corp with `n` more members (`u00000`, `u00001`, …) in department 2, which
    /// app 1000002 sees.
    pub fn with_members(n: usize) -> Self {
        let mut config = Config::demo();
        for i in 0..n {
            config.users.push(UserConfig {
                userid: format!("u{i:05}"),
                name: format!("User {i}"),
                departments: vec![2],
                licensed: true,
            });
        }
        Self::with_config(config)
    }

    pub fn with_config(config: Config) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let handle = rt.block_on(Emulator::start(config)).expect("emulator starts");
        let http = reqwest::Client::builder().no_proxy().build().expect("http client");
        Self { handle, rt, http }
    }

    pub fn base_url(&self) -> &str {
        self.handle.base_url()
    }

    /// The app's secret.
    pub fn secret(&self) -> String {
        self.handle.app(AGENT_ID).expect("demo app").secret.expose().to_owned()
    }

    /// The app's callback token and EncodingAESKey.
    pub fn callback_keys(&self) -> (String, String) {
        let app = self.handle.app(AGENT_ID).expect("demo app");
        (
            app.callback_token.expect("token").expose().to_owned(),
            app.encoding_aes_key.expect("key").expose().to_owned(),
        )
    }

    /// A `wecom` command pointed at this emulator with the demo app's credentials.
    pub fn cmd(&self, dir: &TempDir) -> Command {
        let mut cmd = wecom(dir);
        cmd.env("WECOM_BASE_URL", self.base_url())
            .env("WECOM_CORP_ID", self.handle.corp_id())
            .env("WECOM_AGENT_ID", AGENT_ID.to_string())
            .env("WECOM_SECRET", self.secret());
        cmd
    }

    /// Every message the emulator accepted, oldest first.
    pub fn messages(&self) -> Vec<wecom_emulator::Message> {
        self.handle.state().messages()
    }

    /// The body of the last message sent by the app, as received.
    pub fn last_body(&self) -> Value {
        self.messages()
            .iter()
            .rev()
            .find(|m| m.direction == wecom_emulator::Direction::AppToUser)
            .expect("a message was sent")
            .body_json()
    }

    /// A call to the admin API (or any path of the emulator); its JSON answer.
    pub fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base_url());
        self.rt.block_on(async {
            let mut req = self.http.request(method, &url).timeout(Duration::from_secs(20));
            if let Some(body) = body {
                req = req.json(&body);
            }
            let resp = req.send().await.expect("emulator answers");
            resp.json::<Value>().await.unwrap_or(Value::Null)
        })
    }
}

/// The JSON printed on stdout (one value).
pub fn stdout_json(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON value ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}
