//! Chunked media upload: `aibot_upload_media_init` → every chunk acknowledged →
//! `aibot_upload_media_finish`, as the official SDK does it: 512 KiB raw chunks (Base64 on
//! the wire), at most 100, 0-based `chunk_index` (the SDK's code; a type comment says "from
//! 1", real uploads with 0 succeed), the whole file's lowercase hex MD5, a few chunks in
//! parallel (all of 1–4, 3 of 5–10, 2 beyond: more got "system error"), each chunk retried
//! twice with a new `req_id` after 500 ms and 1 s.

use std::time::Duration;

use futures::TryStreamExt as _;
use serde::Serialize;
use serde_json::Value;

use super::error::WsError;
use super::frame;
use super::push::{MediaId, MediaKind};
use super::shared::Shared;

/// Raw bytes per chunk.
pub const CHUNK_BYTES: usize = 512 * 1024;
/// Most chunks per upload.
pub const MAX_CHUNKS: usize = 100;

#[derive(Serialize)]
struct Init<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    filename: &'a str,
    total_size: usize,
    total_chunks: usize,
    md5: String,
}

#[derive(Serialize)]
#[allow(clippy::struct_field_names)] // the wire names
struct Chunk<'a> {
    upload_id: &'a str,
    chunk_index: usize,
    base64_data: String,
}

#[derive(Serialize)]
struct Finish<'a> {
    upload_id: &'a str,
}

fn md5_hex(data: &[u8]) -> String {
    use md5::Digest as _;
    use std::fmt::Write as _;
    md5::Md5::digest(data).iter().fold(String::with_capacity(32), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn field<'a>(body: Option<&'a Value>, name: &str, cmd: &str) -> Result<&'a Value, WsError> {
    body.and_then(|b| b.get(name))
        .ok_or_else(|| WsError::Decode(format!("{cmd} acknowledgement without body.{name}")))
}

pub(crate) async fn upload(
    shared: &Shared,
    kind: MediaKind,
    filename: &str,
    data: &[u8],
) -> Result<MediaId, WsError> {
    if filename.is_empty() {
        return Err(WsError::InvalidArgument("filename: empty".into()));
    }
    if data.is_empty() {
        return Err(WsError::InvalidArgument("file: empty".into()));
    }
    if data.len() > kind.max_bytes() {
        return Err(WsError::TooLarge {
            field: kind.as_str(),
            size: data.len(),
            limit: kind.max_bytes(),
        });
    }
    let total_chunks = data.len().div_ceil(CHUNK_BYTES);
    if total_chunks > MAX_CHUNKS {
        return Err(WsError::TooLarge {
            field: "file chunks",
            size: total_chunks,
            limit: MAX_CHUNKS,
        });
    }
    let init = Init {
        kind: kind.as_str(),
        filename,
        total_size: data.len(),
        total_chunks,
        md5: md5_hex(data),
    };
    let cmd = "aibot_upload_media_init";
    let ack = shared.request(cmd, &frame::req_id(cmd), None, Some(&init)).await?;
    let upload_id = field(ack.body.as_ref(), "upload_id", cmd)?
        .as_str()
        .ok_or_else(|| WsError::Decode("upload_id is not a string".into()))?
        .to_owned();
    tracing::debug!(total_chunks, bytes = data.len(), "upload started");

    let parallel = match total_chunks {
        0..=4 => total_chunks,
        5..=10 => 3,
        _ => 2,
    };
    futures::stream::iter(data.chunks(CHUNK_BYTES).enumerate().map(Ok))
        .try_for_each_concurrent(parallel, |(index, bytes)| {
            send_chunk(shared, &upload_id, index, bytes)
        })
        .await?;

    let cmd = "aibot_upload_media_finish";
    let ack = shared
        .request(cmd, &frame::req_id(cmd), None, Some(&Finish { upload_id: &upload_id }))
        .await?;
    let media_id = field(ack.body.as_ref(), "media_id", cmd)?
        .as_str()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| WsError::Decode("media_id is not a non-empty string".into()))?;
    Ok(MediaId(media_id.to_owned()))
}

async fn send_chunk(
    shared: &Shared,
    upload_id: &str,
    index: usize,
    bytes: &[u8],
) -> Result<(), WsError> {
    const RETRY_AFTER: [Duration; 2] = [Duration::from_millis(500), Duration::from_secs(1)];
    let cmd = "aibot_upload_media_chunk";
    let body = Chunk {
        upload_id,
        chunk_index: index,
        base64_data: base64_simd::STANDARD.encode_to_string(bytes),
    };
    let mut attempt = 0;
    loop {
        match shared.request(cmd, &frame::req_id(cmd), None, Some(&body)).await {
            Ok(_) => return Ok(()),
            Err(e @ (WsError::NotConnected | WsError::ConnectionLost)) => return Err(e),
            Err(e) if attempt >= RETRY_AFTER.len() => return Err(e),
            Err(e) => {
                tracing::debug!(index, error = %e, "chunk failed; retrying");
                tokio::time::sleep(RETRY_AFTER[attempt]).await;
                attempt += 1;
            }
        }
    }
}
