//! `card_type`: the kinds of template card, one definition for the cards sent and the card
//! clicks received.

use crate::string_enum::string_enum;

string_enum! {
    /// A template card's kind, `card_type` on the wire: what [`TemplateCard::kind`] reports
    /// for a card sent and what a card-click callback carries in `CardType`. A kind WeCom adds
    /// later arrives as [`CardType::Other`].
    ///
    /// [`TemplateCard::kind`]: super::TemplateCard::kind
    ///
    /// ```
    /// use wecom_model::card::CardType;
    ///
    /// assert_eq!(CardType::from("vote_interaction"), CardType::VoteInteraction);
    /// assert_eq!(CardType::ButtonInteraction, "button_interaction");
    /// let new = CardType::from("hologram_notice");
    /// assert!(!new.is_known());
    /// assert_eq!(serde_json::to_value(&new).unwrap(), "hologram_notice");
    /// ```
    pub enum CardType {
        /// `text_notice`.
        TextNotice = "text_notice",
        /// `news_notice`.
        NewsNotice = "news_notice",
        /// `button_interaction`.
        ButtonInteraction = "button_interaction",
        /// `vote_interaction`.
        VoteInteraction = "vote_interaction",
        /// `multiple_interaction`.
        MultipleInteraction = "multiple_interaction",
    }
}
