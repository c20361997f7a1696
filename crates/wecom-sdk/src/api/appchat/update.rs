//! `POST /cgi-bin/appchat/update`: rename a chat, change its owner, add and remove members
//! ([`Client::update_chat`]).

use serde::de::IgnoredAny;
use wecom_model::appchat::UpdateChat;

use crate::client::{Call, Client, Replay};
use crate::error::Result;

const UPDATE: &str = "/cgi-bin/appchat/update";

impl Client {
    /// Changes a chat this app created (`appchat/update`). Validated first; nothing is sent
    /// when the request is invalid. WeCom allows 100 updates per corp per hour.
    ///
    /// ```no_run
    /// # async fn run(client: wecom::Client) -> wecom::Result<()> {
    /// use wecom::api::appchat::UpdateChat;
    ///
    /// client.update_chat(UpdateChat::new("rel14").add_users(["carol"]).remove_users(["bob"])).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_chat(&self, request: UpdateChat) -> Result<()> {
        request.validate()?;
        // Repeating an update that reached WeCom applies the same change again: harmless for
        // a rename or owner change, but an add after a concurrent removal would re-add, so it
        // is not repeated.
        let call = Call::post_json(UPDATE, &request)?.replay(Replay::Unsafe);
        let _: IgnoredAny = self.call(call).await?;
        if let Some(limiter) = self.limiter() {
            limiter.chats().update_members(
                &request.chatid,
                &request.add_user_list,
                &request.del_user_list,
            );
        }
        Ok(())
    }
}
