//! A newcomer's first test, written from the public docs only: the emulator in-process, a
//! send through `emu.client(…)`, a click through the typed member handle, and the app's
//! `wecom_callback` handler firing with an `update_button` reply. Kept under 40 lines.

use wecom::card::{Button, ButtonInteraction, TaskId};
use wecom_callback::{Callback, CallbackServer, EventBody, Reply};

#[tokio::test]
async fn send_click_and_handle_the_callback() -> Result<(), Box<dyn std::error::Error>> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/wecom/callback", listener.local_addr()?);
    let emu = wecom_emulator::Emulator::builder().callback_url(url).start().await?;

    let app = emu.app(1_000_002).expect("the demo corp's Build bot");
    let (token, key) = (app.callback_token.unwrap(), app.encoding_aes_key.unwrap());
    let crypt = wecom_msgcrypt::MsgCrypt::new(token.expose(), key.expose(), emu.corp_id())?;
    let (seen, mut clicks) = tokio::sync::mpsc::unbounded_channel();
    let server = CallbackServer::new(crypt, move |callback: Callback| {
        let seen = seen.clone();
        async move {
            Ok::<_, std::convert::Infallible>(match callback {
                Callback::Event(e) if matches!(e.body, EventBody::TemplateCardEvent(_)) => {
                    let _ = seen.send(e.body);
                    Some(Reply::update_button("Approved"))
                }
                _ => None,
            })
        }
    });
    let router = axum::Router::new().nest("/wecom/callback", server.into_router());
    tokio::spawn(async move { axum::serve(listener, router).await });

    let buttons = [Button::callback("Approve", "approve"), Button::callback("Reject", "reject")];
    let card = ButtonInteraction::new("Deploy v1.4?", TaskId::generate(), buttons);
    let receipt = emu.client(1_000_002)?.send(wecom::Recipients::users(["alice"]), card).await?;

    let record = emu.member("alice").click(&receipt.msgid, "approve").await?;
    assert!(matches!(clicks.recv().await, Some(EventBody::TemplateCardEvent(_))));
    assert!(record.reply.is_some_and(|r| r.applied), "the update_button reply was applied");
    let inbox = emu.member("alice").inbox().await?;
    assert_eq!(inbox[0].card.as_ref().and_then(|c| c.button_text.as_deref()), Some("Approved"));
    Ok(())
}
