//! Command-line arguments (clap derive).

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::commands::aibot::AibotCommand;
use crate::commands::bot::BotCommand;
use crate::commands::chat::{ChatCommand, StatsArgs};
use crate::commands::completions::CompletionsArgs;
use crate::commands::crypto::CryptoCommand;
use crate::commands::demo::DemoArgs;
use crate::commands::emulator::EmulatorArgs;
use crate::commands::listen::ListenArgs;
use crate::commands::manage::{RecallArgs, TokenArgs, UpdateCardArgs, UploadArgs};
use crate::commands::send::SendArgs;

/// Send WeCom (企业微信) application messages, receive callbacks, debug crypto.
///
/// Settings come from flags, then environment variables, then a profile of the configuration
/// file (`wecom.toml` in the current directory, or ~/.config/wecom/wecom.toml).
#[derive(Debug, Parser)]
#[command(name = "wecom", version, propagate_version = true, max_term_width = 100)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The help heading of the options every command accepts, apart from each command's own.
const GLOBAL: &str = "Global options";

/// Options every command accepts.
#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// Print results as JSON (one value per line) for scripts.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub(crate) json: bool,

    /// More log lines on stderr (-v info, -vv debug, -vvv trace); `RUST_LOG` overrides.
    #[arg(long, short = 'v', global = true, action = clap::ArgAction::Count, help_heading = GLOBAL)]
    pub(crate) verbose: u8,

    /// Fewer log lines on stderr (-q errors only, -qq none); `RUST_LOG` overrides.
    #[arg(long, short = 'q', global = true, action = clap::ArgAction::Count, conflicts_with = "verbose", help_heading = GLOBAL)]
    pub(crate) quiet: u8,

    /// Configuration file [default: ./wecom.toml, then ~/.config/wecom/wecom.toml].
    #[arg(long, global = true, env = "WECOM_CONFIG", value_name = "FILE", help_heading = GLOBAL)]
    pub(crate) config: Option<PathBuf>,

    /// Profile of the configuration file to use [default: the file's `default_profile`].
    #[arg(long, short = 'p', global = true, env = "WECOM_PROFILE", help_heading = GLOBAL)]
    pub(crate) profile: Option<String>,

    #[command(flatten)]
    pub(crate) app: AppArgs,
}

/// The app's credentials. Prefer the environment or the configuration file for secrets: flags
/// are visible to other users of the machine in the process list.
#[derive(Debug, Args, Default, Clone)]
#[command(next_help_heading = "App settings (global)")]
pub(crate) struct AppArgs {
    /// Corp id (also the callback receive id of self-built apps).
    #[arg(long, global = true, env = "WECOM_CORP_ID")]
    pub(crate) corp_id: Option<String>,

    /// The app's agent id.
    #[arg(long, global = true, env = "WECOM_AGENT_ID")]
    pub(crate) agent_id: Option<i64>,

    /// The app's secret.
    #[arg(long, global = true, env = "WECOM_SECRET", hide_env_values = true)]
    pub(crate) secret: Option<String>,

    /// The callback token (`--token` is an older spelling).
    #[arg(
        long = "callback-token",
        alias = "token",
        global = true,
        env = "WECOM_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub(crate) token: Option<String>,

    /// The callback EncodingAESKey, 43 characters (also read from WECOM_AES_KEY; `--aes-key`
    /// is an older spelling).
    #[arg(
        long = "encoding-aes-key",
        alias = "aes-key",
        global = true,
        env = "WECOM_ENCODING_AES_KEY",
        hide_env_values = true,
        value_name = "KEY"
    )]
    pub(crate) aes_key: Option<String>,

    /// API base URL (an emulator, or a proxy in a trusted-IP network).
    #[arg(long, global = true, env = "WECOM_BASE_URL")]
    pub(crate) base_url: Option<String>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Send a message or template card of any kind (`wecom send text "hi" --to alice`).
    Send(Box<SendArgs>),
    /// Recall a message sent within the last 24 hours.
    Recall(RecallArgs),
    /// Update a sent template card with its response code.
    UpdateCard(UpdateCardArgs),
    /// Upload a media file (three days) or a permanent image (a URL).
    Upload(UploadArgs),
    /// Fetch an access token and show how long it is valid (the token itself only with --show).
    Token(TokenArgs),
    /// Run a callback server and print each decrypted message or event as a JSON line.
    Listen(ListenArgs),
    /// Run the local WeCom emulator (the API, an admin API and a web inbox).
    Emulator(EmulatorArgs),
    /// Try everything offline: an emulator, a callback app, every message kind, card clicks.
    Demo(DemoArgs),
    /// App group chats (应用群聊): create, update, show, post (`wecom chat send CHATID text hi`).
    #[command(subcommand)]
    Chat(ChatCommand),
    /// How many messages each app of the corp sent today (or --yesterday), per recipient.
    Stats(StatsArgs),
    /// Post into a group chat through its webhook (消息推送, group robot).
    #[command(subcommand)]
    Bot(BotCommand),
    /// Run an AI bot (智能机器人): answer its messages with a text, a command's streamed
    /// output, or JSON lines, over the WebSocket long connection or HTTP callbacks.
    #[command(subcommand)]
    Aibot(AibotCommand),
    /// Sign, encrypt and decrypt callbacks by hand.
    #[command(subcommand)]
    Crypto(CryptoCommand),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
    /// Print the man page (roff).
    Man,
}

/// Global options that take a value, so the value is not mistaken for the command name.
const GLOBAL_VALUE_OPTIONS: &[&str] = &[
    "--config",
    "--profile",
    "-p",
    "--corp-id",
    "--agent-id",
    "--secret",
    "--token",
    "--callback-token",
    "--aes-key",
    "--encoding-aes-key",
    "--base-url",
];

/// Accepts `wecom send --json FILE|-` as another spelling of `wecom send json FILE|-`.
///
/// `--json` is also the global "print JSON" switch, so the rewrite is narrow: only `--json`
/// directly after `send` and followed by a word that is not a message kind (so
/// `wecom send --json text hi` keeps meaning JSON output of a text send).
pub(crate) fn normalize_args(args: Vec<OsString>) -> Vec<OsString> {
    use clap::CommandFactory as _;

    let mut i = 1;
    while i < args.len() {
        let Some(arg) = args[i].to_str() else { return args };
        if arg == "send" {
            break;
        }
        if !arg.starts_with('-') {
            return args; // another command
        }
        if GLOBAL_VALUE_OPTIONS.contains(&arg) {
            i += 1; // skip the option's value
        }
        i += 1;
    }
    let (Some(flag), Some(value)) = (args.get(i + 1), args.get(i + 2)) else { return args };
    if flag != "--json" {
        return args;
    }
    let command = Cli::command();
    let is_kind = command.find_subcommand("send").is_some_and(|send| {
        value.to_str().is_some_and(|v| {
            send.get_subcommands().any(|k| k.get_name() == v || k.get_all_aliases().any(|a| a == v))
        })
    });
    if is_kind {
        return args;
    }
    let mut args = args;
    args[i + 1] = OsString::from("json");
    args
}
