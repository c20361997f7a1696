//! The model's one error: a value that breaks a documented WeCom limit, found before anything
//! is sent.

use std::fmt;

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
