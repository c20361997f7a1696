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

/// Who receives a message: everyone in the app's visible range ([`Recipients::All`]), or the
/// members, departments and tags of an [`Audience`].
///
/// There is no default and no empty constructor: every request names its audience. `@all`
/// cannot be combined with anything else (WeCom would silently ignore the departments and
/// tags), and here it cannot even be written: [`Recipients::all`] has no `and_users`.
/// Limits: 1,000 members, 100 departments, 100 tags.
///
/// ```
/// use wecom_model::message::Recipients;
///
/// let to: Recipients = Recipients::users(["alice", "bob"]).and_parties([2, 7]).and_tags([12]).into();
/// assert_eq!(to.user_ids(), ["alice", "bob"]);
/// assert_eq!(to.party_ids(), [2, 7]);
/// assert!(!to.is_all());
/// assert!(Recipients::all().is_all());
/// ```
///
/// ```compile_fail
/// use wecom_model::message::Recipients;
///
/// // Everyone plus a list: refused by the compiler, not at run time.
/// let to = Recipients::all().and_users(["bob"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipients {
    /// Everyone in the app's visible range (`touser: "@all"`; `atall: 1` in a card update).
    All,
    /// These members, departments and tags.
    Listed(Audience),
}

/// Members (UserIDs), departments and tags, combinable: built with [`Recipients::users`],
/// [`Recipients::parties`] or [`Recipients::tags`] and the `and_…` setters, and turned into
/// [`Recipients`] with `into()` (every call that takes recipients accepts an `Audience`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Audience {
    pub(crate) users: Vec<String>,
    pub(crate) parties: Vec<u64>,
    pub(crate) tags: Vec<u64>,
}

impl Audience {
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

    /// The member ids named.
    pub fn user_ids(&self) -> &[String] {
        &self.users
    }

    /// The department ids named.
    pub fn party_ids(&self) -> &[u64] {
        &self.parties
    }

    /// The tag ids named.
    pub fn tag_ids(&self) -> &[u64] {
        &self.tags
    }
}

impl From<Audience> for Recipients {
    fn from(audience: Audience) -> Self {
        Recipients::Listed(audience)
    }
}

impl Recipients {
    /// The most members one request may name (errcode 40032 beyond).
    pub const MAX_USERS: usize = crate::limits::USERS;
    /// The most departments one request may name (errcode 82002 beyond).
    pub const MAX_PARTIES: usize = crate::limits::PARTIES;
    /// The most tags one request may name (errcode 82003 beyond).
    pub const MAX_TAGS: usize = crate::limits::TAGS;

    /// One member (UserID).
    pub fn user(user_id: impl Into<String>) -> Audience {
        Audience { users: vec![user_id.into()], ..Audience::default() }
    }

    /// These members (UserIDs), at most 1,000.
    pub fn users<I, S>(user_ids: I) -> Audience
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Audience::default().and_users(user_ids)
    }

    /// Every member of these departments, at most 100.
    pub fn parties(party_ids: impl IntoIterator<Item = u64>) -> Audience {
        Audience::default().and_parties(party_ids)
    }

    /// Every member carrying these tags, at most 100.
    pub fn tags(tag_ids: impl IntoIterator<Item = u64>) -> Audience {
        Audience::default().and_tags(tag_ids)
    }

    /// Every member in the app's visible range (`touser: "@all"`; `atall: 1` in a card
    /// update).
    pub fn all() -> Self {
        Recipients::All
    }

    /// The member ids named (empty for [`Recipients::All`]).
    pub fn user_ids(&self) -> &[String] {
        match self {
            Recipients::All => &[],
            Recipients::Listed(a) => &a.users,
        }
    }

    /// The member ids named, to edit in place (a throttle holding some members back); `None`
    /// for [`Recipients::All`].
    pub fn user_ids_mut(&mut self) -> Option<&mut Vec<String>> {
        match self {
            Recipients::All => None,
            Recipients::Listed(a) => Some(&mut a.users),
        }
    }

    /// The department ids named.
    pub fn party_ids(&self) -> &[u64] {
        match self {
            Recipients::All => &[],
            Recipients::Listed(a) => &a.parties,
        }
    }

    /// The tag ids named.
    pub fn tag_ids(&self) -> &[u64] {
        match self {
            Recipients::All => &[],
            Recipients::Listed(a) => &a.tags,
        }
    }

    /// Whether this is everyone in the app's visible range.
    pub fn is_all(&self) -> bool {
        matches!(self, Recipients::All)
    }

    /// Whether nobody is named (such a request is rejected by validation).
    pub fn is_empty(&self) -> bool {
        match self {
            Recipients::All => false,
            Recipients::Listed(a) => {
                a.users.is_empty() && a.parties.is_empty() && a.tags.is_empty()
            }
        }
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
        let users = Path::root(fields.users);
        let user_ids = self.user_ids();
        if user_ids.len() > Self::MAX_USERS {
            return Err(users.error(format!(
                "at most {} member ids per request (got {})",
                Self::MAX_USERS,
                user_ids.len()
            )));
        }
        for (i, id) in user_ids.iter().enumerate() {
            if let Some(problem) = user_id_problem(id) {
                return Err(if fields.arrays {
                    users.index(i).error(format!("member id {problem}"))
                } else {
                    users.error(format!("member id at index {i} {problem}"))
                });
            }
        }
        if self.party_ids().len() > Self::MAX_PARTIES {
            return Err(Path::root(fields.parties).error(format!(
                "at most {} department ids per request (got {})",
                Self::MAX_PARTIES,
                self.party_ids().len()
            )));
        }
        if self.tag_ids().len() > Self::MAX_TAGS {
            return Err(Path::root(fields.tags).error(format!(
                "at most {} tag ids per request (got {})",
                Self::MAX_TAGS,
                self.tag_ids().len()
            )));
        }
        Ok(())
    }

    /// Recipients read from a request body: `@all` next to any list is refused, as WeCom
    /// would ignore the lists.
    ///
    /// # Errors
    /// The wire field that names recipients beside `@all`.
    pub fn from_parts(
        all: bool,
        audience: Audience,
        fields: RecipientFields,
    ) -> Result<Self, crate::InvalidArgument> {
        if !all {
            return Ok(Recipients::Listed(audience));
        }
        let extra = if !audience.users.is_empty() {
            Some((fields.users, "member ids"))
        } else if !audience.parties.is_empty() {
            Some((fields.parties, "departments"))
        } else if !audience.tags.is_empty() {
            Some((fields.tags, "tags"))
        } else {
            None
        };
        match extra {
            Some((field, what)) => Err(Path::root(field).error(format!(
                "cannot name {what} when sending to everyone ({}); WeCom would ignore them",
                fields.all
            ))),
            None => Ok(Recipients::All),
        }
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
