//! End-to-end tests and benchmarks of the wecom-rs SDK against the emulator. Nothing here is
//! published: the crate only holds `tests/` and `benches/`, so that neither the SDK nor the
//! emulator has to dev-depend on the other.
