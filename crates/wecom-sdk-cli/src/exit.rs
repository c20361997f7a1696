//! Exit codes, so scripts can tell what kind of failure happened.
//!
//! | Code | Meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | failure not covered below (I/O, crypto check failed, some recipients of a bulk send failed, …) |
//! | 2 | usage: bad flags, missing settings, or input rejected before anything was sent |
//! | 3 | WeCom answered with an error code |
//! | 4 | network: WeCom could not be reached, or the outcome of a send is unknown |

use std::process::ExitCode;

/// Exit code: bad usage or input.
pub(crate) const USAGE: u8 = 2;
/// Exit code: WeCom answered with an errcode.
pub(crate) const WECOM: u8 = 3;
/// Exit code: network failure or unknown delivery.
pub(crate) const NETWORK: u8 = 4;

/// An error that carries its own exit code, and for WeCom errors the errcode and what to do.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) code: u8,
    pub(crate) error: anyhow::Error,
    /// WeCom's errcode, when WeCom answered with one.
    pub(crate) errcode: Option<i64>,
    /// One sentence saying what to do, when there is one.
    pub(crate) hint: Option<&'static str>,
}

/// Bad usage or input: exit code 2.
pub(crate) fn usage(error: impl Into<anyhow::Error>) -> anyhow::Error {
    anyhow::Error::new(Failure { code: USAGE, error: error.into(), errcode: None, hint: None })
}

/// An SDK error with the exit code of its kind, WeCom's errcode and the SDK's hint
/// ([`wecom::Error::hint`]): 2 for input rejected before sending (or a file that cannot be
/// read), 3 for a WeCom errcode, 4 for network failures and unknown deliveries, else 1.
pub(crate) fn api(error: wecom::Error) -> anyhow::Error {
    let code = match &error {
        wecom::Error::InvalidArgument(_) | wecom::Error::Config(_) | wecom::Error::Io { .. } => {
            USAGE
        }
        wecom::Error::Api { .. } | wecom::Error::Credentials { .. } => WECOM,
        wecom::Error::Transport { .. }
        | wecom::Error::DeliveryUnknown { .. }
        | wecom::Error::Http { .. }
        | wecom::Error::Decode { .. } => NETWORK,
        _ => 1,
    };
    let errcode = error.code();
    let hint = error.hint();
    anyhow::Error::new(Failure { code, error: error.into(), errcode, hint })
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::output::chain(&self.error))?;
        if let Some(hint) = self.hint {
            write!(f, "\nhint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Failure {}

/// The [`Failure`] inside an error, if any (also when context was added around it).
pub(crate) fn failure(err: &anyhow::Error) -> Option<&Failure> {
    err.chain().find_map(|e| e.downcast_ref::<Failure>())
}

/// The exit code for an error.
pub(crate) fn code_for(err: &anyhow::Error) -> ExitCode {
    match failure(err) {
        Some(failure) => ExitCode::from(failure.code),
        None => ExitCode::FAILURE,
    }
}
