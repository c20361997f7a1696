//! `GET /cgi-bin/media/get`: download temporary media by id, with the file name WeCom gives
//! in `Content-Disposition`.

use std::fmt;

use bytes::Bytes;

use crate::client::{Call, Client, Replay};
use crate::error::{InvalidArgument, Result};

const MEDIA_GET: &str = "/cgi-bin/media/get";

/// A downloaded temporary media file.
///
/// `Debug` shows the name, type and size, not the content.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DownloadedMedia {
    /// The content.
    pub bytes: Bytes,
    /// The `Content-Type` WeCom sent, for example `image/jpeg`.
    pub content_type: Option<String>,
    /// The file name from `Content-Disposition` (`filename*=UTF-8''…` preferred over
    /// `filename="…"`), reduced to its last path component so it is safe to use as a local
    /// file name; `None` if WeCom sent none.
    pub file_name: Option<String>,
}

impl fmt::Debug for DownloadedMedia {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DownloadedMedia")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

impl Client {
    /// Downloads temporary media (`media/get`) by the id an upload or a callback gave.
    ///
    /// On failure WeCom answers with its JSON error instead of the file (40007 for an unknown
    /// or expired id, which temporary media becomes after 3 days); that arrives as
    /// [`Error::Api`](crate::Error::Api). Downloads use the upload timeout and are retried
    /// like any read.
    ///
    /// ```no_run
    /// # async fn run(client: wecom::Client) -> wecom::Result<()> {
    /// let media = client.download_media("MEDIA_ID").await?;
    /// let name = media.file_name.as_deref().unwrap_or("download.bin");
    /// println!("{name}: {} bytes", media.bytes.len());
    /// # Ok(()) }
    /// ```
    pub async fn download_media(&self, media_id: impl AsRef<str>) -> Result<DownloadedMedia> {
        let media_id = media_id.as_ref();
        if media_id.trim().is_empty() {
            return Err(InvalidArgument::new("media_id", "must not be empty").into());
        }
        let call = Call::get(MEDIA_GET)
            .query("media_id", media_id)
            .replay(Replay::Safe)
            .timeout(self.upload_timeout())
            .binary();
        let response = self.call_binary(call).await?;
        Ok(DownloadedMedia {
            bytes: response.body,
            content_type: response
                .content_type
                .as_ref()
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
            file_name: response.disposition.as_ref().and_then(|v| file_name(v.as_bytes())),
        })
    }
}

/// The file name of a `Content-Disposition` header value: `filename*` (RFC 8187:
/// `charset'lang'percent-encoded`, UTF-8 or ISO-8859-1) wins over `filename` (quoted or a
/// bare token; raw UTF-8 is accepted, as some servers send it).
fn file_name(header: &[u8]) -> Option<String> {
    let header = String::from_utf8_lossy(header);
    let mut plain = None;
    let mut extended = None;
    for (name, value) in params(&header) {
        if name.eq_ignore_ascii_case("filename*") {
            extended = extended.or_else(|| decode_extended(&value));
        } else if name.eq_ignore_ascii_case("filename") {
            plain = plain.or(Some(value));
        }
    }
    extended.or(plain).and_then(|name| safe_name(&name))
}

/// The `name=value` parameters after the disposition type, with quoted values unquoted.
fn params(header: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = header.chars().peekable();
    // Skip the disposition type.
    for c in chars.by_ref() {
        if c == ';' {
            break;
        }
    }
    loop {
        let mut name = String::new();
        while let Some(&c) = chars.peek() {
            chars.next();
            if c == '=' {
                break;
            }
            if c == ';' {
                name.clear();
                continue;
            }
            name.push(c);
        }
        let name = name.trim().to_owned();
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        let quoted = chars.peek() == Some(&'"');
        if quoted {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '"' => break,
                    c => value.push(c),
                }
            }
            // Skip to the next parameter.
            for c in chars.by_ref() {
                if c == ';' {
                    break;
                }
            }
        } else {
            for c in chars.by_ref() {
                if c == ';' {
                    break;
                }
                value.push(c);
            }
        }
        let value = if quoted { value } else { value.trim().to_owned() };
        if name.is_empty() {
            if chars.peek().is_none() {
                return out;
            }
            continue;
        }
        out.push((name, value));
        if chars.peek().is_none() {
            return out;
        }
    }
}

/// `UTF-8''%E4%B8%AD.jpg` → `中.jpg`; `None` for other charsets or broken encoding.
fn decode_extended(value: &str) -> Option<String> {
    let mut parts = value.splitn(3, '\'');
    let charset = parts.next()?;
    let _language = parts.next()?;
    let encoded = parts.next()?;
    let bytes = percent_decode(encoded)?;
    if charset.eq_ignore_ascii_case("utf-8") {
        String::from_utf8(bytes).ok()
    } else if charset.eq_ignore_ascii_case("iso-8859-1") {
        Some(bytes.into_iter().map(char::from).collect())
    } else {
        None
    }
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The last path component, without control characters; `None` if nothing usable is left.
fn safe_name(name: &str) -> Option<String> {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last.chars().filter(|c| !c.is_control()).collect();
    let cleaned = cleaned.trim();
    (!cleaned.is_empty() && cleaned != "." && cleaned != "..").then(|| cleaned.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(header: &str) -> Option<String> {
        file_name(header.as_bytes())
    }

    #[test]
    fn quoted_and_bare_file_names() {
        assert_eq!(name(r#"attachment; filename="MEDIA_ID.jpg""#).as_deref(), Some("MEDIA_ID.jpg"));
        assert_eq!(name("attachment; filename=report.pdf").as_deref(), Some("report.pdf"));
        assert_eq!(
            name(r#"attachment;filename="a \"b\"; c.txt""#).as_deref(),
            Some(r#"a "b"; c.txt"#)
        );
        assert_eq!(name(r#"attachment; FILENAME="x.png"; size=3"#).as_deref(), Some("x.png"));
        assert_eq!(name("attachment").as_deref(), None);
        assert_eq!(name("inline; filename=\"\"").as_deref(), None);
    }

    #[test]
    fn extended_file_names_win_and_are_percent_decoded() {
        let header =
            r#"attachment; filename="fallback.txt"; filename*=UTF-8''%E4%B8%AD%E6%96%87.txt"#;
        assert_eq!(name(header).as_deref(), Some("中文.txt"));
        let header = "attachment; filename*=utf-8'en'a%20b.txt; filename=\"x.txt\"";
        assert_eq!(name(header).as_deref(), Some("a b.txt"));
        assert_eq!(
            name("attachment; filename*=ISO-8859-1''caf%E9.txt").as_deref(),
            Some("café.txt")
        );
        // Broken extended values fall back to the plain name.
        let header = r#"attachment; filename*=UTF-8''%E4%B8; filename="ok.txt""#;
        assert_eq!(name(header).as_deref(), Some("ok.txt"));
        assert_eq!(name("attachment; filename*=UTF-8''%zz").as_deref(), None);
    }

    #[test]
    fn raw_utf8_in_a_quoted_name_is_kept() {
        assert_eq!(
            file_name("attachment; filename=\"报告.pdf\"".as_bytes()).as_deref(),
            Some("报告.pdf")
        );
    }

    #[test]
    fn paths_are_cut_to_their_last_component() {
        assert_eq!(name(r#"attachment; filename="../../etc/passwd""#).as_deref(), Some("passwd"));
        assert_eq!(name(r#"attachment; filename="C:\\temp\\a.txt""#).as_deref(), Some("a.txt"));
        assert_eq!(name(r#"attachment; filename="..""#).as_deref(), None);
        assert_eq!(name("attachment; filename*=UTF-8''..%2F..%2Fx").as_deref(), Some("x"));
        assert_eq!(name("attachment; filename*=UTF-8''a%0Ab").as_deref(), Some("ab"));
    }
}
