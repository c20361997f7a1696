//! Validation of `webhook/send` bodies from the raw JSON, independently of any SDK: each
//! `msgtype`'s required fields, byte limits, the image's Base64, size, format and MD5, news
//! articles, and the two notice cards a webhook accepts ([`card`]). Media ids are checked by
//! the endpoint (they need the state).
//!
//! Where WeCom's behaviour is unverified the emulator takes the strict reading: `text` over
//! 2,048 bytes is refused with 40058 (like over-long markdown, the one observed answer),
//! not truncated.

mod card;

use base64::Engine as _;
use md5::{Digest, Md5};
use serde_json::Value;

use super::Obj;
use crate::api::error::{ApiError, code};

/// The most bytes of `text.content`.
const TEXT_MAX: usize = 2048;
/// The most bytes of `markdown.content` and `markdown_v2.content`.
const MARKDOWN_MAX: usize = 4096;
/// The most bytes of a picture before Base64.
const IMAGE_MAX: usize = 2 * 1024 * 1024;

/// What a valid body refers to: mentions and media ids, for the endpoint to resolve.
#[derive(Debug, Default)]
pub(crate) struct Checked {
    /// `mentioned_list` entries and `<@userid>` mentions (as written), `@all` included.
    pub(crate) mentions: Vec<String>,
    /// `mentioned_mobile_list` entries.
    pub(crate) mobiles: Vec<String>,
    /// Media ids with the upload type they must have (`file`, `voice`, or `file` for card
    /// attachments).
    pub(crate) media: Vec<(String, &'static str)>,
}

/// Checks a webhook body; returns its msgtype and what it refers to.
pub(crate) fn check(body: Obj<'_>) -> Result<(&'static str, Checked), ApiError> {
    let msgtype = body.str("msgtype")?.unwrap_or("");
    let msgtype: &'static str = match msgtype {
        "text" => "text",
        "markdown" => "markdown",
        "markdown_v2" => "markdown_v2",
        "image" => "image",
        "news" => "news",
        "file" => "file",
        "voice" => "voice",
        "template_card" => "template_card",
        "" => return Err(ApiError::new(code::INVALID_MSGTYPE, "msgtype is required")),
        other => {
            return Err(ApiError::new(
                code::INVALID_MSGTYPE,
                format!("msgtype {other:?} is not one a webhook sends"),
            ));
        }
    };
    let Some(content) = body.obj(msgtype)? else {
        return Err(ApiError::new(code::WEBHOOK_EMPTY_CONTENT, format!("{msgtype} is required")));
    };
    let c = Obj::new(content, msgtype);
    let mut out = Checked::default();
    match msgtype {
        "text" => {
            let text = c.req_str("content", code::WEBHOOK_EMPTY_CONTENT)?;
            too_long(c, text, TEXT_MAX)?;
            out.mentions = strings(c, "mentioned_list")?;
            out.mobiles = strings(c, "mentioned_mobile_list")?;
            out.mentions.extend(inline_mentions(text));
        }
        "markdown" => {
            let text = c.req_str("content", code::WEBHOOK_EMPTY_CONTENT)?;
            too_long(c, text, MARKDOWN_MAX)?;
            out.mentions.extend(inline_mentions(text));
        }
        // markdown_v2 has no mentions: `<@userid>` stays text.
        "markdown_v2" => {
            let text = c.req_str("content", code::WEBHOOK_EMPTY_CONTENT)?;
            too_long(c, text, MARKDOWN_MAX)?;
        }
        "image" => image(c)?,
        "news" => news(c)?,
        "file" | "voice" => {
            let id = c.req_str("media_id", code::MISSING_MEDIA_ID)?;
            out.media.push((id.to_owned(), msgtype));
        }
        _ => card::check(c, &mut out)?,
    }
    Ok((msgtype, out))
}

/// WeCom's observed answer to over-long markdown: 40058 `… exceed max length 4096`.
fn too_long(c: Obj<'_>, text: &str, max: usize) -> Result<(), ApiError> {
    if text.len() > max {
        return Err(ApiError::new(
            code::INVALID_PARAMETER,
            format!("{} exceed max length {max} (got {} bytes)", c.field("content"), text.len()),
        ));
    }
    Ok(())
}

/// An optional array of strings.
fn strings(c: Obj<'_>, key: &str) -> Result<Vec<String>, ApiError> {
    let Some(items) = c.arr(key)? else { return Ok(Vec::new()) };
    items
        .iter()
        .enumerate()
        .map(|(i, v)| match v {
            Value::String(s) => Ok(s.clone()),
            _ => Err(ApiError::wrong_json(format!("{}[{i}] must be a string", c.field(key)))),
        })
        .collect()
}

/// The user ids of `<@userid>` mentions in `text`.
pub(crate) fn inline_mentions(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split("<@").skip(1).filter_map(|rest| {
        let id = &rest[..rest.find('>')?];
        (!id.is_empty() && id.len() <= 64 && !id.contains(char::is_whitespace))
            .then(|| id.to_owned())
    })
}

fn image(c: Obj<'_>) -> Result<(), ApiError> {
    let b64 = c.req_str("base64", code::WEBHOOK_EMPTY_CONTENT)?;
    let md5 = c.req_str("md5", code::INVALID_PARAMETER)?;
    if b64.len() / 4 * 3 > IMAGE_MAX + 3 {
        return Err(ApiError::new(
            code::WEBHOOK_IMAGE_TOO_LARGE,
            format!("image.base64 encodes more than {IMAGE_MAX} bytes"),
        ));
    }
    let raw = base64::engine::general_purpose::STANDARD.decode(b64).map_err(|e| {
        ApiError::new(code::INVALID_PARAMETER, format!("image.base64 is not valid Base64: {e}"))
    })?;
    if raw.len() > IMAGE_MAX {
        return Err(ApiError::new(
            code::WEBHOOK_IMAGE_TOO_LARGE,
            format!("image is {} bytes, max {IMAGE_MAX} bytes", raw.len()),
        ));
    }
    let is_png = raw.starts_with(b"\x89PNG\r\n\x1a\n");
    let is_jpeg = raw.starts_with(&[0xFF, 0xD8, 0xFF]);
    if !is_png && !is_jpeg {
        return Err(ApiError::new(code::INVALID_PARAMETER, "image must be a JPG or PNG picture"));
    }
    let digest = Md5::digest(&raw);
    let actual = digest.iter().fold(String::with_capacity(32), |mut s, b| {
        use std::fmt::Write as _;
        let _ = write!(s, "{b:02x}");
        s
    });
    // WeCom's letter case is unverified; the emulator accepts either.
    if !md5.eq_ignore_ascii_case(&actual) {
        return Err(ApiError::new(
            code::INVALID_PARAMETER,
            format!("image.md5 {md5} does not match the picture's MD5 {actual}"),
        ));
    }
    Ok(())
}

fn news(c: Obj<'_>) -> Result<(), ApiError> {
    // More than 8 articles: 45008 (WeCom's code for apps; unverified for webhooks).
    let articles = c.arr_len("articles", 1, 8, code::TOO_MANY_ARTICLES)?;
    for (i, item) in articles.iter().enumerate() {
        let path = format!("{}[{i}]", c.field("articles"));
        let a = Obj::item(item, &path)?;
        a.req_str("title", code::MISSING_TITLE)?;
        a.str("description")?;
        // Unlike an app's news, a webhook article must have a URL.
        a.req_url("url")?;
        a.opt_url("picurl")?;
    }
    Ok(())
}
