//! Recipients across linked corps: [`LinkedUser`] (`corpid/userid`), [`LinkedParty`]
//! (`linked_id/department_id`) and [`LinkedRecipients`].

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::InvalidArgument;
use crate::limits::{PARTIES, TAGS, USERS};
use crate::message::user_id_problem;
use crate::validate::{Check, Path, count};

/// A member: of the sending corp (`userid`) or of a linked corp (`corpid/userid`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LinkedUser {
    /// A member of the sending corp.
    Local(String),
    /// A member of a linked corp.
    Linked {
        /// The linked corp's corp id.
        corp_id: String,
        /// The member's UserID there.
        user_id: String,
    },
}

impl LinkedUser {
    /// A member of the sending corp.
    pub fn local(user_id: impl Into<String>) -> Self {
        Self::Local(user_id.into())
    }

    /// Member `user_id` of the linked corp `corp_id`.
    pub fn linked(corp_id: impl Into<String>, user_id: impl Into<String>) -> Self {
        Self::Linked { corp_id: corp_id.into(), user_id: user_id.into() }
    }

    fn check(&self, path: &Path<'_>) -> Check {
        let (corp, user) = match self {
            Self::Local(u) => (None, u),
            Self::Linked { corp_id, user_id } => (Some(corp_id), user_id),
        };
        if let Some(corp) = corp
            && (corp.is_empty() || corp.contains('/') || corp.chars().any(char::is_whitespace))
        {
            return Err(path.error(format!(
                "has corp id {corp:?}; it must be non-empty, without `/` or whitespace"
            )));
        }
        if user.contains('/') {
            return Err(path.error("contains more than one `/` (write corpid/userid)"));
        }
        match user_id_problem(user) {
            Some(problem) => Err(path.error(format!("user id {problem}"))),
            None => Ok(()),
        }
    }
}

impl fmt::Display for LinkedUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Local(u) => f.write_str(u),
            Self::Linked { corp_id, user_id } => write!(f, "{corp_id}/{user_id}"),
        }
    }
}

impl FromStr for LinkedUser {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.split_once('/') {
            Some((corp, user)) => Self::linked(corp, user),
            None => Self::local(s),
        })
    }
}

impl From<&str> for LinkedUser {
    fn from(s: &str) -> Self {
        s.parse().unwrap_or_else(|never| match never {})
    }
}

/// A department: of the sending corp (`department_id`) or of a linked corp
/// (`linked_id/department_id`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LinkedParty {
    /// A department of the sending corp.
    Local(u64),
    /// A department of a linked corp.
    Linked {
        /// The link's id (互联企业 id as WeCom shows it).
        linked_id: String,
        /// The department id there.
        department_id: u64,
    },
}

impl LinkedParty {
    /// A department of the sending corp.
    pub fn local(department_id: u64) -> Self {
        Self::Local(department_id)
    }

    /// Department `department_id` of the link `linked_id`.
    pub fn linked(linked_id: impl Into<String>, department_id: u64) -> Self {
        Self::Linked { linked_id: linked_id.into(), department_id }
    }

    fn check(&self, path: &Path<'_>) -> Check {
        if let Self::Linked { linked_id, .. } = self
            && (linked_id.is_empty()
                || linked_id.contains('/')
                || linked_id.chars().any(char::is_whitespace))
        {
            return Err(path.error(format!(
                "has linked id {linked_id:?}; it must be non-empty, without `/` or whitespace"
            )));
        }
        Ok(())
    }
}

impl fmt::Display for LinkedParty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Local(d) => write!(f, "{d}"),
            Self::Linked { linked_id, department_id } => write!(f, "{linked_id}/{department_id}"),
        }
    }
}

impl FromStr for LinkedParty {
    type Err = InvalidArgument;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || InvalidArgument::new("toparty", format!("{s:?} is not a department id"));
        match s.split_once('/') {
            Some((link, dep)) => Ok(Self::linked(link, dep.parse().map_err(|_| bad())?)),
            None => Ok(Self::local(s.parse().map_err(|_| bad())?)),
        }
    }
}

macro_rules! as_string {
    ($t:ty) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

as_string!(LinkedUser);
as_string!(LinkedParty);

/// Who receives a linked-corp message: everyone in the app's range (`toall: 1`) or lists of
/// members, departments and tags. Never defaulted, never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkedRecipients {
    /// `toall: 1`: everyone in the app's visible range (linked corps included).
    All,
    /// These members, departments and tags.
    Listed {
        /// `touser`.
        users: Vec<LinkedUser>,
        /// `toparty`.
        parties: Vec<LinkedParty>,
        /// `totag`: tag ids of the sending corp.
        tags: Vec<u64>,
    },
}

impl LinkedRecipients {
    /// Everyone in the app's visible range.
    pub fn all() -> Self {
        Self::All
    }

    /// These members.
    pub fn users<I: IntoIterator<Item = LinkedUser>>(users: I) -> Self {
        Self::Listed { users: users.into_iter().collect(), parties: vec![], tags: vec![] }
    }

    /// These departments.
    pub fn parties<I: IntoIterator<Item = LinkedParty>>(parties: I) -> Self {
        Self::Listed { users: vec![], parties: parties.into_iter().collect(), tags: vec![] }
    }

    /// Adds departments (no effect on [`LinkedRecipients::All`], which has no lists).
    #[must_use]
    pub fn and_parties<I: IntoIterator<Item = LinkedParty>>(mut self, more: I) -> Self {
        if let Self::Listed { parties, .. } = &mut self {
            parties.extend(more);
        }
        self
    }

    /// Adds tags (no effect on [`LinkedRecipients::All`]).
    #[must_use]
    pub fn and_tags<I: IntoIterator<Item = u64>>(mut self, more: I) -> Self {
        if let Self::Listed { tags, .. } = &mut self {
            tags.extend(more);
        }
        self
    }

    /// The members named (none for `All`).
    pub fn user_list(&self) -> &[LinkedUser] {
        match self {
            Self::All => &[],
            Self::Listed { users, .. } => users,
        }
    }

    pub(crate) fn validate(&self) -> Check {
        let Self::Listed { users, parties, tags } = self else { return Ok(()) };
        if users.is_empty() && parties.is_empty() && tags.is_empty() {
            return Err(Path::root("touser")
                .error("touser, toparty and totag are all empty; name recipients or use toall"));
        }
        let u = Path::root("touser");
        count(&u, users.len(), 0, USERS)?;
        for (i, user) in users.iter().enumerate() {
            user.check(&u.index(i))?;
        }
        let p = Path::root("toparty");
        count(&p, parties.len(), 0, PARTIES)?;
        for (i, party) in parties.iter().enumerate() {
            party.check(&p.index(i))?;
        }
        count(&Path::root("totag"), tags.len(), 0, TAGS)
    }
}
