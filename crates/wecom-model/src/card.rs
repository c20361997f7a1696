//! Template cards (`msgtype: template_card`): one type per `card_type` — [`TextNotice`],
//! [`NewsNotice`], [`ButtonInteraction`], [`VoteInteraction`], [`MultipleInteraction`] — in
//! the tagged enum [`TemplateCard`], and their sub-objects.
//!
//! Each card type only has the fields WeCom allows on it, its required parts are constructor
//! arguments, and elements whose `type` decides which other field is required ([`CardAction`],
//! [`QuoteArea`], [`ImageTextArea`], [`JumpItem`], [`HorizontalItem`], [`Button`]) are built
//! through one constructor or setter per type, so a link without its URL cannot be written.
//! Every card converts into a [`Message`]:
//!
//! ```
//! use wecom_model::card::{Button, ButtonInteraction};
//! use wecom_model::message::{MessageRequest, Recipients};
//!
//! let card = ButtonInteraction::new("Deploy v1.4?", "deploy-42", [Button::callback("Go", "go")]);
//! let req = MessageRequest::new(1000002, Recipients::users(["alice"]), card);
//! req.validate()?;
//! # Ok::<(), wecom_model::InvalidArgument>(())
//! ```
//!
//! WeCom's length suggestions for displayed text ("about 36 characters") are display hints and
//! are not enforced; byte limits on keys and ids, counts, uniqueness and type-dependent fields
//! are.

use serde::{Deserialize, Serialize};

use crate::InvalidArgument;
use crate::message::Message;
use crate::validate::{Check, Path, count, non_empty, not_allowed};

mod action_menu;
mod button;
mod button_interaction;
mod card_type;
mod checkbox;
mod content_list;
mod image;
mod link;
mod multiple_interaction;
mod news_notice;
mod quote_area;
mod select;
mod setters;
mod source;
mod submit;
mod task_id;
mod text_notice;
mod title;
mod vote_interaction;
mod xml;

pub use action_menu::{ActionMenu, MenuAction};
pub use button::{Button, ButtonSelection, ButtonStyle, ButtonType};
pub use button_interaction::ButtonInteraction;
pub use card_type::CardType;
pub use checkbox::{Checkbox, CheckboxMode, CheckboxOption};
pub use content_list::{HorizontalItem, HorizontalType, VerticalContent};
pub use image::{CardImage, ImageTextArea};
pub use link::{CardAction, JumpItem, Link, LinkType};
pub use multiple_interaction::MultipleInteraction;
pub use news_notice::NewsNotice;
pub use quote_area::QuoteArea;
pub use select::{SelectOption, Selector};
pub use source::{DescColor, Source};
pub use submit::SubmitButton;
pub use task_id::TaskId;
pub use text_notice::TextNotice;
pub use title::{EmphasisContent, MainTitle};
pub use vote_interaction::VoteInteraction;

/// A template card, tagged on the wire by `card_type`.
///
/// ```
/// use wecom_model::card::{CardAction, TemplateCard, TextNotice};
///
/// let card: TemplateCard = TextNotice::new("Backup done", CardAction::url("https://example.com")).into();
/// assert_eq!(card.card_type(), "text_notice");
/// assert!(!card.calls_back());
/// card.validate()?;
/// let json = serde_json::to_value(&card)?;
/// assert_eq!(json["card_type"], "text_notice");
/// assert_eq!(serde_json::from_value::<TemplateCard>(json)?, card);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "card_type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TemplateCard {
    /// `text_notice`.
    TextNotice(TextNotice),
    /// `news_notice`.
    NewsNotice(NewsNotice),
    /// `button_interaction`.
    ButtonInteraction(ButtonInteraction),
    /// `vote_interaction`.
    VoteInteraction(VoteInteraction),
    /// `multiple_interaction`.
    MultipleInteraction(MultipleInteraction),
}

impl TemplateCard {
    /// The `card_type` of this card.
    pub fn card_type(&self) -> &'static str {
        // Every card this crate builds is of a known kind.
        self.kind().known_str().unwrap_or_default()
    }

    /// The kind of this card, as card-click callbacks report it.
    pub fn kind(&self) -> CardType {
        match self {
            TemplateCard::TextNotice(_) => CardType::TextNotice,
            TemplateCard::NewsNotice(_) => CardType::NewsNotice,
            TemplateCard::ButtonInteraction(_) => CardType::ButtonInteraction,
            TemplateCard::VoteInteraction(_) => CardType::VoteInteraction,
            TemplateCard::MultipleInteraction(_) => CardType::MultipleInteraction,
        }
    }

    /// Whether the card calls back: button, vote and multiple-choice cards, and notice cards
    /// with an action menu. Only these need a callback URL on the app, return a
    /// `response_code` when sent, and can be updated with `update_template_card`.
    pub fn calls_back(&self) -> bool {
        match self {
            TemplateCard::TextNotice(card) => card.action_menu.is_some(),
            TemplateCard::NewsNotice(card) => card.action_menu.is_some(),
            TemplateCard::ButtonInteraction(_)
            | TemplateCard::VoteInteraction(_)
            | TemplateCard::MultipleInteraction(_) => true,
        }
    }

    /// The card's `task_id`, if it has one.
    pub fn task_id(&self) -> Option<&TaskId> {
        match self {
            TemplateCard::TextNotice(card) => card.task_id.as_ref(),
            TemplateCard::NewsNotice(card) => card.task_id.as_ref(),
            TemplateCard::ButtonInteraction(card) => Some(&card.task_id),
            TemplateCard::VoteInteraction(card) => Some(&card.task_id),
            TemplateCard::MultipleInteraction(card) => Some(&card.task_id),
        }
    }

    /// Replaces the card's `task_id` (a bulk send gives each request its own).
    pub fn set_task_id(&mut self, id: TaskId) {
        match self {
            TemplateCard::TextNotice(card) => card.task_id = Some(id),
            TemplateCard::NewsNotice(card) => card.task_id = Some(id),
            TemplateCard::ButtonInteraction(card) => card.task_id = id,
            TemplateCard::VoteInteraction(card) => card.task_id = id,
            TemplateCard::MultipleInteraction(card) => card.task_id = id,
        }
    }

    /// Checks every documented hard limit of the card for sending; errors name the field as
    /// it appears in the request body (`template_card.button_list[2].key`).
    pub fn validate(&self) -> Result<(), InvalidArgument> {
        self.validate_in(&Path::root("template_card"), CardContext::Send)
    }

    /// Checks the card for an `update_template_card` passive reply: the rules of an update,
    /// with field paths relative to the card (`button_list[1].key`).
    pub fn validate_reply(&self) -> Result<(), InvalidArgument> {
        self.validate_in(&Path::root(""), CardContext::Update)
    }

    /// Checks the card at `path` of a request body, for sending or for an update.
    pub fn validate_in(&self, path: &Path<'_>, ctx: CardContext) -> Check {
        match self {
            TemplateCard::TextNotice(card) => card.validate(path, ctx),
            TemplateCard::NewsNotice(card) => card.validate(path, ctx),
            TemplateCard::ButtonInteraction(card) => card.validate(path, ctx),
            TemplateCard::VoteInteraction(card) => card.validate(path, ctx),
            TemplateCard::MultipleInteraction(card) => card.validate(path, ctx),
        }
    }
}

macro_rules! card_conversions {
    ($($kind:ident),+) => {
        $(
            impl From<$kind> for TemplateCard {
                fn from(card: $kind) -> Self {
                    TemplateCard::$kind(card)
                }
            }

            impl From<$kind> for Message {
                fn from(card: $kind) -> Self {
                    Message::TemplateCard(TemplateCard::$kind(card))
                }
            }
        )+
    };
}

card_conversions!(TextNotice, NewsNotice, ButtonInteraction, VoteInteraction, MultipleInteraction);

/// Where a card is checked: a card being sent may not carry the fields that only
/// `update_template_card` understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardContext {
    /// `message/send`.
    Send,
    /// `update_template_card`.
    Update,
}

impl CardContext {
    /// Refuses an update-only field when sending.
    pub fn update_only(self, path: &Path<'_>) -> Check {
        match self {
            CardContext::Update => Ok(()),
            CardContext::Send => Err(not_allowed(
                path,
                "when sending a card; it only applies to update_template_card",
            )),
        }
    }
}

/// `source`: `desc_color` only where the card type lists it.
fn check_source(
    path: &Path<'_>,
    source: Option<&Source>,
    color_allowed: bool,
    card_type: &str,
) -> Check {
    match source {
        Some(Source { desc_color: Some(_), .. }) if !color_allowed => Err(not_allowed(
            &path.field("source").field("desc_color"),
            format_args!("on {card_type} cards"),
        )),
        _ => Ok(()),
    }
}

/// `main_title.title` is required on every card but `text_notice`.
fn check_main_title(path: &Path<'_>, title: &MainTitle) -> Check {
    let p = path.field("main_title");
    match &title.title {
        Some(t) => non_empty(&p.field("title"), t),
        None => Err(p.field("title").error("is required and must not be empty")),
    }
}

/// A required `task_id`.
fn check_task_id(path: &Path<'_>, task_id: &TaskId) -> Check {
    task_id.validate(&path.field("task_id"))
}

/// A notice card's `action_menu`, which makes `task_id` required.
fn check_action_menu(
    path: &Path<'_>,
    menu: Option<&ActionMenu>,
    task_id: Option<&TaskId>,
) -> Check {
    if let Some(menu) = menu {
        menu.validate(&path.field("action_menu"))?;
    }
    match task_id {
        Some(id) => check_task_id(path, id),
        None if menu.is_some() => Err(path
            .field("task_id")
            .error("is required when action_menu is set (the card then calls back)")),
        None => Ok(()),
    }
}

/// An optional `quote_area`.
fn check_quote_area(path: &Path<'_>, quote: Option<&QuoteArea>) -> Check {
    quote.map_or(Ok(()), |quote| quote.validate(&path.field("quote_area")))
}

/// `jump_list`: at most 3 links.
fn check_jump_list(path: &Path<'_>, items: &[JumpItem]) -> Check {
    let list = path.field("jump_list");
    count(&list, items.len(), 0, crate::limits::CARD_JUMPS)?;
    for (i, item) in items.iter().enumerate() {
        item.validate(&list.index(i))?;
    }
    Ok(())
}

/// `disable` of a drop-down or checkbox: update-only.
fn check_disable(path: &Path<'_>, disable: Option<bool>, ctx: CardContext) -> Check {
    match disable {
        Some(_) => ctx.update_only(&path.field("disable")),
        None => Ok(()),
    }
}

/// `replace_text`: update-only, and not empty when given.
fn check_replace_text(path: &Path<'_>, text: Option<&String>, ctx: CardContext) -> Check {
    match text {
        Some(text) => {
            let p = path.field("replace_text");
            ctx.update_only(&p)?;
            non_empty(&p, text)
        }
        None => Ok(()),
    }
}
