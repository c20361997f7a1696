//! `POST /cgi-bin/linkedcorp/message/send`: a message from this app to members of the corp
//! and of linked corps ([`Client::send_linked`], [`LinkedReceipt`]).

use serde::Deserialize;
use wecom_model::linkedcorp::{LinkedMessageRequest, LinkedRecipients};

use crate::client::{Call, Client, Replay};
use crate::error::{InvalidArgument, Result};
use crate::message::Message;

const SEND: &str = "/cgi-bin/linkedcorp/message/send";

/// What `linkedcorp/message/send` reports back: recipients that did not receive the message,
/// as JSON arrays (not `|`-joined strings as in `message/send`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct LinkedReceipt {
    /// `invaliduser`, in the form sent (`corpid/userid` or `userid`).
    #[serde(default, rename = "invaliduser")]
    pub invalid_users: Vec<String>,
    /// `invalidparty`.
    #[serde(default, rename = "invalidparty")]
    pub invalid_parties: Vec<String>,
    /// `invalidtag`.
    #[serde(default, rename = "invalidtag")]
    pub invalid_tags: Vec<String>,
}

impl LinkedReceipt {
    /// Whether every named recipient was valid.
    pub fn all_delivered(&self) -> bool {
        self.invalid_users.is_empty()
            && self.invalid_parties.is_empty()
            && self.invalid_tags.is_empty()
    }
}

impl Client {
    /// Sends `message` from this app to members of the corp and its linked corps
    /// (`linkedcorp/message/send`). Validated first (recipient forms and counts, kind — no
    /// template cards —, content limits).
    ///
    /// Not repeated after a timeout (there is no duplicate check here): on
    /// [`Error::DeliveryUnknown`](crate::Error::DeliveryUnknown) the outcome is unknown. The
    /// per-member throttle does not count these sends: a linked corp's members are not
    /// this corp's.
    ///
    /// ```no_run
    /// # async fn run(client: wecom::Client) -> wecom::Result<()> {
    /// use wecom::api::linkedcorp::{LinkedRecipients, LinkedUser};
    /// use wecom::Text;
    ///
    /// let to = LinkedRecipients::users([LinkedUser::linked("wwpartner01", "zhangsan")]);
    /// let receipt = client.send_linked(to, Text::new("Stock check at 5 pm.")).await?;
    /// assert!(receipt.all_delivered());
    /// # Ok(()) }
    /// ```
    pub async fn send_linked(
        &self,
        recipients: LinkedRecipients,
        message: impl Into<Message>,
    ) -> Result<LinkedReceipt> {
        self.send_linked_request(LinkedMessageRequest::new(self.agent_id(), recipients, message))
            .await
    }

    /// Sends a ready-made linked-corp request; its `agentid` must be this client's.
    pub async fn send_linked_request(
        &self,
        request: LinkedMessageRequest,
    ) -> Result<LinkedReceipt> {
        request.validate()?;
        if request.agent_id != self.agent_id() {
            return Err(InvalidArgument::new(
                "agentid",
                format!(
                    "is {}, but this client sends for agent {}",
                    request.agent_id,
                    self.agent_id()
                ),
            )
            .into());
        }
        let call = Call::post_json(SEND, &request)?.replay(Replay::Send { duplicate_check: false });
        self.call(call).await
    }
}
