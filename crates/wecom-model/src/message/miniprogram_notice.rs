//! `miniprogram_notice`: a notice card that opens a page of the app's mini program.

use serde::{Deserialize, Serialize};

use crate::limits;
use crate::validate::{Check, Path, count, max_chars, non_empty, optional};

/// A mini program notice (`msgtype: miniprogram_notice`).
///
/// Only apps bound to a mini program may send it (WeCom answers 48002 otherwise), never to
/// `@all`, and the WeChat plugin does not show it. Supports id translation; no `safe`.
///
/// The request still carries `agentid`: WeCom's table for this kind omits it, which is
/// UNVERIFIED, and sending it is the safe reading (WxJava and PowerWeChat do the same).
///
/// WeCom suggests 4 to 12 Chinese characters for `title` and `description`. That is not
/// enforced: the reference's own example breaks it, and id-translation templates such as
/// `$userName=alice$` are longer before translation than after.
///
/// ```
/// use wecom_model::message::{ContentItem, MessageRequest, MiniProgramNotice, Recipients};
///
/// let notice = MiniProgramNotice::new("wx0123456789abcdef", "Meeting room booked")
///     .page("pages/order?id=88")
///     .description("Mon 10:00")
///     .emphasis_first_item(true)
///     .content_item([ContentItem::new("Room", "4F-402"), ContentItem::new("Time", "10:00-11:00")]);
/// let req = MessageRequest::new(1000002, Recipients::users(["alice"]), notice);
/// req.validate()?;
/// assert_eq!(serde_json::to_value(&req)?["miniprogram_notice"]["emphasis_first_item"], true);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MiniProgramNotice {
    /// The mini program linked to the app: required.
    #[serde(default)]
    pub appid: String,
    /// The page opened on tap, at most 1,024 bytes; absent means the notice does not navigate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// The title: required.
    #[serde(default)]
    pub title: String,
    /// The description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether the first content item is shown large.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emphasis_first_item: Option<bool>,
    /// Key/value lines, at most 10.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub content_item: Vec<ContentItem>,
}

impl MiniProgramNotice {
    /// A notice from mini program `appid` titled `title`.
    pub fn new(appid: impl Into<String>, title: impl Into<String>) -> Self {
        Self {
            appid: appid.into(),
            page: None,
            title: title.into(),
            description: None,
            emphasis_first_item: None,
            content_item: Vec::new(),
        }
    }

    /// Sets the page opened on tap (at most 1,024 bytes).
    #[must_use]
    pub fn page(mut self, page: impl Into<String>) -> Self {
        self.page = Some(page.into());
        self
    }

    /// Sets the description.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Shows the first content item large.
    #[must_use]
    pub fn emphasis_first_item(mut self, on: bool) -> Self {
        self.emphasis_first_item = Some(on);
        self
    }

    /// Sets the key/value lines (at most 10).
    #[must_use]
    pub fn content_item(mut self, items: impl IntoIterator<Item = ContentItem>) -> Self {
        self.content_item = items.into_iter().collect();
        self
    }

    pub(crate) fn validate(&self, path: &Path<'_>) -> Check {
        non_empty(&path.field("appid"), &self.appid)?;
        optional(&path.field("page"), self.page.as_ref(), limits::MINIPROGRAM_PAGE_BYTES)?;
        non_empty(&path.field("title"), &self.title)?;
        let list = path.field("content_item");
        count(&list, self.content_item.len(), 0, limits::MINIPROGRAM_ITEMS)?;
        for (i, item) in self.content_item.iter().enumerate() {
            let p = list.index(i);
            max_chars(&p.field("key"), &item.key, limits::MINIPROGRAM_KEY_CHARS)?;
            // The value supports id translation: a template such as `$userName=alice$` is
            // replaced before display, so its length says nothing about the shown text.
            if !has_id_template(&item.value) {
                max_chars(&p.field("value"), &item.value, limits::MINIPROGRAM_VALUE_CHARS)?;
            }
        }
        Ok(())
    }
}

/// Whether `s` holds an id-translation template (`$name=id$`).
fn has_id_template(s: &str) -> bool {
    s.split('$').skip(1).step_by(2).any(|inner| inner.contains('=')) && s.matches('$').count() >= 2
}

/// One key/value line of a [`MiniProgramNotice`]; an item with both empty is ignored.
///
/// ```
/// use wecom_model::message::ContentItem;
///
/// let item = ContentItem::new("Room", "4F-402");
/// assert_eq!(item.key, "Room");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContentItem {
    /// The key, at most 10 characters.
    #[serde(default)]
    pub key: String,
    /// The value, at most 30 characters (not counted when it holds an id-translation
    /// template, whose displayed length is only known after translation).
    #[serde(default)]
    pub value: String,
}

impl ContentItem {
    /// A line `key: value`.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self { key: key.into(), value: value.into() }
    }
}
