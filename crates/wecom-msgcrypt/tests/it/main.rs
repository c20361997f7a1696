//! The crypto crate's tests in one binary: known-answer vectors and property tests.

mod properties;
mod vectors;
