//! Media: uploads of temporary media (`media/upload`, in [`upload`]) and permanent images
//! (`media/uploadimg`, in [`upload_image`]), and downloads of temporary media (`media/get`,
//! in [`download`]).
//!
//! A [`Media`] is a file name plus bytes, read from memory, a path or an async reader. It is
//! buffered whole: WeCom needs the length up front, and the body must be replayable when the
//! token is refreshed mid-upload. Size and format limits are checked before anything is
//! sent.

mod check;
pub mod download;
pub(crate) mod multipart;
pub mod upload;
pub mod upload_image;

use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncReadExt};

use crate::error::{Error, InvalidArgument, Result};

pub use check::{MAX_MEDIA_BYTES, MIN_MEDIA_BYTES};
pub use download::DownloadedMedia;
pub use upload::UploadedMedia;

/// How long WeCom keeps temporary media.
pub const MEDIA_LIFETIME: Duration = Duration::from_secs(3 * 24 * 60 * 60);

/// The kind of a temporary media file (`type` of `media/upload`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaType {
    /// JPG or PNG, at most 10 MiB.
    Image,
    /// AMR, at most 2 MiB and 60 s.
    Voice,
    /// MP4, at most 10 MiB.
    Video,
    /// Any file, at most 20 MiB.
    File,
}

impl MediaType {
    /// The wire name: `image`, `voice`, `video` or `file`.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::Image => "image",
            MediaType::Voice => "voice",
            MediaType::Video => "video",
            MediaType::File => "file",
        }
    }
}

impl fmt::Display for MediaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MediaType {
    type Err = InvalidArgument;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "image" => Ok(MediaType::Image),
            "voice" => Ok(MediaType::Voice),
            "video" => Ok(MediaType::Video),
            "file" => Ok(MediaType::File),
            _ => Err(InvalidArgument::new(
                "type",
                format!("must be image, voice, video or file, got `{s}`"),
            )),
        }
    }
}

/// A file to upload: its name (shown to receivers) and its bytes.
///
/// `Debug` shows the name and size, not the content.
#[derive(Clone)]
pub struct Media {
    file_name: String,
    data: Bytes,
    content_type: Option<String>,
}

impl Media {
    /// Media from bytes already in memory.
    pub fn from_bytes(file_name: impl Into<String>, data: impl Into<Bytes>) -> Self {
        Self { file_name: file_name.into(), data: data.into(), content_type: None }
    }

    /// Reads a file; its name becomes the file name. Files larger than
    /// [`MAX_MEDIA_BYTES`] are refused without being read.
    pub async fn from_path(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let io_error =
            |source| Error::Io { what: path.display().to_string(), source: Arc::new(source) };
        let file_name =
            path.file_name().map(|n| n.to_string_lossy().into_owned()).ok_or_else(|| {
                InvalidArgument::new(
                    "media.filename",
                    format!("`{}` names no file", path.display()),
                )
            })?;
        let file = tokio::fs::File::open(path).await.map_err(io_error)?;
        let len = file.metadata().await.map_err(io_error)?.len();
        if len > MAX_MEDIA_BYTES as u64 {
            return Err(check::too_large_for_any(len).into());
        }
        let data = read_capped(file).await.map_err(io_error)?;
        check::at_most_max(data.len())?;
        Ok(Self::from_bytes(file_name, data))
    }

    /// Reads `reader` to its end into memory (at most [`MAX_MEDIA_BYTES`]; a longer stream
    /// is refused after reading one byte past the limit).
    pub async fn from_reader<R>(file_name: impl Into<String>, reader: R) -> Result<Self>
    where
        R: AsyncRead + Unpin,
    {
        let file_name = file_name.into();
        let data = read_capped(reader).await.map_err(|source| Error::Io {
            what: format!("media `{file_name}`"),
            source: Arc::new(source),
        })?;
        check::at_most_max(data.len())?;
        Ok(Self::from_bytes(file_name, data))
    }

    /// Overrides the part's Content-Type (by default derived from the media type and the
    /// content, e.g. `image/png`, `voice/amr`, `video/mp4`, `application/octet-stream`).
    #[must_use]
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file name.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The content.
    pub fn data(&self) -> &Bytes {
        &self.data
    }

    /// The size in bytes.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether there is no content.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
}

impl fmt::Debug for Media {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Media")
            .field("file_name", &self.file_name)
            .field("len", &self.data.len())
            .field("content_type", &self.content_type)
            .finish()
    }
}

async fn read_capped<R: AsyncRead + Unpin>(reader: R) -> std::io::Result<Vec<u8>> {
    let mut data = Vec::new();
    reader.take(MAX_MEDIA_BYTES as u64 + 1).read_to_end(&mut data).await?;
    Ok(data)
}
