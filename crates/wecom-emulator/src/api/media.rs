//! Media (§5): `media/upload` (temporary media, valid 3 days), `media/uploadimg` (permanent
//! image served by the emulator) and `media/get`. Uploads are `multipart/form-data` with a
//! part named `media` that carries a `filename`; sizes and formats follow §5.1/§5.2 with
//! their codes (formats are recognised by their magic bytes, AMR playback time by counting
//! frames).

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

use super::error::{ApiError, code, json_response};
use super::{auth, query_param};
use crate::ids;
use crate::state::media::Media;
use crate::state::{EmulatorState, MediaKind};

const MB: usize = 1024 * 1024;
const DAY_MS: i64 = 24 * 3600 * 1000;

/// The `media` part of an upload.
pub(crate) struct Upload {
    pub(crate) filename: String,
    pub(crate) content_type: Option<String>,
    pub(crate) data: Bytes,
}

pub(crate) async fn read_media_part(
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Upload, ApiError> {
    let mut multipart = multipart.map_err(|e| {
        ApiError::new(code::INVALID_PARAMETER, format!("the body must be multipart/form-data: {e}"))
    })?;
    loop {
        let field = multipart.next_field().await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(code::MEDIA_TOO_LARGE, "the upload is larger than 20 MB")
            } else {
                ApiError::new(code::INVALID_PARAMETER, format!("malformed multipart body: {e}"))
            }
        })?;
        let Some(field) = field else {
            return Err(ApiError::new(code::EMPTY_MEDIA, "no multipart part named \"media\""));
        };
        if field.name() != Some("media") {
            continue;
        }
        let filename = field.file_name().map(str::to_owned).filter(|f| !f.is_empty());
        let Some(filename) = filename else {
            return Err(ApiError::new(
                code::INVALID_PARAMETER,
                "the \"media\" part needs a filename",
            ));
        };
        let content_type = field.content_type().map(str::to_owned);
        let data = field.bytes().await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(code::MEDIA_TOO_LARGE, "the upload is larger than 20 MB")
            } else {
                ApiError::new(code::INVALID_PARAMETER, format!("malformed multipart body: {e}"))
            }
        })?;
        return Ok(Upload { filename, content_type, data });
    }
}

fn is_jpeg(d: &[u8]) -> bool {
    d.starts_with(&[0xFF, 0xD8, 0xFF])
}

fn is_png(d: &[u8]) -> bool {
    d.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A])
}

fn is_mp4(d: &[u8]) -> bool {
    d.get(4..8) == Some(b"ftyp")
}

/// Playback time of an AMR (narrow- or wide-band) file in milliseconds, or `None` if the
/// data is not AMR.
pub(crate) fn amr_duration_ms(d: &[u8]) -> Option<u64> {
    const NB: [usize; 16] = [12, 13, 15, 17, 19, 20, 26, 31, 5, 6, 5, 5, 0, 0, 0, 0];
    const WB: [usize; 16] = [17, 23, 32, 36, 40, 46, 50, 58, 60, 5, 0, 0, 0, 0, 0, 0];
    let (mut pos, sizes) = if d.starts_with(b"#!AMR\n") {
        (6, &NB)
    } else if d.starts_with(b"#!AMR-WB\n") {
        (9, &WB)
    } else {
        return None;
    };
    let mut frames = 0u64;
    while pos < d.len() {
        pos += 1 + sizes[usize::from((d[pos] >> 3) & 0x0F)];
        frames += 1;
    }
    Some(frames * 20)
}

/// Size and format rules of temporary media (§5.1).
fn check_upload(kind: MediaKind, data: &[u8]) -> Result<(), ApiError> {
    let len = data.len();
    if len == 0 {
        return Err(ApiError::new(code::EMPTY_MEDIA, "the media file is empty"));
    }
    if len <= 5 {
        return Err(ApiError::new(
            code::INVALID_FILE_SIZE,
            format!("the media file is {len} bytes, it must be more than 5"),
        ));
    }
    let (max, too_large) = match kind {
        MediaKind::Image => (10 * MB, code::INVALID_IMAGE_SIZE),
        MediaKind::Voice => (2 * MB, code::MEDIA_TOO_LARGE),
        MediaKind::Video => (10 * MB, code::INVALID_VIDEO_SIZE),
        MediaKind::File => (20 * MB, code::MEDIA_TOO_LARGE),
    };
    if len > max {
        return Err(ApiError::new(
            too_large,
            format!("{} media is {len} bytes, max {max}", kind.as_str()),
        ));
    }
    match kind {
        MediaKind::Image if !(is_jpeg(data) || is_png(data)) => {
            Err(ApiError::new(code::INVALID_MEDIA_FILE_TYPE, "image media must be JPG or PNG"))
        }
        MediaKind::Video if !is_mp4(data) => {
            Err(ApiError::new(code::INVALID_MEDIA_FILE_TYPE, "video media must be MP4"))
        }
        MediaKind::Voice => match amr_duration_ms(data) {
            None => Err(ApiError::new(code::INVALID_MEDIA_FILE_TYPE, "voice media must be AMR")),
            Some(ms) if ms > 60_000 => Err(ApiError::new(
                code::VOICE_TOO_LONG,
                format!("voice plays {}.{:03} s, max 60 s", ms / 1000, ms % 1000),
            )),
            Some(_) => Ok(()),
        },
        _ => Ok(()),
    }
}

fn default_content_type(kind: MediaKind, data: &[u8]) -> &'static str {
    match kind {
        MediaKind::Image if is_png(data) => "image/png",
        MediaKind::Image => "image/jpeg",
        MediaKind::Voice => "audio/amr",
        MediaKind::Video => "video/mp4",
        MediaKind::File => "application/octet-stream",
    }
}

/// Uploads live in memory: past `options.max_upload_bytes` in all, more are refused with
/// 45001 and a message that says why (WeCom's own storage has no such limit to copy).
fn room_for(
    state: &EmulatorState,
    store: &crate::state::media::MediaStore,
    len: usize,
) -> Result<(), ApiError> {
    let max = state.config().options.max_upload_bytes;
    let used = store.bytes();
    if used.saturating_add(len) > max {
        return Err(ApiError::new(
            code::MEDIA_TOO_LARGE,
            format!(
                "the emulator's upload memory is full ({used} of {max} bytes used, this file is \
                 {len}); reset the emulator or raise options.max_upload_bytes"
            ),
        ));
    }
    Ok(())
}

pub(super) async fn upload(
    State(state): State<EmulatorState>,
    uri: Uri,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    match upload_inner(&state, uri.query(), multipart).await {
        Ok(json) => json_response(json),
        Err(e) => e.into_response(),
    }
}

async fn upload_inner(
    state: &EmulatorState,
    query: Option<&str>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<String, ApiError> {
    auth(state, query)?;
    let kind = query_param(query, "type").and_then(|t| MediaKind::parse(&t)).ok_or_else(|| {
        ApiError::new(code::INVALID_MEDIA_TYPE, "type must be image, voice, video or file")
    })?;
    let up = read_media_part(multipart).await?;
    check_upload(kind, &up.data)?;
    let now = state.clock().now_ms();
    let media_id = ids::opaque("3", 60);
    let content_type = up
        .content_type
        .filter(|c| !c.is_empty() && c != "application/octet-stream")
        .unwrap_or_else(|| default_content_type(kind, &up.data).to_owned());
    let media = Media { kind, filename: up.filename, content_type, data: up.data, created_ms: now };
    let mut store = state.media_mut();
    room_for(state, &store, media.data.len())?;
    store.temporary.insert(media_id.clone(), media);
    drop(store);
    state.changed_quietly();
    // `created_at` is a string of digits, as in WeCom's documented answer.
    Ok(format!(
        r#"{{"errcode":0,"errmsg":"ok","type":"{}","media_id":"{media_id}","created_at":"{}"}}"#,
        kind.as_str(),
        now / 1000
    ))
}

pub(super) async fn uploadimg(
    State(state): State<EmulatorState>,
    uri: Uri,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    match uploadimg_inner(&state, uri.query(), &headers, multipart).await {
        Ok(json) => json_response(json),
        Err(e) => e.into_response(),
    }
}

async fn uploadimg_inner(
    state: &EmulatorState,
    query: Option<&str>,
    headers: &HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<String, ApiError> {
    auth(state, query)?;
    let up = read_media_part(multipart).await?;
    let len = up.data.len();
    if len == 0 {
        return Err(ApiError::new(code::EMPTY_MEDIA, "the image is empty"));
    }
    if len < 5 {
        return Err(ApiError::new(
            code::INVALID_FILE_SIZE,
            format!("the image is {len} bytes, min 5"),
        ));
    }
    if len > 2 * MB {
        return Err(ApiError::new(
            code::INVALID_IMAGE_SIZE,
            format!("the image is {len} bytes, max 2 MB"),
        ));
    }
    // Accepted formats are not documented (UNVERIFIED §10.8): JPG and PNG, as assumed there.
    if !(is_jpeg(&up.data) || is_png(&up.data)) {
        return Err(ApiError::new(code::INVALID_MEDIA_FILE_TYPE, "the image must be JPG or PNG"));
    }
    let now = state.clock().now_ms();
    {
        let mut store = state.store();
        let times = &mut store.uploadimg_times;
        while times.front().is_some_and(|&t| t <= now - 30 * DAY_MS) {
            times.pop_front();
        }
        let today = times.iter().filter(|&&t| t > now - DAY_MS).count();
        if today >= 1000 || times.len() >= 3000 {
            return Err(ApiError::new(
                code::API_FREQUENCY_LIMITED,
                "uploadimg quota reached (1,000 per day, 3,000 per month per corp)",
            ));
        }
        times.push_back(now);
    }
    let id = ids::opaque("", 32);
    let ext = if is_png(&up.data) { "png" } else { "jpg" };
    let content_type = if ext == "png" { "image/png" } else { "image/jpeg" };
    let media = Media {
        kind: MediaKind::Image,
        filename: up.filename,
        content_type: content_type.to_owned(),
        data: up.data,
        created_ms: now,
    };
    let mut store = state.media_mut();
    room_for(state, &store, media.data.len())?;
    store.images.insert(id.clone(), media);
    drop(store);
    state.changed_quietly();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
    let url = format!("http://{host}/emulator/uploads/{id}.{ext}");
    Ok(format!(r#"{{"errcode":0,"errmsg":"ok","url":{}}}"#, serde_json::Value::String(url)))
}

pub(super) async fn get(State(state): State<EmulatorState>, uri: Uri) -> Response {
    if let Err(e) = auth(&state, uri.query()) {
        return e.into_response();
    }
    let Some(media_id) = query_param(uri.query(), "media_id").filter(|m| !m.is_empty()) else {
        return ApiError::new(code::MISSING_MEDIA_ID, "media_id is required").into_response();
    };
    let now = state.clock().now_ms();
    let found = state.media().live(&media_id, now).cloned();
    match found {
        Some(m) => file_response(&m),
        None => ApiError::new(
            code::INVALID_MEDIA_ID,
            "media_id is unknown or expired (temporary media lives 3 days)",
        )
        .into_response(),
    }
}

/// The bytes of a stored file, with its Content-Type and file name.
pub(crate) fn file_response(m: &Media) -> Response {
    let mut resp = m.data.clone().into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&m.content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    // ASCII fallback in `filename`, the exact name in RFC 5987 `filename*`.
    let ascii: String = m
        .filename
        .chars()
        .map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' })
        .collect();
    let encoded: String = m
        .filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::amr_duration_ms;

    #[test]
    fn amr_playback_time_counts_frames() {
        // Mode 7 (12.2 kbit/s): header byte 0x3C and 31 bytes per 20 ms frame.
        let mut amr = b"#!AMR\n".to_vec();
        for _ in 0..50 {
            amr.push(0x3C);
            amr.extend([0u8; 31]);
        }
        assert_eq!(amr_duration_ms(&amr), Some(1000));
        assert_eq!(amr_duration_ms(b"RIFF...."), None);
    }
}
