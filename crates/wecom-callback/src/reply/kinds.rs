//! The simple reply kinds: text, image, voice, video, news and button-text updates.

/// A text reply.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Text {
    /// `Content`: 1 to [`MAX_TEXT_BYTES`](super::MAX_TEXT_BYTES) bytes.
    pub content: String,
}

/// An image reply.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Image {
    /// `MediaId` of an uploaded image.
    pub media_id: String,
}

/// A voice reply.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Voice {
    /// `MediaId` of an uploaded voice clip.
    pub media_id: String,
}

/// A video reply.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Video {
    /// `MediaId` of an uploaded video.
    pub media_id: String,
    /// `Title`: at most [`MAX_TITLE_BYTES`](super::MAX_TITLE_BYTES) bytes.
    pub title: Option<String>,
    /// `Description`: at most [`MAX_DESCRIPTION_BYTES`](super::MAX_DESCRIPTION_BYTES) bytes.
    pub description: Option<String>,
}

/// A news (articles) reply.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct News {
    /// The articles, 1 to [`MAX_NEWS_ARTICLES`](super::MAX_NEWS_ARTICLES).
    pub articles: Vec<Article>,
}

/// One article of a [`News`] reply.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Article {
    /// `Title`: 1 to [`MAX_TITLE_BYTES`](super::MAX_TITLE_BYTES) bytes.
    pub title: String,
    /// `Description`: at most [`MAX_DESCRIPTION_BYTES`](super::MAX_DESCRIPTION_BYTES) bytes.
    pub description: Option<String>,
    /// `PicUrl`: JPG or PNG; 640×320 for the first article, 80×80 for the others.
    pub pic_url: Option<String>,
    /// `Url`: opened when the article is tapped.
    pub url: Option<String>,
}

/// A button-text update (`update_button`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UpdateButton {
    /// `ReplaceName`: the button's new text.
    pub replace_name: String,
}

impl Text {
    /// A text reply.
    pub fn new(content: impl Into<String>) -> Self {
        Text { content: content.into() }
    }
}

impl Image {
    /// An image reply.
    pub fn new(media_id: impl Into<String>) -> Self {
        Image { media_id: media_id.into() }
    }
}

impl Voice {
    /// A voice reply.
    pub fn new(media_id: impl Into<String>) -> Self {
        Voice { media_id: media_id.into() }
    }
}

impl Video {
    /// A video reply without title or description.
    pub fn new(media_id: impl Into<String>) -> Self {
        Video { media_id: media_id.into(), title: None, description: None }
    }

    /// Sets `Title`.
    #[must_use]
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Sets `Description`.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

impl News {
    /// A news reply with these articles.
    pub fn new(articles: impl IntoIterator<Item = Article>) -> Self {
        News { articles: articles.into_iter().collect() }
    }
}

impl Article {
    /// An article with a title.
    pub fn new(title: impl Into<String>) -> Self {
        Article { title: title.into(), description: None, pic_url: None, url: None }
    }

    /// Sets `Description`.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets `PicUrl`.
    #[must_use]
    pub fn pic_url(mut self, pic_url: impl Into<String>) -> Self {
        self.pic_url = Some(pic_url.into());
        self
    }

    /// Sets `Url`.
    #[must_use]
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }
}

impl UpdateButton {
    /// A button-text update.
    pub fn new(replace_name: impl Into<String>) -> Self {
        UpdateButton { replace_name: replace_name.into() }
    }
}
