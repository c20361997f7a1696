//! `linkedcorp/message/send`: messages from an app to members of linked corps (互联企业).
//!
//! Recipients are named across corps: a member as `corpid/userid`, a department as
//! `linked_id/department_id` ([`LinkedUser`], [`LinkedParty`]); ids of the sending corp itself
//! are written bare. Lists are JSON arrays here, not `|`-joined strings. `toall: 1` reaches
//! everyone in the app's visible range and cannot be combined with lists
//! ([`LinkedRecipients::All`]).
//!
//! ```
//! use wecom_model::linkedcorp::{LinkedMessageRequest, LinkedParty, LinkedRecipients, LinkedUser};
//! use wecom_model::message::Text;
//!
//! let to = LinkedRecipients::users([LinkedUser::linked("wwpartner01", "zhangsan"), LinkedUser::local("alice")])
//!     .and_parties([LinkedParty::linked("lk01", 2)]);
//! let req = LinkedMessageRequest::new(1000002, to, Text::new("Stock check at 5 pm."));
//! req.validate()?;
//! assert_eq!(serde_json::to_value(&req).unwrap()["touser"], serde_json::json!(["wwpartner01/zhangsan", "alice"]));
//! # Ok::<(), wecom_model::InvalidArgument>(())
//! ```

mod recipient;
mod request;

pub use recipient::{LinkedParty, LinkedRecipients, LinkedUser};
pub use request::{LINKED_MSGTYPES, LinkedMessageRequest};
