//! An echo bot: answers every text message with the same text, as a passive reply.
//!
//! ```sh
//! WECOM_TOKEN=… WECOM_ENCODING_AES_KEY=… WECOM_CORP_ID=… PORT=3000 \
//!     cargo run -p wecom-callback --example echo_bot
//! ```
//!
//! It serves `http://<host>:<PORT>/wecom/callback` (PORT 3000 by default): the URL the
//! emulator's demo corp calls back to, so after running the `export` line `wecom emulator`
//! prints, the two meet with no further settings. Point a real app's callback URL at it
//! through HTTPS.
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
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(3000);
    let app =
        axum::Router::new().nest("/wecom/callback", CallbackServer::new(crypt, echo).into_router());
    let listener = tokio::net::TcpListener::bind(("0.0.0.0", port)).await?;
    tracing::info!(port, "echo bot listening at /wecom/callback");
    wecom_callback::serve::serve(listener, app, wecom_callback::ServeLimits::new()).await?;
    Ok(())
}
