//! Where a tap leads: the `type`/`url`/`appid`/`pagepath` group shared by `card_action`,
//! `quote_area`, `image_text_area` and `jump_list` items, and the two objects that are
//! nothing but a link, [`CardAction`] and [`JumpItem`].
//!
//! The `type` decides which other field is required (1 needs `url`, 2 needs `appid`), so the
//! public constructors set the type and its field together and the combination cannot be
//! built wrong; bodies read from JSON keep whatever they say and are checked by validation.

use serde::{Deserialize, Serialize};

use crate::quirks::int_enum;
use crate::validate::{Check, Path, non_empty};

int_enum! {
    /// The `type` of a link: what tapping the element does.
    pub enum LinkType {
        /// `0`: nothing (not clickable).
        Plain = 0,
        /// `1`: open `url`.
        Url = 1,
        /// `2`: open mini program `appid` at `pagepath`.
        MiniProgram = 2,
    }
}

/// The link fields of a clickable element — `type`, `url`, `appid`, `pagepath` — as they
/// travel (flattened into the element's object).
///
/// Built only through the element's constructors and setters, which set the type together
/// with the field it needs; read it through the accessors.
///
/// ```
/// use wecom_model::card::{CardAction, LinkType};
///
/// let action = CardAction::mini_program("wx0123456789abcdef", "");
/// let link = action.link();
/// assert_eq!(link.link_type(), Some(LinkType::MiniProgram));
/// assert_eq!(link.appid(), Some("wx0123456789abcdef"));
/// assert_eq!(link.pagepath(), None); // the home page: left out of the body
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Link {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    kind: Option<LinkType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    appid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pagepath: Option<String>,
}

impl Link {
    /// The `type`, as given (absent means not clickable).
    pub fn link_type(&self) -> Option<LinkType> {
        self.kind
    }

    /// The URL opened on tap (type 1).
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    /// The mini program opened on tap (type 2).
    pub fn appid(&self) -> Option<&str> {
        self.appid.as_deref()
    }

    /// The mini program page opened on tap (type 2; absent means its home page).
    pub fn pagepath(&self) -> Option<&str> {
        self.pagepath.as_deref()
    }
}

impl Link {
    /// Does nothing when tapped (type 0).
    pub(crate) fn plain() -> Self {
        Self { kind: Some(LinkType::Plain), url: None, appid: None, pagepath: None }
    }

    /// Opens `url`.
    pub(crate) fn open_url(url: String) -> Self {
        Self { kind: Some(LinkType::Url), url: Some(url), appid: None, pagepath: None }
    }

    /// Opens mini program `appid` at `pagepath`; an empty `pagepath` (its home page) is left
    /// out of the body.
    pub(crate) fn open_mini_program(appid: String, pagepath: String) -> Self {
        Self {
            kind: Some(LinkType::MiniProgram),
            url: None,
            appid: Some(appid),
            pagepath: (!pagepath.is_empty()).then_some(pagepath),
        }
    }

    /// Checks that the field the type needs is there; with `must_open`, type 0 or no type is
    /// refused too (the whole-card action of notice cards).
    pub(crate) fn validate(&self, path: &Path<'_>, must_open: bool) -> Check {
        match self.kind {
            Some(LinkType::Url) => match &self.url {
                Some(url) => non_empty(&path.field("url"), url),
                None => Err(path.field("url").error("is required when type is 1 (open a URL)")),
            },
            Some(LinkType::MiniProgram) => match &self.appid {
                Some(appid) => non_empty(&path.field("appid"), appid),
                None => Err(path
                    .field("appid")
                    .error("is required when type is 2 (open a mini program)")),
            },
            Some(LinkType::Plain) | None if must_open => {
                let got = self.kind.map_or("none".to_owned(), |k| k.as_int().to_string());
                Err(path.field("type").error(format!(
                    "must be 1 (open a URL) or 2 (open a mini program) (got {got})"
                )))
            }
            Some(LinkType::Plain) | None => Ok(()),
        }
    }
}

/// `card_action`: what tapping the card itself does — open a URL or a mini program.
///
/// Text and news notice cards require one; on button cards it is optional.
///
/// ```
/// use wecom_model::card::{CardAction, LinkType};
///
/// let web = CardAction::url("https://ci.example.com/r/14");
/// assert_eq!(serde_json::to_value(&web)?, serde_json::json!({ "type": 1, "url": "https://ci.example.com/r/14" }));
/// let app = CardAction::mini_program("wx0123456789abcdef", "pages/index");
/// assert_eq!(app.link().link_type(), Some(LinkType::MiniProgram));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CardAction {
    link: Link,
}

impl CardAction {
    /// Tapping the card does nothing (type 0). Only the interactive cards accept it; notice
    /// cards must open something.
    pub fn none() -> Self {
        Self { link: Link::plain() }
    }

    /// Tapping the card opens `url`.
    pub fn url(url: impl Into<String>) -> Self {
        Self { link: Link::open_url(url.into()) }
    }

    /// Tapping the card opens mini program `appid` at `pagepath` (empty for its home page).
    pub fn mini_program(appid: impl Into<String>, pagepath: impl Into<String>) -> Self {
        Self { link: Link::open_mini_program(appid.into(), pagepath.into()) }
    }

    /// Where a tap leads.
    pub fn link(&self) -> &Link {
        &self.link
    }

    pub(crate) fn validate(&self, path: &Path<'_>, must_open: bool) -> Check {
        self.link.validate(path, must_open)
    }
}

/// One `jump_list` entry: a titled link under the card (at most 3 per card).
///
/// WeCom suggests at most about 18 characters of title (not enforced).
///
/// ```
/// use wecom_model::card::JumpItem;
///
/// let docs = JumpItem::url("Runbook", "https://example.com/runbook");
/// assert_eq!(
///     serde_json::to_value(&docs)?,
///     serde_json::json!({ "type": 1, "url": "https://example.com/runbook", "title": "Runbook" })
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JumpItem {
    #[serde(flatten)]
    link: Link,
    /// The entry's text: required.
    #[serde(default)]
    pub title: String,
}

impl JumpItem {
    /// An entry titled `title` that opens `url`.
    pub fn url(title: impl Into<String>, url: impl Into<String>) -> Self {
        Self { link: Link::open_url(url.into()), title: title.into() }
    }

    /// An entry titled `title` that opens mini program `appid` at `pagepath` (empty for its
    /// home page).
    pub fn mini_program(
        title: impl Into<String>,
        appid: impl Into<String>,
        pagepath: impl Into<String>,
    ) -> Self {
        Self { link: Link::open_mini_program(appid.into(), pagepath.into()), title: title.into() }
    }

    /// Where a tap leads.
    pub fn link(&self) -> &Link {
        &self.link
    }

    pub(crate) fn validate(&self, path: &Path<'_>) -> Check {
        self.link.validate(path, false)?;
        non_empty(&path.field("title"), &self.title)
    }
}
