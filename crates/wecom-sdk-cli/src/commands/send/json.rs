//! `wecom send json FILE|-` (also spelled `wecom send --json FILE|-`): any message written as
//! WeCom JSON, read through the SDK's types so it is validated like any other send.
//!
//! Accepted shapes:
//! * a full `message/send` body (`touser`…, `msgtype`, the content, options; `agentid` may
//!   be left out and then comes from the settings);
//! * just the content part: `{"msgtype": "text", "text": {…}}`;
//! * a bare template card: `{"card_type": "button_interaction", …}`.
//!
//! Recipient flags replace the body's recipients; option flags override its options.

use anyhow::{Result, anyhow};
use clap::Args;
use serde_json::{Map, Value};
use wecom::message::{Message, MessageRequest};

use super::Draft;
use crate::exit::usage;
use crate::parse;

/// Arguments of `send json`.
#[derive(Debug, Args)]
pub(crate) struct JsonArgs {
    /// The JSON file; `-` reads stdin.
    pub(crate) file: String,
}

/// A stand-in agent id for reading a body without one (replaced by the settings').
const NO_AGENT: i64 = 0;

/// Reads and checks the JSON into a draft.
pub(crate) fn draft(args: &JsonArgs) -> Result<Draft> {
    let text = parse::file_or_stdin(&args.file)?;
    let name = if args.file == "-" { "stdin" } else { args.file.as_str() };
    let value: Value =
        serde_json::from_str(&text).map_err(|e| usage(anyhow!("{name} is not valid JSON: {e}")))?;
    let Value::Object(mut object) = value else {
        return Err(usage(anyhow!("{name}: expected a JSON object (a message/send body)")));
    };
    if object.contains_key("card_type") && !object.contains_key("msgtype") {
        let card = Value::Object(std::mem::take(&mut object));
        object = Map::from_iter([
            ("msgtype".to_owned(), Value::from("template_card")),
            ("template_card".to_owned(), card),
        ]);
    }
    if !object.contains_key("msgtype") {
        return Err(usage(anyhow!(
            "{name}: no `msgtype`; give a message/send body, {{\"msgtype\": \"text\", \"text\": \
             {{…}}}} or a template card with `card_type`"
        )));
    }
    let is_full = ["touser", "toparty", "totag", "agentid"].iter().any(|k| object.contains_key(*k));
    object.entry("agentid").or_insert(Value::from(NO_AGENT));
    let request: MessageRequest = serde_json::from_value(Value::Object(object))
        .map_err(|e| usage(anyhow!("{name}: not a message WeCom accepts: {e}")))?;
    let message: Message = request.message.clone();
    let mut draft = Draft::new(message);
    if is_full {
        draft.from_json = Some(request);
    } else {
        // Content only: keep its options (none are in a content part), recipients from flags.
        let mut bare = request;
        bare.recipients = wecom::message::Recipients::users(Vec::<String>::new()).into();
        draft.from_json = Some(bare);
    }
    Ok(draft)
}
