//! Sends a news message: up to 8 linked articles with pictures.
//!
//! ```text
//! export WECOM_CORP_ID=ww… WECOM_AGENT_ID=1000002 WECOM_SECRET=…
//! cargo run -p wecom-sdk --example send_news -- alice,bob
//! ```
//!
//! Set `WECOM_BASE_URL` to point at an emulator, `HTTPS_PROXY` to go through a proxy.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use wecom::message::{Article, News};
use wecom::{Client, Recipients};

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
    let Some(users) = std::env::args().nth(1) else {
        eprintln!("usage: send_news USER[,USER…]");
        std::process::exit(2);
    };
    let client = Client::from_env()?;
    let news = News::new([
        Article::new("Release 1.4 is out", "https://example.com/releases/1.4")
            .description("Faster builds, a new dashboard and 37 fixes.")
            // Best results: 1068×455 for the first article, 150×150 for the others.
            .picurl("https://example.com/img/release-1.4.png"),
        Article::new("Upgrade guide", "https://example.com/docs/upgrade-1.4")
            .picurl("https://example.com/img/guide.png"),
    ]);
    // news messages cannot be `safe` (WeCom answers 40074); send mpnews for that.
    let receipt = client.send(Recipients::users(users.split(',')), news).await?;
    println!("sent, msgid {}", receipt.msgid);
    if !receipt.all_delivered() {
        println!("not delivered to {:?}", receipt.invalid_users);
    }
    Ok(())
}
