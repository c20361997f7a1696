//! Sends a `button_interaction` template card and shows how to update it after a click.
//!
//! ```text
//! export WECOM_CORP_ID=ww… WECOM_AGENT_ID=1000002 WECOM_SECRET=…
//! cargo run -p wecom-sdk --example button_card -- alice
//! ```
//!
//! How the round trip works:
//!
//! 1. The send returns a `response_code` (interactive cards only). It can update the card
//!    once, within 72 hours — for example to close it from a program.
//! 2. When a member clicks a callback button, WeCom does **not** answer this program: it
//!    posts a `template_card_event` callback (XML, encrypted) to the app's callback URL,
//!    which the callback server (the `wecom-callback` crate) decrypts and hands to your
//!    handler. The event carries the clicked button's `key` (`EventKey`), the card's
//!    `TaskId`, the clicking member (`FromUserName`) and a fresh single-use `ResponseCode`.
//! 3. The handler answers the callback quickly (WeCom retries after 5 s) and then calls
//!    `update_template_card` with that `ResponseCode` — shown in [`on_click`] below — to grey
//!    out the buttons or replace the card, for the clicking member or for everyone.
//!
//! Apps can only send interactive cards if a callback URL is configured for them.
//!
//! Set `WECOM_BASE_URL` to point at an emulator, `HTTPS_PROXY` to go through a proxy.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use wecom::card::{Button, ButtonInteraction, ButtonStyle, CardAction, HorizontalItem, TaskId};
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
    let Some(user) = std::env::args().nth(1) else {
        eprintln!("usage: button_card USER");
        std::process::exit(2);
    };
    let client = Client::from_env()?;

    // task_id must be unique per app: keep it to match the callbacks to this card.
    let task_id = TaskId::generate();
    let card = ButtonInteraction::new(
        "Deploy v1.4 to prod?",
        task_id.clone(),
        [
            Button::callback("Approve", "approve").style(ButtonStyle::Style1),
            Button::callback("Reject", "reject").style(ButtonStyle::Style2),
            Button::link("Logs", "https://ci.example.com/r/14/logs"),
        ],
    )
    .sub_title_text("3 services, 12 pods")
    .horizontal_content_list([HorizontalItem::text("Env", "prod")])
    .card_action(CardAction::url("https://ci.example.com/r/14"));

    let receipt = client.send(Recipients::user(user), card).await?;
    println!("sent card {task_id:?}, msgid {}", receipt.msgid);
    if let Some(code) = &receipt.response_code {
        println!("response_code from the send (single use, 72 h): {code}");
    }
    Ok(())
}

/// What a `template_card_event` handler does after acknowledging the callback: grey out the
/// buttons for the member who clicked, using the event's own `ResponseCode`.
///
/// `event_key` is the callback's `EventKey` (the button's key), `from_user` its
/// `FromUserName`. Not called in this example: the callback server calls it.
#[allow(dead_code)]
async fn on_click(
    client: &Client,
    from_user: &str,
    event_key: &str,
    response_code: &str,
) -> Result<(), wecom::Error> {
    let label = if event_key == "approve" { "Approved" } else { "Rejected" };
    let update = UpdateTemplateCard::replace_button(
        response_code,
        Recipients::user(from_user),
        format!("{label} by {from_user}"),
    );
    // Not retried after a timeout: the code is single-use, a repeat could fail although the
    // first request worked.
    let answer = client.update_template_card(update).await?;
    if !answer.invalid_users.is_empty() {
        eprintln!("card not updated for {:?}", answer.invalid_users);
    }
    Ok(())
}
