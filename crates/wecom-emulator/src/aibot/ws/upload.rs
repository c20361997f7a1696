//! Chunked media uploads of WebSocket-mode bots, with the official Node SDK's limits:
//! `aibot_upload_media_init` announces `type`, `filename`, `total_size`, `total_chunks`
//! (at most 100) and the MD5, and reserves the size in the emulator's bounded upload memory;
//! `aibot_upload_media_chunk` carries one 0-based chunk of at most 512 KiB (Base64 in the
//! frame; a retry may send an index again); `aibot_upload_media_finish` checks that every
//! chunk arrived, the total size and the MD5, and stores the file as temporary media (3 days,
//! like `media/upload`), answering `{type, media_id, created_at}`.
//!
//! WeCom's errcodes for these refusals are not documented. The readings here: a malformed or
//! inconsistent frame (missing field, unknown `upload_id`, index out of range, bad Base64,
//! oversized chunk, missing chunks, MD5 mismatch) answers 40058; an unknown `type` 40005; an
//! empty file 44001; a total size that does not match the chunks 40006; a file over its
//! type's cap (image and video 10 MB, voice 2 MB, file 20 MB — the caps Tencent's own plugin
//! enforces) 40009 / 40011 / 45001 as `media/upload` does; a full upload memory 45001.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use base64::Engine as _;
use bytes::{Bytes, BytesMut};
use md5::{Digest as _, Md5};
use serde_json::Value;
use tokio::time::Instant;

use crate::api::error::code;
use crate::state::MediaKind;

/// Raw bytes of one chunk at most.
pub(crate) const CHUNK_MAX: usize = 512 * 1024;
/// Chunks of one upload at most.
pub(crate) const CHUNKS_MAX: u64 = 100;
/// An upload not finished within this long is forgotten (its memory freed).
const STALE: Duration = Duration::from_secs(30 * 60);
const MB: usize = 1024 * 1024;

/// A refusal: errcode and errmsg.
pub(crate) type Refusal = (i64, String);

fn bad(msg: impl Into<String>) -> Refusal {
    (code::INVALID_PARAMETER, msg.into())
}

struct Upload {
    botid: String,
    kind: MediaKind,
    filename: String,
    total_size: usize,
    md5: Option<String>,
    chunks: Vec<Option<Bytes>>,
    received: usize,
    started: Instant,
}

#[derive(Default)]
struct Inner {
    uploads: HashMap<String, Upload>,
    /// Bytes reserved by the uploads in progress.
    reserved: usize,
}

/// The uploads in progress.
#[derive(Default)]
pub(crate) struct Uploads {
    inner: Mutex<Inner>,
}

impl std::fmt::Debug for Uploads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Uploads").finish_non_exhaustive()
    }
}

/// A finished upload.
pub(crate) struct Finished {
    pub(crate) kind: MediaKind,
    pub(crate) filename: String,
    pub(crate) data: Bytes,
}

fn field<'a>(body: &'a Value, name: &str) -> Result<&'a Value, Refusal> {
    body.get(name).ok_or_else(|| bad(format!("missing field `body.{name}`")))
}

fn uint(body: &Value, name: &str) -> Result<u64, Refusal> {
    field(body, name)?
        .as_u64()
        .ok_or_else(|| bad(format!("body.{name}: must be a non-negative integer")))
}

fn text<'a>(body: &'a Value, name: &str) -> Result<&'a str, Refusal> {
    field(body, name)?.as_str().ok_or_else(|| bad(format!("body.{name}: must be a string")))
}

/// The type's size cap and the errcode past it (as `media/upload`).
fn cap(kind: MediaKind) -> (usize, i64) {
    match kind {
        MediaKind::Image => (10 * MB, code::INVALID_IMAGE_SIZE),
        MediaKind::Video => (10 * MB, code::INVALID_VIDEO_SIZE),
        MediaKind::Voice => (2 * MB, code::MEDIA_TOO_LARGE),
        MediaKind::File => (20 * MB, code::MEDIA_TOO_LARGE),
    }
}

impl Uploads {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `aibot_upload_media_init`: the new `upload_id`.
    pub(crate) fn init(&self, botid: &str, body: &Value, memory: usize) -> Result<String, Refusal> {
        let kind = MediaKind::parse(text(body, "type")?).ok_or_else(|| {
            (code::INVALID_MEDIA_TYPE, "body.type: must be file, image, voice or video".to_owned())
        })?;
        let filename = text(body, "filename")?;
        if filename.is_empty() || filename.len() > 256 {
            return Err(bad("body.filename: must be 1 to 256 bytes"));
        }
        let total_size = uint(body, "total_size")?;
        let total_chunks = uint(body, "total_chunks")?;
        if total_size == 0 {
            return Err((code::EMPTY_MEDIA, "body.total_size: the file is empty".into()));
        }
        let size = usize::try_from(total_size).unwrap_or(usize::MAX);
        let (max, too_large) = cap(kind);
        if size > max {
            return Err((
                too_large,
                format!("body.total_size: {size} bytes, {} media at most {max}", kind.as_str()),
            ));
        }
        let least = total_size.div_ceil(CHUNK_MAX as u64);
        if total_chunks < least || total_chunks > CHUNKS_MAX.min(total_size) {
            return Err(bad(format!(
                "body.total_chunks: {total_chunks}; {total_size} bytes in chunks of at most \
                 {CHUNK_MAX} need {least} to {} chunks",
                CHUNKS_MAX.min(total_size)
            )));
        }
        let md5 = match body.get("md5") {
            None => None,
            Some(Value::String(m)) if m.len() == 32 && m.bytes().all(|b| b.is_ascii_hexdigit()) => {
                Some(m.to_ascii_lowercase())
            }
            Some(_) => return Err(bad("body.md5: must be 32 hex digits")),
        };
        let mut inner = self.lock();
        inner.forget_stale();
        if inner.reserved.saturating_add(size) > memory {
            return Err((
                code::MEDIA_TOO_LARGE,
                format!(
                    "the emulator's upload memory is full ({} of {memory} bytes reserved by \
                     uploads in progress, this one is {size}); finish them or raise \
                     options.aibot_ws_upload_memory",
                    inner.reserved
                ),
            ));
        }
        let upload_id = crate::ids::random_token(32).replace(['-', '_'], "0");
        let chunks = usize::try_from(total_chunks).unwrap_or(0);
        inner.reserved += size;
        inner.uploads.insert(
            upload_id.clone(),
            Upload {
                botid: botid.to_owned(),
                kind,
                filename: filename.to_owned(),
                total_size: size,
                md5,
                chunks: vec![None; chunks],
                received: 0,
                started: Instant::now(),
            },
        );
        Ok(upload_id)
    }

    /// `aibot_upload_media_chunk`.
    pub(crate) fn chunk(&self, botid: &str, body: &Value) -> Result<(), Refusal> {
        let upload_id = text(body, "upload_id")?;
        let index = uint(body, "chunk_index")?;
        let b64 = text(body, "base64_data")?;
        // Base64 of CHUNK_MAX bytes is 699,052 characters: longer cannot fit.
        if b64.len() > CHUNK_MAX.div_ceil(3) * 4 {
            return Err(bad(format!("body.base64_data: more than {CHUNK_MAX} bytes")));
        }
        let data = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map_err(|_| bad("body.base64_data: not valid Base64"))?;
        if data.is_empty() || data.len() > CHUNK_MAX {
            return Err(bad(format!(
                "body.base64_data: {} bytes, a chunk holds 1 to {CHUNK_MAX}",
                data.len()
            )));
        }
        let mut inner = self.lock();
        let up =
            inner.uploads.get_mut(upload_id).filter(|u| u.botid == botid).ok_or_else(|| {
                bad("body.upload_id: unknown (never started, finished or expired)")
            })?;
        let i = usize::try_from(index).unwrap_or(usize::MAX);
        let total = up.chunks.len();
        let Some(slot) = up.chunks.get_mut(i) else {
            return Err(bad(format!(
                "body.chunk_index: {index}, the upload has chunks 0 to {}",
                total - 1
            )));
        };
        let previous = slot.as_ref().map_or(0, Bytes::len);
        let received = up.received - previous + data.len();
        if received > up.total_size {
            return Err((
                code::INVALID_FILE_SIZE,
                format!("the chunks hold {received} bytes, more than total_size {}", up.total_size),
            ));
        }
        *slot = Some(Bytes::from(data));
        up.received = received;
        Ok(())
    }

    /// `aibot_upload_media_finish`: the file, once complete and verified.
    pub(crate) fn finish(&self, botid: &str, body: &Value) -> Result<Finished, Refusal> {
        let upload_id = text(body, "upload_id")?;
        let mut inner = self.lock();
        let up =
            inner.uploads.get(upload_id).filter(|u| u.botid == botid).ok_or_else(|| {
                bad("body.upload_id: unknown (never started, finished or expired)")
            })?;
        let missing: Vec<usize> = up
            .chunks
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_none())
            .map(|(i, _)| i)
            .take(10)
            .collect();
        if !missing.is_empty() {
            // The upload stays: the missing chunks may still be sent.
            return Err(bad(format!("chunks not received: {missing:?}")));
        }
        let up = inner.uploads.remove(upload_id).expect("looked up above");
        inner.reserved -= up.total_size;
        drop(inner);
        if up.received != up.total_size {
            return Err((
                code::INVALID_FILE_SIZE,
                format!("the chunks hold {} bytes, total_size is {}", up.received, up.total_size),
            ));
        }
        let mut data = BytesMut::with_capacity(up.total_size);
        for c in up.chunks.into_iter().flatten() {
            data.extend_from_slice(&c);
        }
        if let Some(expected) = up.md5 {
            let got = Md5::digest(&data);
            let got = got.iter().fold(String::with_capacity(32), |mut hex, b| {
                let _ = write!(hex, "{b:02x}");
                hex
            });
            if got != expected {
                return Err(bad(format!(
                    "md5 mismatch: the chunks hash to {got}, body.md5 was {expected}"
                )));
            }
        }
        Ok(Finished { kind: up.kind, filename: up.filename, data: data.freeze() })
    }

    /// Forgets every upload in progress.
    pub(crate) fn reset(&self) {
        *self.lock() = Inner::default();
    }
}

impl Inner {
    fn forget_stale(&mut self) {
        let before = self.uploads.len();
        let mut freed = 0;
        self.uploads.retain(|_, u| {
            let keep = u.started.elapsed() < STALE;
            if !keep {
                freed += u.total_size;
            }
            keep
        });
        if self.uploads.len() != before {
            self.reserved -= freed;
        }
    }
}
