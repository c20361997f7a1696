//! The five card kinds, each with exactly the parts WeCom allows for it.

mod interaction;
mod notice;

pub use interaction::{ButtonInteraction, MultipleInteraction, VoteInteraction};
pub use notice::{NewsNotice, NewsPicture, TextNotice};

use crate::error::Error;
use crate::reply::writer::XmlWriter;

/// Longest `task_id` (bytes).
pub const MAX_TASK_ID_BYTES: usize = 128;

/// `TaskId` is not in WeCom's reply tables (one SDK sends it); it is written only when set.
pub(super) fn check_task_id(task_id: Option<&str>) -> Result<(), Error> {
    let Some(id) = task_id else { return Ok(()) };
    if id.is_empty() || id.len() > MAX_TASK_ID_BYTES {
        return Err(Error::reply(
            "task_id",
            format!("{} bytes, 1 to {MAX_TASK_ID_BYTES} allowed", id.len()),
        ));
    }
    if let Some(c) =
        id.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '@')))
    {
        return Err(Error::reply(
            "task_id",
            format!("character {c:?} not allowed (letters, digits, _ - @)"),
        ));
    }
    Ok(())
}

pub(super) fn write_opt<T>(
    w: &mut XmlWriter,
    part: Option<&T>,
    f: impl FnOnce(&T, &mut XmlWriter) -> Result<(), Error>,
) -> Result<(), Error> {
    match part {
        Some(p) => f(p, w),
        None => Ok(()),
    }
}

pub(super) fn validate_opt<T>(
    part: Option<&T>,
    f: impl FnOnce(&T) -> Result<(), Error>,
) -> Result<(), Error> {
    part.map_or(Ok(()), f)
}

pub(super) fn write_task_id(w: &mut XmlWriter, task_id: Option<&str>) -> Result<(), Error> {
    w.opt_text("TaskId", task_id)
}
