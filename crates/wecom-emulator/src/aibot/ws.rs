//! The AI-bot WebSocket long connection (长连接), as `wss://openws.work.weixin.qq.com`
//! speaks it to the official SDKs, served at `ws://HOST:PORT/aibot/ws` on the emulator's own
//! address (give that URL to the SDK as its `wsUrl`).
//!
//! One JSON object per text frame. The program sends `aibot_subscribe {bot_id, secret}` first;
//! every client frame gets an ack `{headers: {req_id}, errcode, errmsg, body?}` with its
//! `req_id`. Member actions of the admin API and the `/aibot` page reach a bot in
//! `mode = "websocket"` as `aibot_msg_callback` / `aibot_event_callback` frames with a server
//! `req_id`; its `aibot_respond_msg` (stream frames, cards, media), `aibot_respond_welcome_msg`
//! and `aibot_respond_update_msg` land in the same turns as HTTP-mode answers and render the
//! same way; `aibot_send_msg` pushes show as turns of kind `push`; chunked uploads
//! ([`upload`]) store temporary media.
//!
//! | Condition | errcode |
//! |---|---|
//! | success | 0 |
//! | wrong `bot_id` or `secret` on `aibot_subscribe` (WeCom's code is undocumented) | 40001 |
//! | any command before a successful subscribe | 846609 |
//! | `req_id` unknown, of another connection or bot, of the wrong kind, a one-shot answer given twice or later than 5 s, or of a turn forgotten by retention | 846605 |
//! | stream frame past `stream_window_seconds` of the message, or for a finished stream | 846608 |
//! | msgtype not allowed for the command (`text` on respond or send) | 40008 |
//! | malformed body, over-long content (20,480 bytes), bad upload frame | 40058 |
//! | `media_id` unknown or expired | 40007 |
//! | `aibot_send_msg` to a chat that is neither a member nor a group | 40003 |
//! | `response_type` other than `update_template_card` | 93050 |
//! | refused by the `refuse_subscribe` fault | 45009 (or the fault's errcode) |
//!
//! One connection per bot: a second successful subscription makes the first receive
//! `disconnected_event` and closes it. Limits: frames and messages of at most 1 MiB (an
//! upload chunk is ≤ 512 KiB of raw bytes), `options.aibot_ws_max_connections` open
//! connections (more are refused with HTTP 503 before the upgrade), subscription within
//! `options.aibot_ws_subscribe_timeout_ms`, and a connection silent for
//! `options.aibot_ws_idle_timeout_ms` is closed. The HTTP request itself is under the
//! server's header-read timeout.

mod admin;
mod conn;
pub(crate) mod deliver;
mod hub;
mod respond;
pub(crate) mod upload;

use std::sync::atomic::Ordering;

use axum::Router;
use axum::extract::State;
use axum::extract::ws::WebSocketUpgrade;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use subtle::ConstantTimeEq as _;

pub(crate) use admin::router as admin_router;
pub(crate) use hub::{Hub, ReqKind};

use crate::state::EmulatorState;
use crate::state::media::Media;
use upload::Refusal;

/// A `req_id` that is not valid on this connection.
pub(crate) const REQ_ID_INVALID: i64 = 846_605;
/// A stream past its lifetime.
pub(crate) const STREAM_EXPIRED: i64 = 846_608;
/// No valid subscription on this connection.
pub(crate) const NOT_SUBSCRIBED: i64 = 846_609;

/// Frame and message size limit: an upload chunk (512 KiB raw, about 700 KB of Base64 in
/// JSON) fits, nothing much larger does.
const MAX_MESSAGE: usize = 1024 * 1024;

/// A connection's initial read buffer.
const READ_BUFFER: usize = 8 * 1024;

/// The WeCom-facing route.
pub(crate) fn router() -> Router<EmulatorState> {
    Router::new().route("/aibot/ws", get(upgrade))
}

/// Constant-time comparison of a secret.
fn same(expected: &[u8], given: &[u8]) -> bool {
    expected.len() == given.len() && bool::from(expected.ct_eq(given))
}

/// A fresh server `req_id`.
fn deliver_req_id() -> String {
    deliver::req_id()
}

/// Releases one connection slot when dropped.
struct Slot(EmulatorState);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.inner.aibots.ws.open.fetch_sub(1, Ordering::AcqRel);
    }
}

async fn upgrade(
    State(state): State<EmulatorState>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    let max = state.config().options.aibot_ws_max_connections as u64;
    let open = &state.inner.aibots.ws.open;
    if open.fetch_add(1, Ordering::AcqRel) >= max {
        open.fetch_sub(1, Ordering::AcqRel);
        tracing::warn!(max, "aibot WebSocket refused: too many connections");
        return (StatusCode::SERVICE_UNAVAILABLE, "too many WebSocket connections").into_response();
    }
    let slot = Slot(state.clone());
    // Who dialled, for the connection log: the client's User-Agent (the server does not pass
    // the peer address to routes).
    let peer = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map_or_else(
        || "a client without User-Agent".to_owned(),
        |ua| ua.chars().take(80).collect(),
    );
    // tungstenite allocates the read buffer up front (128 KiB by default) and grows it for
    // larger frames: most frames here are small, and many bots may be connected.
    ws.read_buffer_size(READ_BUFFER)
        .max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
        .on_failed_upgrade(|e| tracing::debug!(error = %e, "aibot WebSocket upgrade failed"))
        .on_upgrade(move |socket| async move {
            conn::run(socket, state, peer).await;
            drop(slot);
        })
}

/// `aibot_upload_media_finish`: stores the verified file as temporary media.
fn store_upload(state: &EmulatorState, botid: &str, body: &Value) -> Result<Value, Refusal> {
    let done = state.inner.aibots.ws.uploads.finish(botid, body)?;
    let now = state.clock().now_ms();
    let max = state.config().options.max_upload_bytes;
    let mut media = state.media_mut();
    let used = media.bytes();
    if used.saturating_add(done.data.len()) > max {
        return Err((
            crate::api::error::code::MEDIA_TOO_LARGE,
            format!(
                "the emulator's media memory is full ({used} of {max} bytes used, this file is \
                 {}); reset the emulator or raise options.max_upload_bytes",
                done.data.len()
            ),
        ));
    }
    let media_id = crate::ids::opaque("3", 60);
    let content_type = match done.kind {
        crate::state::MediaKind::Image => "image/png",
        crate::state::MediaKind::Voice => "audio/amr",
        crate::state::MediaKind::Video => "video/mp4",
        crate::state::MediaKind::File => "application/octet-stream",
    };
    media.temporary.insert(
        media_id.clone(),
        Media {
            kind: done.kind,
            filename: done.filename,
            content_type: content_type.to_owned(),
            data: done.data,
            created_ms: now,
        },
    );
    drop(media);
    state.changed_quietly();
    // `created_at` as an integer, as observed on the wire (the Node SDK's type says string).
    Ok(json!({ "type": done.kind.as_str(), "media_id": media_id, "created_at": now / 1000 }))
}
