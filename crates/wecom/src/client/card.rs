//! `message/update_template_card`: change a sent template card with its single-use
//! `response_code`.

use super::{Call, Client, Replay};
use crate::error::{InvalidArgument, Result};
use crate::update_card::{UpdateTemplateCard, UpdateTemplateCardResponse};

const UPDATE_TEMPLATE_CARD: &str = "/cgi-bin/message/update_template_card";

impl Client {
    /// Updates a sent template card (`message/update_template_card`): greys out its buttons
    /// or replaces it, for some or all of its receivers. The update is validated first; an
    /// invalid one fails with [`Error::InvalidArgument`](crate::Error::InvalidArgument) and
    /// nothing is sent. Members the update did not reach come back in
    /// [`invalid_users`](UpdateTemplateCardResponse::invalid_users).
    ///
    /// The `response_code` comes from the send's
    /// [`SendReceipt::response_code`](crate::SendReceipt::response_code) or from a
    /// `template_card_event` callback, and works **once**, within 72 hours. So:
    ///
    /// * errcode −1 (system busy) is retried like every call: WeCom did not act on it;
    /// * a connection that could not be opened is retried: nothing was sent;
    /// * a timeout or a broken connection is **not** retried. WeCom may already have applied
    ///   the update and used up the code, and a second request would then fail although the
    ///   first worked. The [`Error::Transport`](crate::Error::Transport) returned means "outcome
    ///   unknown": look at the card, and if it did not change, update it with the fresh
    ///   `response_code` of the card's next callback.
    ///
    /// ```no_run
    /// # async fn run(client: wecom::Client, receipt: wecom::SendReceipt) -> wecom::Result<()> {
    /// use wecom::{Recipients, UpdateTemplateCard};
    ///
    /// let code = receipt.response_code.expect("interactive cards return a response_code");
    /// let update = UpdateTemplateCard::replace_button(code, Recipients::all(), "Approved");
    /// let answer = client.update_template_card(update).await?;
    /// if !answer.invalid_users.is_empty() {
    ///     eprintln!("not updated for {:?}", answer.invalid_users);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn update_template_card(
        &self,
        update: UpdateTemplateCard,
    ) -> Result<UpdateTemplateCardResponse> {
        update.validate()?;
        let body = serde_json::to_vec(&update.to_body(self.agent_id())).map_err(|e| {
            InvalidArgument::new("template_card", format!("cannot be serialized to JSON: {e}"))
        })?;
        let call = Call::post_json_bytes(UPDATE_TEMPLATE_CARD, body).replay(Replay::Unsafe);
        self.call(call).await
    }
}
