//! `wecom bot send <kind> …`: post into a group through its webhook (消息推送, 群机器人).
//!
//! The webhook comes from `--webhook URL|KEY`, else `WECOM_WEBHOOK_URL` or
//! `WECOM_WEBHOOK_KEY`, else `webhook` in the profile. Content is an argument or, when absent
//! or `-`, standard input. Everything is validated (and files read) before anything is sent;
//! bad input exits with code 2 having sent nothing.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result, anyhow};
use clap::{Args, Subcommand};
use serde_json::json;
use wecom::Media;
use wecom::webhook::{
    Markdown, MarkdownV2, UploadKind, WebhookArticle, WebhookCard, WebhookClient, WebhookImage,
    WebhookMessage, WebhookNews, WebhookText,
};

use crate::client::runtime;
use crate::config::Settings;
use crate::exit::{self, usage};
use crate::output::Output;

/// `wecom bot …`.
#[derive(Debug, Subcommand)]
pub(crate) enum BotCommand {
    /// Send a message into the webhook's group.
    Send(Box<BotSendArgs>),
}

/// Arguments of `wecom bot send`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  wecom bot send text \"deploy failed\" --mention zhangsan --webhook \"$URL\"\n  kubectl logs pod | wecom bot send markdown-v2 --split\n  wecom bot send image chart.png\n  wecom bot send card --json card.json"
)]
pub(crate) struct BotSendArgs {
    /// The webhook URL copied from WeCom, or its key [default: WECOM_WEBHOOK_URL,
    /// WECOM_WEBHOOK_KEY, or `webhook` in the profile].
    #[arg(long, global = true, value_name = "URL|KEY", hide_env_values = true)]
    pub(crate) webhook: Option<String>,
    /// Mention a member by UserID, or `@all` (text and markdown; other kinds get a text
    /// carrying the mentions after them). Repeatable or comma-separated.
    #[arg(long, global = true, value_delimiter = ',', value_name = "USERID|@all")]
    pub(crate) mention: Vec<String>,
    /// Send content longer than the limit as several messages instead of refusing it.
    #[arg(long, global = true)]
    pub(crate) split: bool,
    #[command(subcommand)]
    pub(crate) kind: BotKind,
}

/// What to send.
#[derive(Debug, Subcommand)]
pub(crate) enum BotKind {
    /// Plain text (at most 2,048 bytes).
    Text(Content),
    /// Markdown (at most 4,096 bytes; colours and <@userid> mentions).
    Markdown(Content),
    /// markdown_v2 (tables, code blocks, lists; no mentions).
    #[command(name = "markdown-v2")]
    MarkdownV2(Content),
    /// A JPG or PNG picture (at most 2 MB).
    Image(FileArg),
    /// A file (uploaded through the webhook, at most 20 MB).
    File(FileArg),
    /// A news article.
    News(NewsArgs),
    /// A text_notice or news_notice card from WeCom JSON (the template_card object or a
    /// whole message).
    Card(CardArgs),
}

/// Content from an argument or standard input.
#[derive(Debug, Args)]
pub(crate) struct Content {
    /// The content; read from standard input when absent or `-`.
    pub(crate) content: Option<String>,
}

/// A file path.
#[derive(Debug, Args)]
pub(crate) struct FileArg {
    /// The file.
    pub(crate) file: PathBuf,
}

/// One news article.
#[derive(Debug, Args)]
pub(crate) struct NewsArgs {
    /// The title.
    #[arg(long)]
    pub(crate) title: String,
    /// The URL it opens (required for webhooks).
    #[arg(long)]
    pub(crate) url: String,
    /// The text under the title.
    #[arg(long)]
    pub(crate) description: Option<String>,
    /// The picture URL.
    #[arg(long)]
    pub(crate) picurl: Option<String>,
}

/// A card from JSON (`card --json FILE` is read as `card FILE`: `--json` is also the global
/// output switch).
#[derive(Debug, Args)]
pub(crate) struct CardArgs {
    /// The JSON file, or `-` for standard input.
    #[arg(value_name = "FILE|-")]
    pub(crate) file: PathBuf,
}

/// Reads `wecom bot send card --json FILE` as `wecom bot send card FILE`; any other `--json`
/// stays the global output switch.
pub(crate) fn normalize_args(mut args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let words: Vec<Option<&str>> = args.iter().map(|a| a.to_str()).collect();
    let bot = words.iter().position(|w| *w == Some("bot"));
    let card = words.iter().position(|w| *w == Some("card"));
    if let (Some(bot), Some(card)) = (bot, card)
        && bot < card
        && words.get(card + 1) == Some(&Some("--json"))
        && words.get(card + 2).is_some_and(|w| w.is_some_and(|w| w == "-" || !w.starts_with('-')))
    {
        args.remove(card + 1);
    }
    args
}

/// Runs `wecom bot`.
pub(crate) fn run(cmd: BotCommand, settings: &Settings, out: Output) -> Result<ExitCode> {
    let BotCommand::Send(args) = cmd;
    let webhook = args
        .webhook
        .clone()
        .or_else(|| env("WECOM_WEBHOOK_URL"))
        .or_else(|| env("WECOM_WEBHOOK_KEY"))
        .or_else(|| settings.webhook.clone())
        .ok_or_else(|| {
            usage(anyhow!(
                "no webhook: pass --webhook URL|KEY, set WECOM_WEBHOOK_URL or WECOM_WEBHOOK_KEY, \
                 or add `webhook` to a profile in wecom.toml"
            ))
        })?;
    // Everything that can be refused is refused before the client exists.
    let plan = plan(&args)?;
    let mut builder = WebhookClient::builder(&webhook);
    if let Some(url) = &settings.app.base_url {
        builder = builder.base_url(url.clone());
    }
    let client = builder.proxy_from_env().build().map_err(exit::api)?;
    let rt = runtime()?;
    let (sent, media_id) = rt.block_on(execute(&client, plan))?;
    let msgtype = kind_name(&args.kind);
    let mut value = json!({ "ok": true, "msgtype": msgtype, "messages": sent });
    if let Some(id) = &media_id {
        value["media_id"] = json!(id);
    }
    let text = match sent {
        1 => format!("sent {msgtype} to the group"),
        n => format!("sent {msgtype} to the group as {n} messages"),
    };
    out.result(&text, &value);
    Ok(ExitCode::SUCCESS)
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn kind_name(kind: &BotKind) -> &'static str {
    match kind {
        BotKind::Text(_) => "text",
        BotKind::Markdown(_) => "markdown",
        BotKind::MarkdownV2(_) => "markdown_v2",
        BotKind::Image(_) => "image",
        BotKind::File(_) => "file",
        BotKind::News(_) => "news",
        BotKind::Card(_) => "template_card",
    }
}

/// What will be sent, validated: a file to upload and send first (if any), then messages in
/// order (the last may be a text carrying mentions the kind cannot).
struct Plan {
    file: Option<Media>,
    messages: Vec<WebhookMessage>,
}

fn plan(args: &BotSendArgs) -> Result<Plan> {
    let mentions = &args.mention;
    let mut file = None;
    let mut messages = Vec::new();
    match &args.kind {
        BotKind::Text(c) => {
            let mut text = WebhookText::new(content(c)?);
            for m in mentions {
                text = text.mention(m.clone());
            }
            messages.push(text.into());
        }
        BotKind::Markdown(c) => {
            let mut md = content(c)?;
            for m in mentions.iter().filter(|m| *m != "@all") {
                md.push_str(" <@");
                md.push_str(m);
                md.push('>');
            }
            messages.push(Markdown::new(md).into());
        }
        BotKind::MarkdownV2(c) => messages.push(MarkdownV2::new(content(c)?).into()),
        BotKind::Image(f) => {
            messages.push(WebhookImage::from_bytes(&read(&f.file)?).map_err(usage)?.into());
        }
        BotKind::File(f) => {
            let data = read(&f.file)?;
            UploadKind::File.check(&data).map_err(usage)?;
            let name = f.file.file_name().map_or_else(|| "file".into(), |n| n.to_string_lossy());
            file = Some(Media::from_bytes(name.into_owned(), data));
        }
        BotKind::News(n) => {
            let mut article = WebhookArticle::new(&n.title, &n.url);
            if let Some(d) = &n.description {
                article = article.description(d);
            }
            if let Some(p) = &n.picurl {
                article = article.picurl(p);
            }
            messages.push(WebhookNews::new([article]).into());
        }
        BotKind::Card(c) => messages.push(card(&c.file)?),
    }
    if args.split {
        messages = messages.into_iter().flat_map(WebhookMessage::split).collect();
    }
    // Only text can mention everyone, markdown members only, the other kinds nobody: a
    // short text after the message carries the mentions they cannot.
    let extra: Vec<&String> = match args.kind {
        BotKind::Text(_) => Vec::new(),
        BotKind::Markdown(_) => mentions.iter().filter(|m| *m == "@all").collect(),
        _ => mentions.iter().collect(),
    };
    if !extra.is_empty() {
        let text = extra.into_iter().fold(WebhookText::new("↑"), |t, m| t.mention(m.clone()));
        messages.push(text.into());
    }
    for m in &messages {
        m.validate().map_err(|e| {
            let hint =
                if args.split { "" } else { " (--split sends long content as several messages)" };
            usage(anyhow!("{e}{hint}"))
        })?;
    }
    Ok(Plan { file, messages })
}

async fn execute(client: &WebhookClient, plan: Plan) -> Result<(usize, Option<String>)> {
    let mut sent = 0;
    let mut media_id = None;
    if let Some(media) = plan.file {
        media_id = Some(client.send_file(media).await.map_err(exit::api)?.to_string());
        sent += 1;
    }
    for m in plan.messages {
        client.send(m).await.map_err(exit::api)?;
        sent += 1;
    }
    Ok((sent, media_id))
}

fn content(c: &Content) -> Result<String> {
    match c.content.as_deref() {
        Some(text) if text != "-" => Ok(text.to_owned()),
        _ => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).context("reading standard input")?;
            Ok(text)
        }
    }
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| usage(anyhow!("cannot read {}: {e}", path.display())))
}

/// A card from JSON: a whole webhook message, or the `template_card` object alone.
fn card(path: &Path) -> Result<WebhookMessage> {
    let text = if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).context("reading standard input")?;
        text
    } else {
        String::from_utf8(read(path)?)
            .map_err(|_| usage(anyhow!("{} is not UTF-8", path.display())))?
    };
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| usage(anyhow!("{} is not JSON: {e}", path.display())))?;
    let card = value.get("template_card").cloned().unwrap_or(value);
    let card: WebhookCard = serde_json::from_value(card)
        .map_err(|e| usage(anyhow!("not a text_notice or news_notice card: {e}")))?;
    Ok(WebhookMessage::TemplateCard(card))
}
