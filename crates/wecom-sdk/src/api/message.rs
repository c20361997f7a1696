//! The `message/*` endpoints: send a message or template card, recall it, update a sent
//! card, read the send statistics. What is sent (message kinds, cards, recipients) is the shared wire model in
//! [`crate::message`] and [`crate::card`].

pub mod recall;
pub mod send;
pub mod statistics;
pub mod update_template_card;

pub(crate) use wecom_model::send_option_setters;
