//! The upload call shared by `media/upload` and `media/uploadimg`, and its one-file
//! `multipart/form-data` body, built once into [`Bytes`] so every retry sends the
//! same bytes.
//!
//! Written by hand rather than with reqwest's form builder for two reasons: WeCom's
//! documented example puts `filelength` in the part's Content-Disposition (whether it is
//! required is unverified; sending it is the safe reading), and non-ASCII file names (common:
//! `周报.pdf`) are sent as raw UTF-8 like browsers do, not percent-encoded, because WeCom
//! shows the name to receivers as given.

use std::time::Duration;

use bytes::{BufMut, Bytes, BytesMut};
use reqwest::header::HeaderValue;

use super::Media;
use crate::client::{Call, Replay};
use crate::error::{InvalidArgument, Result};

/// The upload of `media` to `path` as one replayable call: the part's Content-Type is the
/// media's own or `default_type`; an upload may be repeated (at worst WeCom stores the file
/// twice and one media id goes unused) and gets the upload `timeout`.
pub(super) fn call(
    path: &'static str,
    media: &Media,
    default_type: &str,
    timeout: Duration,
) -> Result<Call> {
    let content_type = media.content_type.as_deref().unwrap_or(default_type);
    let form = encode("media", &media.file_name, content_type, &media.data);
    let header = HeaderValue::from_str(&form.content_type)
        .map_err(|_| InvalidArgument::new("media.content_type", "is not a valid header value"))?;
    Ok(Call::post_bytes(path, header, form.body).replay(Replay::Safe).timeout(timeout))
}

pub(crate) struct Form {
    /// `multipart/form-data; boundary=…`
    pub(crate) content_type: String,
    pub(crate) body: Bytes,
}

/// Encodes one file part named `field`.
pub(crate) fn encode(field: &str, file_name: &str, content_type: &str, data: &[u8]) -> Form {
    let boundary = loop {
        let candidate = format!("wecom-rs-{:032x}", rand::random::<u128>());
        // A random 128-bit boundary colliding with the content is practically impossible,
        // but checking costs one pass over the data.
        if !contains(data, candidate.as_bytes()) {
            break candidate;
        }
    };
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{}\"; \
         filelength={}\r\nContent-Type: {content_type}\r\n\r\n",
        escape(file_name),
        data.len(),
    );
    let tail = format!("\r\n--{boundary}--\r\n");
    let mut body = BytesMut::with_capacity(head.len() + data.len() + tail.len());
    body.put_slice(head.as_bytes());
    body.put_slice(data);
    body.put_slice(tail.as_bytes());
    Form { content_type: format!("multipart/form-data; boundary={boundary}"), body: body.freeze() }
}

/// Escapes a file name for a quoted header parameter the way browsers do (HTML's form
/// encoding): `"` → `%22`, CR → `%0D`, LF → `%0A`; everything else, UTF-8 included, as is.
fn escape(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            '"' => out.push_str("%22"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_has_the_documented_shape() {
        let form = encode("media", "周报.txt", "application/octet-stream", b"hello\r\n");
        let boundary = form.content_type.strip_prefix("multipart/form-data; boundary=").unwrap();
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"media\"; filename=\"周报.txt\"; \
             filelength=7\r\nContent-Type: application/octet-stream\r\n\r\nhello\r\n\r\n--{boundary}--\r\n"
        );
        assert_eq!(std::str::from_utf8(&form.body).unwrap(), expected);
    }

    #[test]
    fn quotes_and_newlines_in_names_cannot_break_the_header() {
        assert_eq!(escape("a\"b\r\nc.txt"), "a%22b%0D%0Ac.txt");
    }

    #[test]
    fn boundaries_are_random() {
        let a = encode("media", "a", "x/y", b"123456");
        let b = encode("media", "a", "x/y", b"123456");
        assert_ne!(a.content_type, b.content_type);
    }
}
