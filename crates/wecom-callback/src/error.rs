//! The crate's error type: what went wrong with a callback request, its XML, or a reply.
//!
//! Every variant names what failed (the query parameter, the XML element, the reply field and
//! its limit) so a log line is enough to fix the cause. None carries a secret: crypto errors
//! come from `wecom-msgcrypt`, which never prints key material.

pub use wecom_model::callback::FieldProblem;
use wecom_model::callback::ParseError;

/// Everything that can go wrong while receiving a callback or building a passive reply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The decrypted payload is not well-formed XML (or not the `<xml>` document WeCom sends).
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
    /// A query parameter of the callback URL is missing, repeated or malformed.
    #[error("query parameter {name}: {problem}")]
    Query {
        /// The parameter (`msg_signature`, `timestamp`, `nonce`, `echostr`).
        name: &'static str,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// The request's timestamp is outside the configured freshness window.
    #[error(
        "timestamp {timestamp} is {skew_secs} s away from the server clock (limit {limit_secs} s)"
    )]
    StaleTimestamp {
        /// The request's timestamp (Unix seconds).
        timestamp: u64,
        /// How far it is from the server's clock, in seconds.
        skew_secs: u64,
        /// The configured limit, in seconds.
        limit_secs: u64,
    },
    /// Signature, decryption or receive-id check failed (see [`wecom_msgcrypt::Error::code`]).
    #[error("callback crypto: {0} (code {code})", code = .0.code())]
    Crypto(#[from] wecom_msgcrypt::Error),
    /// A passive reply breaks one of WeCom's rules; nothing was encrypted or sent.
    #[error("invalid reply: {field}: {problem}")]
    Reply {
        /// The path of the offending field (e.g. `news.articles[2].title`).
        field: String,
        /// The rule it breaks, with the limit.
        problem: String,
    },
}

impl From<ParseError> for Error {
    fn from(e: ParseError) -> Self {
        match e {
            ParseError::Field { element, problem } => Error::Field { element, problem },
            ParseError::Xml(msg) => Error::Xml(msg),
            other => Error::Xml(other.to_string()),
        }
    }
}

impl From<wecom_model::InvalidArgument> for Error {
    /// A reply (or a card in it) that breaks one of WeCom's rules.
    fn from(e: wecom_model::InvalidArgument) -> Self {
        Error::Reply { field: e.field, problem: e.problem }
    }
}

impl Error {
    /// The official `WXBizMsgCrypt` code for crypto and XML failures (`-40001` … `-40011`),
    /// `None` for the others.
    pub fn crypto_code(&self) -> Option<i32> {
        match self {
            Error::Crypto(e) => Some(e.code()),
            Error::Xml(_) | Error::Field { .. } => Some(wecom_msgcrypt::error::codes::PARSE_XML),
            Error::Reply { .. } => Some(wecom_msgcrypt::error::codes::GEN_RETURN_XML),
            Error::Query { .. } | Error::StaleTimestamp { .. } => None,
        }
    }

    pub(crate) fn reply(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Error::Reply { field: field.into(), problem: problem.into() }
    }
}
