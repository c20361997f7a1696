//! [`UpdateChat`]: the body of `POST /cgi-bin/appchat/update`.

use serde::{Deserialize, Serialize};

use super::{check_chat_id, check_member, check_member_list, check_name};
use crate::InvalidArgument;
use crate::ids::ChatId;
use crate::limits::CHAT_MEMBERS_MAX;
use crate::validate::{Path, count};

/// The body of `appchat/update`: rename a chat, give it a new owner, add and remove members.
/// Every change is optional, but at least one must be asked for. The chat must stay within
/// 2 to 2,000 members (WeCom checks that; the model cannot know the current members). WeCom
/// allows 100 updates per corp per hour.
///
/// ```
/// use wecom_model::appchat::UpdateChat;
///
/// let req = UpdateChat::new("ops1").name("Ops (night)").add_users(["dave"]).remove_users(["bob"]);
/// req.validate()?;
/// assert_eq!(
///     serde_json::to_value(&req).unwrap(),
///     serde_json::json!({
///         "chatid": "ops1", "name": "Ops (night)", "add_user_list": ["dave"], "del_user_list": ["bob"]
///     })
/// );
/// # Ok::<(), wecom_model::InvalidArgument>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UpdateChat {
    /// The chat to change.
    pub chatid: ChatId,
    /// The new name (at most 50 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The new owner (a member after the change).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Members to add.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add_user_list: Vec<String>,
    /// Members to remove.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub del_user_list: Vec<String>,
}

impl UpdateChat {
    /// A change to the chat `chatid`; say what changes with the setters.
    pub fn new(chatid: impl Into<ChatId>) -> Self {
        Self {
            chatid: chatid.into(),
            name: None,
            owner: None,
            add_user_list: Vec::new(),
            del_user_list: Vec::new(),
        }
    }

    /// Renames the chat.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Hands the chat to another owner.
    #[must_use]
    pub fn owner(mut self, owner: impl Into<String>) -> Self {
        self.owner = Some(owner.into());
        self
    }

    /// Adds members.
    #[must_use]
    pub fn add_users<I, S>(mut self, users: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.add_user_list.extend(users.into_iter().map(Into::into));
        self
    }

    /// Removes members.
    #[must_use]
    pub fn remove_users<I, S>(mut self, users: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.del_user_list.extend(users.into_iter().map(Into::into));
        self
    }

    /// Checks every documented limit before anything is sent.
    ///
    /// ```
    /// use wecom_model::appchat::UpdateChat;
    ///
    /// let err = UpdateChat::new("ops1").validate().unwrap_err();
    /// assert_eq!(err.field, "chatid");
    /// ```
    pub fn validate(&self) -> Result<(), InvalidArgument> {
        check_chat_id(&Path::root("chatid"), &self.chatid)?;
        if self.name.is_none()
            && self.owner.is_none()
            && self.add_user_list.is_empty()
            && self.del_user_list.is_empty()
        {
            return Err(Path::root("chatid")
                .error("needs at least one change: name, owner, add_user_list or del_user_list"));
        }
        if let Some(name) = &self.name {
            check_name(&Path::root("name"), name)?;
        }
        if let Some(owner) = &self.owner {
            let path = Path::root("owner");
            check_member(&path, owner)?;
            if self.del_user_list.iter().any(|m| m.eq_ignore_ascii_case(owner)) {
                return Err(path.error(format!("{owner:?} is also in del_user_list")));
            }
        }
        let add = Path::root("add_user_list");
        count(&add, self.add_user_list.len(), 0, CHAT_MEMBERS_MAX)?;
        check_member_list(&add, &self.add_user_list)?;
        let del = Path::root("del_user_list");
        count(&del, self.del_user_list.len(), 0, CHAT_MEMBERS_MAX)?;
        check_member_list(&del, &self.del_user_list)?;
        for (i, id) in self.del_user_list.iter().enumerate() {
            if self.add_user_list.iter().any(|a| a.eq_ignore_ascii_case(id)) {
                return Err(del.index(i).error(format!("{id:?} is also in add_user_list")));
            }
        }
        Ok(())
    }
}
