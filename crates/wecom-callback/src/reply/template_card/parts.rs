//! The parts template cards are made of (`Source`, `MainTitle`, `ButtonList` …), their rules
//! and their XML.

mod content;
mod interactive;
mod media;

use std::collections::HashSet;

pub use content::{
    CardAction, EmphasisContent, HorizontalContent, Jump, MainTitle, QuoteArea, Source,
};
pub use interactive::{
    ActionItem, ActionMenu, Button, ButtonSelection, CheckBox, CheckOption, SelectList,
    SelectOption, SubmitButton,
};
pub use media::{CardImage, ImageTextArea, VerticalContent};

use crate::error::Error;
use crate::reply::{check_len, check_non_empty};

/// Longest `key` / `question_key` (bytes).
pub const MAX_KEY_BYTES: usize = 1024;
/// Longest option `id` (bytes).
pub const MAX_OPTION_ID_BYTES: usize = 128;

pub(super) fn check_count(field: &str, len: usize, min: usize, max: usize) -> Result<(), Error> {
    if len < min || len > max {
        let allowed = if min == 0 { format!("at most {max}") } else { format!("{min} to {max}") };
        return Err(Error::reply(field, format!("{len} items, {allowed} allowed")));
    }
    Ok(())
}

pub(super) fn check_key(field: &str, key: &str) -> Result<(), Error> {
    check_non_empty(field, key)?;
    check_len(field, key, MAX_KEY_BYTES)
}

pub(super) fn check_option_ids<'a>(
    field: &str,
    ids: impl Iterator<Item = &'a str>,
) -> Result<(), Error> {
    let mut seen = HashSet::new();
    for (i, id) in ids.enumerate() {
        let f = format!("{field}[{i}].id");
        check_non_empty(&f, id)?;
        check_len(&f, id, MAX_OPTION_ID_BYTES)?;
        if !seen.insert(id) {
            return Err(Error::reply(f, format!("duplicate id {id:?}")));
        }
    }
    Ok(())
}

/// Checks that a clickable part has what its `type` needs: 1 → `url`, 2 → `appid`.
pub(super) fn check_target(
    field: &str,
    kind: Option<u8>,
    url: Option<&str>,
    appid: Option<&str>,
) -> Result<(), Error> {
    match kind.unwrap_or(0) {
        0 => Ok(()),
        1 if url.is_some_and(|u| !u.is_empty()) => Ok(()),
        1 => Err(Error::reply(format!("{field}.url"), "required when type is 1")),
        2 if appid.is_some_and(|a| !a.is_empty()) => Ok(()),
        2 => Err(Error::reply(format!("{field}.appid"), "required when type is 2")),
        other => Err(Error::reply(format!("{field}.type"), format!("{other} is not 0, 1 or 2"))),
    }
}
