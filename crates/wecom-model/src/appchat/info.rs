//! [`ChatInfo`]: what `GET /cgi-bin/appchat/get` answers in `chat_info`.

use serde::{Deserialize, Serialize};

use crate::ids::ChatId;

/// An app group chat as `appchat/get` describes it (`chat_info`).
///
/// ```
/// use wecom_model::appchat::ChatInfo;
///
/// let info: ChatInfo = serde_json::from_str(
///     r#"{"chatid":"ops1","name":"Ops","owner":"alice","userlist":["alice","bob"]}"#,
/// ).unwrap();
/// assert_eq!(info.chatid, "ops1");
/// assert_eq!(info.userlist, ["alice", "bob"]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChatInfo {
    /// The chat id.
    pub chatid: ChatId,
    /// The name.
    #[serde(default)]
    pub name: String,
    /// The owner's UserID.
    #[serde(default)]
    pub owner: String,
    /// The members' UserIDs.
    #[serde(default)]
    pub userlist: Vec<String>,
}
