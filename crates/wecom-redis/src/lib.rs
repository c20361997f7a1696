//! The Redis connection shared by `wecom`'s `RedisTokenStore` and `wecom-callback`'s
//! `RedisDedup`, so both behave the same when Redis is slow or down.
//!
//! Both crates enable it with their `redis` feature; applications use those stores, not this
//! crate. What it guarantees:
//!
//! * one multiplexed connection per store, opened on first use (a store can be built while
//!   Redis is down);
//! * a deadline on every operation, connecting included — never a hang;
//! * after a failure, operations fail at once for a retry delay instead of each waiting out
//!   its own timeout, and the next operation after that delay reconnects;
//! * errors name the command, key and server (`host:port`), never a password or a value.
//!
//! With the `test-server` feature, `test_server` starts a `redis-server` of a test's own.

mod connector;
mod error;
#[cfg(feature = "test-server")]
pub mod test_server;

pub use connector::{Connector, Timeouts, millis};
pub use error::{Error, ErrorKind};
