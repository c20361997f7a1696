//! The SDK's tests in one binary (one link instead of ten): the catalog of messages and cards,
//! and the client against local stand-in servers. `tests/logging.rs` stays a binary of its
//! own because it installs a process-wide tracing subscriber.

mod catalog;
mod client;
