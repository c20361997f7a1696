//! `wecom chat create|update|get|send`: app group chats (应用群聊), and `wecom stats`: how
//! many messages each app sent today or yesterday.
//!
//! Chats need an app whose visible range is the root department (the whole corp); WeCom
//! answers others with 48002, and the error's hint says so. `chat send` takes every kind
//! `wecom send` takes, as flags or as JSON; template cards and mini program notices are
//! refused before anything is sent, since chats do not take them.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};
use serde_json::json;
use wecom::api::appchat::{AppChatRequest, CreateChat, UpdateChat};
use wecom::message::Safe;
use wecom::statistics::TimeType;

use super::send::{self, Kind};
use crate::client::{self, ClientOptions};
use crate::config::Settings;
use crate::exit;
use crate::output::Output;

/// The `chat` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum ChatCommand {
    /// Create a chat of 2 to 2,000 members; prints its chat id.
    #[command(
        after_help = "Examples:\n  wecom chat create \"Release 1.4\" --member alice,bob --owner alice --chatid rel14"
    )]
    Create(CreateArgs),
    /// Rename a chat, hand it to another owner, add or remove members.
    #[command(after_help = "Examples:\n  wecom chat update rel14 --add carol --remove bob")]
    Update(UpdateArgs),
    /// Show a chat's name, owner and members.
    Get(GetArgs),
    /// Post a message into a chat (every kind of `wecom send` but template cards).
    #[command(
        after_help = "Examples:\n  wecom chat send rel14 text \"Branch cut\"\n  wecom chat send rel14 file --file notes.pdf\n  wecom chat send rel14 json message.json"
    )]
    Send(Box<ChatSendArgs>),
}

/// Arguments of `chat create`.
#[derive(Debug, Args)]
pub(crate) struct CreateArgs {
    /// The chat's name (at most 50 characters).
    pub(crate) name: String,
    /// Members (UserIDs), comma-separated or repeated: 2 to 2,000.
    #[arg(
        long = "member",
        short = 'm',
        value_delimiter = ',',
        value_name = "USERID",
        required = true
    )]
    pub(crate) members: Vec<String>,
    /// The owner (a member) [default: WeCom picks one].
    #[arg(long)]
    pub(crate) owner: Option<String>,
    /// The chat id (at most 32 characters of 0-9a-zA-Z) [default: WeCom generates one].
    #[arg(long)]
    pub(crate) chatid: Option<String>,
}

/// Arguments of `chat update`.
#[derive(Debug, Args)]
pub(crate) struct UpdateArgs {
    /// The chat.
    pub(crate) chatid: String,
    /// A new name.
    #[arg(long)]
    pub(crate) name: Option<String>,
    /// A new owner.
    #[arg(long)]
    pub(crate) owner: Option<String>,
    /// Members to add, comma-separated or repeated.
    #[arg(long, value_delimiter = ',', value_name = "USERID")]
    pub(crate) add: Vec<String>,
    /// Members to remove, comma-separated or repeated.
    #[arg(long, value_delimiter = ',', value_name = "USERID")]
    pub(crate) remove: Vec<String>,
}

/// Arguments of `chat get`.
#[derive(Debug, Args)]
pub(crate) struct GetArgs {
    /// The chat.
    pub(crate) chatid: String,
}

/// Arguments of `chat send`.
#[derive(Debug, Args)]
pub(crate) struct ChatSendArgs {
    /// The chat.
    pub(crate) chatid: String,
    /// Confidential (`safe: 1`): text, image, video, file and mpnews.
    #[arg(long, global = true)]
    pub(crate) safe: bool,
    #[command(subcommand)]
    pub(crate) kind: Kind,
}

/// Arguments of `stats`.
#[derive(Debug, Args)]
pub(crate) struct StatsArgs {
    /// Yesterday's counts instead of today's.
    #[arg(long)]
    pub(crate) yesterday: bool,
}

/// Runs a `chat` subcommand.
pub(crate) fn run(cmd: ChatCommand, settings: &Settings, out: Output) -> Result<ExitCode> {
    match cmd {
        ChatCommand::Create(a) => create(a, settings, out),
        ChatCommand::Update(a) => update(a, settings, out),
        ChatCommand::Get(a) => get(&a, settings, out),
        ChatCommand::Send(a) => send(*a, settings, out),
    }
}

fn create(args: CreateArgs, settings: &Settings, out: Output) -> Result<ExitCode> {
    let mut request = CreateChat::new(args.name, args.members.iter().map(|m| m.trim().to_owned()));
    if let Some(owner) = args.owner {
        request = request.owner(owner);
    }
    if let Some(id) = args.chatid {
        request = request.chat_id(id);
    }
    request.validate().map_err(|e| exit::api(e.into()))?;
    let client = client::build(settings, ClientOptions::default())?;
    let chatid = client::runtime()?.block_on(client.create_chat(request)).map_err(exit::api)?;
    out.result(&format!("created chat {chatid}"), &json!({ "ok": true, "chatid": chatid }));
    Ok(ExitCode::SUCCESS)
}

fn update(args: UpdateArgs, settings: &Settings, out: Output) -> Result<ExitCode> {
    let mut request =
        UpdateChat::new(args.chatid.as_str()).add_users(args.add).remove_users(args.remove);
    if let Some(name) = args.name {
        request = request.name(name);
    }
    if let Some(owner) = args.owner {
        request = request.owner(owner);
    }
    request.validate().map_err(|e| exit::api(e.into()))?;
    let client = client::build(settings, ClientOptions::default())?;
    client::runtime()?.block_on(client.update_chat(request)).map_err(exit::api)?;
    out.result(
        &format!("updated chat {}", args.chatid),
        &json!({ "ok": true, "chatid": args.chatid }),
    );
    Ok(ExitCode::SUCCESS)
}

fn get(args: &GetArgs, settings: &Settings, out: Output) -> Result<ExitCode> {
    let client = client::build(settings, ClientOptions::default())?;
    let info =
        client::runtime()?.block_on(client.get_chat(args.chatid.as_str())).map_err(exit::api)?;
    let text = format!(
        "{} ({})\nowner: {}\nmembers ({}): {}",
        info.name,
        info.chatid,
        info.owner,
        info.userlist.len(),
        info.userlist.join(", ")
    );
    out.result(
        &text,
        &json!({
            "ok": true, "chatid": info.chatid, "name": info.name,
            "owner": info.owner, "userlist": info.userlist
        }),
    );
    Ok(ExitCode::SUCCESS)
}

fn send(args: ChatSendArgs, settings: &Settings, out: Output) -> Result<ExitCode> {
    let draft = send::draft_of(args.kind)?;
    let mut request = AppChatRequest::new(args.chatid.as_str(), draft.message.clone());
    if args.safe {
        request = request.safe(Safe::Confidential);
    }
    // Checked with the placeholder media ids, before any upload.
    request.validate().map_err(|e| exit::api(e.into()))?;
    let client = client::build(settings, ClientOptions::default())?;
    let receipt = client::runtime()?.block_on(async {
        send::upload_into(&client, &mut request.message, &draft.uploads, out).await?;
        client.send_chat_request(request).await.map_err(exit::api)
    })?;
    let kind = draft.message.msgtype();
    let mut text = if receipt.sent {
        format!("sent {kind} message to chat {}", args.chatid)
    } else {
        format!("not sent: {kind} message to chat {} held back", args.chatid)
    };
    if !receipt.held_back.is_empty() {
        let _ = write!(text, "\nover the per-member limit: {}", receipt.held_back.join(", "));
    }
    out.result(
        &text,
        &json!({
            "ok": receipt.sent, "chatid": args.chatid, "msgtype": kind,
            "held_back": receipt.held_back
        }),
    );
    Ok(if receipt.sent { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// Runs `stats`.
pub(crate) fn stats(args: &StatsArgs, settings: &Settings, out: Output) -> Result<ExitCode> {
    let (time_type, day) = if args.yesterday {
        (TimeType::Yesterday, "yesterday")
    } else {
        (TimeType::Today, "today")
    };
    let client = client::build(settings, ClientOptions::default())?;
    let list =
        client::runtime()?.block_on(client.message_statistics(time_type)).map_err(exit::api)?;
    let mut text = format!("messages sent {day} (per recipient):");
    for app in &list {
        let _ = write!(text, "\n  {:>8}  {} ({})", app.count, app.app_name, app.agentid);
    }
    out.result(&text, &json!({ "ok": true, "day": day, "statistics": list }));
    Ok(ExitCode::SUCCESS)
}
