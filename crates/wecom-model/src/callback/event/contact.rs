//! `change_contact`: members, departments and tags created, updated or deleted.
//!
//! Member changes reach the contacts-sync callback; each update carries only the fields that
//! changed, so every member field except the id is optional.

use serde::{Deserialize, Serialize};

use crate::callback::ParseError;
use crate::callback::fields::Fields;
use crate::string_enum::string_enum;
use crate::xml::Element;

string_enum! {
    /// `ChangeType` of a `change_contact` event: what [`ContactChange::kind`] reports. A
    /// change type not listed here makes the callback an [`Unknown`](crate::callback::Unknown).
    pub enum ChangeType {
        /// `create_user`.
        CreateUser = "create_user",
        /// `update_user`.
        UpdateUser = "update_user",
        /// `delete_user`.
        DeleteUser = "delete_user",
        /// `create_party`.
        CreateParty = "create_party",
        /// `update_party`.
        UpdateParty = "update_party",
        /// `delete_party`.
        DeleteParty = "delete_party",
        /// `update_tag`.
        UpdateTag = "update_tag",
    }
}

/// What changed, by `ChangeType`.
///
/// Serialized flat, with the change type under `"change_type"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change_type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ContactChange {
    /// `create_user`.
    CreateUser(Box<UserChange>),
    /// `update_user` (only changed fields are present; `NewUserID` if the id changed).
    UpdateUser(Box<UserChange>),
    /// `delete_user` (only `UserID`).
    DeleteUser(Box<UserChange>),
    /// `create_party`.
    CreateParty(PartyChange),
    /// `update_party` (only changed fields are present).
    UpdateParty(PartyChange),
    /// `delete_party` (only `Id`).
    DeleteParty(PartyChange),
    /// `update_tag`: members or departments added to or removed from a tag.
    UpdateTag(TagChange),
}

impl ContactChange {
    /// `ChangeType` as WeCom spells it.
    pub fn change_type(&self) -> &'static str {
        // Every variant maps to a known change type.
        self.kind().known_str().unwrap_or_default()
    }

    /// `ChangeType`, typed.
    pub fn kind(&self) -> ChangeType {
        match self {
            ContactChange::CreateUser(_) => ChangeType::CreateUser,
            ContactChange::UpdateUser(_) => ChangeType::UpdateUser,
            ContactChange::DeleteUser(_) => ChangeType::DeleteUser,
            ContactChange::CreateParty(_) => ChangeType::CreateParty,
            ContactChange::UpdateParty(_) => ChangeType::UpdateParty,
            ContactChange::DeleteParty(_) => ChangeType::DeleteParty,
            ContactChange::UpdateTag(_) => ChangeType::UpdateTag,
        }
    }
}

/// A member created, updated or deleted. `None` means "not in this callback".
///
/// Serialized with absent fields as `null`; `ext_attr` in the element-fields form of
/// [`Element::fields`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UserChange {
    /// `UserID`.
    pub user_id: String,
    /// `NewUserID`: the new id, when an update changed it.
    pub new_user_id: Option<String>,
    /// `OpenUserID` (third-party apps).
    pub open_user_id: Option<String>,
    /// `Name`.
    pub name: Option<String>,
    /// `Department`: department ids.
    pub department: Option<Vec<u64>>,
    /// `MainDepartment`.
    pub main_department: Option<u64>,
    /// `IsLeaderInDept`: per department in `department`, 1 if leader there.
    pub is_leader_in_dept: Option<Vec<u8>>,
    /// `DirectLeader`: UserIDs of the direct leaders.
    pub direct_leader: Option<Vec<String>>,
    /// `Position`.
    pub position: Option<String>,
    /// `Mobile`.
    pub mobile: Option<String>,
    /// `Gender`: 1 male, 2 female (0 unknown).
    pub gender: Option<u8>,
    /// `Email`.
    pub email: Option<String>,
    /// `BizMail`.
    pub biz_mail: Option<String>,
    /// `Status`: 1 active, 2 disabled, 4 not yet active, 5 left the corp.
    pub status: Option<u8>,
    /// `Avatar`: avatar URL.
    pub avatar: Option<String>,
    /// `Alias`.
    pub alias: Option<String>,
    /// `Telephone`.
    pub telephone: Option<String>,
    /// `Address`.
    pub address: Option<String>,
    /// `ExtAttr`: extended attributes, as sent (a list of `Item` elements).
    #[serde(serialize_with = "crate::xml::fields::serialize_opt")]
    pub ext_attr: Option<Element>,
}

/// A department created, updated or deleted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyChange {
    /// `Id`.
    pub id: u64,
    /// `Name`, if sent.
    pub name: Option<String>,
    /// `ParentId`, if sent.
    pub parent_id: Option<u64>,
    /// `Order`, if sent.
    pub order: Option<u64>,
}

/// Tag membership changed (`update_tag`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagChange {
    /// `TagId`.
    pub tag_id: u64,
    /// `AddUserItems`: members added.
    pub add_user_items: Vec<String>,
    /// `DelUserItems`: members removed.
    pub del_user_items: Vec<String>,
    /// `AddPartyItems`: departments added.
    pub add_party_items: Vec<u64>,
    /// `DelPartyItems`: departments removed.
    pub del_party_items: Vec<u64>,
}

fn user(f: Fields<'_, '_>) -> Result<UserChange, ParseError> {
    Ok(UserChange {
        user_id: f.string("UserID"),
        new_user_id: f.opt_string("NewUserID"),
        open_user_id: f.opt_string("OpenUserID"),
        name: f.opt_string("Name"),
        department: f.opt_num_list("Department")?,
        main_department: f.opt_num("MainDepartment")?,
        is_leader_in_dept: f.opt_num_list("IsLeaderInDept")?,
        direct_leader: f.opt_list("DirectLeader"),
        position: f.opt_string("Position"),
        mobile: f.opt_string("Mobile"),
        gender: f.opt_num("Gender")?,
        email: f.opt_string("Email"),
        biz_mail: f.opt_string("BizMail"),
        status: f.opt_num("Status")?,
        avatar: f.opt_string("Avatar"),
        alias: f.opt_string("Alias"),
        telephone: f.opt_string("Telephone"),
        address: f.opt_string("Address"),
        ext_attr: f.0.child("ExtAttr").map(crate::xml::doc::NodeRef::to_element),
    })
}

fn party(f: Fields<'_, '_>) -> Result<PartyChange, ParseError> {
    Ok(PartyChange {
        id: f.required("Id")?,
        name: f.opt_string("Name"),
        parent_id: f.opt_num("ParentId")?,
        order: f.opt_num("Order")?,
    })
}

fn tag(f: Fields<'_, '_>) -> Result<TagChange, ParseError> {
    Ok(TagChange {
        tag_id: f.required("TagId")?,
        add_user_items: f.opt_list("AddUserItems").unwrap_or_default(),
        del_user_items: f.opt_list("DelUserItems").unwrap_or_default(),
        add_party_items: f.opt_num_list("AddPartyItems")?.unwrap_or_default(),
        del_party_items: f.opt_num_list("DelPartyItems")?.unwrap_or_default(),
    })
}

/// `Ok(None)` for a `ChangeType` not listed here (it becomes an unknown callback).
pub(super) fn parse(f: Fields<'_, '_>) -> Result<Option<ContactChange>, ParseError> {
    let change_type = f.text("ChangeType").unwrap_or_default().trim_ascii();
    Ok(Some(match ChangeType::from(change_type) {
        ChangeType::CreateUser => ContactChange::CreateUser(Box::new(user(f)?)),
        ChangeType::UpdateUser => ContactChange::UpdateUser(Box::new(user(f)?)),
        ChangeType::DeleteUser => ContactChange::DeleteUser(Box::new(user(f)?)),
        ChangeType::CreateParty => ContactChange::CreateParty(party(f)?),
        ChangeType::UpdateParty => ContactChange::UpdateParty(party(f)?),
        ChangeType::DeleteParty => ContactChange::DeleteParty(party(f)?),
        ChangeType::UpdateTag => ContactChange::UpdateTag(tag(f)?),
        ChangeType::Other(_) => return Ok(None),
    }))
}
