//! The WeCom API under `/cgi-bin/`, answered like WeCom: HTTP 200 with `{errcode, errmsg, …}`.
//! One module per endpoint; this one holds the router, the query-string helper, the
//! access-token check every endpoint starts with, and the fault-injection middleware.

mod appchat;
pub(crate) mod error;
mod linkedcorp;
pub(crate) mod media;
mod recall;
pub(crate) mod send;
mod statistics;
mod token;
pub(crate) mod update;
mod webhook;

use std::borrow::Cow;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::faults::Action;
use crate::state::EmulatorState;
use error::{ApiError, code, json_response};

/// Body limit of JSON endpoints: an `mpnews` of 8 articles of 666 KB fits.
const JSON_BODY_LIMIT: usize = 6 * 1024 * 1024;
/// Body limit of uploads: the largest temporary media (20 MB) plus multipart overhead.
pub(crate) const UPLOAD_BODY_LIMIT: usize = 20 * 1024 * 1024 + 64 * 1024;

/// The `/cgi-bin/` routes.
pub(crate) fn router(state: EmulatorState) -> Router<EmulatorState> {
    let uploads = Router::new()
        .route("/cgi-bin/media/upload", post(media::upload).fallback(wrong_method))
        .route("/cgi-bin/media/uploadimg", post(media::uploadimg).fallback(wrong_method))
        .route("/cgi-bin/webhook/upload_media", post(webhook::upload).fallback(wrong_method))
        .layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT));
    Router::new()
        .route("/cgi-bin/gettoken", get(token::gettoken).fallback(wrong_method))
        .route("/cgi-bin/message/send", post(send::send).fallback(wrong_method))
        .route("/cgi-bin/message/recall", post(recall::recall).fallback(wrong_method))
        .route(
            "/cgi-bin/message/update_template_card",
            post(update::update_template_card).fallback(wrong_method),
        )
        .route(
            "/cgi-bin/message/get_statistics",
            post(statistics::statistics).fallback(wrong_method),
        )
        .route("/cgi-bin/appchat/create", post(appchat::create).fallback(wrong_method))
        .route("/cgi-bin/appchat/update", post(appchat::update).fallback(wrong_method))
        .route("/cgi-bin/appchat/get", get(appchat::get).fallback(wrong_method))
        .route("/cgi-bin/appchat/send", post(appchat::send).fallback(wrong_method))
        .route("/cgi-bin/linkedcorp/message/send", post(linkedcorp::send).fallback(wrong_method))
        .route("/cgi-bin/media/get", get(media::get).fallback(wrong_method))
        .route("/cgi-bin/getcallbackip", get(getcallbackip).fallback(wrong_method))
        .route("/cgi-bin/webhook/send", post(webhook::send).fallback(wrong_method))
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
        .merge(uploads)
        .fallback(unknown_api)
        .layer(middleware::from_fn_with_state(state, faults))
}

/// Armed faults answer before the endpoint runs (or delay it).
async fn faults(State(state): State<EmulatorState>, req: Request, next: Next) -> Response {
    state.inner.stats.call(req.uri().path());
    match state.inner.faults.take(req.uri().path()) {
        Some(Action::Errcode(errcode)) => {
            let detail = if errcode == code::SYSTEM_BUSY {
                "injected fault"
            } else {
                "injected fault, api freq out of limit"
            };
            ApiError::new(errcode, detail).into_response()
        }
        Some(Action::Stall(d)) => {
            // A client that times out hangs up, and the server would drop this future with
            // the connection; WeCom finishes the call anyway (the case a client cannot tell
            // from a lost one), so it runs to the end in a task of its own.
            let call = tokio::spawn(async move {
                tokio::time::sleep(d).await;
                next.run(req).await
            });
            call.await
                .unwrap_or_else(|e| ApiError::new(code::SYSTEM_BUSY, e.to_string()).into_response())
        }
        None => next.run(req).await,
    }
}

/// WeCom answers a GET where POST is required (and the reverse) with 40058.
async fn wrong_method(req: Request) -> Response {
    let want = if req.method() == axum::http::Method::GET { "POST" } else { "GET" };
    ApiError::new(
        code::INVALID_PARAMETER,
        format!("{} {} must be called with {want}", req.method(), req.uri().path()),
    )
    .into_response()
}

async fn unknown_api(req: Request) -> Response {
    // WeCom answers unknown cgi paths with a JSON error too.
    ApiError::new(code::INVALID_PARAMETER, format!("unknown api path {}", req.uri().path()))
        .into_response()
}

/// `GET /cgi-bin/getcallbackip`: the addresses callbacks come from (loopback here).
async fn getcallbackip(State(state): State<EmulatorState>, uri: axum::http::Uri) -> Response {
    if let Err(e) = auth(&state, uri.query()) {
        return e.into_response();
    }
    json_response(r#"{"errcode":0,"errmsg":"ok","ip_list":["127.0.0.1"]}"#.to_owned())
}

/// The value of query parameter `name`, percent-decoded (`+` is a space).
pub(crate) fn query_param<'a>(query: Option<&'a str>, name: &str) -> Option<Cow<'a, str>> {
    let query = query?;
    for pair in query.split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        if k == name {
            return Some(percent_decode(v));
        }
    }
    None
}

fn percent_decode(s: &str) -> Cow<'_, str> {
    if !s.bytes().any(|b| b == b'%' || b == b'+') {
        return Cow::Borrowed(s);
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// Checks the `access_token` query parameter; returns the token's app.
///
/// Missing or empty → 41001 (WeCom reads the token only from the URL, so a token in the body
/// counts as missing); unknown → 40014; expired → 42001.
pub(crate) fn auth(state: &EmulatorState, query: Option<&str>) -> Result<i64, ApiError> {
    let token = query_param(query, "access_token").filter(|t| !t.is_empty()).ok_or_else(|| {
        ApiError::new(
            code::MISSING_ACCESS_TOKEN,
            "access_token must be given in the URL query string",
        )
    })?;
    let now = state.clock().now_ms();
    state.tokens().check(&token, now, state.config().options.expired_token_errcode)
}

#[cfg(test)]
mod tests {
    use super::query_param;

    #[test]
    fn query_params_are_found_and_decoded() {
        let q = Some("a=1&access_token=x%2By+z&type=image&bad=%zz&end=%4");
        assert_eq!(query_param(q, "access_token").as_deref(), Some("x+y z"));
        assert_eq!(query_param(q, "type").as_deref(), Some("image"));
        assert_eq!(query_param(q, "bad").as_deref(), Some("%zz"));
        assert_eq!(query_param(q, "end").as_deref(), Some("%4"));
        assert_eq!(query_param(q, "missing"), None);
        assert_eq!(query_param(None, "a"), None);
    }
}
