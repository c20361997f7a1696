//! An echo bot: answers every text message with the same text, as a passive reply.
//!
//! ```sh
//! WECOM_TOKEN=… WECOM_ENCODING_AES_KEY=… WECOM_CORP_ID=… PORT=8080 \
//!     cargo run -p wecom-callback --example echo_bot
//! ```
//!
//! Point the app's callback URL at `http://<host>:<PORT>/` (through HTTPS in production).
//! Set `RUST_LOG=debug` to see every decision the server makes.

use std::convert::Infallible;

use wecom_callback::{Callback, CallbackServer, MessageBody, Reply};
use wecom_msgcrypt::MsgCrypt;

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("set {name} (see the example's documentation)"))
}

async fn echo(callback: Callback) -> Result<Option<Reply>, Infallible> {
    Ok(match callback {
        Callback::Message(message) => match message.body {
            MessageBody::Text(text) => Some(Reply::text(text.content)),
            other => {
                tracing::info!(msg_type = other.msg_type(), "not a text message; no reply");
                None
            }
        },
        other => {
            tracing::info!(
                msg_type = other.msg_type(),
                event = other.event_name(),
                "callback received"
            );
            None
        }
    })
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    // The key and token are checked here, and never printed.
    let crypt = MsgCrypt::new(
        &env("WECOM_TOKEN")?,
        &env("WECOM_ENCODING_AES_KEY")?,
        env("WECOM_CORP_ID")?,
    )?;
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(8080);
    CallbackServer::new(crypt, echo).serve(("0.0.0.0", port)).await?;
    Ok(())
}
