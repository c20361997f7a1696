//! Passive replies: the XML a callback's HTTP response carries back to the member, encrypted.
//!
//! Build a [`Reply`], then either let the server send it (return it from your handler) or
//! serialize and encrypt it yourself with [`Reply::encrypt`]. Every reply is checked against
//! WeCom's limits before anything is written: an [`Error::Reply`] names the field and the
//! limit.
//!
//! ```
//! use wecom_callback::{Header, Reply};
//! use wecom_msgcrypt::MsgCrypt;
//!
//! let crypt = MsgCrypt::new("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7")?;
//! // The header of the callback being answered: the reply goes back to its sender.
//! let answering = Header {
//!     to_user_name: "wx5823bf96d3bd56c7".into(),
//!     from_user_name: "alice".into(),
//!     create_time: 1409659813,
//!     agent_id: Some(218),
//! };
//! let reply = Reply::text("pong");
//! assert_eq!(
//!     reply.to_xml("alice", "wx5823bf96d3bd56c7", 1409659814)?,
//!     "<xml><ToUserName><![CDATA[alice]]></ToUserName>\
//!      <FromUserName><![CDATA[wx5823bf96d3bd56c7]]></FromUserName>\
//!      <CreateTime>1409659814</CreateTime><MsgType><![CDATA[text]]></MsgType>\
//!      <Content><![CDATA[pong]]></Content></xml>"
//! );
//! let body = reply.encrypt(&crypt, &answering, "1409659813", "1372623149")?;
//! assert!(body.starts_with("<xml><Encrypt><![CDATA["));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod update_button;

use std::time::{SystemTime, UNIX_EPOCH};

use wecom_msgcrypt::MsgCrypt;

use crate::callback::Header;
use crate::error::Error;
pub use update_button::UpdateButton;
use wecom_model::InvalidArgument;
/// Template cards for `update_template_card` replies: the cards of `message/send`, written
/// in their XML form.
pub use wecom_model::card::{self as template_card, TemplateCard};
/// The content of a reply is the content of a message: one model for sending and replying.
pub use wecom_model::message::{Article, Image, News, Text, Video, Voice};
use wecom_model::xml::XmlWriter;

/// Longest text reply WeCom delivers whole (bytes).
pub const MAX_TEXT_BYTES: usize = wecom_model::limits::TEXT_BYTES;
/// Longest video / news title (bytes).
pub const MAX_TITLE_BYTES: usize = wecom_model::limits::TITLE_BYTES;
/// Longest video / news description (bytes).
pub const MAX_DESCRIPTION_BYTES: usize = wecom_model::limits::DESCRIPTION_BYTES;
/// Most articles in a news reply.
///
/// The passive-reply page does not state a maximum; the send API allows 8 (errcode 45008
/// above that), so 8 is the safe reading and is enforced here.
pub const MAX_NEWS_ARTICLES: usize = wecom_model::limits::ARTICLES;

/// A passive reply.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Reply {
    /// `text`.
    Text(Text),
    /// `image`.
    Image(Image),
    /// `voice`.
    Voice(Voice),
    /// `video`.
    Video(Video),
    /// `news`: 1 to [`MAX_NEWS_ARTICLES`] articles.
    News(News),
    /// `update_button`: replaces the clicked card button's text for the clicking member only
    /// and disables it (button, vote and multiple-choice cards).
    UpdateButton(UpdateButton),
    /// `update_template_card`: replaces the whole card for the clicking member only.
    ///
    /// WeCom's documentation lists this reply for `template_card_event`, yet leaves that
    /// event out of its list of events that accept passive replies; if the card is not
    /// updated, use the `update_template_card` API with the event's `response_code`.
    UpdateTemplateCard(Box<TemplateCard>),
}

macro_rules! reply_from {
    ($($variant:ident($ty:ty)),* $(,)?) => {$(
        impl From<$ty> for Reply {
            fn from(value: $ty) -> Self {
                Reply::$variant(value)
            }
        }
    )*};
}

reply_from!(
    Text(Text),
    Image(Image),
    Voice(Voice),
    Video(Video),
    News(News),
    UpdateButton(UpdateButton),
);

macro_rules! card_reply_from {
    ($($kind:ident),*) => {$(
        impl From<template_card::$kind> for Reply {
            fn from(card: template_card::$kind) -> Self {
                Reply::UpdateTemplateCard(Box::new(TemplateCard::from(card)))
            }
        }
    )*};
}

card_reply_from!(TextNotice, NewsNotice, ButtonInteraction, VoteInteraction, MultipleInteraction);

impl From<TemplateCard> for Reply {
    fn from(card: TemplateCard) -> Self {
        Reply::UpdateTemplateCard(Box::new(card))
    }
}

pub(crate) fn check_len(field: &str, value: &str, max: usize) -> Result<(), Error> {
    if value.len() > max {
        return Err(Error::reply(field, format!("{} bytes, at most {max} allowed", value.len())));
    }
    Ok(())
}

pub(crate) fn check_non_empty(field: &str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::reply(field, "must not be empty"));
    }
    Ok(())
}

impl Reply {
    /// A text reply.
    pub fn text(content: impl Into<String>) -> Self {
        Reply::Text(Text::new(content))
    }

    /// An image reply.
    pub fn image(media_id: impl Into<String>) -> Self {
        Reply::Image(Image::new(media_id))
    }

    /// A voice reply.
    pub fn voice(media_id: impl Into<String>) -> Self {
        Reply::Voice(Voice::new(media_id))
    }

    /// A news reply.
    pub fn news(articles: impl IntoIterator<Item = Article>) -> Self {
        Reply::News(News::new(articles))
    }

    /// A button-text update.
    pub fn update_button(replace_name: impl Into<String>) -> Self {
        Reply::UpdateButton(UpdateButton::new(replace_name))
    }

    /// The `MsgType` of this reply.
    pub fn msg_type(&self) -> &'static str {
        match self {
            Reply::Text(_) => "text",
            Reply::Image(_) => "image",
            Reply::Voice(_) => "voice",
            Reply::Video(_) => "video",
            Reply::News(_) => "news",
            Reply::UpdateButton(_) => "update_button",
            Reply::UpdateTemplateCard(_) => "update_template_card",
        }
    }

    /// Checks the reply against WeCom's limits.
    ///
    /// # Errors
    /// [`Error::Reply`] naming the first field that breaks a rule, and the rule.
    pub fn validate(&self) -> Result<(), Error> {
        match self {
            Reply::Text(t) => {
                check_non_empty("text.content", &t.content)?;
                check_len("text.content", &t.content, MAX_TEXT_BYTES)
            }
            Reply::Image(i) => check_non_empty("image.media_id", &i.media_id),
            Reply::Voice(v) => check_non_empty("voice.media_id", &v.media_id),
            Reply::Video(v) => {
                check_non_empty("video.media_id", &v.media_id)?;
                check_len("video.title", v.title.as_deref().unwrap_or(""), MAX_TITLE_BYTES)?;
                check_len(
                    "video.description",
                    v.description.as_deref().unwrap_or(""),
                    MAX_DESCRIPTION_BYTES,
                )
            }
            Reply::News(n) => {
                if n.articles.is_empty() || n.articles.len() > MAX_NEWS_ARTICLES {
                    return Err(Error::reply(
                        "news.articles",
                        format!("{} articles, 1 to {MAX_NEWS_ARTICLES} allowed", n.articles.len()),
                    ));
                }
                for (i, a) in n.articles.iter().enumerate() {
                    let field = |f: &str| format!("news.articles[{i}].{f}");
                    check_non_empty(&field("title"), &a.title)?;
                    check_len(&field("title"), &a.title, MAX_TITLE_BYTES)?;
                    if let Some(d) = &a.description {
                        check_len(&field("description"), d, MAX_DESCRIPTION_BYTES)?;
                    }
                }
                Ok(())
            }
            Reply::UpdateButton(b) => {
                check_non_empty("update_button.replace_name", &b.replace_name)
            }
            Reply::UpdateTemplateCard(card) => card.validate_reply().map_err(Error::from),
        }
    }

    /// The plaintext reply XML: header (`ToUserName` = the member, `FromUserName` = the corp
    /// id, `CreateTime`, `MsgType`) and body. Text goes in CDATA (a `]]>` inside is split
    /// correctly); numbers are bare.
    ///
    /// # Errors
    /// [`Error::Reply`] if the reply breaks a limit ([`Reply::validate`]) or holds a
    /// character XML cannot carry.
    pub fn to_xml(
        &self,
        to_user_name: &str,
        from_user_name: &str,
        create_time: u64,
    ) -> Result<String, Error> {
        self.validate()?;
        let mut w = XmlWriter::with_capacity(256 + self.size_hint());
        w.text("ToUserName", to_user_name)?;
        w.text("FromUserName", from_user_name)?;
        w.value("CreateTime", create_time);
        w.text("MsgType", self.msg_type())?;
        self.write_body(&mut w)?;
        Ok(w.finish())
    }

    /// The reply XML answering the callback whose header is `answering` (its sender becomes
    /// the recipient, its corp the sender), stamped `create_time`.
    pub fn to_xml_answering(&self, answering: &Header, create_time: u64) -> Result<String, Error> {
        self.to_xml(&answering.from_user_name, &answering.to_user_name, create_time)
    }

    /// Serializes the reply answering `answering` (stamped with the current time) and
    /// encrypts it: the result is the HTTP response body WeCom expects. `timestamp` and
    /// `nonce` are normally those of the request being answered.
    ///
    /// # Errors
    /// [`Error::Reply`] for an invalid reply, [`Error::Crypto`] if encryption fails (for
    /// example a `nonce` that is not 1 to 64 ASCII letters or digits).
    pub fn encrypt(
        &self,
        crypt: &MsgCrypt,
        answering: &Header,
        timestamp: &str,
        nonce: &str,
    ) -> Result<String, Error> {
        let xml = self.to_xml_answering(answering, unix_now())?;
        Ok(crypt.encrypt_reply(&xml, timestamp, nonce)?)
    }

    fn size_hint(&self) -> usize {
        match self {
            Reply::Text(t) => t.content.len() + 32,
            Reply::News(n) => n.articles.len() * 256,
            Reply::UpdateTemplateCard(_) => 1024,
            _ => 128,
        }
    }

    fn write_body(&self, w: &mut XmlWriter) -> Result<(), InvalidArgument> {
        match self {
            Reply::Text(t) => w.text("Content", &t.content),
            Reply::Image(i) => w.element("Image", |w| w.text("MediaId", &i.media_id)),
            Reply::Voice(v) => w.element("Voice", |w| w.text("MediaId", &v.media_id)),
            Reply::Video(v) => w.element("Video", |w| {
                w.text("MediaId", &v.media_id)?;
                w.opt_text("Title", v.title.as_deref())?;
                w.opt_text("Description", v.description.as_deref())
            }),
            Reply::News(n) => {
                w.value("ArticleCount", n.articles.len());
                w.element("Articles", |w| {
                    for a in &n.articles {
                        w.element("item", |w| {
                            w.text("Title", &a.title)?;
                            w.opt_text("Description", a.description.as_deref())?;
                            w.opt_text("PicUrl", a.picurl.as_deref())?;
                            w.opt_text("Url", a.url.as_deref())
                        })?;
                    }
                    Ok(())
                })
            }
            Reply::UpdateButton(b) => {
                w.element("Button", |w| w.text("ReplaceName", &b.replace_name))
            }
            Reply::UpdateTemplateCard(card) => card.write_xml(w),
        }
    }
}

/// The current time in Unix seconds (0 if the clock is before 1970).
pub(crate) fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}
