//! `POST /cgi-bin/media/upload`: store a temporary media file (three days) and get the
//! [`UploadedMedia`] id to put in an image, voice, video or file message.

use std::time::{Duration, SystemTime};

use serde::Deserialize;
use wecom_model::MediaId;

use super::{MEDIA_LIFETIME, Media, MediaType, check, multipart};
use crate::client::Client;
use crate::error::Result;
use crate::quirks;

const UPLOAD: &str = "/cgi-bin/media/upload";

/// A temporary media file stored by WeCom, usable in messages for three days.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct UploadedMedia {
    /// The id to put in an image, voice, video or file message.
    pub media_id: MediaId,
    /// The kind WeCom stored it as.
    #[serde(rename = "type")]
    pub kind: MediaType,
    /// Upload time, Unix seconds (WeCom sends a string of digits; numbers are accepted too).
    #[serde(deserialize_with = "quirks::int_lenient")]
    pub created_at: i64,
}

impl UploadedMedia {
    /// The upload time.
    pub fn created_at_time(&self) -> SystemTime {
        let secs = u64::try_from(self.created_at).unwrap_or_default();
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    /// When WeCom forgets the media (three days after upload).
    pub fn expires_at(&self) -> SystemTime {
        self.created_at_time() + MEDIA_LIFETIME
    }
}

impl Client {
    /// Uploads temporary media (`media/upload`) after checking WeCom's limits: more than 5
    /// bytes; image JPG/PNG ≤ 10 MiB, voice AMR ≤ 2 MiB, video MP4 ≤ 10 MiB, file ≤ 20 MiB.
    ///
    /// An upload interrupted by a timeout is retried (per the [`RetryPolicy`](crate::RetryPolicy)):
    /// at worst WeCom stores the file twice and one media id goes unused.
    pub async fn upload_media(&self, kind: MediaType, media: Media) -> Result<UploadedMedia> {
        let content_type = check::temporary(kind, &media)?;
        let call = multipart::call(UPLOAD, &media, content_type, self.upload_timeout())?
            .query("type", kind.as_str());
        self.call(call).await
    }
}
