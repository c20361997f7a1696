//! The flags of the plain message kinds (text, markdown, media, textcard, news, mpnews,
//! mini-program notice) and the messages built from them.

use std::path::PathBuf;

use anyhow::{Result, anyhow};
use clap::Args;
use serde::Deserialize;
use wecom::MediaType;
use wecom::message::{
    Article, ContentItem, File, Image, Markdown, MiniProgramNotice, MpArticle, MpNews, News, Text,
    TextCard, Video, Voice,
};

use super::{Draft, Kind, PENDING, Slot, Upload, cards};
use crate::exit::usage;
use crate::parse;

/// Text or markdown content.
#[derive(Debug, Args)]
pub(crate) struct ContentArgs {
    /// The content; `-` reads stdin.
    pub(crate) content: String,
}

/// A media message: an uploaded media id or a file to upload.
#[derive(Debug, Args)]
pub(crate) struct MediaArgs {
    /// A media id from `wecom upload` (valid three days).
    #[arg(long, required_unless_present = "file", conflicts_with = "file")]
    pub(crate) media_id: Option<String>,
    /// A file to upload first.
    #[arg(long, value_name = "PATH")]
    pub(crate) file: Option<PathBuf>,
}

/// A video message.
#[derive(Debug, Args)]
pub(crate) struct VideoArgs {
    #[command(flatten)]
    pub(crate) media: MediaArgs,
    /// Title (at most 128 bytes).
    #[arg(long)]
    pub(crate) title: Option<String>,
    /// Description (at most 512 bytes).
    #[arg(long)]
    pub(crate) description: Option<String>,
}

/// A text card.
#[derive(Debug, Args)]
pub(crate) struct TextCardArgs {
    /// Title (at most 128 bytes).
    #[arg(long)]
    pub(crate) title: String,
    /// Description (at most 512 bytes; `<div class="gray|normal|highlight">` allowed).
    #[arg(long)]
    pub(crate) description: String,
    /// The link opened (http:// or https://).
    #[arg(long)]
    pub(crate) url: String,
    /// Button text (at most 4 characters; WeCom shows 详情 by default).
    #[arg(long)]
    pub(crate) btntxt: Option<String>,
}

/// News articles.
#[derive(Debug, Args)]
pub(crate) struct NewsArgs {
    /// An article: `title=…,url=…[,picurl=…][,description=…]` (or appid=…,pagepath=… for a
    /// mini-program page). Repeat for up to 8.
    #[arg(long, value_name = "FIELDS", required_unless_present = "articles")]
    pub(crate) article: Vec<String>,
    /// The articles as a JSON array (or `{"articles": […]}`) in a file; `-` reads stdin.
    #[arg(long, value_name = "FILE", conflicts_with = "article")]
    pub(crate) articles: Option<String>,
}

/// Mpnews articles.
#[derive(Debug, Args)]
pub(crate) struct MpNewsArgs {
    /// An article: `title=…,content=…` (or `content_file=PATH`), a thumbnail as
    /// `thumb_media_id=…` or `thumb=PATH` (uploaded), and optionally `author=…`, `digest=…`,
    /// `content_source_url=…`. Repeat for up to 8.
    #[arg(long, value_name = "FIELDS", required_unless_present = "articles")]
    pub(crate) article: Vec<String>,
    /// The articles as a JSON array (or `{"articles": […]}`) in a file; `-` reads stdin.
    #[arg(long, value_name = "FILE", conflicts_with = "article")]
    pub(crate) articles: Option<String>,
}

/// A mini-program notice.
#[derive(Debug, Args)]
pub(crate) struct MiniProgramArgs {
    /// The mini program's appid (linked to the app).
    #[arg(long)]
    pub(crate) appid: String,
    /// Title (4 to 12 Chinese characters suggested).
    #[arg(long)]
    pub(crate) title: String,
    /// The page opened on tap.
    #[arg(long)]
    pub(crate) page: Option<String>,
    /// Description.
    #[arg(long)]
    pub(crate) description: Option<String>,
    /// A content row `KEY=VALUE` (at most 10).
    #[arg(long, value_name = "KEY=VALUE")]
    pub(crate) item: Vec<String>,
    /// Emphasise the first row.
    #[arg(long)]
    pub(crate) emphasis_first_item: bool,
}

/// Builds the message of a kind given as flags.
pub(crate) fn draft(kind: Kind) -> Result<Draft> {
    Ok(match kind {
        Kind::Text(a) => Draft::new(Text::new(parse::arg_or_stdin(&a.content)?)),
        Kind::Markdown(a) => Draft::new(Markdown::new(parse::arg_or_stdin(&a.content)?)),
        Kind::Image(a) => media(&a, MediaType::Image, |id| Image::new(id).into()),
        Kind::Voice(a) => media(&a, MediaType::Voice, |id| Voice::new(id).into()),
        Kind::File(a) => media(&a, MediaType::File, |id| File::new(id).into()),
        Kind::Video(a) => media(&a.media, MediaType::Video, |id| {
            let mut video = Video::new(id);
            video.title.clone_from(&a.title);
            video.description.clone_from(&a.description);
            video.into()
        }),
        Kind::Textcard(a) => {
            let mut card = TextCard::new(a.title, a.description, a.url);
            card.btntxt = a.btntxt;
            Draft::new(card)
        }
        Kind::News(a) => Draft::new(news(&a)?),
        Kind::Mpnews(a) => mpnews(&a)?,
        Kind::MiniprogramNotice(a) => {
            let mut notice = MiniProgramNotice::new(a.appid, a.title);
            notice.page = a.page;
            notice.description = a.description;
            notice.emphasis_first_item = a.emphasis_first_item.then_some(true);
            for item in &a.item {
                let (k, v) = parse::pair("item", item)?;
                notice.content_item.push(ContentItem::new(k, v));
            }
            Draft::new(notice)
        }
        Kind::TextNotice(a) => cards::text_notice(&a)?,
        Kind::NewsNotice(a) => cards::news_notice(&a)?,
        Kind::ButtonCard(a) => cards::button_card(&a)?,
        Kind::VoteCard(a) => cards::vote_card(&a)?,
        Kind::MultipleCard(a) => cards::multiple_card(&a)?,
        Kind::Json(_) => unreachable!("JSON bodies are read by the json module"),
    })
}

fn media(
    args: &MediaArgs,
    kind: MediaType,
    build: impl FnOnce(String) -> wecom::message::Message,
) -> Draft {
    match (&args.media_id, &args.file) {
        (Some(id), _) => Draft::new(build(id.clone())),
        (None, Some(path)) => {
            let mut draft = Draft::new(build(PENDING.to_owned()));
            draft.uploads.push(Upload { path: path.clone(), kind, slot: Slot::Media });
            draft
        }
        // clap requires one of the two.
        (None, None) => Draft::new(build(String::new())),
    }
}

/// Articles read from a JSON file: an array, or an object with `articles`.
fn articles_json<T: for<'de> Deserialize<'de>>(path: &str) -> Result<Vec<T>> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum List<T> {
        Bare(Vec<T>),
        Wrapped { articles: Vec<T> },
    }
    let text = parse::file_or_stdin(path)?;
    let list: List<T> = serde_json::from_str(&text)
        .map_err(|e| usage(anyhow!("--articles {path}: not a JSON array of articles: {e}")))?;
    Ok(match list {
        List::Bare(v) | List::Wrapped { articles: v } => v,
    })
}

fn news(args: &NewsArgs) -> Result<News> {
    const KEYS: &[&str] = &["title", "url", "picurl", "description", "appid", "pagepath"];
    if let Some(path) = &args.articles {
        return Ok(News::new(articles_json::<Article>(path)?));
    }
    let mut articles = Vec::new();
    for value in &args.article {
        let f = parse::fields("article", value, KEYS)?;
        let title = parse::field(&f, "title").unwrap_or_default();
        let mut article = match (parse::field(&f, "appid"), parse::field(&f, "pagepath")) {
            (Some(appid), Some(page)) => Article::mini_program(title, appid, page),
            _ => Article::new(title, parse::field(&f, "url").unwrap_or_default()),
        };
        article.url = parse::field(&f, "url").map(str::to_owned);
        article.appid = parse::field(&f, "appid").map(str::to_owned);
        article.pagepath = parse::field(&f, "pagepath").map(str::to_owned);
        article.picurl = parse::field(&f, "picurl").map(str::to_owned);
        article.description = parse::field(&f, "description").map(str::to_owned);
        articles.push(article);
    }
    Ok(News::new(articles))
}

fn mpnews(args: &MpNewsArgs) -> Result<Draft> {
    const KEYS: &[&str] = &[
        "title",
        "content",
        "content_file",
        "thumb_media_id",
        "thumb",
        "author",
        "digest",
        "content_source_url",
    ];
    if let Some(path) = &args.articles {
        return Ok(Draft::new(MpNews::new(articles_json::<MpArticle>(path)?)));
    }
    let mut articles = Vec::new();
    let mut uploads = Vec::new();
    for (i, value) in args.article.iter().enumerate() {
        let f = parse::fields("article", value, KEYS)?;
        let content = match (parse::field(&f, "content"), parse::field(&f, "content_file")) {
            (Some(c), None) => c.to_owned(),
            (None, Some(path)) => parse::file_or_stdin(path)?,
            (Some(_), Some(_)) => {
                return Err(usage(anyhow!("--article: give content or content_file, not both")));
            }
            (None, None) => String::new(),
        };
        let thumb = match (parse::field(&f, "thumb_media_id"), parse::field(&f, "thumb")) {
            (Some(id), None) => id.to_owned(),
            (None, Some(path)) => {
                uploads.push(Upload {
                    path: PathBuf::from(path),
                    kind: MediaType::Image,
                    slot: Slot::Thumb(i),
                });
                super::PENDING.to_owned()
            }
            (Some(_), Some(_)) => {
                return Err(usage(anyhow!("--article: give thumb_media_id or thumb, not both")));
            }
            (None, None) => String::new(),
        };
        let mut article =
            MpArticle::new(parse::field(&f, "title").unwrap_or_default(), thumb, content);
        article.author = parse::field(&f, "author").map(str::to_owned);
        article.digest = parse::field(&f, "digest").map(str::to_owned);
        article.content_source_url = parse::field(&f, "content_source_url").map(str::to_owned);
        articles.push(article);
    }
    let mut draft = Draft::new(MpNews::new(articles));
    draft.uploads = uploads;
    Ok(draft)
}
