//! `wecom aibot`: run an AI bot (智能机器人) from the shell, over the WebSocket long
//! connection (`connect`) or HTTP callbacks (`listen`), answering each message in one of
//! three ways:
//!
//! * `--reply TEXT`: the same answer to everything;
//! * `--exec CMD`: `sh -c CMD` per message, the message's text on stdin; its stdout is
//!   streamed back as the answer while it is produced and finished when it exits. The
//!   environment carries `WECOM_AIBOT_USERID`, `WECOM_AIBOT_CHATID` (empty in single chats),
//!   `WECOM_AIBOT_CHATTYPE` (`single`/`group`), `WECOM_AIBOT_MSGID` and
//!   `WECOM_AIBOT_MSGTYPE`; the bot's own secrets are removed from it. A non-zero exit adds
//!   a short error note (or is the whole answer if nothing was printed); output past 20,480
//!   bytes is cut with a note saying so; `--timeout` stops the command; at most
//!   `--max-children` run at once (later messages wait, within their timeout).
//! * `--jsonl`: each message is printed as one JSON line on stdout; answers are read as JSON
//!   lines from stdin (format in `jsonl.rs` and the README).

mod answer;
mod exec;
mod jsonl;

use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;

use anyhow::{Context as _, Result, anyhow};
use clap::{ArgGroup, Args, Subcommand};
use wecom_aibot::http::AibotServer;
use wecom_aibot::ws::{AibotWs, Credentials, Stopped, WsConfig, WsError, WsEvent};

use crate::client;
use crate::config::Settings;
use crate::exit::{self, Failure, usage};
use crate::output::Output;

/// `wecom aibot …`.
#[derive(Debug, Subcommand)]
pub(crate) enum AibotCommand {
    /// Connect to WeCom over the WebSocket long connection (Bot ID + Secret) and answer
    /// messages; no public URL needed.
    Connect(ConnectArgs),
    /// Serve the bot's HTTP callback URL (Token + EncodingAESKey) and answer messages.
    Listen(ListenArgs),
}

/// How messages are answered (one of `--reply`, `--exec`, `--jsonl`).
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("mode").required(true).args(["reply", "exec", "jsonl"])))]
pub(crate) struct AnswerArgs {
    /// Answer every message with this text (markdown, at most 20,480 bytes).
    #[arg(long, value_name = "TEXT")]
    pub(crate) reply: Option<String>,
    /// Run CMD (`sh -c`) per message with its text on stdin; stdout is streamed back.
    #[arg(long, value_name = "CMD")]
    pub(crate) exec: Option<String>,
    /// Print each message as a JSON line on stdout; read answers as JSON lines from stdin.
    #[arg(long)]
    pub(crate) jsonl: bool,
    /// Per-message limit for --exec and --jsonl answers, in seconds (at most 340: WeCom
    /// ends a stream 6 minutes after the message).
    #[arg(long, default_value_t = 120, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=340))]
    pub(crate) timeout: u64,
    /// Most --exec commands running at once; later messages wait for a free slot.
    #[arg(long, default_value_t = 4, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=256))]
    pub(crate) max_children: u64,
    /// Welcome text for members opening the bot's chat (enter_chat).
    #[arg(long, value_name = "TEXT")]
    pub(crate) welcome: Option<String>,
}

/// Arguments of `aibot connect`.
#[derive(Debug, Args)]
#[command(
    after_help = "Credentials: --bot-id/--bot-secret, WECOM_AIBOT_ID/WECOM_AIBOT_SECRET, or `aibot_id`/`aibot_secret` in a wecom.toml profile (flags are visible in the process list: prefer the others for the secret).\n\nExamples:\n  wecom aibot connect --reply \"I am a bot\"\n  wecom aibot connect --exec 'llm -m gpt-4o'\n  wecom aibot connect --url ws://127.0.0.1:8080/aibot/ws --jsonl"
)]
pub(crate) struct ConnectArgs {
    /// The Bot ID.
    #[arg(long, env = "WECOM_AIBOT_ID")]
    pub(crate) bot_id: Option<String>,
    /// The bot's Secret.
    #[arg(long, env = "WECOM_AIBOT_SECRET", hide_env_values = true)]
    pub(crate) bot_secret: Option<String>,
    /// The WebSocket endpoint [default: wss://openws.work.weixin.qq.com; the emulator:
    /// ws://HOST:PORT/aibot/ws].
    #[arg(long, env = "WECOM_AIBOT_URL", value_name = "URL")]
    pub(crate) url: Option<String>,
    /// Retries after a refused subscription (wrong ID or Secret) before giving up.
    #[arg(long, default_value_t = 5, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) max_auth_failures: u32,
    #[command(flatten)]
    pub(crate) answer: AnswerArgs,
}

/// Arguments of `aibot listen`.
#[derive(Debug, Args)]
#[command(
    after_help = "Settings: --aibot-token/--aibot-aes-key, WECOM_AIBOT_TOKEN/WECOM_AIBOT_AES_KEY, or `aibot_token`/`aibot_aes_key` in a wecom.toml profile.\n\nExamples:\n  wecom aibot listen --port 8080 --reply \"I am a bot\"\n  wecom aibot listen --port 8080 --exec 'tr a-z A-Z'"
)]
pub(crate) struct ListenArgs {
    /// The port to listen on (0 picks a free one, printed on stderr).
    #[arg(long, default_value_t = 8080)]
    pub(crate) port: u16,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub(crate) host: IpAddr,
    /// The bot's callback Token.
    #[arg(long, env = "WECOM_AIBOT_TOKEN", hide_env_values = true)]
    pub(crate) aibot_token: Option<String>,
    /// The bot's callback EncodingAESKey.
    #[arg(long, env = "WECOM_AIBOT_AES_KEY", hide_env_values = true)]
    pub(crate) aibot_aes_key: Option<String>,
    #[command(flatten)]
    pub(crate) answer: AnswerArgs,
}

/// Runs `aibot …`.
pub(crate) fn run(cmd: AibotCommand, settings: &Settings, out: Output) -> Result<ExitCode> {
    match cmd {
        AibotCommand::Connect(args) => connect(args, settings, out),
        AibotCommand::Listen(args) => listen(args, settings, out),
    }
}

fn require(value: Option<String>, flag: &str, env: &str, key: &str) -> Result<String> {
    value.filter(|v| !v.is_empty()).ok_or_else(|| {
        usage(anyhow!(
            "missing setting: pass --{flag}, set {env}, or add `{key}` to a profile in wecom.toml"
        ))
    })
}

fn connect(args: ConnectArgs, settings: &Settings, out: Output) -> Result<ExitCode> {
    let profile = &settings.aibot;
    let id = require(args.bot_id.or(profile.id.clone()), "bot-id", "WECOM_AIBOT_ID", "aibot_id")?;
    let secret = require(
        args.bot_secret.or(profile.secret.clone()),
        "bot-secret",
        "WECOM_AIBOT_SECRET",
        "aibot_secret",
    )?;
    let mut config = WsConfig::default();
    if let Some(url) = args.url.or(profile.url.clone()) {
        config.url = url;
    }
    config.max_auth_failures = Some(args.max_auth_failures);
    config.limits = answer::limits();
    let url = config.url.clone();
    let rt = client::runtime()?;
    let result = rt.block_on(async {
        let (bot, io) = answer::CliBot::new(&args.answer)?;
        let client = AibotWs::new(Credentials::new(id, secret), config, bot);
        let handle = client.handle();
        let mut events = handle.events();
        tokio::spawn(async move {
            while let Ok(event) = events.recv().await {
                match event {
                    WsEvent::Connected { generation } => {
                        out.note(&format!(
                            "connected to {url} (connection {generation}); Ctrl-C stops"
                        ));
                    }
                    WsEvent::ReplyFailed { req_id, error, .. } => {
                        tracing::warn!(req_id, %error, "answer not delivered");
                    }
                    other => tracing::info!(event = ?other, "long connection"),
                }
            }
        });
        let (handle, task) = client.spawn();
        let stopped = tokio::select! {
            done = task => done.context("the connection task failed")?,
            _ = tokio::signal::ctrl_c() => {
                handle.shutdown();
                Ok(Stopped::Shutdown)
            }
        };
        drop(io);
        Ok::<_, anyhow::Error>(stopped)
    })?;
    drop(rt);
    match result {
        Ok(Stopped::Displaced) => {
            out.note("another connection took over this bot (disconnected_event); stopped without reconnecting");
            Ok(ExitCode::from(exit::NETWORK))
        }
        Ok(_) => Ok(ExitCode::SUCCESS),
        Err(e) => Err(ws_failure(e)),
    }
}

fn ws_failure(error: WsError) -> anyhow::Error {
    let (code, hint) = match &error {
        WsError::AuthFailed { .. } => (
            exit::WECOM,
            Some("check the Bot ID and Secret in the bot's API settings (long connection)"),
        ),
        WsError::ReconnectExhausted { .. } | WsError::Connect(_) => (exit::NETWORK, None),
        _ => (1, None),
    };
    let errcode = error.code();
    anyhow::Error::new(Failure { code, error: error.into(), errcode, hint })
}

fn listen(args: ListenArgs, settings: &Settings, out: Output) -> Result<ExitCode> {
    let profile = &settings.aibot;
    let token = require(
        args.aibot_token.or(profile.token.clone()),
        "aibot-token",
        "WECOM_AIBOT_TOKEN",
        "aibot_token",
    )?;
    let key = require(
        args.aibot_aes_key.or(profile.aes_key.clone()),
        "aibot-aes-key",
        "WECOM_AIBOT_AES_KEY",
        "aibot_aes_key",
    )?;
    let rt = client::runtime()?;
    rt.block_on(async {
        let (bot, io) = answer::CliBot::new(&args.answer)?;
        let server = AibotServer::new(&token, &key, bot).map_err(usage)?.limits(answer::limits());
        let addr = SocketAddr::new(args.host, args.port);
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        out.note(&format!(
            "AI bot listening on http://{}/ (set it as the bot's callback URL; Ctrl-C stops)",
            listener.local_addr()?
        ));
        let served = tokio::select! {
            served = server.serve_on(listener) => served.context("the AI bot server stopped"),
            _ = tokio::signal::ctrl_c() => Ok(()),
        };
        drop(io);
        served
    })?;
    drop(rt);
    Ok(ExitCode::SUCCESS)
}
