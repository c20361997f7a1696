//! The card of an `update_template_card` passive reply: one type per card kind, each with
//! only the parts that kind may carry, serialized to the CamelCase XML of WeCom's reply
//! documentation.
//!
//! These types mirror the JSON template cards of the `wecom` client but are self-contained
//! (this crate does not depend on the client). XML quirks kept as documented: repeated parts
//! (`ButtonList`, `HorizontalContentList`, `OptionList` …) are repeated elements with no
//! wrapper; the vote card's part is `CheckBox` with a capital B; `QuoteArea` and
//! `ImageTextArea` spell `Appid`, `JumpList` and `CardAction` spell `AppId`.
//!
//! ```
//! use wecom_callback::reply::template_card::{Button, ButtonInteraction, MainTitle, TemplateCard};
//! use wecom_callback::Reply;
//!
//! let card = ButtonInteraction::new(
//!     MainTitle::new().title("Deploy v1.4 to prod?"),
//!     [Button::new("Approved", "approve").style(1)],
//! )
//! .replace_text("Approved by alice");
//! let xml = Reply::from(TemplateCard::from(card)).to_xml("alice", "ww1", 1700000001)?;
//! assert!(xml.contains("<MsgType><![CDATA[update_template_card]]></MsgType><TemplateCard>\
//!     <CardType><![CDATA[button_interaction]]></CardType>"));
//! # Ok::<(), wecom_callback::Error>(())
//! ```

mod cards;
mod parts;

pub use cards::{
    ButtonInteraction, MAX_TASK_ID_BYTES, MultipleInteraction, NewsNotice, NewsPicture, TextNotice,
    VoteInteraction,
};
pub use parts::{
    ActionItem, ActionMenu, Button, ButtonSelection, CardAction, CardImage, CheckBox, CheckOption,
    EmphasisContent, HorizontalContent, ImageTextArea, Jump, MAX_KEY_BYTES, MAX_OPTION_ID_BYTES,
    MainTitle, QuoteArea, SelectList, SelectOption, Source, SubmitButton, VerticalContent,
};

use super::writer::XmlWriter;
use crate::error::Error;

/// Builds a chainable setter for an optional field, a list field, or a plain optional value.
macro_rules! setter {
    ($(#[$doc:meta])* $name:ident: String) => {
        $(#[$doc])*
        #[must_use]
        pub fn $name(mut self, value: impl Into<String>) -> Self {
            self.$name = Some(value.into());
            self
        }
    };
    ($(#[$doc:meta])* $name:ident: Vec<$t:ty>) => {
        $(#[$doc])*
        #[must_use]
        pub fn $name(mut self, items: impl IntoIterator<Item = $t>) -> Self {
            self.$name = items.into_iter().collect();
            self
        }
    };
    ($(#[$doc:meta])* $name:ident: $t:ty) => {
        $(#[$doc])*
        #[must_use]
        pub fn $name(mut self, value: $t) -> Self {
            self.$name = Some(value);
            self
        }
    };
}
pub(crate) use setter;

/// A template card for an `update_template_card` reply, by `CardType`.
#[derive(Debug, Clone, PartialEq)]
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
    /// `CardType` as WeCom spells it.
    pub fn card_type(&self) -> &'static str {
        match self {
            TemplateCard::TextNotice(_) => "text_notice",
            TemplateCard::NewsNotice(_) => "news_notice",
            TemplateCard::ButtonInteraction(_) => "button_interaction",
            TemplateCard::VoteInteraction(_) => "vote_interaction",
            TemplateCard::MultipleInteraction(_) => "multiple_interaction",
        }
    }

    /// Checks the card against WeCom's rules (required parts, list lengths, id lengths).
    ///
    /// # Errors
    /// [`Error::Reply`] naming the first field that breaks a rule.
    pub fn validate(&self) -> Result<(), Error> {
        match self {
            TemplateCard::TextNotice(c) => c.validate(),
            TemplateCard::NewsNotice(c) => c.validate(),
            TemplateCard::ButtonInteraction(c) => c.validate(),
            TemplateCard::VoteInteraction(c) => c.validate(),
            TemplateCard::MultipleInteraction(c) => c.validate(),
        }
    }

    pub(crate) fn write(&self, w: &mut XmlWriter) -> Result<(), Error> {
        w.element("TemplateCard", |w| {
            w.text("CardType", self.card_type())?;
            match self {
                TemplateCard::TextNotice(c) => c.write(w),
                TemplateCard::NewsNotice(c) => c.write(w),
                TemplateCard::ButtonInteraction(c) => c.write(w),
                TemplateCard::VoteInteraction(c) => c.write(w),
                TemplateCard::MultipleInteraction(c) => c.write(w),
            }
        })
    }
}

macro_rules! card_from {
    ($($variant:ident),*) => {$(
        impl From<$variant> for TemplateCard {
            fn from(card: $variant) -> Self {
                TemplateCard::$variant(card)
            }
        }
        impl From<$variant> for super::Reply {
            fn from(card: $variant) -> Self {
                super::Reply::UpdateTemplateCard(Box::new(TemplateCard::$variant(card)))
            }
        }
    )*};
}

card_from!(TextNotice, NewsNotice, ButtonInteraction, VoteInteraction, MultipleInteraction);
