//! Sends a `vote_interaction` template card: a question with checkbox options and a submit
//! button.
//!
//! ```text
//! export WECOM_CORP_ID=ww… WECOM_AGENT_ID=1000002 WECOM_SECRET=…
//! cargo run -p wecom-sdk --example vote_card -- alice,bob
//! ```
//!
//! Each member's submission arrives as a `template_card_event` callback at the app's callback
//! URL (handled by the `wecom-callback` server) with `SelectedItems` holding the chosen option
//! ids and a single-use `ResponseCode`; see `update_card.rs` for closing the vote with it.
//!
//! Set `WECOM_BASE_URL` to point at an emulator, `HTTPS_PROXY` to go through a proxy.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use wecom::card::{
    Checkbox, CheckboxMode, CheckboxOption, Source, SubmitButton, TaskId, VoteInteraction,
};
use wecom::{Client, Recipients};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            if let Some(hint) = err.hint() {
                eprintln!("hint: {hint}");
            }
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), wecom::Error> {
    let Some(users) = std::env::args().nth(1) else {
        eprintln!("usage: vote_card USER[,USER…]");
        std::process::exit(2);
    };
    let client = Client::from_env()?;
    let options = Checkbox::new(
        "lunch",
        [
            CheckboxOption::new("noodles", "Noodles"),
            CheckboxOption::new("rice", "Rice").checked(true),
            CheckboxOption::new("salad", "Salad"),
        ],
    )
    .mode(CheckboxMode::Multiple);
    let card = VoteInteraction::new(
        "Lunch on Friday?",
        TaskId::generate(),
        options,
        SubmitButton::new("Vote", "lunch_submit"),
    )
    .source(Source::new("Office bot"));
    let receipt = client.send(Recipients::users(users.split(',')), card).await?;
    println!("sent, msgid {}", receipt.msgid);
    if let Some(code) = receipt.response_code {
        println!("response_code (closes the vote for everyone; single use, 72 h): {code}");
    }
    Ok(())
}
