//! Why a try failed, in words that name the URL and say what to check: the text the admin
//! API's callback records and the web inbox show, and the [`FailureReason`] programs match on.

use super::FailureReason;

/// A failed try: the reason and the sentence for people.
pub(super) struct TryFailure {
    pub(super) reason: FailureReason,
    pub(super) text: String,
}

/// Whether an `io::Error` of `kind` is somewhere in `err`'s source chain.
fn has_io_kind(err: &(dyn std::error::Error + 'static), kind: std::io::ErrorKind) -> bool {
    let mut next = Some(err);
    while let Some(e) = next {
        if e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == kind) {
            return true;
        }
        next = e.source();
    }
    false
}

/// The innermost cause of `err` (the operating system's words). reqwest's own message,
/// which quotes the URL with its signed query, is never used.
fn root_cause(err: &reqwest::Error) -> String {
    let Some(mut last) = std::error::Error::source(err) else {
        return "no details".to_owned();
    };
    while let Some(next) = last.source() {
        last = next;
    }
    last.to_string()
}

/// A request that got no HTTP answer.
pub(super) fn request(err: &reqwest::Error, url: &str, timeout_ms: u64) -> TryFailure {
    if err.is_timeout() {
        return timeout(url, timeout_ms);
    }
    if has_io_kind(err, std::io::ErrorKind::ConnectionRefused) {
        return TryFailure {
            reason: FailureReason::ConnectionRefused,
            text: format!("connection refused by {url}: nothing listens there"),
        };
    }
    if err.is_connect() {
        return TryFailure {
            reason: FailureReason::Connect,
            text: format!("cannot connect to {url}: {}", root_cause(err)),
        };
    }
    TryFailure {
        reason: FailureReason::ReadFailed,
        text: format!("the request to {url} failed: {}", root_cause(err)),
    }
}

/// No answer within the callback timeout.
pub(super) fn timeout(url: &str, timeout_ms: u64) -> TryFailure {
    TryFailure {
        reason: FailureReason::Timeout,
        text: format!("timeout: no answer from {url} within {timeout_ms} ms"),
    }
}

/// An answer with another status than 200.
pub(super) fn status(status: reqwest::StatusCode, url: &str) -> TryFailure {
    TryFailure { reason: FailureReason::HttpStatus, text: format!("{url} answered HTTP {status}") }
}

/// Reading a 200 answer failed part way.
pub(super) fn read(err: &reqwest::Error, url: &str, timeout_ms: u64) -> TryFailure {
    if err.is_timeout() {
        return timeout(url, timeout_ms);
    }
    TryFailure {
        reason: FailureReason::ReadFailed,
        text: format!("reading the answer of {url} failed: {}", root_cause(err)),
    }
}

/// The reason a passive reply could not be opened.
pub(super) fn reply_open(err: &wecom_msgcrypt::Error) -> (FailureReason, String) {
    use wecom_msgcrypt::Error as E;
    match err {
        E::SignatureMismatch => (
            FailureReason::BadSignature,
            "the reply's signature (MsgSignature) does not match: the app signs with another callback token"
                .to_owned(),
        ),
        E::ReceiveIdMismatch { .. } => (
            FailureReason::Undecryptable,
            format!("the reply is encrypted for another corp id ({err})"),
        ),
        E::MalformedEnvelope(_) | E::MissingEncrypt => (
            FailureReason::Undecryptable,
            format!("the reply is not an encrypted envelope ({err}); answer an empty body or a sealed reply"),
        ),
        _ => (
            FailureReason::Undecryptable,
            format!("the reply cannot be decrypted: the app uses another EncodingAESKey? ({err})"),
        ),
    }
}
