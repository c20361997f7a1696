//! `template_card` through a webhook: only `text_notice` and `news_notice`, built from the
//! shared card model, without the parts that need an app (menu, task id, callbacks).

use serde::{Deserialize, Serialize};

use crate::card::{CardContext, HorizontalItem, NewsNotice, TemplateCard, TextNotice};
use crate::validate::{Check, Path, not_allowed};

/// A template card a webhook can send: the two notice kinds, tagged on the wire by
/// `card_type`. Interactive cards cannot be written here.
///
/// ```
/// use wecom_model::card::{CardAction, TextNotice};
/// use wecom_model::webhook::{WebhookCard, WebhookMessage};
///
/// let card = TextNotice::new("order-svc latency", CardAction::url("https://alert.example.com/42"))
///     .sub_title_text("p99 2.4s");
/// let message: WebhookMessage = WebhookCard::from(card).into();
/// message.validate()?;
/// assert_eq!(serde_json::to_value(&message).unwrap()["template_card"]["card_type"], "text_notice");
/// # Ok::<(), wecom_model::InvalidArgument>(())
/// ```
#[allow(clippy::large_enum_variant)] // one card at a time, like `TemplateCard`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "card_type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum WebhookCard {
    /// `text_notice`.
    TextNotice(TextNotice),
    /// `news_notice`.
    NewsNotice(NewsNotice),
}

impl WebhookCard {
    /// The `card_type` of this card.
    pub fn card_type(&self) -> &'static str {
        match self {
            Self::TextNotice(_) => "text_notice",
            Self::NewsNotice(_) => "news_notice",
        }
    }

    /// The attachment media ids of its `horizontal_content_list`.
    pub fn attachment_ids(&self) -> Vec<&str> {
        let rows: &[HorizontalItem] = match self {
            Self::TextNotice(card) => &card.horizontal_content_list,
            Self::NewsNotice(card) => &card.horizontal_content_list,
        };
        rows.iter().filter_map(HorizontalItem::media_id).collect()
    }

    pub(crate) fn validate(&self, path: &Path<'_>) -> Check {
        let (menu, task) = match self {
            Self::TextNotice(card) => {
                card.validate(path, CardContext::Send)?;
                (card.action_menu.is_some(), card.task_id.is_some())
            }
            Self::NewsNotice(card) => {
                // `card_image.aspect_ratio` is checked strictly inside (1.3, 2.25), the
                // documented wording, although WeCom's own webhook example sends 2.25: which
                // bound is inclusive is unverified, and the strict reading is the safe one.
                card.validate(path, CardContext::Send)?;
                (card.action_menu.is_some(), card.task_id.is_some())
            }
        };
        if menu {
            return Err(not_allowed(
                &path.field("action_menu"),
                "on a webhook card (it calls back, and webhooks have no callbacks)",
            ));
        }
        if task {
            return Err(not_allowed(
                &path.field("task_id"),
                "on a webhook card (webhook cards cannot be updated)",
            ));
        }
        Ok(())
    }
}

impl From<TextNotice> for WebhookCard {
    fn from(card: TextNotice) -> Self {
        Self::TextNotice(card)
    }
}

impl From<NewsNotice> for WebhookCard {
    fn from(card: NewsNotice) -> Self {
        Self::NewsNotice(card)
    }
}

impl From<TextNotice> for super::WebhookMessage {
    fn from(card: TextNotice) -> Self {
        Self::TemplateCard(card.into())
    }
}

impl From<NewsNotice> for super::WebhookMessage {
    fn from(card: NewsNotice) -> Self {
        Self::TemplateCard(card.into())
    }
}

impl TryFrom<TemplateCard> for WebhookCard {
    type Error = crate::InvalidArgument;

    /// Only the notice kinds convert; any other card is refused naming its type.
    fn try_from(card: TemplateCard) -> Result<Self, Self::Error> {
        match card {
            TemplateCard::TextNotice(card) => Ok(Self::TextNotice(card)),
            TemplateCard::NewsNotice(card) => Ok(Self::NewsNotice(card)),
            other => Err(Path::root("template_card").field("card_type").error(format!(
                "must be text_notice or news_notice for a webhook (got {})",
                other.card_type()
            ))),
        }
    }
}
