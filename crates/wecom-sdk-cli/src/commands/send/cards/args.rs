//! The flags of the five template cards.

use clap::Args;

/// Fields every card has.
#[derive(Debug, Args)]
pub(crate) struct CardCore {
    /// The headline (`main_title.title`).
    #[arg(long)]
    pub(crate) title: Option<String>,
    /// The line under the headline (`main_title.desc`).
    #[arg(long)]
    pub(crate) desc: Option<String>,
    /// The task id (digits, letters, `_-@`, at most 128 bytes, unique per app) [default: generated].
    #[arg(long)]
    pub(crate) task_id: Option<String>,
    /// The source label at the top.
    #[arg(long, value_name = "TEXT")]
    pub(crate) source: Option<String>,
    /// The source icon URL.
    #[arg(long, value_name = "URL")]
    pub(crate) source_icon: Option<String>,
}

/// Content shared by the notice cards and the button card.
#[derive(Debug, Args)]
pub(crate) struct CardBody {
    /// A quoted block.
    #[arg(long, value_name = "TEXT")]
    pub(crate) quote: Option<String>,
    /// A key/value row `KEY=VALUE` (at most 6).
    #[arg(long, value_name = "KEY=VALUE")]
    pub(crate) row: Vec<String>,
    /// A top-right menu item `KEY=TEXT` (at most 3); the card then calls back.
    #[arg(long, value_name = "KEY=TEXT")]
    pub(crate) menu: Vec<String>,
}

/// `text-notice`.
#[derive(Debug, Args)]
pub(crate) struct TextNoticeArgs {
    #[command(flatten)]
    pub(crate) core: CardCore,
    #[command(flatten)]
    pub(crate) body: CardBody,
    /// The link opened when the card is tapped.
    #[arg(long)]
    pub(crate) url: String,
    /// Secondary text (required without --title).
    #[arg(long, required_unless_present = "title")]
    pub(crate) sub_title: Option<String>,
    /// A key figure `FIGURE[=LABEL]`, e.g. `99.9%=uptime`.
    #[arg(long, value_name = "FIGURE[=LABEL]")]
    pub(crate) emphasis: Option<String>,
    /// A link under the card `TITLE=URL` (at most 3).
    #[arg(long, value_name = "TITLE=URL")]
    pub(crate) jump: Vec<String>,
}

/// `news-notice`.
#[derive(Debug, Args)]
pub(crate) struct NewsNoticeArgs {
    #[command(flatten)]
    pub(crate) core: CardCore,
    #[command(flatten)]
    pub(crate) body: CardBody,
    /// The link opened when the card is tapped.
    #[arg(long)]
    pub(crate) url: String,
    /// The picture's URL (`card_image`).
    #[arg(long, value_name = "URL")]
    pub(crate) image: String,
    /// The picture's aspect ratio (1.3 to 2.25).
    #[arg(long)]
    pub(crate) aspect_ratio: Option<f64>,
    /// A paragraph `TITLE[=TEXT]` (at most 4).
    #[arg(long, value_name = "TITLE[=TEXT]")]
    pub(crate) paragraph: Vec<String>,
    /// A link under the card `TITLE=URL` (at most 3).
    #[arg(long, value_name = "TITLE=URL")]
    pub(crate) jump: Vec<String>,
}

/// `button-card`.
#[derive(Debug, Args)]
pub(crate) struct ButtonCardArgs {
    #[command(flatten)]
    pub(crate) core: CardCore,
    #[command(flatten)]
    pub(crate) body: CardBody,
    /// A button that calls back: `KEY=TEXT[:STYLE]` with style 1 to 4 (1 to 6 buttons).
    #[arg(long, value_name = "KEY=TEXT[:STYLE]", required_unless_present = "link_button")]
    pub(crate) button: Vec<String>,
    /// A button that opens a link: `TEXT=URL`.
    #[arg(long, value_name = "TEXT=URL")]
    pub(crate) link_button: Vec<String>,
    /// Secondary text.
    #[arg(long)]
    pub(crate) sub_title: Option<String>,
    /// The link opened when the card is tapped.
    #[arg(long)]
    pub(crate) url: Option<String>,
}

/// `vote-card`.
#[derive(Debug, Args)]
pub(crate) struct VoteCardArgs {
    #[command(flatten)]
    pub(crate) core: CardCore,
    /// An option `ID=TEXT` (1 to 20).
    #[arg(long, value_name = "ID=TEXT", required = true)]
    pub(crate) option: Vec<String>,
    /// The question's key, sent back with the answer.
    #[arg(long, default_value = "vote")]
    pub(crate) question_key: String,
    /// Allow ticking several options.
    #[arg(long)]
    pub(crate) multiple: bool,
    /// An option ticked beforehand (by id).
    #[arg(long, value_name = "ID")]
    pub(crate) checked: Vec<String>,
    #[command(flatten)]
    pub(crate) submit: SubmitArgs,
}

/// `multiple-card`.
#[derive(Debug, Args)]
pub(crate) struct MultipleCardArgs {
    #[command(flatten)]
    pub(crate) core: CardCore,
    /// A drop-down `KEY[:TITLE]=ID:TEXT,ID:TEXT…` (1 to 3), e.g.
    /// `team:Team=infra:Infra,app:Apps`.
    #[arg(long, value_name = "KEY[:TITLE]=ID:TEXT,…", required = true)]
    pub(crate) select: Vec<String>,
    #[command(flatten)]
    pub(crate) submit: SubmitArgs,
}

/// The submit button of vote and multiple-choice cards.
#[derive(Debug, Args)]
pub(crate) struct SubmitArgs {
    /// The submit button's text [default: WeCom's 提交].
    #[arg(long, value_name = "TEXT")]
    pub(crate) submit: Option<String>,
    /// The submit button's key, sent back as EventKey.
    #[arg(long, default_value = "submit")]
    pub(crate) submit_key: String,
}
