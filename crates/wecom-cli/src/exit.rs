//! Exit codes, so scripts can tell what kind of failure happened.
//!
//! | Code | Meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | failure not covered below (I/O, crypto check failed, …) |
//! | 2 | usage: bad flags, missing settings, or input rejected before anything was sent |
//! | 3 | WeCom answered with an error code |
//! | 4 | network: WeCom could not be reached, or the outcome of a send is unknown |

use std::process::ExitCode;

/// An error that carries its own exit code.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) code: u8,
    pub(crate) error: anyhow::Error,
}

/// Bad usage or input: exit code 2.
pub(crate) fn usage(error: impl Into<anyhow::Error>) -> anyhow::Error {
    anyhow::Error::new(Failure { code: 2, error: error.into() })
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:#}", self.error)
    }
}

impl std::error::Error for Failure {}

/// The exit code for an error.
pub(crate) fn code_for(err: &anyhow::Error) -> ExitCode {
    if let Some(failure) = err.downcast_ref::<Failure>() {
        return ExitCode::from(failure.code);
    }
    ExitCode::FAILURE
}
