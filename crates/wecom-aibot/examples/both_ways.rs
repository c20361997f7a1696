//! One bot served both ways at once: over HTTP callbacks and over the WebSocket long
//! connection. The handler is the same value; neither transport shows through it.
//!
//! ```sh
//! # HTTP callbacks (the bot's API-mode URL points at http://<host>:8080/):
//! export WECOM_AIBOT_TOKEN=… WECOM_AIBOT_AES_KEY=…
//! # WebSocket long connection (Bot ID and Secret from the bot's 长连接 settings):
//! export WECOM_AIBOT_ID=… WECOM_AIBOT_SECRET=…
//! # optional: another endpoint, e.g. the local emulator's ws://127.0.0.1:PORT/aibot/ws
//! export WECOM_AIBOT_WS_URL=…
//! cargo run -p wecom-aibot --features ws --example both_ways
//! ```
//! Either pair of variables may be left out to run only that transport.

use std::time::Duration;

use wecom_aibot::bot::{Bot, EventResponder, Responder};
use wecom_aibot::http::AibotServer;
use wecom_aibot::model::{Event, EventKind, Message};
use wecom_aibot::ws::{AibotWs, Credentials, WsConfig, WsEvent};

/// Streams the answer word by word and welcomes members.
#[derive(Clone)]
struct Echo;

impl Bot for Echo {
    async fn on_message(&self, message: Message, reply: Responder) {
        let transport = if reply.ws().is_some() { "WebSocket" } else { "HTTP" };
        let mut stream = reply.stream();
        let answer = format!("You asked **{}** (over {transport}).", message.text());
        for word in answer.split_inclusive(' ') {
            tokio::select! {
                () = stream.closed() => return,
                () = tokio::time::sleep(Duration::from_millis(150)) => {}
            }
            if stream.push(word).is_err() {
                return;
            }
        }
        let _ = stream.finish();
    }

    async fn on_event(&self, event: Event, reply: EventResponder) {
        if event.kind == EventKind::EnterChat {
            let _ = reply.welcome("Hello! Ask me anything.");
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt().with_writer(std::io::stderr).init();
    let mut tasks = tokio::task::JoinSet::new();

    if let (Ok(token), Ok(key)) =
        (std::env::var("WECOM_AIBOT_TOKEN"), std::env::var("WECOM_AIBOT_AES_KEY"))
    {
        let server = AibotServer::new(&token, &key, Echo)?;
        tasks.spawn(async move { server.serve("0.0.0.0:8080").await.map_err(|e| e.to_string()) });
    }

    if let Ok(credentials) = Credentials::from_env() {
        let mut config = WsConfig::default();
        if let Ok(url) = std::env::var("WECOM_AIBOT_WS_URL") {
            config.url = url;
        }
        let client = AibotWs::new(credentials, config, Echo);
        let handle = client.handle();
        let mut events = handle.events();
        tokio::spawn(async move {
            while let Ok(event) = events.recv().await {
                if let WsEvent::Displaced = event {
                    tracing::warn!("another instance took over the bot");
                }
                tracing::info!(?event, stats = ?handle.stats(), "long connection");
            }
        });
        tasks.spawn(async move {
            client.run().await.map(|stopped| tracing::info!(?stopped)).map_err(|e| e.to_string())
        });
    }

    if tasks.is_empty() {
        return Err(
            "set WECOM_AIBOT_TOKEN/WECOM_AIBOT_AES_KEY and/or WECOM_AIBOT_ID/WECOM_AIBOT_SECRET"
                .into(),
        );
    }
    while let Some(done) = tasks.join_next().await {
        done??;
    }
    Ok(())
}
