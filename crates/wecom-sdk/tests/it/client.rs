//! HTTP behaviour of the client against a local mock of WeCom's API on 127.0.0.1.
//!
//! (Part of the one test binary in `tests/it/`.)

mod support;

mod bulk;
mod cards;
mod endpoints;
mod leaks;
mod media;
mod proxy;
mod retries;
mod send;
mod throttle;
mod tokens;
mod transport;
