//! The Redis connection shared by `wecom`'s `RedisTokenStore` and `RedisLimitStore` and
//! `wecom-callback`'s `RedisDedup`, so all behave the same when Redis is slow or down; and a
//! [`Lease`] for work that must run in exactly one process of a fleet.
//!
//! Those crates enable it with their `redis` feature; applications use those stores, not this
//! crate's connection. What it guarantees:
//!
//! * one multiplexed connection per store, opened on first use (a store can be built while
//!   Redis is down);
//! * a deadline on every operation, connecting included — never a hang;
//! * after a failure, operations fail at once for a retry delay instead of each waiting out
//!   its own timeout, and the next operation after that delay reconnects;
//! * errors name the command, key and server (`host:port`), never a password or a value;
//! * `rediss://` with the `tls` feature, trusting the system's roots or a CA of your own
//!   ([`Tls`]).
//!
//! With the `test-server` feature, `test_server` starts a `redis-server` of a test's own.

mod connector;
mod error;
mod lease;
mod options;
#[cfg(feature = "test-server")]
pub mod test_server;
mod tls;

pub use connector::{Connector, Timeouts, millis};
pub use error::{Error, ErrorKind};
pub use lease::{KeepOptions, Lease, LeaseEnd};
pub use options::ConnectOptions;
pub use tls::Tls;
