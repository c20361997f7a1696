//! Recalls a message sent within the last 24 hours.
//!
//! ```text
//! export WECOM_CORP_ID=ww… WECOM_AGENT_ID=1000002 WECOM_SECRET=…
//! cargo run -p wecom-sdk --example recall -- MSGID
//! ```
#![allow(clippy::print_stdout, clippy::print_stderr)]

use wecom::Client;

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
    let Some(msgid) = std::env::args().nth(1) else {
        eprintln!("usage: recall MSGID");
        std::process::exit(2);
    };
    let client = Client::from_env()?;
    match client.recall(&msgid).await {
        Ok(()) => println!("recalled {msgid}"),
        // Errors keep WeCom's errcode: 40058 is, among others, "older than 24 h or another app's".
        Err(err) if err.code() == Some(wecom::error::codes::INVALID_PARAMETER) => {
            eprintln!("WeCom refused the recall: {err}");
            std::process::exit(1);
        }
        Err(err) => return Err(err.into()),
    }
    Ok(())
}
