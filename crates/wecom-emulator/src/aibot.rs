//! AI bots (智能机器人) in API mode, driven the way WeCom drives them over HTTP: a member's
//! message becomes an encrypted JSON callback (receive id `""`), a stream answer is followed
//! by refresh callbacks until the bot says `finish` or the 6-minute window closes, retries
//! reuse the `msgid`, and the one-shot `response_url` accepts one markdown or card within an
//! hour.
//!
//! The bot's answers are checked here from the raw JSON, without any SDK's types: the
//! emulator is an oracle for the SDK, not a mirror of it. Every turn of every conversation
//! is recorded and listed by the admin API; the inbox page `/aibot` shows them live.
//!
//! Admin API (`/emulator/aibots/…`):
//!
//! | Call | What it does |
//! |---|---|
//! | `GET /emulator/aibots` | the bots (no secrets) |
//! | `POST /emulator/aibots/{botid}/messages {"userid", "content", "chatid"?, "msgtype"?: "text"}` | a member writes to the bot (with `chatid`: @-mentions it in that group); `?wait=first` (default) answers with the turn after the first answer, `?wait=finish` after the stream finished |
//! | `POST /emulator/aibots/{botid}/enter_chat {"userid"}` | the member opens the bot's chat; answers with the turn (the welcome) |
//! | `POST /emulator/aibots/{botid}/turns/{id}/click {"userid", "event_key", "selections"?: {"question_key": ["option"]}}` | the member clicks the card of that turn |
//! | `POST /emulator/aibots/{botid}/turns/{id}/feedback {"userid", "type": 1\|2\|3, "content"?}` | like / dislike / cancel on that turn's answer |
//! | `GET /emulator/aibots/{botid}/turns[?userid=]` | the conversation, oldest first (`turns`), and `retention: {retained, dropped_oldest, retain_messages, retain_seconds}`: turns kept and forgotten so far over all bots |
//! | `GET /emulator/aibots/{botid}/turns/{id}` | one turn |
//!
//! `POST /cgi-bin/aibot/response?response_code=…` is the `response_url` endpoint; its codes
//! last an hour of virtual time.
//!
//! Turns follow the message retention ([`crate::Options::retain_messages`],
//! [`crate::Options::retain_seconds`]): the oldest are forgotten first, never the newest;
//! see the `store` module for what a forgotten turn answers.
//!
//! Bots in `mode = "websocket"` are driven over the long connection at `/aibot/ws` instead
//! (see the `ws` module): the same admin calls send callback frames to the bot's live
//! connection, and its answers fill the same turns. `GET /emulator/aibots` adds each such
//! bot's connection state (`ws`). More routes for them:
//!
//! | Call | What it does |
//! |---|---|
//! | `GET /emulator/aibots/{botid}/ws` | connection state, armed faults and the connection log |
//! | `POST /emulator/aibots/{botid}/ws/drop` | drop the live connection now |
//! | `POST /emulator/aibots/{botid}/ws/faults {"kind": "stall_acks", "seconds"\|"frames": N}` or `{"kind": "refuse_subscribe", "seconds": N, "errcode"?: 45009}` | connection faults |
//! | `DELETE /emulator/aibots/{botid}/ws/faults` | disarm them |

mod admin;
mod config;
mod drive;
mod response_url;
mod store;
mod validate;
mod ws;

pub use config::{AibotConfig, AibotMode};
pub(crate) use store::AibotState;

/// The admin routes (with the WebSocket side's).
pub(crate) fn router() -> axum::Router<crate::state::EmulatorState> {
    admin::router().merge(ws::admin_router())
}

/// The WeCom-facing routes: `response_url` and the WebSocket endpoint `/aibot/ws`.
pub(crate) fn api_router() -> axum::Router<crate::state::EmulatorState> {
    response_url::router().merge(ws::router())
}
