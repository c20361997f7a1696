//! The message and card catalog: golden JSON for every kind, the example bodies under
//! `tests/fixtures/`, validation at and past every limit, and serde round trips.

mod fixtures;
mod golden_cards;
mod golden_messages;
mod roundtrip;
mod validation_cards;
mod validation_interactive;
mod validation_messages;
mod validation_update;
