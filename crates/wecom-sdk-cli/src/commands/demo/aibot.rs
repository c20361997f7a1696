//! The demo's AI bot: a `wecom-aibot` handler that answers any question in a stream, word by
//! word, served over HTTP callbacks that the emulator drives as WeCom would.

use std::time::Duration;

use anyhow::{Result, anyhow};
use serde_json::json;
use wecom_aibot::bot::{Responder, bot_fn};
use wecom_aibot::http::AibotServer;
use wecom_aibot::model::Message;
use wecom_emulator::{Config, EmulatorHandle};

use super::{ALICE, Transcript, admin};

/// Starts the bot and points the demo corp's AI bot at it (refreshes every 200 ms, so the
/// stream is seen growing).
pub(super) async fn start(
    config: &mut Config,
) -> Result<tokio::task::JoinHandle<std::io::Result<()>>> {
    let bot_config =
        config.aibots.first_mut().ok_or_else(|| anyhow!("the demo corp has no AI bot"))?;
    let (Some(token), Some(key)) = (&bot_config.token, &bot_config.encoding_aes_key) else {
        return Err(anyhow!("the demo AI bot has no callback settings"));
    };
    let bot = bot_fn(|msg: Message, reply: Responder| async move {
        let answer = format!(
            "You asked: **{}**\n\nThis answer is *streamed*: WeCom asks for it again and again, \
             and each time it has grown a little, until it is finished.",
            msg.text()
        );
        let mut stream = reply.feedback("demo-feedback").stream();
        for word in answer.split_inclusive(' ') {
            tokio::time::sleep(Duration::from_millis(60)).await;
            if stream.push(word).is_err() {
                return;
            }
        }
        let _ = stream.finish();
    });
    let server = AibotServer::new(token.expose(), key.expose(), bot)?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    bot_config.callback_url = Some(format!("http://{}/", listener.local_addr()?));
    bot_config.refresh_interval_ms = 200;
    Ok(tokio::spawn(server.serve_on(listener)))
}

/// alice asks the bot a question and the transcript shows the streamed answer.
pub(super) async fn ask(
    http: &reqwest::Client,
    emu: &EmulatorHandle,
    t: &mut Transcript,
) -> Result<()> {
    t.heading(&format!("8. {ALICE} asks the AI bot; the answer streams in"));
    let turn = admin(
        http,
        reqwest::Method::POST,
        &format!("{}/emulator/aibots/aib_demo/messages?wait=finish", emu.base_url()),
        &json!({ "userid": ALICE, "content": "What does streaming look like?" }),
    )
    .await?;
    let stream = &turn["stream"];
    t.step(
        &format!(
            "stream {} finished after {} refresh callbacks: {:?}",
            stream["id"].as_str().unwrap_or("-"),
            stream["refreshes"],
            stream["content"].as_str().unwrap_or_default().lines().next().unwrap_or_default()
        ),
        json!({ "step": "aibot_stream", "turn": turn }),
    );
    Ok(())
}
