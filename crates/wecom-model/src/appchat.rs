//! App group chats (`appchat/*`): a self-built app creates a group chat of members
//! ([`CreateChat`]), changes it ([`UpdateChat`]), reads it back ([`ChatInfo`]) and posts
//! messages into it ([`AppChatRequest`]).
//!
//! Only self-built apps whose visible range is the corp's root department may call these
//! endpoints; WeCom answers any other app with 48002. A chat can only be changed, read and
//! posted to by the app that created it.
//!
//! ```
//! use wecom_model::appchat::{AppChatRequest, CreateChat};
//! use wecom_model::message::Text;
//!
//! let create = CreateChat::new("Release 1.4", ["alice", "bob"]).owner("alice").chat_id("rel14");
//! create.validate()?;
//! let send = AppChatRequest::new("rel14", Text::new("Release branch cut."));
//! send.validate()?;
//! assert_eq!(serde_json::to_value(&send).unwrap()["chatid"], "rel14");
//! # Ok::<(), wecom_model::InvalidArgument>(())
//! ```

mod create;
mod info;
mod send;
mod update;

pub use create::CreateChat;
pub use info::ChatInfo;
pub use send::AppChatRequest;
pub use update::UpdateChat;

use std::collections::HashMap;

use crate::limits::{CHAT_ID_CHARS, CHAT_NAME_CHARS};
use crate::message::user_id_problem;
use crate::validate::{Check, Path, max_chars, non_empty};

/// Checks a chat id: 1 to 32 characters, each of `0-9a-zA-Z`.
///
/// ```
/// use wecom_model::appchat::check_chat_id;
/// use wecom_model::validate::Path;
///
/// assert!(check_chat_id(&Path::root("chatid"), "ops2024").is_ok());
/// assert!(check_chat_id(&Path::root("chatid"), "ops-2024").is_err());
/// ```
pub fn check_chat_id(path: &Path<'_>, id: &str) -> Check {
    non_empty(path, id)?;
    if let Some(bad) = id.chars().find(|c| !c.is_ascii_alphanumeric()) {
        return Err(
            path.error(format!("may only hold the characters 0-9, a-z and A-Z (got {bad:?})"))
        );
    }
    if id.len() > CHAT_ID_CHARS {
        return Err(
            path.error(format!("must be at most {CHAT_ID_CHARS} characters (got {})", id.len()))
        );
    }
    Ok(())
}

/// A chat name: not empty, at most 50 characters.
pub(crate) fn check_name(path: &Path<'_>, name: &str) -> Check {
    non_empty(path, name)?;
    max_chars(path, name, CHAT_NAME_CHARS)
}

/// A member id: the rules of [`user_id_problem`].
pub(crate) fn check_member(path: &Path<'_>, id: &str) -> Check {
    match user_id_problem(id) {
        Some(problem) => Err(path.error(problem)),
        None => Ok(()),
    }
}

/// Every id of a member list, and no id twice (WeCom compares them case-insensitively).
pub(crate) fn check_member_list(path: &Path<'_>, ids: &[String]) -> Check {
    for (i, id) in ids.iter().enumerate() {
        check_member(&path.index(i), id)?;
    }
    // Up to 2,000 ids: a set keeps this linear; first sightings are kept to name the repeat.
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        if let Some(first) = seen.insert(id.to_lowercase(), i) {
            return Err(path
                .index(i)
                .error(format!("repeats {path}[{first}] ({id:?}); every member once")));
        }
    }
    Ok(())
}
