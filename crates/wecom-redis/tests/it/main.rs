//! `wecom-redis` against a real `redis-server` of each test's own: leases with several
//! contenders, a dead holder and a lost Redis; and `rediss://` with a CA made by the test.
//!
//! Run with `cargo test -p wecom-redis --features test-server`. Without `redis-server` on PATH
//! the tests print a "skipped" line and pass, unless `WECOM_REQUIRE_REDIS=1`.

mod lease;
mod tls;
