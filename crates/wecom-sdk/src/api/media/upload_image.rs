//! `POST /cgi-bin/media/uploadimg`: store a permanent image and get the URL to use inside
//! `mpnews` content.

use serde::Deserialize;

use super::{Media, check, multipart};
use crate::client::Client;
use crate::error::Result;

const UPLOAD_IMAGE: &str = "/cgi-bin/media/uploadimg";

/// The answer to `media/uploadimg` (beyond the envelope).
#[derive(Deserialize)]
struct UploadedImage {
    /// Where the image is served from.
    url: String,
}

impl Client {
    /// Uploads a permanent image (`media/uploadimg`) and returns its URL, for use inside
    /// `mpnews` content. JPG or PNG, more than 5 bytes, at most 2 MiB. WeCom allows 3,000 per
    /// corp per month and 1,000 per day.
    pub async fn upload_image(&self, media: Media) -> Result<String> {
        let content_type = check::permanent_image(&media)?;
        let call = multipart::call(UPLOAD_IMAGE, &media, content_type, self.upload_timeout())?;
        let reply: UploadedImage = self.call(call).await?;
        Ok(reply.url)
    }
}
