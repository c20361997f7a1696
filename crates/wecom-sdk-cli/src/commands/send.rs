//! `wecom send <kind> …`: every message kind and template card as flags, any message as
//! WeCom JSON (`wecom send json FILE|-`), one request or a bulk send to a users file.
//!
//! A send goes in three steps: the message is built from the flags with placeholders for
//! files still to upload, the whole request is validated through the SDK (nothing is sent
//! if it is invalid), then the files are uploaded and the message is sent.

mod bulk;
mod cards;
mod journal;
mod json;
mod kinds;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Result, anyhow};
use clap::{Args, Subcommand};
use serde_json::json;
use wecom::message::{Message, MessageRequest, Recipients, Safe};
use wecom::{Client, Media, MediaType, SendReceipt};

use crate::client::{self, ClientOptions};
use crate::config::Settings;
use crate::exit::{self, usage};
use crate::output::Output;

pub(crate) use cards::{
    ButtonCardArgs, MultipleCardArgs, NewsNoticeArgs, TextNoticeArgs, VoteCardArgs,
};
pub(crate) use kinds::{
    ContentArgs, MediaArgs, MiniProgramArgs, MpNewsArgs, NewsArgs, TextCardArgs, VideoArgs,
};

/// Arguments of `wecom send`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  wecom send text \"Build #42 passed\" --to alice,bob\n  wecom send image --file chart.png --party 2\n  wecom send button-card --title \"Deploy v1.4?\" --button approve=Approve --button reject=Reject:2 --to alice\n  wecom send json message.json --to alice\n  wecom send text \"Office closed Friday\" --to-file users.txt"
)]
pub(crate) struct SendArgs {
    #[command(flatten)]
    pub(crate) target: Target,
    #[command(flatten)]
    pub(crate) bulk: BulkArgs,
    #[command(subcommand)]
    pub(crate) kind: Kind,
}

/// Who receives the message and how it is sent: usable before or after the kind.
#[derive(Debug, Args, Default)]
#[command(next_help_heading = "Recipients and send options")]
pub(crate) struct Target {
    /// Members (UserIDs), comma-separated or repeated.
    #[arg(long, global = true, value_delimiter = ',', value_name = "USERID")]
    pub(crate) to: Vec<String>,
    /// Departments (ids), comma-separated or repeated.
    #[arg(long, global = true, value_delimiter = ',', value_name = "ID")]
    pub(crate) party: Vec<u64>,
    /// Tags (ids), comma-separated or repeated.
    #[arg(long, global = true, value_delimiter = ',', value_name = "ID")]
    pub(crate) tag: Vec<u64>,
    /// Everyone in the app's visible range (`@all`); never a default.
    #[arg(long, global = true)]
    pub(crate) all: bool,
    /// Confidential (`safe: 1`): no forwarding, watermarked (text, image, video, file, mpnews).
    #[arg(long, global = true)]
    pub(crate) safe: bool,
    /// Shareable inside the corp only (`safe: 2`, mpnews only).
    #[arg(long, global = true, conflicts_with = "safe")]
    pub(crate) corp_only: bool,
    /// WeCom's duplicate check: the same request within SECS (default 1800, at most 14400)
    /// is not delivered twice. Also makes resending after a timeout safe, and re-running a
    /// bulk send (--to-file) that died mid-flight: the batches in flight are resent byte for
    /// byte and dropped by WeCom if they had arrived.
    #[arg(long, global = true, num_args = 0..=1, default_missing_value = "1800", value_name = "SECS")]
    pub(crate) duplicate_check: Option<u64>,
    /// Turn `$userName=USERID$`-style templates into names (`enable_id_trans`).
    #[arg(long, global = true)]
    pub(crate) id_trans: bool,
}

/// Bulk sends to a users file.
#[derive(Debug, Args, Default)]
#[command(next_help_heading = "Bulk sends")]
pub(crate) struct BulkArgs {
    /// Send to every member id in FILE (one a line; blank lines and `#` comments ignored), in
    /// batches of 1,000, with a resumable journal. A re-run after a crash resends the batches
    /// that were in flight: without --duplicate-check their members may get it twice.
    #[arg(long, global = true, value_name = "FILE", conflicts_with_all = ["to", "party", "tag", "all"])]
    pub(crate) to_file: Option<PathBuf>,
    /// Requests per second, at most.
    #[arg(long, global = true, default_value_t = 10, value_name = "N", requires = "to_file")]
    pub(crate) rate: u32,
    /// Batches in flight at once.
    #[arg(long, global = true, default_value_t = 4, value_name = "N", requires = "to_file")]
    pub(crate) concurrency: usize,
    /// The journal of finished recipients [default: FILE.journal next to the users file].
    #[arg(long, global = true, value_name = "PATH", requires = "to_file")]
    pub(crate) journal: Option<PathBuf>,
    /// Write the members WeCom refused (invalid or unlicensed) to FILE, one a line: the
    /// summary names only the first ten of each.
    #[arg(long, global = true, value_name = "FILE", requires = "to_file")]
    pub(crate) invalid_out: Option<PathBuf>,
}

/// The kinds of message.
#[derive(Debug, Subcommand)]
pub(crate) enum Kind {
    /// Text (at most 2,048 bytes; `<a href="…">` links allowed).
    Text(ContentArgs),
    /// Markdown (WeCom's subset; at most 2,048 bytes).
    Markdown(ContentArgs),
    /// An image (JPG/PNG): --media-id, or --file to upload it first.
    Image(MediaArgs),
    /// A voice message (AMR, at most 60 s): --media-id or --file.
    Voice(MediaArgs),
    /// A video (MP4): --media-id or --file, optional title and description.
    Video(VideoArgs),
    /// A file: --media-id or --file.
    File(MediaArgs),
    /// A text card: title, description, link and button text.
    Textcard(TextCardArgs),
    /// Link articles (1 to 8).
    News(NewsArgs),
    /// Articles stored by WeCom (1 to 8), with HTML content.
    Mpnews(MpNewsArgs),
    /// A mini-program notice.
    MiniprogramNotice(MiniProgramArgs),
    /// Template card: text notice.
    TextNotice(TextNoticeArgs),
    /// Template card: news notice with an image.
    NewsNotice(NewsNoticeArgs),
    /// Template card: buttons that call back (`button_interaction`).
    #[command(visible_alias = "button-interaction")]
    ButtonCard(ButtonCardArgs),
    /// Template card: a vote (`vote_interaction`).
    #[command(visible_alias = "vote-interaction")]
    VoteCard(VoteCardArgs),
    /// Template card: drop-down questions (`multiple_interaction`).
    #[command(visible_alias = "multiple-interaction")]
    MultipleCard(MultipleCardArgs),
    /// Any message written as WeCom JSON: a full `message/send` body, the content part with
    /// `msgtype`, or a bare template card with `card_type`.
    Json(json::JsonArgs),
}

/// A file to upload before sending, and where its media id goes.
#[derive(Debug, Clone)]
pub(crate) struct Upload {
    pub(crate) path: PathBuf,
    pub(crate) kind: MediaType,
    pub(crate) slot: Slot,
}

/// Where an uploaded media id goes in the message.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Slot {
    /// The `media_id` of an image, voice, video or file message.
    Media,
    /// The `thumb_media_id` of mpnews article `n`.
    Thumb(usize),
}

/// A placeholder media id, valid for validation, replaced after the upload.
pub(crate) const PENDING: &str = "pending-upload";

/// A message built from the flags: the request (recipients from the flags or the JSON) and
/// the uploads still to do.
#[derive(Debug)]
pub(crate) struct Draft {
    pub(crate) message: Message,
    /// Recipients and options read from a JSON body (flags win).
    pub(crate) from_json: Option<MessageRequest>,
    pub(crate) uploads: Vec<Upload>,
}

impl Draft {
    fn new(message: impl Into<Message>) -> Self {
        Self { message: message.into(), from_json: None, uploads: Vec::new() }
    }
}

/// Runs `wecom send`.
pub(crate) fn run(args: SendArgs, settings: &Settings, out: Output) -> Result<ExitCode> {
    let SendArgs { target, bulk, kind } = args;
    let draft = match kind {
        Kind::Json(a) => json::draft(&a)?,
        other => kinds::draft(other)?,
    };
    // The agent id: the settings', else the JSON body's.
    let agent_id = settings
        .app
        .agent_id
        .or_else(|| draft.from_json.as_ref().map(|r| r.agent_id).filter(|a| *a != 0));
    let mut settings = settings.clone();
    settings.app.agent_id = agent_id;
    if let Some(users_file) = &bulk.to_file {
        return bulk::run(&settings, &target, &bulk, users_file, draft, out);
    }
    let request = request(&settings, &target, &draft)?;
    request.validate().map_err(|e| exit::api(e.into()))?;
    let client = client::build(&settings, ClientOptions::default())?;
    let rt = client::runtime()?;
    let receipt = rt.block_on(async {
        let request = upload_all(&client, request, &draft.uploads, out).await?;
        client.send_request(request).await.map_err(exit::api)
    })?;
    print_receipt(out, &receipt, &draft.message);
    Ok(ExitCode::SUCCESS)
}

/// The options given by flags, over those read from JSON.
fn apply_options(request: &mut MessageRequest, target: &Target) {
    if target.safe {
        request.options.safe = Some(Safe::Confidential);
    }
    if target.corp_only {
        request.options.safe = Some(Safe::CorpOnly);
    }
    if target.id_trans {
        request.options.enable_id_trans = Some(true);
    }
    if let Some(secs) = target.duplicate_check {
        request.options.duplicate_check = Some(Duration::from_secs(secs));
    }
}

/// Recipients from the flags; none at all is a usage error that says how to name them.
/// `--all` beside a list is refused as `message/send` validation would refuse it.
fn recipients(target: &Target) -> Result<Option<Recipients>> {
    if target.to.is_empty() && target.party.is_empty() && target.tag.is_empty() && !target.all {
        return Ok(None);
    }
    let listed = Recipients::users(target.to.iter().map(|s| s.trim().to_owned()))
        .and_parties(target.party.iter().copied())
        .and_tags(target.tag.iter().copied());
    Recipients::from_parts(target.all, listed, wecom::message::SEND_FIELDS)
        .map(Some)
        .map_err(|e| exit::api(e.into()))
}

fn no_recipients() -> anyhow::Error {
    usage(anyhow!(
        "no recipients: pass --to USERID[,USERID…], --party ID, --tag ID, --all (everyone in \
         the app's visible range) or --to-file FILE"
    ))
}

/// The full request: recipients from the flags (else the JSON body), options from the JSON
/// body overridden by the flags, the agent id from the settings (else the JSON body).
fn request(settings: &Settings, target: &Target, draft: &Draft) -> Result<MessageRequest> {
    let agent_id =
        *Settings::require(settings.app.agent_id.as_ref(), "agent-id", "WECOM_AGENT_ID")?;
    let mut request = match (&draft.from_json, recipients(target)?) {
        (Some(body), flags) => {
            if body.agent_id != 0 && body.agent_id != agent_id {
                return Err(usage(anyhow!(
                    "the JSON body's agentid is {}, but the settings are for agent {agent_id}; \
                     remove agentid from the body or use that app's settings",
                    body.agent_id
                )));
            }
            let mut r = body.clone();
            r.agent_id = agent_id;
            if let Some(flags) = flags {
                r.recipients = flags;
            } else if r.recipients.is_empty() {
                return Err(no_recipients());
            }
            r
        }
        (None, Some(to)) => MessageRequest::new(agent_id, to, draft.message.clone()),
        (None, None) => return Err(no_recipients()),
    };
    apply_options(&mut request, target);
    Ok(request)
}

/// Uploads the files and puts their media ids into the message.
async fn upload_all(
    client: &Client,
    mut request: MessageRequest,
    uploads: &[Upload],
    out: Output,
) -> Result<MessageRequest> {
    upload_into(client, &mut request.message, uploads, out).await?;
    Ok(request)
}

/// The message of a kind given as flags or as a JSON file (its content only: recipients and
/// options of a full body are not read), with the uploads still to do. For `wecom chat send`.
pub(crate) fn draft_of(kind: Kind) -> Result<Draft> {
    match kind {
        Kind::Json(a) => json::draft(&a),
        other => kinds::draft(other),
    }
}

/// Uploads the files and puts their media ids into `message`.
pub(crate) async fn upload_into(
    client: &Client,
    message: &mut Message,
    uploads: &[Upload],
    out: Output,
) -> Result<()> {
    for upload in uploads {
        let media = Media::from_path(&upload.path).await.map_err(exit::api)?;
        let uploaded = client.upload_media(upload.kind, media).await.map_err(exit::api)?;
        out.note(&format!(
            "uploaded {} as {} media {}",
            upload.path.display(),
            upload.kind,
            uploaded.media_id
        ));
        set_media(message, upload.slot, uploaded.media_id.into_string())?;
    }
    Ok(())
}

/// Puts a media id into its slot.
pub(crate) fn set_media(message: &mut Message, slot: Slot, media_id: String) -> Result<()> {
    match (message, slot) {
        (Message::Image(m), Slot::Media) => m.media_id = media_id,
        (Message::Voice(m), Slot::Media) => m.media_id = media_id,
        (Message::Video(m), Slot::Media) => m.media_id = media_id,
        (Message::File(m), Slot::Media) => m.media_id = media_id,
        (Message::MpNews(m), Slot::Thumb(i)) if i < m.articles.len() => {
            m.articles[i].thumb_media_id = media_id;
        }
        (other, slot) => {
            return Err(anyhow!(
                "no place for an uploaded file ({slot:?}) in a {} message",
                other.msgtype()
            ));
        }
    }
    Ok(())
}

/// The task id of a card message, if any.
fn task_id(message: &Message) -> Option<&str> {
    match message {
        Message::TemplateCard(card) => card.task_id().map(wecom::card::TaskId::as_str),
        _ => None,
    }
}

/// Prints a send receipt: msgid, response code, task id, and who did not get it.
pub(crate) fn print_receipt(out: Output, receipt: &SendReceipt, message: &Message) {
    let mut text = format!("sent {} message, msgid {}", message.msgtype(), receipt.msgid);
    if let Some(code) = &receipt.response_code {
        let _ = write!(text, "\nresponse_code {code} (single use, valid 72 hours)");
    }
    if let Some(task) = task_id(message) {
        let _ = write!(text, "\ntask_id {task}");
    }
    let lists = [
        ("invalid users", &receipt.invalid_users),
        ("invalid departments", &receipt.invalid_parties),
        ("invalid tags", &receipt.invalid_tags),
        ("unlicensed users (not delivered)", &receipt.unlicensed_users),
        ("held back by the per-member limit", &receipt.held_back),
    ];
    for (label, list) in lists {
        if !list.is_empty() {
            let _ = write!(text, "\n{label}: {}", list.join(", "));
        }
    }
    out.result(
        &text,
        &json!({
            "ok": true,
            "msgtype": message.msgtype(),
            "msgid": receipt.msgid,
            "response_code": receipt.response_code,
            "task_id": task_id(message),
            "invalid_users": receipt.invalid_users,
            "invalid_parties": receipt.invalid_parties,
            "invalid_tags": receipt.invalid_tags,
            "unlicensed_users": receipt.unlicensed_users,
            "held_back": receipt.held_back,
        }),
    );
}
