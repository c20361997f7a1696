//! The SDK (`wecom`) end to end against the emulator: every endpoint, every message and card
//! kind, recipients, the client's reliability paths and its throttle. The emulator validates
//! requests from the raw JSON, independently of the SDK's types, so any disagreement between
//! the SDK's serialization and WeCom's documented rules shows up here.
//!
//! One test binary (modules below) keeps link time down.

pub(crate) mod support;

mod appchat;
mod bulk;
mod catalog;
mod endpoints;
mod limits;
mod media;
mod recipients;
mod reliability;
mod throttle;
mod webhook;
