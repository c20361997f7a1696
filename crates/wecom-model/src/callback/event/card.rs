//! Template-card interactions: `template_card_event` and `template_card_menu_event`.

use serde::{Deserialize, Serialize};

use crate::callback::fields::Fields;
use crate::card::CardType;

/// A template card's button, vote or selection submitted (`template_card_event`).
///
/// Answer it with a passive `Reply::UpdateButton` or `Reply::UpdateTemplateCard` of
/// `wecom-callback`, or later through the
/// `update_template_card` API with `response_code`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateCardClick {
    /// `EventKey`: the clicked button's `key`, or the submit button's.
    pub event_key: String,
    /// `TaskId`: the card's `task_id`.
    pub task_id: String,
    /// `CardType`: `button_interaction`, `vote_interaction`, … .
    pub card_type: CardType,
    /// `ResponseCode`: single use, valid 72 hours, for `update_template_card`.
    pub response_code: crate::ResponseCode,
    /// `SelectedItems/SelectedItem`: the choices made (vote, selection and dropdown cards).
    pub selected_items: Vec<SelectedItem>,
}

/// One question's answer on a card (`SelectedItem`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectedItem {
    /// `QuestionKey`.
    pub question_key: String,
    /// `OptionIds/OptionId`, in order.
    pub option_ids: Vec<String>,
}

impl TemplateCardClick {
    pub(super) fn read(f: Fields<'_, '_>) -> Self {
        let selected_items = f
            .child("SelectedItems")
            .map(|items| {
                items
                    .children_named("SelectedItem")
                    .map(|item| SelectedItem {
                        question_key: item.string("QuestionKey"),
                        option_ids: item
                            .child("OptionIds")
                            .map(|ids| {
                                ids.children_named("OptionId")
                                    .map(|id| id.0.text().to_owned())
                                    .collect()
                            })
                            .unwrap_or_default(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        TemplateCardClick {
            event_key: f.string("EventKey"),
            task_id: f.string("TaskId"),
            card_type: f.string("CardType").into(),
            response_code: f.string("ResponseCode").into(),
            selected_items,
        }
    }
}

/// An item of a template card's top-right menu clicked (`template_card_menu_event`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateCardMenuClick {
    /// `EventKey`: the menu item's `key`.
    pub event_key: String,
    /// `TaskId`: the card's `task_id`.
    pub task_id: String,
    /// `CardType`: `text_notice`, `news_notice` or `button_interaction`.
    pub card_type: CardType,
    /// `ResponseCode`: single use, valid 72 hours, for `update_template_card`.
    pub response_code: crate::ResponseCode,
}

impl TemplateCardMenuClick {
    pub(super) fn read(f: Fields<'_, '_>) -> Self {
        TemplateCardMenuClick {
            event_key: f.string("EventKey"),
            task_id: f.string("TaskId"),
            card_type: f.string("CardType").into(),
            response_code: f.string("ResponseCode").into(),
        }
    }
}
