//! The key/value rows of a card: `horizontal_content_list` (up to 6 rows, each optionally a
//! link, an attachment or a member profile) and `vertical_content_list` (up to 4 titled
//! paragraphs, news notice cards only).

use serde::{Deserialize, Serialize};

use super::setters::setters;
use crate::quirks::int_enum;
use crate::validate::{Check, Path, count, non_empty};

/// The most rows in a `horizontal_content_list`.
pub(crate) const HORIZONTAL_MAX: usize = crate::limits::CARD_HORIZONTAL_ROWS;
/// The most rows in a `vertical_content_list`.
pub(crate) const VERTICAL_MAX: usize = crate::limits::CARD_VERTICAL_ROWS;

int_enum! {
    /// The `type` of a [`HorizontalItem`]: what tapping its value does.
    pub enum HorizontalType {
        /// `0`: nothing (plain text).
        Text = 0,
        /// `1`: open `url`.
        Url = 1,
        /// `2`: download the attachment `media_id` (the value is its file name).
        Attachment = 2,
        /// `3`: show the profile of member `userid`.
        Member = 3,
    }
}

/// One row of a `horizontal_content_list`: a key name and a value that may open a link, an
/// attachment or a member's profile.
///
/// The type decides which field is required, so each kind has its own constructor. WeCom
/// suggests at most about 5 characters of key name and 30 of value (not enforced).
///
/// ```
/// use wecom_model::card::{HorizontalItem, HorizontalType};
///
/// let rows = [
///     HorizontalItem::text("Env", "prod"),
///     HorizontalItem::link("Build", "#42", "https://ci.example.com/42"),
///     HorizontalItem::attachment("Log", "build.log", "MEDIA_ID"),
///     HorizontalItem::member("Owner", "bob", "bob"),
/// ];
/// assert_eq!(rows[2].kind(), Some(HorizontalType::Attachment));
/// assert_eq!(
///     serde_json::to_value(&rows[0])?,
///     serde_json::json!({ "keyname": "Env", "value": "prod" })
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HorizontalItem {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    kind: Option<HorizontalType>,
    #[serde(default)]
    keyname: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    media_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    userid: Option<String>,
}

impl HorizontalItem {
    fn with(kind: Option<HorizontalType>, keyname: String, value: String) -> Self {
        Self { kind, keyname, value: Some(value), url: None, media_id: None, userid: None }
    }

    /// A plain row `keyname: value` (the type is left out, meaning plain text).
    pub fn text(keyname: impl Into<String>, value: impl Into<String>) -> Self {
        Self::with(None, keyname.into(), value.into())
    }

    /// A row whose value opens `url` (type 1).
    pub fn link(
        keyname: impl Into<String>,
        value: impl Into<String>,
        url: impl Into<String>,
    ) -> Self {
        Self {
            url: Some(url.into()),
            ..Self::with(Some(HorizontalType::Url), keyname.into(), value.into())
        }
    }

    /// A row that downloads the uploaded file `media_id`, shown as `file_name` (type 2).
    pub fn attachment(
        keyname: impl Into<String>,
        file_name: impl Into<String>,
        media_id: impl Into<String>,
    ) -> Self {
        Self {
            media_id: Some(media_id.into()),
            ..Self::with(Some(HorizontalType::Attachment), keyname.into(), file_name.into())
        }
    }

    /// A row whose value opens the profile of member `userid` (type 3).
    pub fn member(
        keyname: impl Into<String>,
        value: impl Into<String>,
        userid: impl Into<String>,
    ) -> Self {
        Self {
            userid: Some(userid.into()),
            ..Self::with(Some(HorizontalType::Member), keyname.into(), value.into())
        }
    }

    /// The row's `type`, as given (absent means plain text).
    pub fn kind(&self) -> Option<HorizontalType> {
        self.kind
    }

    /// The key name.
    pub fn keyname(&self) -> &str {
        &self.keyname
    }

    /// The value (for an attachment, its file name).
    pub fn value(&self) -> Option<&str> {
        self.value.as_deref()
    }

    /// The URL the value opens (type 1).
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    /// The attachment's media id (type 2).
    pub fn media_id(&self) -> Option<&str> {
        self.media_id.as_deref()
    }

    /// The member whose profile the value opens (type 3).
    pub fn userid(&self) -> Option<&str> {
        self.userid.as_deref()
    }

    fn validate(&self, path: &Path<'_>) -> Check {
        non_empty(&path.field("keyname"), &self.keyname)?;
        let (field, value, why) = match self.kind {
            Some(HorizontalType::Url) => ("url", &self.url, "is required when type is 1 (link)"),
            Some(HorizontalType::Attachment) => {
                ("media_id", &self.media_id, "is required when type is 2 (attachment)")
            }
            Some(HorizontalType::Member) => {
                ("userid", &self.userid, "is required when type is 3 (member profile)")
            }
            Some(HorizontalType::Text) | None => return Ok(()),
        };
        match value {
            Some(v) => non_empty(&path.field(field), v),
            None => Err(path.field(field).error(why)),
        }
    }
}

/// Checks a `horizontal_content_list`.
pub(crate) fn validate_horizontal(path: &Path<'_>, items: &[HorizontalItem]) -> Check {
    count(path, items.len(), 0, HORIZONTAL_MAX)?;
    for (i, item) in items.iter().enumerate() {
        item.validate(&path.index(i))?;
    }
    Ok(())
}

/// One entry of a `vertical_content_list`: a title and a paragraph (news notice cards only).
///
/// WeCom suggests at most about 38 characters of title and 160 of text (not enforced).
///
/// ```
/// use wecom_model::card::VerticalContent;
///
/// let entry = VerticalContent::new("Impact").desc("Checkout latency doubled for 14 minutes");
/// assert_eq!(entry.title, "Impact");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VerticalContent {
    /// The title: required.
    #[serde(default)]
    pub title: String,
    /// The paragraph.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desc: Option<String>,
}

impl VerticalContent {
    /// An entry titled `title`.
    pub fn new(title: impl Into<String>) -> Self {
        Self { title: title.into(), desc: None }
    }

    setters! {
        /// Sets the paragraph.
        desc(desc: impl Into<String>) => Some(desc.into());
    }
}

/// Checks a `vertical_content_list`.
pub(crate) fn validate_vertical(path: &Path<'_>, items: &[VerticalContent]) -> Check {
    count(path, items.len(), 0, VERTICAL_MAX)?;
    for (i, item) in items.iter().enumerate() {
        non_empty(&path.index(i).field("title"), &item.title)?;
    }
    Ok(())
}
