//! Application messages for `message/send`: the content ([`Message`], one type per
//! `msgtype`), who receives it ([`Recipients`]), the send options ([`SendOptions`], [`Safe`])
//! and the full request body ([`MessageRequest`]).
//!
//! Every kind has its required fields in its constructor and optional ones as chainable
//! setters, and converts into [`Message`] with `From`, so a message reads as what it is:
//!
//! ```
//! use wecom_model::message::{MessageRequest, Recipients, Text};
//!
//! let req = MessageRequest::new(1000002, Recipients::users(["alice"]), Text::new("hi"));
//! req.validate()?;
//! # Ok::<(), wecom_model::InvalidArgument>(())
//! ```
//!
//! Template cards live in [`crate::card`] and convert into [`Message`] the same way.

use crate::msgtype::msgtype_enum;

use crate::InvalidArgument;
use crate::card::{CardContext, TemplateCard};
use crate::validate::Path;

mod file;
mod image;
mod markdown;
mod miniprogram_notice;
mod mpnews;
mod news;
mod options;
mod recipients;
pub(crate) mod request;
mod setters;
mod text;
mod textcard;
mod video;
mod voice;

pub use file::File;
pub use image::Image;
pub use markdown::Markdown;
pub use miniprogram_notice::{ContentItem, MiniProgramNotice};
pub use mpnews::{MpArticle, MpNews};
pub use news::{Article, News};
pub use options::{
    DEFAULT_DUPLICATE_CHECK_INTERVAL, MAX_DUPLICATE_CHECK_INTERVAL, Safe, SendOptions,
};
pub use recipients::{Audience, Recipients};
pub use recipients::{RecipientFields, SEND_FIELDS, member_key, user_id_problem};
pub use request::MessageRequest;
pub use text::Text;
pub use textcard::TextCard;
pub use video::Video;
pub use voice::Voice;

msgtype_enum! {
    /// The content of an application message, tagged on the wire by `msgtype`.
    ///
    /// Every kind converts into it with `From`/`Into`; it serializes to
    /// `{"msgtype": "text", "text": {…}}` and reads the same JSON back.
    ///
    /// ```
    /// use wecom_model::message::{Message, Text};
    ///
    /// let message: Message = Text::new("hi").into();
    /// assert_eq!(message.msgtype(), "text");
    /// assert_eq!(
    ///     serde_json::to_value(&message)?,
    ///     serde_json::json!({ "msgtype": "text", "text": { "content": "hi" } })
    /// );
    /// message.validate()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub enum Message {
        /// `text`.
        Text(Text) = "text",
        /// `image`.
        Image(Image) = "image",
        /// `voice`.
        Voice(Voice) = "voice",
        /// `video`.
        Video(Video) = "video",
        /// `file`.
        File(File) = "file",
        /// `textcard`.
        TextCard(TextCard) = "textcard",
        /// `news`.
        News(News) = "news",
        /// `mpnews`.
        MpNews(MpNews) = "mpnews",
        /// `markdown`.
        Markdown(Markdown) = "markdown",
        /// `miniprogram_notice`.
        MiniProgramNotice(MiniProgramNotice) = "miniprogram_notice",
        /// `template_card`.
        TemplateCard(TemplateCard) = "template_card",
    }
}

impl Message {
    /// Checks every documented hard limit of the content; errors name the field as it appears
    /// in the request body (`news.articles[0].title`).
    pub fn validate(&self) -> Result<(), InvalidArgument> {
        let path = Path::root(self.msgtype());
        match self {
            Message::Text(m) => m.validate(&path),
            Message::Image(m) => m.validate(&path),
            Message::Voice(m) => m.validate(&path),
            Message::Video(m) => m.validate(&path),
            Message::File(m) => m.validate(&path),
            Message::TextCard(m) => m.validate(&path),
            Message::News(m) => m.validate(&path),
            Message::MpNews(m) => m.validate(&path),
            Message::Markdown(m) => m.validate(&path),
            Message::MiniProgramNotice(m) => m.validate(&path),
            Message::TemplateCard(m) => m.validate_in(&path, CardContext::Send),
        }
    }
}
