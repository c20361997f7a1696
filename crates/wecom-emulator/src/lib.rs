//! A local WeCom (企业微信, WeChat Work) API server for offline development and tests — what
//! Mailpit is for email: the same `/cgi-bin/` paths and JSON as WeCom, strict validation of
//! the raw request JSON with WeCom's error codes, a corp with apps, members, departments and
//! tags, encrypted callbacks for member actions, and an admin API to look inside.
//!
//! # Quick start
//!
//! ```
//! use wecom_emulator::{Config, Emulator};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let emu = Emulator::start(Config::demo()).await?;
//! let app = emu.app(1_000_002).expect("the demo corp has this app");
//! let http = reqwest::Client::new();
//! let token: serde_json::Value = http
//!     .get(format!(
//!         "{}/cgi-bin/gettoken?corpid={}&corpsecret={}",
//!         emu.base_url(),
//!         emu.corp_id(),
//!         app.secret.expose()
//!     ))
//!     .send().await?.json().await?;
//! let token = token["access_token"].as_str().unwrap();
//! let sent: serde_json::Value = http
//!     .post(format!("{}/cgi-bin/message/send?access_token={token}", emu.base_url()))
//!     .json(&serde_json::json!({
//!         "touser": "alice", "msgtype": "text", "agentid": 1_000_002,
//!         "text": { "content": "Build #42 passed" }
//!     }))
//!     .send().await?.json().await?;
//! assert_eq!(sent["errcode"], 0);
//!
//! // What alice received, with its delivery status:
//! let inbox: serde_json::Value = http
//!     .get(format!("{}/emulator/messages?user=alice", emu.base_url()))
//!     .send().await?.json().await?;
//! assert_eq!(inbox["messages"][0]["recipients"][0]["status"], "delivered");
//! # Ok(()) }
//! ```
//!
//! Point any WeCom client at [`EmulatorHandle::base_url`] instead of
//! `https://qyapi.weixin.qq.com`. With no configuration the demo corp is used
//! ([`Config::demo`]); a TOML file describes your own (see [`config`]).
//!
//! # The WeCom API
//!
//! `GET gettoken`, `POST message/send`, `POST message/recall`,
//! `POST message/update_template_card`, `POST media/upload`, `POST media/uploadimg`,
//! `GET media/get`, `GET getcallbackip` — all under `/cgi-bin/`, answering HTTP 200 with
//! `{errcode, errmsg, …}`. Requests are validated from the raw JSON (not through any SDK's
//! types), so client serialization mistakes surface: wrong JSON types answer 40058 with
//! WeCom's "Warning: wrong json format", missing fields and hard limits their documented
//! codes, with the field path and the limit in `errmsg`. Display recommendations are not
//! enforced. Behaviour WeCom leaves undocumented is decided in the code and commented there
//! (duplicate check, `task_id` reuse, unknown `response_code`, …). Every time-based rule uses
//! a virtual [`Clock`] that the admin API moves forward.
//!
//! WeCom drops messages beyond 30 per minute or 1,000 per hour per member and app silently;
//! so does the emulator, but it records the copy as `dropped`. Where WeCom's behaviour is
//! not documented the emulator accepts; `docs/emulator-validation.md` lists every such
//! reading.
//!
//! # Admin API (`/emulator/`)
//!
//! | Call | What it does |
//! |---|---|
//! | `GET /emulator/messages[?user=alice&agentid=1000002&msgtype=text&limit=50]` | every accepted message, oldest first (`limit`: the last N): `msgid`, `agentid`, `msgtype`, the body as received, recipients with `status` (`delivered`, `dropped`, `recalled`) and card state (`button_text`, `disabled`, `replaced_card`), invalid lists, `response_code`, timestamps; and `retention`: how many messages are `retained` and how many of the oldest were dropped (`dropped_oldest`) past [`Options::retain_messages`] / [`Options::retain_seconds`] |
//! | `GET /emulator/messages/{msgid}` | one message |
//! | `GET /emulator/groups[?secrets=true]` | the group chats: the configuration's webhook groups with their bots, then the app group chats |
//! | `GET /emulator/groups/{chatid}/messages[?limit=N]` | what webhook bots and apps posted into the group, oldest first; and `retention` as above, counted over all groups: group messages follow the same limits, the oldest of any group forgotten first |
//! | `POST /emulator/reset` | forget messages, tokens, media, callbacks, faults, counters; clock back to now |
//! | `GET /emulator/clock`, `POST /emulator/clock/advance {"seconds": 7200}` | the virtual clock |
//! | `POST /emulator/tokens/expire {"agentid"?: 1000002, "errcode"?: 42001\|40014}` | expire live tokens early |
//! | `GET/POST/DELETE /emulator/faults` — `{"path"?: "message/send", "count": 2, "kind": "errcode", "errcode": -1\|45009}` or `{"kind": "stall", "ms": 6000, …}` | inject faults into the next N calls |
//! | `GET /emulator/stats` | calls per `/cgi-bin/` path (faulted ones included) and successful gettoken calls per app, e.g. to check that concurrent callers share one token fetch |
//! | `GET /emulator/callbacks[?user=&agentid=]` | callbacks sent: inner XML, tries with status/error, outcome, passive reply and what it did |
//! | `GET /emulator/config[?secrets=true]` | corp and apps (secrets only when asked) |
//! | `PUT /emulator/apps/{agentid}/callback {"url", "token"?, "encoding_aes_key"?, "verify"?: true}`, `DELETE …` | set or remove an app's callback URL at run time; with `verify`, WeCom's URL verification (GET with `echostr`) must pass first |
//! | `POST /emulator/users/{userid}/messages {"agentid", "msgtype": "text", "content"}` | a member sends a message to an app (also `image`, `voice`, `video`, `location`, `link`) |
//! | `POST /emulator/users/{userid}/events {"agentid", "event", "event_key"?}` | a member triggers an event (`enter_agent`, `click`, …) |
//! | `POST /emulator/users/{userid}/cards/{msgid}/click {"key", "selected_id"?}` | a member clicks a button of a `button_interaction` card |
//! | `POST /emulator/users/{userid}/cards/{msgid}/submit {"selections"?: {"question_key": ["option", …]}}` | a member submits a vote or selection |
//! | `POST /emulator/users/{userid}/cards/{msgid}/menu {"key"}` | a member picks an `action_menu` item |
//! | `GET /emulator/uploads/{id}.{ext}` | images uploaded with `media/uploadimg` (their URL) |
//! | `GET /emulator/users` | members with the apps whose visible range includes them, and the apps (with whether each has a callback URL) |
//! | `GET /emulator/users/{userid}/inbox[?agentid=&limit=200]` | one member's view, newest first: each message with that member's `status` (`delivered`, `dropped`, `recalled`, or `sent` for their own messages to an app), their copy's `card` state (with their last action on it, `member_action`), the body, and the stored `media` it refers to |
//! | `GET /emulator/users/{userid}/conversations` | the member's conversations, as the inbox lists them: one per app, group chat and AI bot, each with its newest message (`last: {preview, at_ms, from}`), its `unread` count and whether the member can write there (`can_send`, `cannot_send`); the apps and whether the member is in their visible range; the emulator's `now_ms` |
//! | `POST /emulator/users/{userid}/conversations/{key}/read` | the member opened the conversation (`app:{agentid}`, `group:{chatid}`, `aibot:{botid}`): its unread count drops to 0 |
//! | `GET /emulator/events` | changes as server-sent events named `message_accepted`, `card_updated`, `recalled`, `callback`, `reset` (data: the [`Event`] as JSON); opens with `ready`; `lagged` when a slow reader missed some |
//! | `GET /emulator/media/{media_id}` | uploaded temporary media without a token, also after the 3 days of `media/get` |
//! | `GET /emulator/messages/{msgid}/body` | a message body byte for byte as received |
//!
//! AI bots (智能机器人) have their own admin routes under `/emulator/aibots/` and a live page
//! at `/aibot`; see the `[[aibots]]` section of the configuration and [`AibotConfig`]. Bots in
//! HTTP mode get encrypted callbacks; bots in WebSocket mode dial the long-connection endpoint
//! [`EmulatorHandle::aibot_ws_url`] (`ws://HOST:PORT/aibot/ws`) and speak WeCom's frames
//! (`aibot_subscribe`, `aibot_msg_callback`, `aibot_respond_msg`, `aibot_send_msg`, chunked
//! uploads, `disconnected_event`), with connection faults under
//! `/emulator/aibots/{botid}/ws/faults`. Their turns follow the same retention as messages;
//! `GET /emulator/aibots/{botid}/turns` answers `retention` (counted over all bots), and a
//! forgotten turn answers as an unknown one (404 in the admin API, 40008 on its
//! `response_url`, 846605 on its WebSocket `req_id`).
//!
//! Member actions wait for the callback delivery and answer with its record (add
//! `?wait=false` to answer at once). Card actions hand out a fresh `ResponseCode`.
//!
//! The admin API has no authentication; it answers only under a `Host` of this machine
//! (`localhost`, its IP addresses, or [`Options::allowed_hosts`]), refuses requests from other
//! web pages (`Origin`, `Sec-Fetch-Site`; [`Options::allowed_origins`]), and requires
//! `Content-Type: application/json` for a state-changing request with a body (`curl -H
//! 'content-type: application/json' -d '{"seconds": 60}' …/emulator/clock/advance`).
//!
//! # Web inbox
//!
//! Open [`EmulatorHandle::base_url`] (the banner prints it) in a browser. It is laid out like
//! the WeCom client: pick a member on the left; the middle pane lists their conversations —
//! one per app, group chat and AI bot — with the newest message's preview, its time and an
//! unread count (messages since the member last opened it; opening clears it); the right pane
//! shows the open conversation as a chat, oldest first and newest at the bottom, with date
//! separators (today, yesterday, a date) by the emulator's clock, kept scrolled to the newest
//! and live (server-sent events, or polling with `/?transport=poll`). Messages render as the
//! WeCom client shows them — text with links, textcard, news, mpnews (its HTML in a sandboxed
//! frame without scripts), the markdown subset, miniprogram_notice, images, voice, video and
//! files from the stored uploads, and all five template cards. Recalled copies show as
//! recalled, dropped ones as not delivered. Act as the member: press card buttons, tick
//! options and submit a vote or selection (the card then shows what was chosen), pick an
//! action-menu item, or write to the app or the AI bot; the callback goes to the app and its
//! answer — a passive reply, `update_button`, `update_template_card` — shows up in place. A
//! member outside every app's visible range sees which apps exist and that none has them in
//! range, instead of a send box. Each message has a JSON view of its body exactly as
//! received. `/#alice` opens alice's newest conversation, `/#alice/app:1000002` that app's.
//!
//! The page is plain HTML, CSS and JavaScript modules compiled into the binary (no build step,
//! nothing fetched from elsewhere), served with a strict Content-Security-Policy; message
//! content only ever becomes DOM text, and only `http(s)` links open. It works with the
//! keyboard and on narrow windows.
//!
//! # Acting as a member from Rust
//!
//! [`EmulatorHandle::member`] gives a typed [`Member`] (send an app a text, click, submit,
//! read the inbox, groups, ask an AI bot) over the admin API, with typed errors
//! ([`AdminApiError`]); [`AdminClient`] does the same for an emulator in another process.
//! With the `client` feature, `EmulatorHandle::client(agentid)` returns a `wecom::Client`
//! (the `wecom-sdk` crate) for that app, pointed at the emulator. The demo corp calls back to
//! `http://127.0.0.1:3000/wecom/callback` (where `wecom listen` listens);
//! [`EmulatorBuilder::callback_url`] points it elsewhere.
//!
//! # Embedding
//!
//! [`app`] gives the [`axum::Router`] for your own server; [`EmulatorState::subscribe`]
//! broadcasts changes ([`Event`]) for live views. Call [`EmulatorState::close_streams`]
//! before a graceful shutdown of your server, or open event streams keep it waiting.

mod admin;
mod admin_client;
mod aibot;
pub(crate) mod api;
mod callback;
pub mod clock;
pub mod config;
mod events;
mod faults;
mod guard;
mod hash;
mod ids;
mod inbox;
mod persist;
mod server;
mod signal;
mod state;
mod stats;
mod validate;

pub use admin_client::{
    AdminApiError, AdminClient, AibotTurn, GroupInfo, InboxMessage, InboxStatus, Member,
    StreamAnswer,
};
pub use aibot::{AibotConfig, AibotMode};
pub use callback::{Attempt, CallbackRecord, FailureReason, Outcome, ReplyRecord};
pub use clock::Clock;
pub use config::{
    AppConfig, BotConfig, Config, ConfigError, DEMO_CHAT_APP, DEMO_WEBHOOK_KEY, DepartmentConfig,
    GroupConfig, Options, Secret, TagConfig, UserConfig,
};
pub use events::Event;
pub use faults::{Fault, FaultKind};
pub use persist::StateFileError;
pub use server::{AppCredentials, Emulator, EmulatorBuilder, EmulatorHandle, Error, run};
pub use signal::shutdown_signal;
pub use state::{
    AppChat, Attachment, CardState, Direction, EmulatorState, GroupKind, GroupMessage, MediaKind,
    MemberAction, Message, Origin, Recipient, Status,
};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// The emulator's HTTP application: the WeCom API under `/cgi-bin/`, the admin API under
/// `/emulator/`, and the web inbox at `/`.
///
/// The admin API and the inbox refuse requests from other web pages (see the
/// [`Options::allowed_hosts`] and [`Options::allowed_origins`] settings).
pub fn app(state: EmulatorState) -> axum::Router {
    let local = admin::router()
        .merge(aibot::router())
        .merge(inbox::router())
        .layer(axum::middleware::from_fn_with_state(state.clone(), guard::guard));
    api::router(state.clone()).merge(aibot::api_router()).merge(local).with_state(state)
}
