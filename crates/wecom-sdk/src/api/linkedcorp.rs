//! The `linkedcorp/*` endpoints: messages to members of linked corps (互联企业).
//!
//! | Endpoint | File | Method |
//! |---|---|---|
//! | `linkedcorp/message/send` | `api/linkedcorp/send.rs` | [`Client::send_linked`](crate::Client::send_linked) |

pub mod send;

pub use wecom_model::linkedcorp::{
    LinkedMessageRequest, LinkedParty, LinkedRecipients, LinkedUser,
};
