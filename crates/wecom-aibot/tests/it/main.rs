//! The AI-bot crate's tests in one binary: golden JSON of every kind, the HTTP transport against
//! a stand-in for WeCom (callbacks, streams, refreshes, rejections, connection limits) and media
//! decryption.

#[allow(unused_imports)] // each test module uses part of it
mod common;

mod golden;
mod http_callbacks;
mod http_stream;
mod media;
mod serve_limits;
#[cfg(feature = "ws")]
mod ws;
