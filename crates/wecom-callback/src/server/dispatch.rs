//! Running the user's handler: the [`Handler`] trait, the two answering modes, and turning
//! errors and panics into log lines.

use std::any::Any;
use std::borrow::Cow;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use futures::FutureExt;
use futures::future::BoxFuture;
use tokio::sync::{OwnedSemaphorePermit, oneshot};

use crate::callback::Callback;
use crate::reply::Reply;

/// The error a handler may return: anything that converts into a boxed error (including
/// `anyhow::Error`, `std::io::Error`, `String`).
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What a handler produces: an optional passive reply, or an error (logged, never sent).
pub type HandlerResult = Result<Option<Reply>, BoxError>;

/// Handles one callback. Implemented for every `Fn(Callback) -> impl Future<Output =
/// Result<Option<Reply>, E>>` closure or function; implement it yourself for handlers with
/// state.
pub trait Handler: Send + Sync + 'static {
    /// Handles `callback`. The future runs on its own task, so it finishes even when the
    /// HTTP answer has already been sent.
    fn call(&self, callback: Callback) -> BoxFuture<'static, HandlerResult>;
}

impl<F, Fut, E> Handler for F
where
    F: Fn(Callback) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Option<Reply>, E>> + Send + 'static,
    E: Into<BoxError>,
{
    fn call(&self, callback: Callback) -> BoxFuture<'static, HandlerResult> {
        let fut = self(callback);
        Box::pin(async move { fut.await.map_err(Into::into) })
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&'static str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "(non-string panic payload)"
    }
}

/// Runs the handler to completion, logging an error or panic; `Some` only for a reply.
async fn run(fut: BoxFuture<'static, HandlerResult>, what: &str) -> Option<Reply> {
    match AssertUnwindSafe(fut).catch_unwind().await {
        Ok(Ok(reply)) => reply,
        Ok(Err(error)) => {
            tracing::error!(callback = %what, error = %error, "callback handler failed; answered 200 empty");
            None
        }
        Err(payload) => {
            tracing::error!(
                callback = %what,
                panic = panic_message(&*payload),
                "callback handler panicked; answered 200 empty"
            );
            None
        }
    }
}

/// A short description of a callback for log lines (type names only, no content).
pub(crate) fn describe(callback: &Callback) -> Cow<'static, str> {
    match callback {
        Callback::Message(m) => Cow::Borrowed(m.body.msg_type()),
        Callback::Event(e) => Cow::Borrowed(e.body.name()),
        Callback::Unknown(u) => Cow::Owned(match &u.event {
            Some(event) => format!("{}/{event}", u.msg_type),
            None => u.msg_type.clone(),
        }),
        other => Cow::Owned(other.msg_type().to_owned()),
    }
}

/// Reply mode: waits up to `deadline` for the handler's reply.
pub(crate) async fn with_deadline(
    handler: &dyn super::Handler,
    callback: Callback,
    deadline: Duration,
    slot: OwnedSemaphorePermit,
) -> Option<Reply> {
    let what = describe(&callback);
    let fut = handler.call(callback);
    let (tx, rx) = oneshot::channel();
    let task_what = what.clone();
    tokio::spawn(async move {
        let _slot = slot;
        if let Some(reply) = run(fut, &task_what).await
            && tx.send(reply).is_err()
        {
            tracing::warn!(
                callback = %task_what,
                "reply discarded: the handler finished after the deadline (send it with message/send instead)"
            );
        }
    });
    match tokio::time::timeout(deadline, rx).await {
        Ok(Ok(reply)) => Some(reply),
        Ok(Err(_)) => None,
        Err(_) => {
            tracing::warn!(
                callback = %what,
                deadline_ms = u64::try_from(deadline.as_millis()).unwrap_or(u64::MAX),
                "handler still running at the deadline: answered 200 empty, it continues in the background"
            );
            None
        }
    }
}

/// Acknowledge mode: runs the handler in the background, holding its slot until it ends.
pub(crate) fn in_background(
    handler: &dyn super::Handler,
    callback: Callback,
    slot: OwnedSemaphorePermit,
) {
    let what = describe(&callback);
    let fut = handler.call(callback);
    tokio::spawn(async move {
        let _slot = slot;
        if run(fut, &what).await.is_some() {
            tracing::debug!(callback = %what, "reply ignored: the server acknowledges at once");
        }
    });
}
