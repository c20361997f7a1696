//! The `wecom` binary's tests in one test binary: each runs the built `wecom` against local
//! servers (the emulator, stand-ins) and checks its output, exit codes and logs.

#[allow(unused_imports)] // each test module uses part of it
mod support;

mod bot;
mod bulk;
mod bulk_crash;
mod cards;
mod completions;
mod config_secrets;
mod crypto;
mod errors;
mod logs;
mod manage;
mod send;
mod servers;
mod tour;
