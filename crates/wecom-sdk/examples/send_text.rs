//! Sends a text message.
//!
//! ```text
//! export WECOM_CORP_ID=ww… WECOM_AGENT_ID=1000002 WECOM_SECRET=…
//! cargo run -p wecom-sdk --example send_text -- alice,bob "Build #42 passed"
//! ```
//!
//! Set `WECOM_BASE_URL` to point at an emulator, `HTTPS_PROXY` to go through a proxy.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::time::Duration;

use wecom::{Client, Recipients, Text};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(users), Some(text)) = (args.next(), args.next()) else {
        eprintln!("usage: send_text USER[,USER…] TEXT");
        std::process::exit(2);
    };
    let client = Client::from_env()?;
    let receipt = client
        .send(Recipients::users(users.split(',')), Text::new(text))
        // Lets the client resend safely after a timeout: WeCom drops the duplicate.
        .duplicate_check(Duration::from_secs(600))
        .await?;
    println!("sent, msgid {}", receipt.msgid);
    if !receipt.all_delivered() {
        println!("not delivered to users {:?}", receipt.invalid_users);
        println!("unlicensed users {:?}", receipt.unlicensed_users);
    }
    Ok(())
}
