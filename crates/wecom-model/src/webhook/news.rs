//! `news`: one to eight linked articles; unlike an app's news, every article needs a URL.

use serde::{Deserialize, Serialize};

use crate::validate::{Check, Path, count, http_url, non_empty};

/// The most articles in a webhook `news` message.
pub const ARTICLES_MAX: usize = 8;

/// A news message (`msgtype: news`): 1 to 8 [`WebhookArticle`]s.
///
/// ```
/// use wecom_model::webhook::{WebhookArticle, WebhookNews};
///
/// let news = WebhookNews::new([WebhookArticle::new("Release notes", "https://example.com/1.4")
///     .description("What changed")
///     .picurl("https://example.com/cover.png")]);
/// assert_eq!(serde_json::to_value(&news)?["articles"][0]["url"], "https://example.com/1.4");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookNews {
    /// The articles, 1 to 8.
    #[serde(default)]
    pub articles: Vec<WebhookArticle>,
}

impl WebhookNews {
    /// A news message with these articles (1 to 8).
    pub fn new(articles: impl IntoIterator<Item = WebhookArticle>) -> Self {
        Self { articles: articles.into_iter().collect() }
    }

    pub(crate) fn validate(&self, path: &Path<'_>) -> Check {
        let list = path.field("articles");
        count(&list, self.articles.len(), 1, ARTICLES_MAX)?;
        for (i, article) in self.articles.iter().enumerate() {
            let item = list.index(i);
            non_empty(&item.field("title"), &article.title)?;
            non_empty(&item.field("url"), &article.url)?;
            http_url(&item.field("url"), &article.url)?;
            if let Some(pic) = &article.picurl {
                http_url(&item.field("picurl"), pic)?;
            }
        }
        Ok(())
    }
}

impl From<WebhookArticle> for WebhookNews {
    fn from(article: WebhookArticle) -> Self {
        Self { articles: vec![article] }
    }
}

/// One article of a [`WebhookNews`]: a title and the URL it opens.
///
/// WeCom cuts titles past 128 bytes and descriptions past 512 bytes (not refused, so not
/// checked here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookArticle {
    /// The title: required (WeCom shows 128 bytes).
    #[serde(default)]
    pub title: String,
    /// The text under the title (WeCom shows 512 bytes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// What tapping the article opens: required.
    #[serde(default)]
    pub url: String,
    /// The picture: JPG or PNG, best 1068×455 (first article) or 150×150.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picurl: Option<String>,
}

impl WebhookArticle {
    /// An article titled `title` opening `url`.
    pub fn new(title: impl Into<String>, url: impl Into<String>) -> Self {
        Self { title: title.into(), description: None, url: url.into(), picurl: None }
    }

    /// Sets the text under the title.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets the picture URL.
    #[must_use]
    pub fn picurl(mut self, url: impl Into<String>) -> Self {
        self.picurl = Some(url.into());
        self
    }
}
