//! The Redis token store against a real `redis-server`, which each test starts on a free port
//! of its own: the store's guarantees, four processes sharing one token and one refresh, and
//! Redis absent, hung or restarted.
//!
//! Without `redis-server` on PATH the tests that need it print a "skipped" line and pass,
//! unless `WECOM_REQUIRE_REDIS=1` (as in CI), which makes them fail instead.

mod failures;
mod processes;
mod store;
mod support;
