//! Uploads a file as temporary media (valid three days) and prints its media id.
//!
//! ```text
//! export WECOM_CORP_ID=ww… WECOM_AGENT_ID=1000002 WECOM_SECRET=…
//! cargo run -p wecom-sdk --example upload_media -- image chart.png
//! cargo run -p wecom-sdk --example upload_media -- file report.pdf
//! ```
#![allow(clippy::print_stdout, clippy::print_stderr)]

use wecom::{Client, Media, MediaType};

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
    let (Some(kind), Some(path)) = (args.next(), args.next()) else {
        eprintln!("usage: upload_media image|voice|video|file PATH");
        std::process::exit(2);
    };
    let kind: MediaType = kind.parse()?;
    let client = Client::from_env()?;
    // Size and format are checked before anything is sent.
    let media = Media::from_path(&path).await?;
    let uploaded = client.upload_media(kind, media).await?;
    println!(
        "media_id {} ({}, uploaded at {})",
        uploaded.media_id, uploaded.kind, uploaded.created_at
    );
    Ok(())
}
