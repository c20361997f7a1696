//! Validation of `message/send` bodies: the common fields (§2.1) and each message type's
//! content (§2.3–§2.12); template cards are in [`super::card`].

use serde_json::Value;

use super::card::{self, CardInfo, Mode};
use super::fields::Obj;
use crate::api::error::{ApiError, code};
use crate::state::MediaKind;

/// Every `msgtype` WeCom accepts.
pub(crate) const MSGTYPES: [&str; 11] = [
    "text",
    "image",
    "voice",
    "video",
    "file",
    "textcard",
    "news",
    "mpnews",
    "markdown",
    "miniprogram_notice",
    "template_card",
];

/// `text.content` and `markdown.content`: 2,048 bytes (45002 beyond).
const MAX_TEXT_BYTES: usize = 2048;
/// `mpnews` article content: 666 KB (45002 beyond).
const MAX_MPNEWS_CONTENT: usize = 666 * 1024;
/// File types a `file` message with `safe: 1` may carry.
const SAFE_FILE_EXTENSIONS: [&str; 14] = [
    "txt", "pdf", "doc", "docx", "ppt", "pptx", "xls", "xlsx", "xml", "jpg", "jpeg", "png", "bmp",
    "gif",
];

/// A media id the message refers to, checked against the media store after validation.
#[derive(Debug)]
pub(crate) struct MediaRef {
    pub(crate) field: String,
    pub(crate) media_id: String,
    /// The kind it must be; `None`: any kind.
    pub(crate) want: Option<MediaKind>,
    /// A `file` sent with `safe: 1`: its extension must be on the safe list.
    pub(crate) safe_file: bool,
}

impl MediaRef {
    /// Whether a file name passes the `safe: 1` list.
    pub(crate) fn safe_extension_ok(filename: &str) -> bool {
        filename.rsplit_once('.').is_some_and(|(_, ext)| {
            SAFE_FILE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
        })
    }
}

/// What validation learned about a valid body.
#[derive(Debug, Default)]
pub(crate) struct Checked {
    pub(crate) media: Vec<MediaRef>,
    pub(crate) card: Option<CardInfo>,
    /// `Some(interval seconds)` when `enable_duplicate_check` is 1.
    pub(crate) dup_interval: Option<i64>,
}

/// Validates everything of a send body except agentid and recipients (checked by the
/// handler, which needs the app).
pub(crate) fn check(body: Obj<'_>, msgtype: &str) -> Result<Checked, ApiError> {
    let mut out = Checked::default();
    // Numeric strings are accepted for the common integer fields (WxJava sends them so).
    let safe = body.lenient_int_in("safe", 0..=2)?.unwrap_or(0);
    if safe == 2 && msgtype != "mpnews" {
        return Err(ApiError::new(
            code::INVALID_PARAMETER,
            "safe 2 (share inside the corp) is only valid for mpnews",
        ));
    }
    if safe != 0 && msgtype == "news" {
        return Err(ApiError::new(
            code::NEWS_CANNOT_BE_SAFE,
            "news cannot be safe, send mpnews instead",
        ));
    }
    body.lenient_int_in("enable_id_trans", 0..=1)?;
    // The reference gives a default (1,800 s) and a maximum (4 hours) but no minimum; 0 is
    // what PowerWeChat sends when the interval is unset, and reads as the default.
    let interval = body.lenient_int_in("duplicate_check_interval", 0..=14_400)?;
    if body.lenient_int_in("enable_duplicate_check", 0..=1)? == Some(1) {
        out.dup_interval = Some(interval.filter(|&i| i > 0).unwrap_or(1800));
    }
    let content = |key: &'static str| -> Result<Obj<'_>, ApiError> {
        body.obj(key)?.map(|m| Obj::new(m, key)).ok_or_else(|| {
            ApiError::new(code::EMPTY_PARAMETER, format!("{key} is required for msgtype {key}"))
        })
    };
    match msgtype {
        "text" | "markdown" => {
            let c = content(if msgtype == "text" { "text" } else { "markdown" })?;
            let text = c.req_str("content", code::EMPTY_CONTENT)?;
            c.max_bytes("content", text, MAX_TEXT_BYTES, code::CONTENT_TOO_LARGE)?;
        }
        "image" | "voice" | "video" | "file" => {
            let key = match msgtype {
                "image" => "image",
                "voice" => "voice",
                "video" => "video",
                _ => "file",
            };
            let c = content(key)?;
            let media_id = c.req_str("media_id", code::MISSING_MEDIA_ID)?;
            if key == "video" {
                // title ≤ 128 and description ≤ 512 bytes are truncated by WeCom, not refused.
                c.str("title")?;
                c.str("description")?;
            }
            out.media.push(MediaRef {
                field: c.field("media_id"),
                media_id: media_id.to_owned(),
                want: match key {
                    "image" => Some(MediaKind::Image),
                    "voice" => Some(MediaKind::Voice),
                    "video" => Some(MediaKind::Video),
                    // Any uploaded media can be sent as a file.
                    _ => None,
                },
                safe_file: key == "file" && safe == 1,
            });
        }
        "textcard" => {
            let c = content("textcard")?;
            // title 128 / description 512 are truncation limits (unit disputed): not refused.
            c.req_str("title", code::MISSING_TITLE)?;
            c.req_str("description", code::MISSING_DESCRIPTION)?;
            c.req_url("url")?;
            c.str("btntxt")?;
        }
        "news" => news(content("news")?)?,
        "mpnews" => mpnews(content("mpnews")?, &mut out)?,
        "miniprogram_notice" => miniprogram_notice(content("miniprogram_notice")?)?,
        "template_card" => {
            let c = content("template_card")?;
            out.card = Some(card::check(c, Mode::Send, &mut out.media)?);
        }
        other => {
            return Err(ApiError::new(
                code::INVALID_MSGTYPE,
                format!("msgtype {other:?} is not supported"),
            ));
        }
    }
    Ok(out)
}

fn news(c: Obj<'_>) -> Result<(), ApiError> {
    let articles = c.arr_len("articles", 1, 8, code::TOO_MANY_ARTICLES)?;
    for (i, a) in articles.iter().enumerate() {
        let path = format!("news.articles[{i}]");
        let a = Obj::item(a, &path)?;
        a.req_str("title", code::MISSING_TITLE)?;
        a.str("description")?;
        let url = a.opt_url("url")?;
        if let Some(pic) = a.str("picurl")? {
            a.max_bytes("picurl", pic, super::fields::MAX_URL_BYTES, code::INVALID_PARAMETER)?;
        }
        let appid = a.str("appid")?.filter(|s| !s.is_empty());
        let pagepath = a.str("pagepath")?.filter(|s| !s.is_empty());
        if let Some(p) = pagepath {
            a.max_bytes("pagepath", p, 128, code::INVALID_PARAMETER)?;
        }
        match (appid, pagepath) {
            (Some(_), None) | (None, Some(_)) => {
                return Err(ApiError::new(
                    code::EMPTY_PARAMETER,
                    format!("{path}: appid and pagepath go together"),
                ));
            }
            (None, None) if url.is_none() => {
                return Err(ApiError::new(
                    code::EMPTY_PARAMETER,
                    format!("{path} needs url or appid+pagepath"),
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

fn mpnews(c: Obj<'_>, out: &mut Checked) -> Result<(), ApiError> {
    let articles = c.arr_len("articles", 1, 8, code::TOO_MANY_ARTICLES)?;
    for (i, a) in articles.iter().enumerate() {
        let path = format!("mpnews.articles[{i}]");
        let a = Obj::item(a, &path)?;
        a.req_str("title", code::MISSING_TITLE)?;
        let thumb = a.req_str("thumb_media_id", code::MISSING_MEDIA_ID)?;
        out.media.push(MediaRef {
            field: a.field("thumb_media_id"),
            media_id: thumb.to_owned(),
            want: Some(MediaKind::Image),
            safe_file: false,
        });
        if let Some(author) = a.str("author")? {
            a.max_bytes("author", author, 64, code::AUTHOR_TOO_LONG)?;
        }
        a.opt_url("content_source_url")?;
        let content = a.req_str("content", code::EMPTY_CONTENT)?;
        a.max_bytes("content", content, MAX_MPNEWS_CONTENT, code::CONTENT_TOO_LARGE)?;
        a.str("digest")?;
    }
    Ok(())
}

fn miniprogram_notice(c: Obj<'_>) -> Result<(), ApiError> {
    c.req_str("appid", code::EMPTY_PARAMETER)?;
    if let Some(page) = c.str("page")? {
        c.max_bytes("page", page, 1024, code::INVALID_PARAMETER)?;
    }
    // "4–12 Chinese characters" for title/description is display guidance: not refused.
    c.req_str("title", code::MISSING_TITLE)?;
    c.str("description")?;
    c.bool("emphasis_first_item")?;
    if let Some(items) = c.arr("content_item")? {
        if items.len() > 10 {
            return Err(ApiError::new(
                code::INVALID_PARAMETER,
                format!("miniprogram_notice.content_item has {} items, max 10", items.len()),
            ));
        }
        for (i, item) in items.iter().enumerate() {
            let path = format!("miniprogram_notice.content_item[{i}]");
            let item = Obj::item(item, &path)?;
            item.str("key")?;
            item.str("value")?;
        }
    }
    Ok(())
}

/// The `msgtype` of a body: a known type, or 40008.
pub(crate) fn msgtype(body: Obj<'_>) -> Result<&'static str, ApiError> {
    let Some(value) = body.map.get("msgtype") else {
        return Err(ApiError::new(code::INVALID_MSGTYPE, "msgtype is required"));
    };
    let Value::String(s) = value else {
        return Err(ApiError::new(code::INVALID_MSGTYPE, "msgtype must be a string"));
    };
    MSGTYPES.iter().find(|t| **t == s.as_str()).copied().ok_or_else(|| {
        ApiError::new(code::INVALID_MSGTYPE, format!("msgtype {s:?} is not supported"))
    })
}
