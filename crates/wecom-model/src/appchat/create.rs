//! [`CreateChat`]: the body of `POST /cgi-bin/appchat/create`.

use serde::{Deserialize, Serialize};

use super::{check_chat_id, check_member, check_member_list, check_name};
use crate::InvalidArgument;
use crate::ids::ChatId;
use crate::limits::{CHAT_MEMBERS_MAX, CHAT_MEMBERS_MIN};
use crate::validate::{Path, count};

/// The body of `appchat/create`: a group chat of 2 to 2,000 members, named, with an optional
/// owner and an optional chat id of your choosing.
///
/// WeCom's page marks `name` optional; this model always sends one (a chat without a name
/// shows as a list of members, which nobody can tell apart), and refuses more than 50
/// characters where WeCom would cut the name short. Without an owner, WeCom picks one of the
/// members; without a chat id, WeCom generates one and returns it. At most 1,000 chats per
/// corp per day.
///
/// ```
/// use wecom_model::appchat::CreateChat;
///
/// let req = CreateChat::new("Ops", ["alice", "bob", "carol"]).owner("alice").chat_id("ops1");
/// req.validate()?;
/// assert_eq!(
///     serde_json::to_value(&req).unwrap(),
///     serde_json::json!({
///         "name": "Ops", "owner": "alice", "userlist": ["alice", "bob", "carol"], "chatid": "ops1"
///     })
/// );
/// # Ok::<(), wecom_model::InvalidArgument>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CreateChat {
    /// The chat's name: at most 50 characters.
    pub name: String,
    /// The owner (a member); WeCom picks a member when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The members' UserIDs: 2 to 2,000.
    pub userlist: Vec<String>,
    /// The chat id to use (at most 32 characters of `0-9a-zA-Z`); WeCom generates one when
    /// absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chatid: Option<ChatId>,
}

impl CreateChat {
    /// A chat named `name` of the members `userlist`.
    pub fn new<I, S>(name: impl Into<String>, userlist: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            name: name.into(),
            owner: None,
            userlist: userlist.into_iter().map(Into::into).collect(),
            chatid: None,
        }
    }

    /// Sets the owner; it must be one of the members.
    #[must_use]
    pub fn owner(mut self, owner: impl Into<String>) -> Self {
        self.owner = Some(owner.into());
        self
    }

    /// Chooses the chat id instead of letting WeCom generate one.
    #[must_use]
    pub fn chat_id(mut self, chatid: impl Into<ChatId>) -> Self {
        self.chatid = Some(chatid.into());
        self
    }

    /// Checks every documented limit before anything is sent.
    ///
    /// ```
    /// use wecom_model::appchat::CreateChat;
    ///
    /// let err = CreateChat::new("Solo", ["alice"]).validate().unwrap_err();
    /// assert_eq!(err.field, "userlist");
    /// assert_eq!(err.problem, "must have 2 to 2000 items (got 1)");
    /// ```
    pub fn validate(&self) -> Result<(), InvalidArgument> {
        check_name(&Path::root("name"), &self.name)?;
        let list = Path::root("userlist");
        count(&list, self.userlist.len(), CHAT_MEMBERS_MIN, CHAT_MEMBERS_MAX)?;
        check_member_list(&list, &self.userlist)?;
        if let Some(owner) = &self.owner {
            let path = Path::root("owner");
            check_member(&path, owner)?;
            // WeCom's page does not say what an owner outside the list does (UNVERIFIED); an
            // owner must be in the chat, so the safe reading refuses it.
            if !self.userlist.iter().any(|m| m.eq_ignore_ascii_case(owner)) {
                return Err(path.error(format!("{owner:?} must be one of the userlist members")));
            }
        }
        if let Some(id) = &self.chatid {
            check_chat_id(&Path::root("chatid"), id)?;
        }
        Ok(())
    }
}
