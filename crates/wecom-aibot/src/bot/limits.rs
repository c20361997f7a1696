//! The rules a transport applies to every answer: content size, stream lifetime, and how many
//! streams one member may have open.

use std::time::Duration;

use crate::model::STREAM_CONTENT_MAX_BYTES;

/// What happens when a stream's text passes WeCom's 20,480-byte limit.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Overflow {
    /// **Default.** The stream is finished with the text that fits (cut at a line break
    /// where possible) and a note, and the rest is delivered whole in one follow-up markdown
    /// message (through `response_url` in HTTP mode) when the handler finishes. The follow-up
    /// itself holds at most 20,480 bytes: text beyond that is refused at once with
    /// [`super::StreamError::TooLong`].
    #[default]
    FollowUp,
    /// Text past the limit is refused at once with [`super::StreamError::TooLong`]; the
    /// stream keeps what it had.
    Error,
}

/// What a member's message gets while that member already has the maximum of open streams.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Busy {
    /// **Default** (with [`Busy::DEFAULT_TEXT`]): an immediate, finished answer with this
    /// text; the handler is not called.
    Reply(String),
    /// The handler is called once one of the member's streams finishes. WeCom sees a stream
    /// whose text stays empty until then.
    Wait,
}

impl Busy {
    /// The default busy answer.
    pub const DEFAULT_TEXT: &'static str =
        "I am still answering your earlier questions. Please ask again in a moment.";
}

impl Default for Busy {
    fn default() -> Self {
        Busy::Reply(Self::DEFAULT_TEXT.to_owned())
    }
}

/// Size, time and concurrency rules of answers.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Most bytes of a stream's content: 20,480 (WeCom's limit).
    pub max_bytes: usize,
    /// What happens past `max_bytes`.
    pub overflow: Overflow,
    /// How long after the member's message an open stream is finished with what it has plus
    /// [`Limits::EXPIRED_NOTE`]. WeCom stops refreshing 6 minutes after the message; the
    /// default, 5 min 45 s, leaves time for the finishing refresh to be asked for.
    pub stream_lifetime: Duration,
    /// Most open streams per member (WeCom allows 3 messages in flight per member).
    pub max_open_per_member: usize,
    /// What a message beyond that gets.
    pub busy: Busy,
}

impl Limits {
    /// Appended when a stream is finished because of its lifetime.
    pub const EXPIRED_NOTE: &'static str = "\n\n*(answer interrupted: time limit reached)*";
    /// Appended when a stream is finished because its text passed the size limit.
    pub const CONTINUED_NOTE: &'static str = "\n\n*(continued in the next message)*";
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: STREAM_CONTENT_MAX_BYTES,
            overflow: Overflow::default(),
            stream_lifetime: Duration::from_secs(345),
            max_open_per_member: 3,
            busy: Busy::default(),
        }
    }
}
