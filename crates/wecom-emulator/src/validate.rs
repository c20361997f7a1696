//! Validation of request bodies from the raw JSON. This is the emulator's own validation, on
//! purpose independent of the SDK's types and checks: it is an oracle for the SDK (and any
//! other client), so a serialization mistake shows up here instead of being shared by both
//! sides. Wrong JSON types answer 40058 with WeCom's "wrong json format" warning, missing
//! fields and hard limits their documented codes (the field path and the limit are in
//! `errmsg`). Display recommendations ("≈" in the reference) and documented truncations are
//! not enforced, as WeCom does not enforce them.
//!
//! It accepts what WeCom accepts: bodies as established SDKs send them (numeric strings for
//! some integer fields, Go's zero values for unused optional fields, spaces around `|`), and,
//! where the reference does not say whether WeCom refuses something, it accepts. Every such
//! reading is listed in `docs/emulator-validation.md`.

pub(crate) mod card;
mod fields;
#[cfg(test)]
mod fuzz;
pub(crate) mod message;
pub(crate) mod webhook;

pub(crate) use fields::Obj;
