//! The model's tests in one binary: the callback model's serde form, and the webhook messages'
//! golden JSON, validation and splitter.

mod appchat;
mod callback_json;
mod webhook_golden;
mod webhook_split;
mod webhook_validation;
