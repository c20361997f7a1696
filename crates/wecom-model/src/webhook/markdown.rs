//! `markdown` and `markdown_v2`: WeCom's two markdown dialects, 4,096 bytes each.

use serde::{Deserialize, Serialize};

use crate::validate::{Check, Path, required};

/// The most bytes of UTF-8 a `markdown` or `markdown_v2` message may carry; WeCom refuses
/// longer content with 40058 (it does not truncate).
pub const MARKDOWN_MAX_BYTES: usize = 4096;

/// A markdown message (`msgtype: markdown`): headings, bold, links, inline code, `>` quotes,
/// `<font color="info|comment|warning">` colours and `<@userid>` mentions.
///
/// ```
/// use wecom_model::webhook::Markdown;
///
/// let md = Markdown::new("## Released\n>version: `v1.4.2` <@zhangsan>");
/// assert_eq!(serde_json::to_value(&md)?, serde_json::json!({ "content": md.content }));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Markdown {
    /// The markdown: required, at most 4,096 bytes.
    #[serde(default)]
    pub content: String,
}

impl Markdown {
    /// A markdown message with `content`.
    pub fn new(content: impl Into<String>) -> Self {
        Self { content: content.into() }
    }

    pub(crate) fn validate(&self, path: &Path<'_>) -> Check {
        required(&path.field("content"), &self.content, MARKDOWN_MAX_BYTES)
    }
}

/// A `markdown_v2` message: adds italics, lists, nested quotes, images, rules, fenced code
/// blocks and tables to [`Markdown`], but drops colours and mentions (send a separate
/// [`WebhookText`](super::WebhookText) to mention someone). Clients before 4.1.36 show it as
/// plain text.
///
/// ```
/// use wecom_model::webhook::MarkdownV2;
///
/// let md = MarkdownV2::new("| svc | p99 |\n| :--- | ---: |\n| order | 180ms |");
/// assert!(md.content.contains("| order |"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MarkdownV2 {
    /// The markdown: required, at most 4,096 bytes.
    #[serde(default)]
    pub content: String,
}

impl MarkdownV2 {
    /// A `markdown_v2` message with `content`.
    pub fn new(content: impl Into<String>) -> Self {
        Self { content: content.into() }
    }

    pub(crate) fn validate(&self, path: &Path<'_>) -> Check {
        required(&path.field("content"), &self.content, MARKDOWN_MAX_BYTES)
    }
}
