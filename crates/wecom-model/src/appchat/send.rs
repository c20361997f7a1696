//! [`AppChatRequest`]: the body of `POST /cgi-bin/appchat/send`.

use serde::{Deserialize, Serialize};

use super::check_chat_id;
use crate::InvalidArgument;
use crate::ids::ChatId;
use crate::message::request::check_safe;
use crate::message::{Message, Safe};
use crate::validate::{Path, not_allowed};

/// The body of `appchat/send`: a message from the app into one of its group chats.
///
/// The content is the shared [`Message`] model with its validation; the kinds a chat takes
/// are text, image, voice, video, file, textcard, news, mpnews and markdown — no template
/// card and no mini program notice. There is no `agentid` (the token's app sends) and there
/// are no recipients (every member of the chat receives it). `text` carries only `content`:
/// WeCom's page for this endpoint documents no mention list, so none is sent.
///
/// Each member receives at most 200 messages a minute and 10,000 a day from one app in
/// chats; WeCom drops the excess without an error (the client's throttle counts them).
///
/// ```
/// use wecom_model::appchat::AppChatRequest;
/// use wecom_model::message::Text;
///
/// let req = AppChatRequest::new("ops1", Text::new("Deploy finished.")).safe(true);
/// req.validate()?;
/// assert_eq!(
///     serde_json::to_value(&req).unwrap(),
///     serde_json::json!({
///         "chatid": "ops1", "msgtype": "text", "text": { "content": "Deploy finished." }, "safe": 1
///     })
/// );
/// # Ok::<(), wecom_model::InvalidArgument>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AppChatRequest {
    /// The chat.
    pub chatid: ChatId,
    /// What is posted (`msgtype` and its object).
    #[serde(flatten)]
    pub message: Message,
    /// `safe`: text, image, video, file and mpnews only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safe: Option<Safe>,
}

impl AppChatRequest {
    /// Posts `message` into the chat `chatid`.
    pub fn new(chatid: impl Into<ChatId>, message: impl Into<Message>) -> Self {
        Self { chatid: chatid.into(), message: message.into(), safe: None }
    }

    /// Sets `safe` (`true`: confidential, shown with a watermark).
    #[must_use]
    pub fn safe(mut self, safe: impl Into<Safe>) -> Self {
        self.safe = Some(safe.into());
        self
    }

    /// Whether app chats take this kind of message.
    pub fn allows(message: &Message) -> bool {
        !matches!(message, Message::TemplateCard(_) | Message::MiniProgramNotice(_))
    }

    /// Checks the chat id, the kind, the content's limits and `safe` before anything is sent.
    ///
    /// ```
    /// use wecom_model::appchat::AppChatRequest;
    /// use wecom_model::card::{Button, ButtonInteraction};
    ///
    /// let card = ButtonInteraction::new("Deploy?", "deploy-42", [Button::callback("Go", "go")]);
    /// let err = AppChatRequest::new("ops1", card).validate().unwrap_err();
    /// assert_eq!(err.field, "msgtype");
    /// ```
    pub fn validate(&self) -> Result<(), InvalidArgument> {
        check_chat_id(&Path::root("chatid"), &self.chatid)?;
        if !Self::allows(&self.message) {
            return Err(not_allowed(
                &Path::root("msgtype"),
                format_args!(
                    "to be {} in an app group chat; chats take text, image, voice, video, \
                     file, textcard, news, mpnews and markdown",
                    self.message.msgtype()
                ),
            ));
        }
        self.message.validate()?;
        if let Some(safe) = self.safe {
            check_safe(&self.message, safe)?;
        }
        Ok(())
    }
}
