//! Who receives a message (or a card update): members, departments, tags, or everyone —
//! always spelled out, never defaulted.

use std::borrow::Cow;

use crate::validate::{Check, Path};

/// The wire names of the recipient fields: `message/send` joins ids with `|` in `touser`,
/// `toparty`, `totag`; `update_template_card` sends arrays in `userids`, `partyids`,
/// `tagids` and a flag `atall`.
#[derive(Debug, Clone, Copy)]
pub struct RecipientFields {
    /// The member list's field.
    pub users: &'static str,
    /// The department list's field.
    pub parties: &'static str,
    /// The tag list's field.
    pub tags: &'static str,
    /// How "everyone" is spelled.
    pub all: &'static str,
    /// Whether the id lists are JSON arrays (so an element has a path of its own).
    pub arrays: bool,
}

/// The recipient fields of `message/send`.
pub const SEND_FIELDS: RecipientFields = RecipientFields {
    users: "touser",
    parties: "toparty",
    tags: "totag",
    all: "touser: @all",
    arrays: false,
};

/// The longest member id WeCom accepts.
const MAX_USER_ID_BYTES: usize = crate::limits::USER_ID_BYTES;

/// Who receives a message: members (UserIDs), departments, tags — combinable — or everyone in
/// the app's visible range.
///
/// There is no default and no empty constructor: every request names its audience, and
/// `@all` is only reached through [`Recipients::all`]. Limits: 1,000 members, 100
/// departments, 100 tags. `@all` cannot be combined with anything else (WeCom would silently
/// ignore the departments and tags), so [`validate`](crate::MessageRequest::validate) rejects
/// the combination.
///
/// ```
/// use wecom_model::message::Recipients;
///
/// let to = Recipients::users(["alice", "bob"]).and_parties([2, 7]).and_tags([12]);
/// assert_eq!(to.user_ids(), ["alice", "bob"]);
/// assert_eq!(to.party_ids(), [2, 7]);
/// assert!(!to.is_all());
/// assert!(Recipients::all().is_all());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipients {
    pub(crate) users: Vec<String>,
    pub(crate) parties: Vec<u64>,
    pub(crate) tags: Vec<u64>,
    pub(crate) all: bool,
}

impl Recipients {
    /// The most members one request may name (errcode 40032 beyond).
    pub const MAX_USERS: usize = crate::limits::USERS;
    /// The most departments one request may name (errcode 82002 beyond).
    pub const MAX_PARTIES: usize = crate::limits::PARTIES;
    /// The most tags one request may name (errcode 82003 beyond).
    pub const MAX_TAGS: usize = crate::limits::TAGS;

    pub(crate) const fn none() -> Self {
        Self { users: Vec::new(), parties: Vec::new(), tags: Vec::new(), all: false }
    }

    /// One member (UserID).
    pub fn user(user_id: impl Into<String>) -> Self {
        Self { users: vec![user_id.into()], ..Self::none() }
    }

    /// These members (UserIDs), at most 1,000.
    pub fn users<I, S>(user_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::none().and_users(user_ids)
    }

    /// Every member of these departments, at most 100.
    pub fn parties(party_ids: impl IntoIterator<Item = u64>) -> Self {
        Self::none().and_parties(party_ids)
    }

    /// Every member carrying these tags, at most 100.
    pub fn tags(tag_ids: impl IntoIterator<Item = u64>) -> Self {
        Self::none().and_tags(tag_ids)
    }

    /// Every member in the app's visible range (`touser: "@all"`; `atall: 1` in a card
    /// update).
    pub fn all() -> Self {
        Self { all: true, ..Self::none() }
    }

    /// Adds members.
    #[must_use]
    pub fn and_users<I, S>(mut self, user_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.users.extend(user_ids.into_iter().map(Into::into));
        self
    }

    /// Adds departments.
    #[must_use]
    pub fn and_parties(mut self, party_ids: impl IntoIterator<Item = u64>) -> Self {
        self.parties.extend(party_ids);
        self
    }

    /// Adds tags.
    #[must_use]
    pub fn and_tags(mut self, tag_ids: impl IntoIterator<Item = u64>) -> Self {
        self.tags.extend(tag_ids);
        self
    }

    /// The member ids named (empty for [`Recipients::all`]).
    pub fn user_ids(&self) -> &[String] {
        &self.users
    }

    /// The member ids named, to edit in place (a throttle holding some members back).
    pub fn user_ids_mut(&mut self) -> &mut Vec<String> {
        &mut self.users
    }

    /// The department ids named.
    pub fn party_ids(&self) -> &[u64] {
        &self.parties
    }

    /// The tag ids named.
    pub fn tag_ids(&self) -> &[u64] {
        &self.tags
    }

    /// Whether this is everyone in the app's visible range.
    pub fn is_all(&self) -> bool {
        self.all
    }

    /// Whether nobody is named (such a request is rejected by validation).
    pub fn is_empty(&self) -> bool {
        !self.all && self.users.is_empty() && self.parties.is_empty() && self.tags.is_empty()
    }

    /// Checks the documented limits, naming fields as `fields` spells them.
    pub fn validate(&self, fields: RecipientFields) -> Check {
        if self.is_empty() {
            return Err(Path::root(fields.users).error(format!(
                "no recipients: name users ({}), departments ({}) or tags ({}), or use \
                 Recipients::all() for everyone",
                fields.users, fields.parties, fields.tags
            )));
        }
        if self.all {
            // WeCom ignores departments and tags next to @all; the safe reading is to refuse
            // a request whose audience is not what it says.
            let extra = if !self.users.is_empty() {
                Some((fields.users, "member ids"))
            } else if !self.parties.is_empty() {
                Some((fields.parties, "departments"))
            } else if !self.tags.is_empty() {
                Some((fields.tags, "tags"))
            } else {
                None
            };
            if let Some((field, what)) = extra {
                return Err(Path::root(field).error(format!(
                    "cannot name {what} when sending to everyone ({}); WeCom would ignore them",
                    fields.all
                )));
            }
        }
        let users = Path::root(fields.users);
        if self.users.len() > Self::MAX_USERS {
            return Err(users.error(format!(
                "at most {} member ids per request (got {})",
                Self::MAX_USERS,
                self.users.len()
            )));
        }
        for (i, id) in self.users.iter().enumerate() {
            if let Some(problem) = user_id_problem(id) {
                return Err(if fields.arrays {
                    users.index(i).error(format!("member id {problem}"))
                } else {
                    users.error(format!("member id at index {i} {problem}"))
                });
            }
        }
        if self.parties.len() > Self::MAX_PARTIES {
            return Err(Path::root(fields.parties).error(format!(
                "at most {} department ids per request (got {})",
                Self::MAX_PARTIES,
                self.parties.len()
            )));
        }
        if self.tags.len() > Self::MAX_TAGS {
            return Err(Path::root(fields.tags).error(format!(
                "at most {} tag ids per request (got {})",
                Self::MAX_TAGS,
                self.tags.len()
            )));
        }
        Ok(())
    }
}

/// A member id must survive the `|`-joined wire form: non-empty, at most 64 bytes, no `|`, no
/// whitespace, and not `@all`. The character set is not checked further: the documentation's
/// lists of allowed characters differ between pages.
pub fn user_id_problem(id: &str) -> Option<String> {
    if id.is_empty() {
        Some("is empty".to_owned())
    } else if id == "@all" {
        Some("is `@all`: use Recipients::all() to reach everyone".to_owned())
    } else if id.contains('|') {
        Some("contains `|`, the list separator".to_owned())
    } else if id.chars().any(char::is_whitespace) {
        Some("contains whitespace".to_owned())
    } else if id.len() > MAX_USER_ID_BYTES {
        Some(format!("is longer than {MAX_USER_ID_BYTES} bytes ({} bytes)", id.len()))
    } else {
        None
    }
}

/// The form WeCom compares member ids in: it matches them case-insensitively and answers them
/// lower-cased. Borrowed when already lower case.
pub fn member_key(id: &str) -> Cow<'_, str> {
    if id.chars().any(char::is_uppercase) {
        Cow::Owned(id.to_lowercase())
    } else {
        Cow::Borrowed(id)
    }
}
