//! Validation of request bodies from the raw JSON, independently of any SDK's types, so that
//! serialization mistakes of a client show up: wrong JSON types answer 40058 with WeCom's
//! "wrong json format" warning, missing fields and hard limits their documented codes (the
//! field path and the limit are in `errmsg`). Display recommendations ("≈" in the reference)
//! and documented truncations are not enforced, as WeCom does not enforce them.

pub(crate) mod card;
mod fields;
#[cfg(test)]
mod fuzz;
pub(crate) mod message;
pub(crate) mod webhook;

pub(crate) use fields::Obj;
