//! `news`: one to eight linked articles, each opening a URL or a mini program page.

use serde::{Deserialize, Serialize};

use crate::limits;
use crate::validate::{Check, Path, count, http_url, non_empty, optional, required};

/// A news message (`msgtype: news`): 1 to 8 [`Article`]s.
///
/// Supports id translation. `safe` is not supported (WeCom answers 40074; use
/// [`MpNews`](super::MpNews) for confidential articles).
///
/// ```
/// use wecom_model::message::{Article, MessageRequest, News, Recipients};
///
/// let news = News::new([
///     Article::new("Release notes", "https://example.com/notes/1.4")
///         .description("What changed in 1.4")
///         .picurl("https://example.com/cover.png"),
///     Article::mini_program("Open the app", "wx0123456789abcdef", "pages/index"),
/// ]);
/// let req = MessageRequest::new(1000002, Recipients::tags([12]), news);
/// req.validate()?;
/// assert_eq!(serde_json::to_value(&req)?["news"]["articles"][1]["appid"], "wx0123456789abcdef");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct News {
    /// The articles, 1 to 8.
    #[serde(default)]
    pub articles: Vec<Article>,
}

impl News {
    /// A news message with these articles (1 to 8).
    pub fn new(articles: impl IntoIterator<Item = Article>) -> Self {
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

impl From<Article> for News {
    fn from(article: Article) -> Self {
        Self { articles: vec![article] }
    }
}

/// One article of a [`News`] message.
///
/// It opens `url`, or a mini program page when `appid` and `pagepath` are set (then `url` is
/// ignored by clients that can open mini programs).
///
/// ```
/// use wecom_model::message::Article;
///
/// let web = Article::new("Release notes", "https://example.com/notes");
/// let app = Article::mini_program("Open the app", "wx0123456789abcdef", "pages/index")
///     .url("https://example.com/fallback");
/// assert_eq!(app.pagepath.as_deref(), Some("pages/index"));
/// # let _ = web;
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Article {
    /// The title: required, at most 128 bytes.
    #[serde(default)]
    pub title: String,
    /// The description, at most 512 bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The link opened on tap (`http://` or `https://`, at most 2,048 bytes); required unless
    /// `appid` and `pagepath` are set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The picture (JPG or PNG, at most 2,048 bytes of URL); 1068×455 and 150×150 look best.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picurl: Option<String>,
    /// The mini program (linked to this app) to open; set together with `pagepath`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appid: Option<String>,
    /// The mini program page (at most 128 bytes); set together with `appid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagepath: Option<String>,
}

impl Article {
    /// An article titled `title` that opens `url`.
    pub fn new(title: impl Into<String>, url: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            description: None,
            url: Some(url.into()),
            picurl: None,
            appid: None,
            pagepath: None,
        }
    }

    /// An article titled `title` with no link yet: add one with [`Article::url`]. A passive
    /// reply's article may have none; `message/send` refuses an article without a link.
    pub fn titled(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            description: None,
            url: None,
            picurl: None,
            appid: None,
            pagepath: None,
        }
    }

    /// An article titled `title` that opens page `pagepath` of mini program `appid`.
    pub fn mini_program(
        title: impl Into<String>,
        appid: impl Into<String>,
        pagepath: impl Into<String>,
    ) -> Self {
        Self {
            title: title.into(),
            description: None,
            url: None,
            picurl: None,
            appid: Some(appid.into()),
            pagepath: Some(pagepath.into()),
        }
    }

    /// Sets the description (at most 512 bytes).
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets the link (a fallback for clients without mini programs, on a mini program article).
    #[must_use]
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// Sets the picture URL.
    #[must_use]
    pub fn picurl(mut self, picurl: impl Into<String>) -> Self {
        self.picurl = Some(picurl.into());
        self
    }

    fn validate(&self, path: &Path<'_>) -> Check {
        required(&path.field("title"), &self.title, limits::TITLE_BYTES)?;
        optional(&path.field("description"), self.description.as_ref(), limits::DESCRIPTION_BYTES)?;
        if let Some(url) = &self.url {
            let p = path.field("url");
            required(&p, url, limits::URL_BYTES)?;
            http_url(&p, url)?;
        }
        optional(&path.field("picurl"), self.picurl.as_ref(), limits::URL_BYTES)?;
        match (&self.appid, &self.pagepath) {
            (Some(appid), Some(pagepath)) => {
                non_empty(&path.field("appid"), appid)?;
                required(&path.field("pagepath"), pagepath, limits::TITLE_BYTES)?;
            }
            (Some(_), None) => {
                return Err(path.field("pagepath").error("is required when appid is set"));
            }
            (None, Some(_)) => {
                return Err(path.field("appid").error("is required when pagepath is set"));
            }
            (None, None) if self.url.is_none() => {
                return Err(path
                    .field("url")
                    .error("is required unless appid and pagepath are set"));
            }
            (None, None) => {}
        }
        Ok(())
    }
}
