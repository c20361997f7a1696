//! `GET /cgi-bin/appchat/get?chatid=`: a chat's name, owner and members
//! ([`Client::get_chat`]).

use serde::Deserialize;
use wecom_model::ChatId;
use wecom_model::appchat::{ChatInfo, check_chat_id};
use wecom_model::validate::Path;

use crate::client::{Call, Client, Replay};
use crate::error::Result;

const GET: &str = "/cgi-bin/appchat/get";

#[derive(Deserialize)]
struct Got {
    chat_info: ChatInfo,
}

impl Client {
    /// Reads a chat this app created (`appchat/get`).
    ///
    /// ```no_run
    /// # async fn run(client: wecom::Client) -> wecom::Result<()> {
    /// let chat = client.get_chat("rel14").await?;
    /// println!("{} ({} members, owner {})", chat.name, chat.userlist.len(), chat.owner);
    /// # Ok(()) }
    /// ```
    pub async fn get_chat(&self, chatid: impl Into<ChatId>) -> Result<ChatInfo> {
        let chatid: ChatId = chatid.into();
        check_chat_id(&Path::root("chatid"), &chatid)?;
        let call = Call::get(GET).query("chatid", chatid.as_str()).replay(Replay::Safe);
        let got: Got = self.call(call).await?;
        if let Some(limiter) = self.limiter() {
            limiter.chats().set_members(&chatid, got.chat_info.userlist.clone());
        }
        Ok(got.chat_info)
    }
}
