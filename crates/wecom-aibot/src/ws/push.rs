//! [`Push`]: the bodies of `aibot_send_msg` (markdown, template card, media), also used for
//! media replies on a callback; [`MediaKind`] and [`MediaId`] for uploaded files.

use serde::{Deserialize, Serialize};

use super::error::WsError;
use crate::model::{AibotCard, STREAM_CONTENT_MAX_BYTES};

/// An uploaded file's `media_id` (valid 3 days).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MediaId(pub String);

impl std::fmt::Display for MediaId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What kind of file an upload or media message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MediaKind {
    /// `file` (≤ 20 MB).
    File,
    /// `image` (≤ 10 MB).
    Image,
    /// `voice` (AMR, ≤ 2 MB).
    Voice,
    /// `video` (≤ 10 MB).
    Video,
}

impl MediaKind {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::File => "file",
            MediaKind::Image => "image",
            MediaKind::Voice => "voice",
            MediaKind::Video => "video",
        }
    }

    /// The largest upload of this kind. Tencent's own plugin enforces these; whether the
    /// server does is not documented, so they are enforced here before anything is sent.
    pub fn max_bytes(self) -> usize {
        const MB: usize = 1024 * 1024;
        match self {
            MediaKind::File => 20 * MB,
            MediaKind::Image | MediaKind::Video => 10 * MB,
            MediaKind::Voice => 2 * MB,
        }
    }
}

/// `{media_id}` of a media message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaRef {
    /// The uploaded file.
    pub media_id: MediaId,
}

/// `video` of a media message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VideoRef {
    /// The uploaded video.
    pub media_id: MediaId,
    /// Title (≤ 128 bytes; WeCom cuts longer ones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Description (≤ 512 bytes; WeCom cuts longer ones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// `markdown` of a push.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushMarkdown {
    /// The text (markdown_v2 subset, ≤ 20,480 bytes).
    pub content: String,
}

/// A message sent without a callback (`aibot_send_msg`), or a media reply.
/// `text` is not accepted by WeCom here (40008); use markdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "msgtype", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Push {
    /// `markdown`.
    Markdown {
        /// The text.
        markdown: PushMarkdown,
    },
    /// `template_card`.
    TemplateCard {
        /// The card.
        template_card: Box<AibotCard>,
    },
    /// `file`.
    File {
        /// The file.
        file: MediaRef,
    },
    /// `image`.
    Image {
        /// The picture.
        image: MediaRef,
    },
    /// `voice`.
    Voice {
        /// The recording.
        voice: MediaRef,
    },
    /// `video`.
    Video {
        /// The video.
        video: VideoRef,
    },
}

impl Push {
    /// Markdown text.
    pub fn markdown(text: impl Into<String>) -> Self {
        Push::Markdown { markdown: PushMarkdown { content: text.into() } }
    }

    /// A template card.
    pub fn card(card: impl Into<AibotCard>) -> Self {
        Push::TemplateCard { template_card: Box::new(card.into()) }
    }

    /// An uploaded file of `kind`.
    pub fn media(kind: MediaKind, media_id: MediaId) -> Self {
        let r = MediaRef { media_id };
        match kind {
            MediaKind::File => Push::File { file: r },
            MediaKind::Image => Push::Image { image: r },
            MediaKind::Voice => Push::Voice { voice: r },
            MediaKind::Video => Push::Video {
                video: VideoRef { media_id: r.media_id, title: None, description: None },
            },
        }
    }

    /// A video with a title and description.
    pub fn video(
        media_id: MediaId,
        title: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        Push::Video {
            video: VideoRef {
                media_id,
                title: Some(title.into()),
                description: Some(description.into()),
            },
        }
    }

    /// Checks WeCom's rules before anything is sent.
    pub(crate) fn validate(&self) -> Result<(), WsError> {
        let empty_id = |r: &MediaId| r.0.is_empty();
        match self {
            Push::Markdown { markdown } => {
                if markdown.content.is_empty() {
                    return Err(WsError::InvalidArgument("markdown.content: empty".into()));
                }
                if markdown.content.len() > STREAM_CONTENT_MAX_BYTES {
                    return Err(WsError::TooLarge {
                        field: "markdown.content",
                        size: markdown.content.len(),
                        limit: STREAM_CONTENT_MAX_BYTES,
                    });
                }
            }
            Push::TemplateCard { .. } => {}
            Push::File { file: r } | Push::Image { image: r } | Push::Voice { voice: r } => {
                if empty_id(&r.media_id) {
                    return Err(WsError::InvalidArgument("media_id: empty".into()));
                }
            }
            Push::Video { video } => {
                if empty_id(&video.media_id) {
                    return Err(WsError::InvalidArgument("video.media_id: empty".into()));
                }
            }
        }
        Ok(())
    }
}
