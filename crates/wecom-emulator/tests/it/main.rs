//! The emulator's tests in one binary (one link instead of three): the API end to end over
//! HTTP on 127.0.0.1 with plain reqwest and serde_json (independent of the SDK's types), the
//! web inbox in a real browser (headless Chromium over WebDriver; skipped with a note where
//! Chromium is not installed, unless `WECOM_REQUIRE_BROWSER=1`), and slow clients.

mod api {
    pub(crate) mod support;

    mod accepts;
    mod appchat;
    mod callback_failures;
    mod callbacks;
    mod conversations;
    mod faults;
    mod inbox;
    mod lifecycle;
    mod media;
    mod member;
    mod persistence;
    mod protect;
    mod receiver;
    mod retention;
    mod send;
    mod tokens;
    mod webhook;
}

mod inbox {
    // The HTTP helpers of the API tests.
    pub(crate) use crate::api::support;

    pub(crate) mod app;
    pub(crate) mod browser;
    pub(crate) mod png;

    mod cards;
    mod conversations;
    mod groups;
    mod render;

    use std::path::{Path, PathBuf};

    /// `target/artifacts` (screenshots), created.
    pub(crate) fn artifacts() -> PathBuf {
        let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
            PathBuf::from,
        );
        let dir = target.join("artifacts");
        std::fs::create_dir_all(&dir).expect("target/artifacts can be created");
        dir
    }
}

/// The AI-bot WebSocket endpoint `/aibot/ws`, driven by a raw WebSocket client, and by the
/// official Node SDK when `node` and the check script's dependencies are installed.
mod aibot_ws {
    pub(crate) mod client;

    mod faults;
    mod node;
    mod protocol;
    mod turns;
    mod upload;
}

mod slow_clients;
