//! `POST /cgi-bin/appchat/create`: a new group chat of the app ([`Client::create_chat`]).

use serde::Deserialize;
use wecom_model::ChatId;
use wecom_model::appchat::CreateChat;

use crate::client::{Call, Client, Replay};
use crate::error::Result;

const CREATE: &str = "/cgi-bin/appchat/create";

#[derive(Deserialize)]
struct Created {
    #[serde(default)]
    chatid: ChatId,
}

impl Client {
    /// Creates a group chat (`appchat/create`) and returns its id: the one chosen with
    /// [`CreateChat::chat_id`], or the one WeCom generated. The request is validated first
    /// (name, 2 to 2,000 members, owner among them, chat id characters); nothing is sent when
    /// it is invalid. A chat appears in the members' WeCom only once a message is posted.
    ///
    /// Not repeated after a timeout (a second create would make a second chat, or fail on
    /// the chosen id): on [`Error::Transport`](crate::Error::Transport) the outcome is
    /// unknown; [`get_chat`](Client::get_chat) tells for a chosen id.
    ///
    /// ```no_run
    /// # async fn run(client: wecom::Client) -> wecom::Result<()> {
    /// use wecom::api::appchat::CreateChat;
    ///
    /// let chatid = client
    ///     .create_chat(CreateChat::new("Release 1.4", ["alice", "bob"]).owner("alice"))
    ///     .await?;
    /// println!("created {chatid}");
    /// # Ok(()) }
    /// ```
    pub async fn create_chat(&self, request: CreateChat) -> Result<ChatId> {
        request.validate()?;
        let call = Call::post_json(CREATE, &request)?.replay(Replay::Unsafe);
        let created: Created = self.call(call).await?;
        let chatid = if created.chatid.is_empty() {
            request.chatid.clone().unwrap_or_default()
        } else {
            created.chatid
        };
        if let Some(limiter) = self.limiter() {
            limiter.chats().set_members(&chatid, request.userlist);
        }
        Ok(chatid)
    }
}
