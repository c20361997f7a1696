//! The retry rules as one pure function: [`classify`] maps the kind of request, how one try
//! of it failed and which try that was to what the call loop does next — wait and send
//! again, refresh the token and send again, or give up. No I/O, no clock, no randomness (the
//! loop jitters the delay it is given), so every rule is one row of the table test below,
//! in the manner of smithy's retry classifiers.
//!
//! The rules, in the order they are checked:
//!
//! 1. A token error (40001, 40014, 41001, 42001) from a call that carried the app's token:
//!    refresh the token and send again, once per call. The repeat does not count against the
//!    [`RetryPolicy`]; a second token error is given up, so a token that fails right after a
//!    refresh cannot start a refresh loop.
//! 2. Errcode −1 (system busy): WeCom did not act on the request; send again after the
//!    policy's backoff while attempts remain.
//! 3. Rate limits (45009, 45033), credentials errors from `gettoken` (a token-error code from
//!    a call without a token means a wrong secret or corp id: repeating it gets the IP
//!    blocked) and every other errcode: give up.
//! 4. A connection that could not be opened: nothing was sent; send again while attempts
//!    remain.
//! 5. A timeout or a broken connection: the request may have reached WeCom. Send again while
//!    attempts remain only if repeating it is harmless ([`Replay::Safe`]: reads, `gettoken`,
//!    uploads) or WeCom's duplicate check drops the copy (a `message/send` with
//!    `duplicate_check`); otherwise give up.
//! 6. Anything else (an HTTP error without an envelope, an undecodable body): give up.

use std::time::Duration;

use super::RetryPolicy;
use crate::client::Replay;
use crate::error::codes;

/// What kind of request failed: how it is authenticated and whether repeating it is safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RequestKind {
    /// Whether the request carries the app's access token. Only such a request can have its
    /// token refreshed; `gettoken` carries none.
    pub(crate) authenticated: bool,
    /// Whether it may be sent again after a failure that happened after it may have reached
    /// WeCom.
    pub(crate) replay: Replay,
}

/// How one try failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// WeCom answered with this non-zero `errcode`.
    Api(i64),
    /// The connection could not be opened: nothing was sent.
    ConnectFailed,
    /// A timeout or a broken connection, after the request may have reached WeCom.
    Interrupted,
    /// Any other failure: an HTTP error status without an envelope, a body that does not
    /// decode.
    Other,
}

/// Which try failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Attempt {
    /// Tries counted against the [`RetryPolicy`], from 1. The repeat after a token refresh is
    /// not counted: it has its own budget of one.
    pub(crate) number: u32,
    /// Whether this call has already refreshed its token.
    pub(crate) token_refreshed: bool,
}

impl Attempt {
    /// The first try of a call.
    pub(crate) const FIRST: Attempt = Attempt { number: 1, token_refreshed: false };

    /// The try that follows this one once `action` has been carried out.
    pub(crate) fn after(self, action: Action) -> Attempt {
        match action {
            Action::RetryAfter(_) => Attempt { number: self.number.saturating_add(1), ..self },
            Action::RefreshTokenThenRetry => Attempt { token_refreshed: true, ..self },
            Action::GiveUp => self,
        }
    }
}

/// What the call loop does after a failed try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    /// Wait about this long, then send again. The duration is the policy's backoff ceiling;
    /// the loop jitters it into its upper half so that clients failing together do not retry
    /// together.
    RetryAfter(Duration),
    /// Drop the rejected token, get another, and send again at once.
    RefreshTokenThenRetry,
    /// Return the error to the caller.
    GiveUp,
}

/// What to do after try `attempt` of a request of `kind` failed with `outcome`, under
/// `policy`. See the [module documentation](self) for the rules.
pub(crate) fn classify(
    kind: RequestKind,
    outcome: Outcome,
    attempt: Attempt,
    policy: &RetryPolicy,
) -> Action {
    let retry_if_attempts_remain = || {
        if attempt.number < policy.attempts() {
            Action::RetryAfter(policy.backoff(attempt.number))
        } else {
            Action::GiveUp
        }
    };
    match outcome {
        Outcome::Api(code)
            if codes::is_token_invalid(code) && kind.authenticated && !attempt.token_refreshed =>
        {
            Action::RefreshTokenThenRetry
        }
        // WeCom did not act on it, or it never left: a repeat cannot act twice.
        Outcome::Api(codes::SYSTEM_BUSY) | Outcome::ConnectFailed => retry_if_attempts_remain(),
        // Rate limits (45009, 45033) among them: returned typed (`Error::is_rate_limited`),
        // since waiting is the caller's or the throttle's decision and a blind repeat only
        // burns more of the quota. Also credentials errors and a second token error.
        Outcome::Api(_) | Outcome::Other => Action::GiveUp,
        Outcome::Interrupted => match kind.replay {
            Replay::Safe | Replay::Send { duplicate_check: true } => retry_if_attempts_remain(),
            Replay::Unsafe | Replay::Send { duplicate_check: false } => Action::GiveUp,
        },
    }
}

#[cfg(test)]
mod tests;
