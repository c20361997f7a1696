//! The small API commands: `recall`, `update-card`, `upload` and `token`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Result, anyhow};
use clap::Args;
use serde_json::{Value, json};
use wecom::card::TemplateCard;
use wecom::message::Recipients;
use wecom::{Media, MediaType, MemoryTokenStore, TokenKey, TokenStore as _, UpdateTemplateCard};

use crate::client::{self, ClientOptions};
use crate::config::Settings;
use crate::exit::{self, usage};
use crate::output::Output;
use crate::parse;

/// Arguments of `recall`.
#[derive(Debug, Args)]
pub(crate) struct RecallArgs {
    /// The msgid `wecom send` printed.
    pub(crate) msgid: String,
}

/// Arguments of `update-card`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  wecom update-card RESPONSE_CODE --button-text Approved --all\n  wecom update-card RESPONSE_CODE --card new-card.json --to alice"
)]
pub(crate) struct UpdateCardArgs {
    /// The response code from `wecom send` or from a card callback (single use, 72 hours).
    pub(crate) response_code: String,
    /// Grey out the card's buttons with this text.
    #[arg(long, required_unless_present = "card", conflicts_with = "card")]
    pub(crate) button_text: Option<String>,
    /// Replace the whole card: a template card JSON file (`card_type` …, or
    /// `{"template_card": …}`); `-` reads stdin.
    #[arg(long, value_name = "FILE")]
    pub(crate) card: Option<String>,
    /// Members to update, comma-separated or repeated.
    #[arg(long, value_delimiter = ',', value_name = "USERID")]
    pub(crate) to: Vec<String>,
    /// Departments to update.
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    pub(crate) party: Vec<u64>,
    /// Tags to update.
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    pub(crate) tag: Vec<u64>,
    /// Every receiver of the card (`atall`).
    #[arg(long)]
    pub(crate) all: bool,
}

/// Arguments of `upload`.
#[derive(Debug, Args)]
#[command(
    after_help = "Without --type the type comes from the extension: .jpg .jpeg .png image, .amr voice, .mp4 video, anything else file.\n\nExamples:\n  wecom upload chart.png\n  wecom upload --type file notes.png\n  wecom upload --permanent-image logo.png"
)]
pub(crate) struct UploadArgs {
    /// The file.
    pub(crate) file: PathBuf,
    /// Temporary media (three days): image, voice, video or file [default: from the file's
    /// extension].
    #[arg(long = "type", value_name = "TYPE")]
    pub(crate) kind: Option<MediaType>,
    /// A permanent image for mpnews content (`media/uploadimg`): prints its URL.
    #[arg(long, conflicts_with = "kind")]
    pub(crate) permanent_image: bool,
}

/// Arguments of `token`.
#[derive(Debug, Args)]
pub(crate) struct TokenArgs {
    /// Print the token itself (a secret: anyone holding it can act as the app).
    #[arg(long)]
    pub(crate) show: bool,
}

/// Runs `recall`.
pub(crate) fn recall(args: &RecallArgs, settings: &Settings, out: Output) -> Result<ExitCode> {
    let client = client::build(settings, ClientOptions::default())?;
    client::runtime()?.block_on(client.recall(&args.msgid)).map_err(exit::api)?;
    out.result(&format!("recalled {}", args.msgid), &json!({ "ok": true, "msgid": args.msgid }));
    Ok(ExitCode::SUCCESS)
}

/// Reads a card replacement: a template card, or an object holding one in `template_card`.
fn read_card(path: &str) -> Result<TemplateCard> {
    let text = parse::file_or_stdin(path)?;
    let mut value: Value = serde_json::from_str(&text)
        .map_err(|e| usage(anyhow!("--card {path}: not valid JSON: {e}")))?;
    if let Some(inner) = value.get_mut("template_card") {
        value = inner.take();
    }
    serde_json::from_value(value)
        .map_err(|e| usage(anyhow!("--card {path}: not a template card WeCom accepts: {e}")))
}

/// Runs `update-card`.
pub(crate) fn update_card(
    args: &UpdateCardArgs,
    settings: &Settings,
    out: Output,
) -> Result<ExitCode> {
    if args.to.is_empty() && args.party.is_empty() && args.tag.is_empty() && !args.all {
        return Err(usage(anyhow!(
            "whose card? pass --to USERID, --party ID, --tag ID or --all (every receiver)"
        )));
    }
    let listed = Recipients::users(args.to.iter().cloned())
        .and_parties(args.party.iter().copied())
        .and_tags(args.tag.iter().copied());
    let audience = Recipients::from_parts(args.all, listed, wecom::update_card::UPDATE_FIELDS)
        .map_err(|e| exit::api(e.into()))?;
    let update = match (&args.button_text, &args.card) {
        (Some(text), _) => UpdateTemplateCard::replace_button(&args.response_code, audience, text),
        (None, Some(path)) => {
            UpdateTemplateCard::replace_card(&args.response_code, audience, read_card(path)?)
        }
        (None, None) => return Err(usage(anyhow!("pass --button-text TEXT or --card FILE"))),
    };
    update.validate().map_err(|e| exit::api(e.into()))?;
    let client = client::build(settings, ClientOptions::default())?;
    let response =
        client::runtime()?.block_on(client.update_template_card(update)).map_err(exit::api)?;
    let mut text = "card updated".to_owned();
    if !response.invalid_users.is_empty() {
        let _ = write!(text, "\nnot updated for: {}", response.invalid_users.join(", "));
    }
    out.result(&text, &json!({ "ok": true, "invalid_users": response.invalid_users }));
    Ok(ExitCode::SUCCESS)
}

/// Runs `upload`.
pub(crate) fn upload(args: &UploadArgs, settings: &Settings, out: Output) -> Result<ExitCode> {
    let client = client::build(settings, ClientOptions::default())?;
    let rt = client::runtime()?;
    let media = rt.block_on(Media::from_path(&args.file)).map_err(exit::api)?;
    if args.permanent_image {
        let url = rt.block_on(client.upload_image(media)).map_err(exit::api)?;
        out.result(&url, &json!({ "ok": true, "url": url }));
        return Ok(ExitCode::SUCCESS);
    }
    let (kind, inferred) = match args.kind {
        Some(kind) => (kind, false),
        None => (media_type_of(&args.file), true),
    };
    let uploaded = rt.block_on(client.upload_media(kind, media)).map_err(exit::api)?;
    let expires = unix(uploaded.expires_at());
    let from = if inferred { " (from the file's extension; --type to choose)" } else { "" };
    out.result(
        &format!(
            "{}\ntype {}{from}, expires {}",
            uploaded.media_id,
            uploaded.kind,
            crate::when::both(uploaded.expires_at())
        ),
        &json!({
            "ok": true,
            "media_id": uploaded.media_id,
            "type": uploaded.kind,
            "created_at": uploaded.created_at,
            "expires_at": expires,
        }),
    );
    Ok(ExitCode::SUCCESS)
}

/// The media type WeCom expects for a file of this extension: JPG and PNG images, AMR
/// voice, MP4 video, anything else a file.
pub(crate) fn media_type_of(path: &std::path::Path) -> MediaType {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "jpg" | "jpeg" | "png" => MediaType::Image,
        "amr" => MediaType::Voice,
        "mp4" => MediaType::Video,
        _ => MediaType::File,
    }
}

fn unix(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or_default()
}

/// Runs `token`.
pub(crate) fn token(args: &TokenArgs, settings: &Settings, out: Output) -> Result<ExitCode> {
    let store = Arc::new(MemoryTokenStore::new());
    let client =
        client::build(settings, ClientOptions { throttle: None, store: Some(Arc::clone(&store)) })?;
    let rt = client::runtime()?;
    let token = rt.block_on(client.access_token()).map_err(exit::api)?;
    let key = TokenKey::new(client.corp_id(), client.agent_id());
    let cached =
        rt.block_on(store.get(&key)).map_err(|e| anyhow!("cannot read the token store: {e}"))?;
    let now = SystemTime::now();
    let (expires_at, left) = match &cached {
        Some(c) => {
            (Some(unix(c.expires_at)), c.expires_at.duration_since(now).unwrap_or(Duration::ZERO))
        }
        None => (None, Duration::ZERO),
    };
    let mut text = format!(
        "valid: an access token for app {} of corp {}, expires in {} s",
        client.agent_id(),
        client.corp_id(),
        left.as_secs()
    );
    let mut value = json!({
        "ok": true,
        "valid": true,
        "corp_id": client.corp_id(),
        "agent_id": client.agent_id(),
        "expires_in": left.as_secs(),
        "expires_at": expires_at,
    });
    if args.show {
        text = format!("{}\n{text}", token.expose());
        value["access_token"] = token.expose().into();
    } else {
        text.push_str("\n(the token itself is a secret: pass --show to print it)");
    }
    out.result(&text, &value);
    Ok(ExitCode::SUCCESS)
}
