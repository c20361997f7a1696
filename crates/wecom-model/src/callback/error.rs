//! What can be wrong with a callback document: malformed XML, or a known element whose value
//! has the wrong shape. Unknown types and values are never errors.

use std::fmt;

/// Why a callback document (or an XML element tree) could not be parsed.
///
/// The messages are the ones `wecom_callback::Error` shows for the same failures, which
/// converts from this type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// The payload is not well-formed XML (or not the `<xml>` document WeCom sends).
    #[error("malformed callback XML: {0}")]
    Xml(String),
    /// A known element holds a value of the wrong shape (a number that is not a number, a
    /// required element that is missing).
    #[error("callback element <{element}>: {problem}")]
    Field {
        /// The element name as it appears in the XML (e.g. `MsgId`).
        element: &'static str,
        /// What is wrong with it.
        problem: FieldProblem,
    },
}

/// What is wrong with a known element of a callback.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldProblem {
    /// The element is required for this message or event type but absent.
    Missing,
    /// The element's text is not a number of the expected kind (the text, cut to 64
    /// characters, is given).
    NotANumber(String),
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldProblem::Missing => f.write_str("missing"),
            FieldProblem::NotANumber(text) => write!(f, "{text:?} is not a valid number"),
        }
    }
}
