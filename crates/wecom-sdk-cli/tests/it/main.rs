//! The `wecom` binary's tests in one test binary: each runs the built `wecom` against local
//! servers (the emulator, stand-ins) and checks its output, exit codes and logs.

#[allow(unused_imports)] // each test module uses part of it
mod support;

// The AI-bot crate's scripted WebSocket server, shared rather than copied.
#[path = "../../../wecom-aibot/tests/it/ws/server.rs"]
#[allow(dead_code, unreachable_pub, clippy::needless_pass_by_value, clippy::assigning_clones)]
mod ws_server;

mod aibot;
mod bot;
mod bulk;
mod bulk_crash;
mod cards;
mod chat;
mod completions;
mod config_secrets;
mod crypto;
mod errors;
mod logs;
mod manage;
mod send;
mod servers;
mod tour;
