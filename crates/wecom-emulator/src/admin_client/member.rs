//! [`Member`]: act as one member of the emulated corp — each action is the admin API call
//! the web inbox makes, and answers with the callback record once the app has answered.

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::{Value, json};

use super::types::{AibotTurn, GroupInfo, InboxMessage};
use super::{AdminApiError, AdminClient, encode, field};
use crate::callback::CallbackRecord;
use crate::state::GroupMessage;

/// One member of the emulated corp, to act as (from [`crate::EmulatorHandle::member`] or
/// [`AdminClient::member`]). Cheap to clone.
///
/// Actions wait until the callback they cause is delivered (or has failed) and answer with
/// its [`CallbackRecord`]: whether it was delivered, the app's passive reply and what it
/// did, and when it failed, why ([`CallbackRecord::error`]). A refused action (unknown
/// member, message or key; a card already disabled) is [`AdminApiError::Refused`].
#[derive(Debug, Clone)]
pub struct Member {
    admin: AdminClient,
    userid: String,
}

impl Member {
    pub(super) fn new(admin: AdminClient, userid: String) -> Self {
        Self { admin, userid }
    }

    /// The member's UserID.
    pub fn userid(&self) -> &str {
        &self.userid
    }

    fn path(&self, rest: &str) -> String {
        format!("/emulator/users/{}{rest}", encode(&self.userid))
    }

    /// Sends the app `agentid` a text, which reaches it as a `text` message callback.
    pub async fn send_text(
        &self,
        agentid: i64,
        content: &str,
    ) -> Result<CallbackRecord, AdminApiError> {
        let body = json!({ "agentid": agentid, "msgtype": "text", "content": content });
        self.admin.call(Method::POST, &self.path("/messages"), Some(&body)).await
    }

    /// Triggers an event of the app `agentid` (`enter_agent`, `click` with a menu key, …).
    pub async fn event(
        &self,
        agentid: i64,
        event: &str,
        event_key: &str,
    ) -> Result<CallbackRecord, AdminApiError> {
        let body = json!({ "agentid": agentid, "event": event, "event_key": event_key });
        self.admin.call(Method::POST, &self.path("/events"), Some(&body)).await
    }

    /// Presses the button `key` of a `button_interaction` card (`msgid` from the send's
    /// receipt); the app gets a `template_card_event` with a fresh `ResponseCode`.
    pub async fn click(
        &self,
        msgid: impl AsRef<str>,
        key: &str,
    ) -> Result<CallbackRecord, AdminApiError> {
        let path = self.path(&format!("/cards/{}/click", encode(msgid.as_ref())));
        self.admin.call(Method::POST, &path, Some(&json!({ "key": key }))).await
    }

    /// Submits a `vote_interaction` or `multiple_interaction` card with the chosen option
    /// ids per question key; questions left out keep the card's defaults.
    ///
    /// ```no_run
    /// # async fn f(alice: wecom_emulator::Member, msgid: String) -> Result<(), wecom_emulator::AdminApiError> {
    /// alice.submit(&msgid, [("lunch", ["noodles"])]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn submit<Q, O, I>(
        &self,
        msgid: impl AsRef<str>,
        selections: impl IntoIterator<Item = (Q, I)>,
    ) -> Result<CallbackRecord, AdminApiError>
    where
        Q: Into<String>,
        O: Into<String>,
        I: IntoIterator<Item = O>,
    {
        let selections: BTreeMap<String, Vec<String>> = selections
            .into_iter()
            .map(|(q, o)| (q.into(), o.into_iter().map(Into::into).collect()))
            .collect();
        let path = self.path(&format!("/cards/{}/submit", encode(msgid.as_ref())));
        self.admin.call(Method::POST, &path, Some(&json!({ "selections": selections }))).await
    }

    /// Picks the item `key` of a card's action menu (`template_card_menu_event`).
    pub async fn menu(
        &self,
        msgid: impl AsRef<str>,
        key: &str,
    ) -> Result<CallbackRecord, AdminApiError> {
        let path = self.path(&format!("/cards/{}/menu", encode(msgid.as_ref())));
        self.admin.call(Method::POST, &path, Some(&json!({ "key": key }))).await
    }

    /// What the member received from apps and sent to them, newest first (the last 200).
    pub async fn inbox(&self) -> Result<Vec<InboxMessage>, AdminApiError> {
        let path = self.path("/inbox");
        let v: Value = self.admin.call(Method::GET, &path, None).await?;
        field(&path, v, "messages")
    }

    /// The group chats the member is in.
    pub async fn groups(&self) -> Result<Vec<GroupInfo>, AdminApiError> {
        let path = "/emulator/groups";
        let v: Value = self.admin.call(Method::GET, path, None).await?;
        let groups: Vec<GroupInfo> = field(path, v, "groups")?;
        let me = self.userid.to_ascii_lowercase();
        Ok(groups
            .into_iter()
            .filter(|g| g.members.iter().any(|m| m.eq_ignore_ascii_case(&me)))
            .collect())
    }

    /// What webhook bots posted into the group `chatid`, oldest first (check
    /// [`GroupMessage::mentions`] for this member).
    pub async fn group_messages(&self, chatid: &str) -> Result<Vec<GroupMessage>, AdminApiError> {
        let path = format!("/emulator/groups/{}/messages", encode(chatid));
        let v: Value = self.admin.call(Method::GET, &path, None).await?;
        field(&path, v, "messages")
    }

    /// Asks the AI bot `botid` in a one-to-one chat and waits until its answer is finished
    /// (a stream to its end, or a failure).
    pub async fn ask(&self, botid: &str, text: &str) -> Result<AibotTurn, AdminApiError> {
        let path = format!("/emulator/aibots/{}/messages?wait=finish", encode(botid));
        let body = json!({ "userid": self.userid, "content": text });
        self.admin.call(Method::POST, &path, Some(&body)).await
    }
}
