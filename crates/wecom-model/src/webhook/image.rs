//! `image`: a JPG or PNG picture sent inline as Base64 with the MD5 of its raw bytes (a
//! webhook has no image upload).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};

use crate::InvalidArgument;
use crate::validate::{Check, Path, non_empty};

/// The most bytes a webhook image may have before Base64 (2 MB).
pub const IMAGE_MAX_BYTES: usize = 2 * 1024 * 1024;

/// The picture formats a webhook image may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ImageFormat {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
}

impl ImageFormat {
    /// The format of `bytes`, from their signature; `None` for anything but PNG and JPEG.
    ///
    /// ```
    /// use wecom_model::webhook::ImageFormat;
    ///
    /// assert_eq!(ImageFormat::detect(b"\x89PNG\r\n\x1a\n..."), Some(ImageFormat::Png));
    /// assert_eq!(ImageFormat::detect(b"GIF89a"), None);
    /// ```
    pub fn detect(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else {
            None
        }
    }
}

/// An image message (`msgtype: image`): `base64` of the raw picture and its lowercase hex
/// `md5`. Build it with [`from_bytes`](Self::from_bytes), which checks the format and size and
/// computes both fields.
///
/// ```
/// use wecom_model::webhook::WebhookImage;
///
/// # let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
/// let image = WebhookImage::from_bytes(&png)?;
/// assert_eq!(image.md5.len(), 32);
/// assert!(WebhookImage::from_bytes(b"GIF89a....").is_err());
/// # Ok::<(), wecom_model::InvalidArgument>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WebhookImage {
    /// Standard Base64 of the picture (no `data:` prefix).
    #[serde(default)]
    pub base64: String,
    /// MD5 of the raw picture, lowercase hex (WeCom's letter case is undocumented; everyone
    /// sends lowercase, so this crate does too).
    #[serde(default)]
    pub md5: String,
}

impl WebhookImage {
    /// The image message for the picture `bytes`: JPG or PNG, at most 2 MB.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, InvalidArgument> {
        let path = Path::root("image");
        check_picture(&path, bytes)?;
        Ok(Self { base64: STANDARD.encode(bytes), md5: md5_hex(bytes) })
    }

    /// An image message from already encoded fields, as read from elsewhere; see
    /// [`from_bytes`](Self::from_bytes) to build one from a picture.
    pub fn new(base64: impl Into<String>, md5: impl Into<String>) -> Self {
        Self { base64: base64.into(), md5: md5.into() }
    }

    pub(crate) fn validate(&self, path: &Path<'_>) -> Check {
        let b64 = path.field("base64");
        non_empty(&b64, &self.base64)?;
        // Bound the work before decoding: 4 Base64 characters per 3 bytes.
        if self.base64.len() / 4 * 3 > IMAGE_MAX_BYTES + 3 {
            return Err(b64.error(format!(
                "must encode at most {IMAGE_MAX_BYTES} bytes (2 MB) of picture (got about {} bytes)",
                self.base64.len() / 4 * 3
            )));
        }
        let raw = STANDARD
            .decode(self.base64.as_bytes())
            .map_err(|e| b64.error(format!("must be standard Base64 ({e})")))?;
        check_picture(&b64, &raw)?;
        let md5 = path.field("md5");
        if self.md5.len() != 32 || !self.md5.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return Err(md5.error("must be 32 lowercase hex digits"));
        }
        if self.md5 != md5_hex(&raw) {
            return Err(md5.error("must be the MD5 of the decoded picture (it does not match)"));
        }
        Ok(())
    }
}

/// JPG or PNG, at most 2 MB.
fn check_picture(path: &Path<'_>, bytes: &[u8]) -> Check {
    if bytes.len() > IMAGE_MAX_BYTES {
        return Err(path.error(format!(
            "must be at most {IMAGE_MAX_BYTES} bytes (2 MB) of picture (got {} bytes)",
            bytes.len()
        )));
    }
    if ImageFormat::detect(bytes).is_none() {
        return Err(path.error("must be a JPG or PNG picture"));
    }
    Ok(())
}

/// Lowercase hex MD5.
pub(crate) fn md5_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let digest = Md5::digest(bytes);
    let mut out = String::with_capacity(32);
    for b in digest {
        let _ = write!(out, "{b:02x}");
    }
    out
}
