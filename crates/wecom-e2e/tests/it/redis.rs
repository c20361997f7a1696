//! The Redis stores against a real `redis-server`, which each test starts on a free port of
//! its own: the token store's guarantees, four processes sharing one token and one refresh,
//! and Redis absent, hung or restarted; the limit store with four processes keeping one
//! member's and one webhook's limit together, batching, and fallback; all stores over TLS.
//!
//! Without `redis-server` on PATH the tests that need it print a "skipped" line and pass,
//! unless `WECOM_REQUIRE_REDIS=1` (as in CI), which makes them fail instead.

mod aibot_lease;
mod failures;
mod limit_store;
mod processes;
mod shared_limits;
mod store;
mod support;
mod tls;
