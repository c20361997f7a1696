//! The web inbox at `/`: a page a developer keeps open while building a WeCom app, laid out
//! like the WeCom client. Pick a member, see their conversations (one per app, group chat
//! and AI bot, with the newest message and an unread count), open one to read it as a chat
//! (oldest first, newest at the bottom, live), rendered the way the client shows it, and act
//! as the member — press card buttons, vote, pick action-menu items, write to the app or the
//! bot — to watch the callbacks and the answers land.
//!
//! The page is plain HTML, CSS and JavaScript modules from `web/`, compiled into the binary.
//! It renders message content only through DOM text nodes (never as HTML), opens only
//! `http(s)` links, and shows `mpnews` HTML in a sandboxed frame without scripts. It reads the
//! admin API, plus the routes here: the member list, a member's view, the member's
//! conversations and read positions, the change stream (server-sent events), stored media
//! without a token, and a message body byte for byte.

mod aibot;
mod conversations;
mod reads;
mod stream;
mod view;

pub(crate) use reads::ReadMarks;

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::state::EmulatorState;

/// The page's files: name, content type, content.
const ASSETS: &[(&str, &str, &str)] = &[
    ("inbox.css", "text/css; charset=utf-8", include_str!("../web/inbox.css")),
    ("app.js", "text/javascript; charset=utf-8", include_str!("../web/app.js")),
    ("dom.js", "text/javascript; charset=utf-8", include_str!("../web/dom.js")),
    ("rich.js", "text/javascript; charset=utf-8", include_str!("../web/rich.js")),
    ("messages.js", "text/javascript; charset=utf-8", include_str!("../web/messages.js")),
    ("cards.js", "text/javascript; charset=utf-8", include_str!("../web/cards.js")),
    ("actions.js", "text/javascript; charset=utf-8", include_str!("../web/actions.js")),
    ("groups.js", "text/javascript; charset=utf-8", include_str!("../web/groups.js")),
    ("markdown_v2.js", "text/javascript; charset=utf-8", include_str!("../web/markdown_v2.js")),
    ("groups.css", "text/css; charset=utf-8", include_str!("../web/groups.css")),
    ("chat.js", "text/javascript; charset=utf-8", include_str!("../web/chat.js")),
    ("appmessages.js", "text/javascript; charset=utf-8", include_str!("../web/appmessages.js")),
    ("botchat.js", "text/javascript; charset=utf-8", include_str!("../web/botchat.js")),
    ("conversations.js", "text/javascript; charset=utf-8", include_str!("../web/conversations.js")),
];

const INDEX: &str = include_str!("../web/index.html");

/// The page's own code comes from this origin only and nothing may frame it. Message content
/// may point at images anywhere (as in WeCom); `style-src 'unsafe-inline'` is there only for
/// the inline styles of `mpnews` HTML in its sandboxed `srcdoc` frame, which inherits this
/// policy — the page itself never writes markup from message content.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                   img-src 'self' http: https: data: blob:; media-src 'self'; connect-src 'self'; \
                   frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The page, its files, and the routes it reads besides the admin API.
pub(crate) fn router() -> Router<EmulatorState> {
    Router::new()
        .route("/", get(index))
        .route("/inbox/{file}", get(asset))
        .merge(view::router())
        .merge(conversations::router())
        .merge(stream::router())
        .merge(aibot::router())
}

fn with_headers(body: &'static str, content_type: &'static str) -> Response {
    let mut resp = body.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // The files are small and change with the binary: always revalidate.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    resp
}

async fn index() -> Response {
    let mut resp = with_headers(INDEX, "text/html; charset=utf-8");
    let h = resp.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    resp
}

async fn asset(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == file) {
        Some((_, content_type, body)) => with_headers(body, content_type),
        None => (StatusCode::NOT_FOUND, "no such file").into_response(),
    }
}
