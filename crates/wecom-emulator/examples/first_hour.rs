//! The first hour with the emulator, in one program: the emulator in-process, an app's
//! callback server built on `wecom-callback` where the emulator calls back, a button card
//! sent through `emu.client(…)` (the `wecom` SDK), a click as alice through the member
//! handle, and the handler's `update_button` reply applied to alice's card.
//!
//! ```sh
//! cargo run -p wecom-emulator --features client --example first_hour
//! ```
#![allow(clippy::print_stdout)]

use wecom::card::{Button, ButtonInteraction, TaskId};
use wecom_callback::{Callback, CallbackServer, EventBody, Reply};
use wecom_emulator::Emulator;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The app's callback server listens first, so the emulator can be told where it is.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/wecom/callback", listener.local_addr()?);
    let emu = Emulator::builder().callback_url(&url).start().await?;

    let app = emu.app(1_000_002).ok_or("the demo corp has the Build bot")?;
    let (token, key) = (app.callback_token.ok_or("token")?, app.encoding_aes_key.ok_or("key")?);
    let crypt = wecom_msgcrypt::MsgCrypt::new(token.expose(), key.expose(), emu.corp_id())?;
    let server = CallbackServer::new(crypt, |callback: Callback| async move {
        Ok::<_, std::convert::Infallible>(match callback {
            Callback::Event(e) if matches!(e.body, EventBody::TemplateCardEvent(_)) => {
                println!("the app got the click of {}", e.header.from_user_name);
                Some(Reply::update_button("Approved"))
            }
            _ => None,
        })
    });
    let router = axum::Router::new().nest("/wecom/callback", server.into_router());
    tokio::spawn(async move { axum::serve(listener, router).await });

    let buttons = [Button::callback("Approve", "approve"), Button::callback("Reject", "reject")];
    let card = ButtonInteraction::new("Deploy v1.4?", TaskId::generate(), buttons);
    let receipt = emu.client(1_000_002)?.send(wecom::Recipients::users(["alice"]), card).await?;
    println!("sent {} to alice", receipt.msgid);

    let record = emu.member("alice").click(&receipt.msgid, "approve").await?;
    println!("callback to {url}: {:?}, reply {:?}", record.outcome, record.reply.map(|r| r.detail));
    let inbox = emu.member("alice").inbox().await?;
    println!(
        "alice's card now reads {:?}",
        inbox[0].card.as_ref().and_then(|c| c.button_text.clone())
    );
    Ok(())
}
