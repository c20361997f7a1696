//! `webhook/upload_media`: files and voice for `file` and `voice` messages (and card
//! attachments), and the upload-then-send helpers.

use reqwest::header::HeaderValue;

use super::call::Request;
use super::{
    UploadKind, UploadedWebhookMedia, WebhookClient, WebhookFile, WebhookMediaId, WebhookVoice,
};
use crate::error::{Error, Result};
use crate::media::Media;
use crate::media::multipart;

const UPLOAD_PATH: &str = "/cgi-bin/webhook/upload_media";

impl WebhookClient {
    /// Uploads `media` through this webhook: a `file` (more than 5 bytes, at most 20 MB) or
    /// `voice` (AMR, at most 2 MB and 60 s), checked before anything is sent. The id is
    /// valid for 3 days and only with this key; the file name is what the chat shows.
    ///
    /// ```no_run
    /// use wecom::Media;
    /// use wecom::webhook::{UploadKind, WebhookClient, WebhookFile};
    ///
    /// # async fn run(bot: WebhookClient) -> wecom::Result<()> {
    /// let uploaded = bot.upload_media(UploadKind::File, Media::from_path("report.csv").await?).await?;
    /// bot.send(WebhookFile::new(uploaded.media_id)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn upload_media(
        &self,
        kind: UploadKind,
        media: Media,
    ) -> Result<UploadedWebhookMedia> {
        kind.check(media.data())?;
        if media.file_name().trim().is_empty() {
            return Err(crate::InvalidArgument::new("media.filename", "must not be empty").into());
        }
        let content_type = match kind {
            UploadKind::Voice => "voice/amr",
            UploadKind::File => "application/octet-stream",
        };
        let form = multipart::encode("media", media.file_name(), content_type, media.data());
        let header = HeaderValue::from_str(&form.content_type)
            .map_err(|e| Error::Config(format!("multipart content type: {e}")))?;
        let request = Request::upload(
            UPLOAD_PATH,
            kind.as_str(),
            header,
            form.body,
            self.inner.upload_timeout,
        );
        self.call(&request).await
    }

    /// Uploads `media` as a file and sends it as a `file` message; returns the media id
    /// (reusable with this key for 3 days).
    pub async fn send_file(&self, media: Media) -> Result<WebhookMediaId> {
        let uploaded = self.upload_media(UploadKind::File, media).await?;
        self.send(WebhookFile::new(uploaded.media_id.clone())).await?;
        Ok(uploaded.media_id)
    }

    /// Uploads `media` as voice (AMR) and sends it as a `voice` message; returns the media id.
    pub async fn send_voice(&self, media: Media) -> Result<WebhookMediaId> {
        let uploaded = self.upload_media(UploadKind::Voice, media).await?;
        self.send(WebhookVoice::new(uploaded.media_id.clone())).await?;
        Ok(uploaded.media_id)
    }
}
