//! `change_contact`: members, departments and tags created, updated or deleted.
//!
//! Member changes reach the contacts-sync callback; each update carries only the fields that
//! changed, so every member field except the id is optional.

use crate::callback::ParseError;
use crate::callback::fields::Fields;
use crate::xml::Element;

/// What changed, by `ChangeType`.
#[derive(Debug, Clone, PartialEq, Eq)]
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
        match self {
            ContactChange::CreateUser(_) => "create_user",
            ContactChange::UpdateUser(_) => "update_user",
            ContactChange::DeleteUser(_) => "delete_user",
            ContactChange::CreateParty(_) => "create_party",
            ContactChange::UpdateParty(_) => "update_party",
            ContactChange::DeleteParty(_) => "delete_party",
            ContactChange::UpdateTag(_) => "update_tag",
        }
    }
}

/// A member created, updated or deleted. `None` means "not in this callback".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
    pub ext_attr: Option<Element>,
}

/// A department created, updated or deleted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
    Ok(Some(match change_type {
        "create_user" => ContactChange::CreateUser(Box::new(user(f)?)),
        "update_user" => ContactChange::UpdateUser(Box::new(user(f)?)),
        "delete_user" => ContactChange::DeleteUser(Box::new(user(f)?)),
        "create_party" => ContactChange::CreateParty(party(f)?),
        "update_party" => ContactChange::UpdateParty(party(f)?),
        "delete_party" => ContactChange::DeleteParty(party(f)?),
        "update_tag" => ContactChange::UpdateTag(tag(f)?),
        _ => return Ok(None),
    }))
}
