//! Creates an app group chat, posts into it, and prints today's send counts.
//!
//! Needs an app whose visible range is the root department (the whole corp); WeCom answers
//! others with 48002. Against the emulator, the demo corp's "Chat ops" app is one:
//!
//! ```text
//! wecom emulator &
//! export WECOM_BASE_URL=http://127.0.0.1:8181 WECOM_CORP_ID=wwdemo00000000001 \
//!   WECOM_AGENT_ID=1000004 WECOM_SECRET=demo-secret-chat-ops-0000000000000000000000
//! cargo run -p wecom-sdk --example appchat -- alice bob carol
//! ```
#![allow(clippy::print_stdout, clippy::print_stderr)]

use wecom::api::appchat::{CreateChat, UpdateChat};
use wecom::message::Markdown;
use wecom::statistics::TimeType;
use wecom::{Client, Text, Throttle};

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

async fn run() -> wecom::Result<()> {
    let members: Vec<String> = std::env::args().skip(1).collect();
    if members.len() < 2 {
        eprintln!("usage: appchat USERID USERID [USERID…]");
        std::process::exit(2);
    }
    // The throttle keeps every member within WeCom's chat limits (200/min, 10,000/day),
    // delaying a message rather than letting WeCom drop it silently.
    let client = wecom::ClientBuilder::from_env()?.throttle(Throttle::new()).build()?;
    let chatid = client
        .create_chat(CreateChat::new("Release 1.4", members.iter().take(2)).owner(&members[0]))
        .await?;
    println!("created chat {chatid}");
    if members.len() > 2 {
        client.update_chat(UpdateChat::new(&chatid).add_users(members.iter().skip(2))).await?;
    }
    client.send_to_chat(&chatid, Text::new("Release branch cut.")).await?;
    client.send_to_chat(&chatid, Markdown::new("**Release 1.4** is out.")).await?;
    let chat = client.get_chat(&chatid).await?;
    println!("{}: owner {}, members {}", chat.name, chat.owner, chat.userlist.join(", "));
    show_stats(&client).await
}

async fn show_stats(client: &Client) -> wecom::Result<()> {
    for app in client.message_statistics(TimeType::Today).await? {
        println!("{:>6}  {} ({})", app.count, app.app_name, app.agentid);
    }
    Ok(())
}
