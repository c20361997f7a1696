//! Reading a peer's request body within a size limit, telling a late body (the body-read
//! timeout of [`serve`](super::serve)) from a broken one.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use bytes::{Bytes, BytesMut};
use futures::StreamExt;

use super::BodyReadTimeout;

/// Why [`read_body`] refused a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyError {
    /// Longer than the limit (by `Content-Length` or as it arrived).
    TooLarge,
    /// Not complete within the body-read timeout of [`serve`](super::serve).
    TimedOut,
    /// The connection failed while the body was read.
    Read,
}

impl BodyError {
    /// The status to answer with: 413, 408 or 400.
    pub fn status(self) -> StatusCode {
        match self {
            BodyError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            BodyError::TimedOut => StatusCode::REQUEST_TIMEOUT,
            BodyError::Read => StatusCode::BAD_REQUEST,
        }
    }
}

/// Reads a request's body up to `limit` bytes, refusing early on a larger `Content-Length`:
/// every server of the project reads its peers' bodies through this one bounded reader.
///
/// # Errors
/// [`BodyError`] when the body is over the limit, late, or broken off.
pub async fn read_body(request: Request, limit: usize) -> Result<Bytes, BodyError> {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(BodyError::TooLarge);
    }
    let mut stream = Body::into_data_stream(request.into_body());
    // The first chunk is kept as is (most bodies are one chunk); later ones are appended to
    // a copy of it in `buf`, which then holds everything read.
    let mut first: Option<Bytes> = None;
    let mut buf: Option<BytesMut> = None;
    let mut total = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| {
            let timed_out = std::error::Error::source(&e)
                .is_some_and(<dyn std::error::Error>::is::<BodyReadTimeout>)
                || e.into_inner().is::<BodyReadTimeout>();
            if timed_out { BodyError::TimedOut } else { BodyError::Read }
        })?;
        total += chunk.len();
        if total > limit {
            return Err(BodyError::TooLarge);
        }
        match (&first, &mut buf) {
            (None, _) => first = Some(chunk),
            (Some(f), None) => {
                let mut b = BytesMut::with_capacity(f.len() + chunk.len());
                b.extend_from_slice(f);
                b.extend_from_slice(&chunk);
                buf = Some(b);
            }
            (Some(_), Some(b)) => b.extend_from_slice(&chunk),
        }
    }
    Ok(match (first, buf) {
        (_, Some(b)) => b.freeze(),
        (Some(f), None) => f,
        (None, None) => Bytes::new(),
    })
}
