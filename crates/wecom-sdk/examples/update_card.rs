//! Updates a sent template card with a `response_code`: greys out its buttons for everyone,
//! or for the listed members.
//!
//! ```text
//! export WECOM_CORP_ID=ww… WECOM_AGENT_ID=1000002 WECOM_SECRET=…
//! cargo run -p wecom-sdk --example update_card -- RESPONSE_CODE "Vote closed" [alice,bob]
//! ```
//!
//! The code comes from the send's receipt (`receipt.response_code`) or from a
//! `template_card_event` callback, and works once, within 72 hours. Only the app that sent
//! the card may update it (errcode 42015 otherwise).
//!
//! Set `WECOM_BASE_URL` to point at an emulator, `HTTPS_PROXY` to go through a proxy.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use wecom::{Client, Recipients, UpdateTemplateCard};

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
    let mut args = std::env::args().skip(1);
    let (Some(code), Some(text)) = (args.next(), args.next()) else {
        eprintln!("usage: update_card RESPONSE_CODE TEXT [USER,USER…]");
        std::process::exit(2);
    };
    // Everyone who received the card (`atall: 1`), unless members are named.
    let audience = args
        .next()
        .map_or_else(Recipients::all, |users| Recipients::users(users.split(',')).into());
    let client = Client::from_env()?;
    let answer = client
        .update_template_card(UpdateTemplateCard::replace_button(code, audience, text))
        .await?;
    println!("updated");
    if !answer.invalid_users.is_empty() {
        println!("not updated for {:?}", answer.invalid_users);
    }
    Ok(())
}
