//! `mpnews`: one to eight articles stored on WeCom's side, with full HTML bodies.

use serde::{Deserialize, Serialize};

use crate::limits;
use crate::validate::{Check, Path, count, non_empty, optional, required};

/// The largest `content` WeCom accepts: 666 KB. The documentation does not say whether a KB is
/// 1,000 or 1,024 bytes; WeCom answers 45002 (nothing is lost) above its limit, so the larger
/// reading is used to avoid rejecting bodies the server accepts.
const CONTENT_MAX_BYTES: usize = limits::MPNEWS_CONTENT_BYTES;

/// An mpnews message (`msgtype: mpnews`): 1 to 8 [`MpArticle`]s.
///
/// Each send creates separate articles for read statistics. The legacy form
/// `"mpnews": {"media_id": …}` and the `show_cover_pic` key (still sent by WxJava) are not in
/// WeCom's current documentation (UNVERIFIED/legacy) and are not modelled. Supports id translation and every
/// `safe` value, including [`Safe::CorpOnly`](super::Safe::CorpOnly).
///
/// ```
/// use wecom_model::message::{MessageRequest, MpArticle, MpNews, Recipients, Safe};
///
/// let news = MpNews::new([MpArticle::new("Q3 results", "THUMB_MEDIA_ID", "<p>Revenue up</p>")
///     .author("Finance")
///     .digest("Revenue up 12%")]);
/// let req = MessageRequest::new(1000002, Recipients::all(), news).safe(Safe::CorpOnly);
/// req.validate()?;
/// assert_eq!(serde_json::to_value(&req)?["safe"], 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MpNews {
    /// The articles, 1 to 8.
    #[serde(default)]
    pub articles: Vec<MpArticle>,
}

impl MpNews {
    /// An mpnews message with these articles (1 to 8).
    pub fn new(articles: impl IntoIterator<Item = MpArticle>) -> Self {
        Self { articles: articles.into_iter().collect() }
    }

    pub(crate) fn validate(&self, path: &Path<'_>) -> Check {
        let list = path.field("articles");
        count(&list, self.articles.len(), 1, limits::ARTICLES)?;
        for (i, article) in self.articles.iter().enumerate() {
            article.validate(&list.index(i))?;
        }
        Ok(())
    }
}

impl From<MpArticle> for MpNews {
    fn from(article: MpArticle) -> Self {
        Self { articles: vec![article] }
    }
}

/// One article of an [`MpNews`] message.
///
/// ```
/// use wecom_model::message::MpArticle;
///
/// let article = MpArticle::new("Q3 results", "THUMB_MEDIA_ID", "<p>Revenue up</p>")
///     .content_source_url("https://example.com/q3");
/// assert_eq!(article.content_source_url.as_deref(), Some("https://example.com/q3"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MpArticle {
    /// The title: required, at most 128 bytes.
    #[serde(default)]
    pub title: String,
    /// The cover picture's media id (from `media/upload`): required.
    #[serde(default)]
    pub thumb_media_id: String,
    /// The author, at most 64 bytes (WeCom answers 45032 beyond).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The link behind "read the original".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_source_url: Option<String>,
    /// The HTML body: required, at most 666 KB.
    #[serde(default)]
    pub content: String,
    /// The summary, at most 512 bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

impl MpArticle {
    /// An article with its three required fields.
    pub fn new(
        title: impl Into<String>,
        thumb_media_id: impl Into<String>,
        content: impl Into<String>,
    ) -> Self {
        Self {
            title: title.into(),
            thumb_media_id: thumb_media_id.into(),
            author: None,
            content_source_url: None,
            content: content.into(),
            digest: None,
        }
    }

    /// Sets the author (at most 64 bytes).
    #[must_use]
    pub fn author(mut self, author: impl Into<String>) -> Self {
        self.author = Some(author.into());
        self
    }

    /// Sets the link behind "read the original".
    #[must_use]
    pub fn content_source_url(mut self, url: impl Into<String>) -> Self {
        self.content_source_url = Some(url.into());
        self
    }

    /// Sets the summary (at most 512 bytes).
    #[must_use]
    pub fn digest(mut self, digest: impl Into<String>) -> Self {
        self.digest = Some(digest.into());
        self
    }

    fn validate(&self, path: &Path<'_>) -> Check {
        required(&path.field("title"), &self.title, limits::TITLE_BYTES)?;
        non_empty(&path.field("thumb_media_id"), &self.thumb_media_id)?;
        optional(&path.field("author"), self.author.as_ref(), limits::AUTHOR_BYTES)?;
        required(&path.field("content"), &self.content, CONTENT_MAX_BYTES)?;
        optional(&path.field("digest"), self.digest.as_ref(), limits::DESCRIPTION_BYTES)
    }
}
