//! `open_approval_change`: the state of an approval started from the app (`ApprovalInfo`).

use serde::{Deserialize, Serialize};

use crate::callback::ParseError;
use crate::callback::fields::Fields;
use crate::string_enum::code_enum;

code_enum! {
    /// `OpenSpStatus`: where the whole approval stands ([`ApprovalInfo::status`]).
    pub enum ApprovalStatus {
        /// 1: waiting for approvers.
        Pending = 1,
        /// 2: approved.
        Approved = 2,
        /// 3: rejected.
        Rejected = 3,
        /// 4: cancelled by the applicant.
        Cancelled = 4,
    }
}

code_enum! {
    /// `NodeStatus` and `ItemStatus`: where one step, or one approver of it, stands
    /// ([`ApprovalNode::status`], [`ApprovalItem::status`]).
    pub enum StepStatus {
        /// 1: waiting.
        Pending = 1,
        /// 2: approved.
        Approved = 2,
        /// 3: rejected.
        Rejected = 3,
        /// 4: transferred to someone else.
        Transferred = 4,
    }
}

/// `ApprovalInfo`: an approval's state after a change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalInfo {
    /// `ThirdNo`: the approval number the app gave it.
    pub third_no: String,
    /// `OpenSpName`: the template's name.
    pub open_sp_name: String,
    /// `OpenTemplateId`.
    pub open_template_id: String,
    /// `OpenSpStatus`: 1 pending, 2 approved, 3 rejected, 4 cancelled.
    pub open_sp_status: u32,
    /// `ApplyTime`: Unix seconds.
    pub apply_time: u64,
    /// `ApplyUserName`.
    pub apply_user_name: String,
    /// `ApplyUserId`.
    pub apply_user_id: String,
    /// `ApplyUserParty`.
    pub apply_user_party: String,
    /// `ApplyUserImage`.
    pub apply_user_image: String,
    /// `ApprovalNodes/ApprovalNode`, in order.
    pub approval_nodes: Vec<ApprovalNode>,
    /// `NotifyNodes/NotifyNode`: members copied.
    pub notify_nodes: Vec<NotifyNode>,
    /// `approverstep`: the current step, 0-based.
    pub approver_step: u32,
}

/// `ApprovalNode`: one step of the approval.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalNode {
    /// `NodeStatus`: 1 pending, 2 approved, 3 rejected, 4 transferred.
    pub node_status: u32,
    /// `NodeAttr`: 1 any one approves, 2 all must approve.
    pub node_attr: u32,
    /// `NodeType`: 1 fixed members, 2 tag, 3 superior.
    pub node_type: u32,
    /// `Items/Item`: the approvers of this step.
    pub items: Vec<ApprovalItem>,
}

/// `Item`: one approver of a step.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalItem {
    /// `ItemName`.
    pub item_name: String,
    /// `ItemUserId`.
    pub item_user_id: String,
    /// `ItemImage`: avatar URL.
    pub item_image: String,
    /// `ItemStatus`: 1 pending, 2 approved, 3 rejected, 4 transferred.
    pub item_status: u32,
    /// `ItemSpeech`: the approver's comment.
    pub item_speech: String,
    /// `ItemOpTime`: when they acted (Unix seconds; 0 if not yet).
    pub item_op_time: u64,
}

/// `NotifyNode`: a member copied on the approval.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotifyNode {
    /// `ItemName`.
    pub item_name: String,
    /// `ItemUserId`.
    pub item_user_id: String,
    /// `ItemImage`: avatar URL.
    pub item_image: String,
}

impl ApprovalInfo {
    /// `OpenSpStatus` as a typed status.
    pub fn status(&self) -> ApprovalStatus {
        self.open_sp_status.into()
    }

    pub(super) fn read(f: Fields<'_, '_>) -> Result<Self, ParseError> {
        let Some(a) = f.child("ApprovalInfo") else { return Ok(ApprovalInfo::default()) };
        let approval_nodes = match a.child("ApprovalNodes") {
            Some(nodes) => nodes
                .children_named("ApprovalNode")
                .map(ApprovalNode::read)
                .collect::<Result<_, _>>()?,
            None => Vec::new(),
        };
        let notify_nodes = match a.child("NotifyNodes") {
            Some(nodes) => nodes
                .children_named("NotifyNode")
                .map(|n| NotifyNode {
                    item_name: n.string("ItemName"),
                    item_user_id: n.string("ItemUserId"),
                    item_image: n.string("ItemImage"),
                })
                .collect(),
            None => Vec::new(),
        };
        Ok(ApprovalInfo {
            third_no: a.string("ThirdNo"),
            open_sp_name: a.string("OpenSpName"),
            open_template_id: a.string("OpenTemplateId"),
            open_sp_status: a.num("OpenSpStatus")?,
            apply_time: a.num("ApplyTime")?,
            apply_user_name: a.string("ApplyUserName"),
            apply_user_id: a.string("ApplyUserId"),
            apply_user_party: a.string("ApplyUserParty"),
            apply_user_image: a.string("ApplyUserImage"),
            approval_nodes,
            notify_nodes,
            approver_step: a.num("approverstep")?,
        })
    }
}

impl ApprovalItem {
    /// `ItemStatus` as a typed status.
    pub fn status(&self) -> StepStatus {
        self.item_status.into()
    }
}

impl ApprovalNode {
    /// `NodeStatus` as a typed status.
    pub fn status(&self) -> StepStatus {
        self.node_status.into()
    }

    fn read(n: Fields<'_, '_>) -> Result<Self, ParseError> {
        let items = match n.child("Items") {
            Some(items) => items
                .children_named("Item")
                .map(|i| {
                    Ok(ApprovalItem {
                        item_name: i.string("ItemName"),
                        item_user_id: i.string("ItemUserId"),
                        item_image: i.string("ItemImage"),
                        item_status: i.num("ItemStatus")?,
                        item_speech: i.string("ItemSpeech"),
                        item_op_time: i.num("ItemOpTime")?,
                    })
                })
                .collect::<Result<_, ParseError>>()?,
            None => Vec::new(),
        };
        Ok(ApprovalNode {
            node_status: n.num("NodeStatus")?,
            node_attr: n.num("NodeAttr")?,
            node_type: n.num("NodeType")?,
            items,
        })
    }
}
