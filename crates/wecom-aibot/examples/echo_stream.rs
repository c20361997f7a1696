//! An AI bot that streams its answer word by word, served over HTTP callbacks.
//!
//! ```sh
//! WECOM_AIBOT_TOKEN=… WECOM_AIBOT_AES_KEY=… cargo run -p wecom-aibot --example echo_stream
//! ```
//! Point the bot's API-mode URL at `http://<host>:8080/` (or run `wecom demo`, whose emulator
//! drives the same protocol locally).

use std::time::Duration;

use wecom_aibot::bot::{Responder, bot_fn};
use wecom_aibot::http::AibotServer;
use wecom_aibot::model::Message;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt().with_writer(std::io::stderr).init();
    let token = std::env::var("WECOM_AIBOT_TOKEN")?;
    let key = std::env::var("WECOM_AIBOT_AES_KEY")?;
    let bot = bot_fn(|msg: Message, reply: Responder| async move {
        let mut stream = reply.stream();
        let question = msg.text();
        let answer = format!("You asked: **{question}**. Here it is, one word at a time.");
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
    });
    AibotServer::new(&token, &key, bot)?.serve("0.0.0.0:8080").await?;
    Ok(())
}
