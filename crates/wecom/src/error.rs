//! The crate's single error type.
//!
//! `Api` carries WeCom's own `errcode`/`errmsg` unchanged; `InvalidArgument` is produced by
//! validation before any request leaves the process and names the offending field path and
//! the limit it broke.

use std::fmt;

/// A `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong talking to WeCom.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// WeCom answered with a non-zero `errcode`.
    #[error("WeCom API error {code}: {msg}")]
    Api {
        /// The `errcode`, unchanged.
        code: i64,
        /// The `errmsg`, unchanged.
        msg: String,
    },
    /// The request was rejected locally before anything was sent.
    #[error(transparent)]
    InvalidArgument(#[from] InvalidArgument),
}

/// A request value broke a documented limit; nothing was sent.
///
/// `field` is the path of the offending value in WeCom's JSON body, for example
/// `template_card.button_list[2].key`; `problem` says which limit it broke and by how much.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidArgument {
    /// Path of the field in the request body.
    pub field: String,
    /// The rule that was broken, in words, with the limit.
    pub problem: String,
}

impl InvalidArgument {
    /// A new error for `field` with a description of the broken rule.
    pub fn new(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Self { field: field.into(), problem: problem.into() }
    }
}

impl fmt::Display for InvalidArgument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid `{}`: {}", self.field, self.problem)
    }
}

impl std::error::Error for InvalidArgument {}
