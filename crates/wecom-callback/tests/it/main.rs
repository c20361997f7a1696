//! The callback crate's tests in one binary: parsing every message and event, passive replies,
//! the server (verification, rejections, limits, slow clients), Redis de-duplication and
//! property tests. `server_logs.rs` stays apart: it installs a process-wide tracing subscriber.

#[allow(dead_code, unused_imports)] // each test module uses part of it
mod support {
    pub(crate) mod fixtures;
    pub(crate) mod wecom;
}

mod parse_events;
mod parse_messages;
mod properties;
// With the `redis` feature: `cargo test -p wecom-callback --features redis`, and in
// `cargo test --workspace`, where wecom-e2e turns the feature on.
#[cfg(feature = "redis")]
mod redis;
mod reply;
mod reply_cards;
mod server;
mod server_limits;
mod server_rejects;
