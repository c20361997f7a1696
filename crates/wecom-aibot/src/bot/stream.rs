//! [`StreamWriter`]: the handle a handler writes a streamed answer to.
//!
//! Each write replaces the answer's snapshot; the transport sends whichever snapshot is
//! current when WeCom asks (HTTP refresh) or when the connection is free (WebSocket), so
//! fast writers are coalesced and never queue up. WeCom's content is the whole text each
//! time: [`StreamWriter::push`] appends to the text kept here, [`StreamWriter::set`]
//! replaces it.

use std::sync::Arc;

use super::exchange::Exchange;
use crate::model::StreamImage;

/// Why a write to a stream was refused. Every refusal happens at the write that causes it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StreamError {
    /// The text passes the size limit and the policy refuses it
    /// ([`super::Overflow::Error`]), or the follow-up message would pass it too.
    #[error("text of {bytes} bytes passes the {limit}-byte limit")]
    TooLong {
        /// The size of the text refused.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// The stream passed its lifetime and was finished with what it had plus a note. Send
    /// anything more through the message's `response_url`.
    #[error("the stream passed its time limit and was finished")]
    Expired,
    /// The stream was already finished.
    #[error("the stream is already finished")]
    Finished,
    /// The connection the message came on is gone (WebSocket transport, with
    /// `WsConfig::resend_lost_answers` off): nothing more can be delivered on this stream.
    #[error("the connection this message came on was lost; the answer cannot be delivered")]
    ConnectionLost,
    /// More than 10 pictures, or one over 10 MB.
    #[error("pictures: at most 10 per answer, each at most 10 MB")]
    TooManyImages,
}

/// A streamed answer being written. Dropping it finishes the stream with its current text.
#[derive(Debug)]
pub struct StreamWriter {
    pub(crate) exchange: Arc<Exchange>,
    pub(crate) text: String,
}

impl StreamWriter {
    /// Appends `text` to the answer.
    ///
    /// # Errors
    /// See [`StreamError`]; on an error the answer is unchanged.
    pub fn push(&mut self, text: &str) -> Result<(), StreamError> {
        let mut next = String::with_capacity(self.text.len() + text.len());
        next.push_str(&self.text);
        next.push_str(text);
        self.set(next)
    }

    /// Replaces the whole answer with `text`.
    ///
    /// # Errors
    /// See [`StreamError`]; on an error the answer is unchanged.
    pub fn set(&mut self, text: impl Into<String>) -> Result<(), StreamError> {
        let text = text.into();
        self.exchange.update(|s| self.exchange.set_text(s, text.clone()))?;
        self.text = text;
        Ok(())
    }

    /// The whole text written so far.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Adds a picture shown under the final answer (HTTP mode; at most 10).
    ///
    /// # Errors
    /// [`StreamError::TooManyImages`], [`StreamError::Finished`], [`StreamError::Expired`].
    pub fn image(&mut self, image: StreamImage) -> Result<(), StreamError> {
        self.exchange.update(|s| {
            if s.expired {
                Err(StreamError::Expired)
            } else if s.finished {
                Err(StreamError::Finished)
            } else if s.images.len() >= StreamImage::MAX_COUNT {
                Err(StreamError::TooManyImages)
            } else {
                s.images.push(image);
                Ok(())
            }
        })
    }

    /// Whether the stream can still be written to.
    pub fn is_open(&self) -> bool {
        self.exchange.read(|s| !s.finished)
    }

    /// Resolves when the stream is finished from outside (time limit or size split): use it
    /// in a `select!` to stop generating.
    pub async fn closed(&self) {
        self.exchange.done().await;
    }

    /// Finishes the stream with its current text.
    ///
    /// # Errors
    /// [`StreamError::Expired`] if the time limit finished it first (the handler is told
    /// here: the answer shown ends with [`super::Limits::EXPIRED_NOTE`]).
    pub fn finish(self) -> Result<(), StreamError> {
        self.exchange.update(|s| {
            if s.expired {
                Err(StreamError::Expired)
            } else {
                s.finished = true;
                Ok(())
            }
        })
    }
}

impl Drop for StreamWriter {
    fn drop(&mut self) {
        self.exchange.update(|s| s.finished = true);
    }
}
