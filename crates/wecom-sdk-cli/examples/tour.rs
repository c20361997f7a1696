//! The code of the README's tour, compiled so it cannot drift from the API: send a text and a
//! button card, post to a group through its webhook (when `WECOM_WEBHOOK_URL` is set), and
//! serve callbacks that answer a card click with a passive reply.
//!
//! Run against the emulator: start `wecom emulator`, export the `WECOM_*` line it prints, then
//! `cargo run -p wecom-sdk-cli --example tour`.
#![allow(clippy::print_stdout)]

use wecom::card::{Button, ButtonInteraction};
use wecom::webhook::{MarkdownV2, WebhookClient, WebhookText, WebhookThrottle};
use wecom::{Client, Recipients, Text};
use wecom_aibot::bot::{Responder, bot_fn};
use wecom_aibot::http::AibotServer;
use wecom_aibot::model::Message;
use wecom_callback::{Callback, CallbackServer, EventBody, Reply};
use wecom_msgcrypt::MsgCrypt;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let client = Client::from_env()?; // WECOM_CORP_ID, WECOM_AGENT_ID, WECOM_SECRET, WECOM_BASE_URL
    let receipt = client
        .send(Recipients::users(["alice", "bob"]), Text::new("Build #42 passed"))
        .duplicate_check(std::time::Duration::from_secs(600))
        .await?;
    println!("text: msgid {}", receipt.msgid);

    let card = ButtonInteraction::new(
        "Deploy v1.4 to prod?",
        wecom::card::TaskId::generate(),
        [Button::callback("Approve", "approve"), Button::callback("Reject", "reject")],
    );
    let receipt = client.send(Recipients::users(["alice"]), card).await?;
    println!("msgid {} response_code {:?}", receipt.msgid, receipt.response_code);

    // A group robot, when WECOM_WEBHOOK_URL names one (the emulator's demo group has one).
    if let Ok(webhook_url) = std::env::var("WECOM_WEBHOOK_URL") {
        let daily_report = "# Daily report\n\n| svc | p99 |\n| --- | ---: |\n| order | 180ms |";
        let bot = WebhookClient::builder(&webhook_url).throttle(WebhookThrottle::new()).build()?;
        bot.send(WebhookText::new("order-svc p99 = 2.4s").mention("zhangsan")).await?;
        bot.send_split(MarkdownV2::new(daily_report)).await?;
        println!("posted to the group");
    }

    // An AI bot, when WECOM_AIBOT_TOKEN and WECOM_AIBOT_KEY name one (its callback URL's
    // settings in the bot's API mode).
    if let (Ok(token), Ok(key)) =
        (std::env::var("WECOM_AIBOT_TOKEN"), std::env::var("WECOM_AIBOT_KEY"))
    {
        tokio::spawn(ai_bot(token, key));
    }

    let (token, encoding_aes_key, corp_id) = (
        std::env::var("WECOM_TOKEN")?,
        std::env::var("WECOM_ENCODING_AES_KEY").or_else(|_| std::env::var("WECOM_AES_KEY"))?,
        std::env::var("WECOM_CORP_ID")?,
    );
    let crypt = MsgCrypt::new(&token, &encoding_aes_key, &corp_id)?; // checked here, not later
    let server = CallbackServer::new(crypt, |callback: Callback| async move {
        Ok::<_, std::convert::Infallible>(match callback {
            Callback::Event(e) if matches!(e.body, EventBody::TemplateCardEvent(_)) => {
                Some(Reply::update_button("Approved"))
            }
            _ => None,
        })
    });
    let app = axum::Router::new().nest("/wecom/callback", server.into_router());
    // Where the emulator's demo corp calls back (and `wecom listen` listens) by default.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!("callbacks on http://127.0.0.1:3000/wecom/callback");
    axum::serve(listener, app).await?;
    Ok(())
}

/// The README's AI-bot snippet: a bot that streams the words of the question back.
async fn ai_bot(token: String, encoding_aes_key: String) -> anyhow::Result<()> {
    let bot = bot_fn(|message: Message, reply: Responder| async move {
        let mut stream = reply.stream();
        for word in message.text().split_whitespace() {
            let _ = stream.push(&format!("{word} "));
        }
        let _ = stream.finish();
    });
    AibotServer::new(&token, &encoding_aes_key, bot)?.serve("0.0.0.0:8081").await?;
    Ok(())
}
