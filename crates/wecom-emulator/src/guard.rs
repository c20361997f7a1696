//! Protection of the admin API and the web inbox against other web pages. The admin API has
//! no authentication (it is a local development tool), so a page on another site that the
//! developer happens to open must not be able to drive it:
//!
//! - **`Host`** must name this machine (`localhost`, a loopback address, the bound address,
//!   any IP literal when bound to all interfaces) or a name listed in
//!   [`Options::allowed_hosts`](crate::Options::allowed_hosts). A DNS-rebinding page reaches
//!   the emulator under its own domain name, so its requests carry that name and are refused.
//! - **`Origin`**, when a browser sends one, must be this server's own origin (or one listed
//!   in [`Options::allowed_origins`](crate::Options::allowed_origins)).
//! - **State-changing requests** (`POST`, `PUT`, `DELETE`, `PATCH`) with a body must say
//!   `Content-Type: application/json`: the content types a page can send without a CORS
//!   preflight (forms, `text/plain`) are refused, and the emulator answers no preflight.
//!   They, and `GET /emulator/config?secrets=true`, are also refused when the browser marks
//!   them as coming from another site (`Sec-Fetch-Site`).
//!
//! The WeCom API under `/cgi-bin/` is not guarded: SDKs call it under any host name, with
//! credentials.

use std::net::IpAddr;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::admin::AdminError;
use crate::state::EmulatorState;

/// The middleware: refuses requests that fail one of the checks with 403 (415 for a wrong
/// content type) and the reason.
pub(crate) async fn guard(
    State(state): State<EmulatorState>,
    req: Request,
    next: Next,
) -> Response {
    match check(&state, req.method(), req.uri().query(), req.uri().path(), req.headers()) {
        Ok(()) => next.run(req).await,
        Err(e) => {
            tracing::warn!(path = %req.uri().path(), reason = %e.1, "admin request refused");
            e.into_response()
        }
    }
}

fn forbidden(msg: impl Into<String>) -> AdminError {
    AdminError(StatusCode::FORBIDDEN, msg.into())
}

/// The host part of an authority (`name:port`, `[v6]:port`), lower-cased.
fn host_of(authority: &str) -> String {
    let host = if let Some(rest) = authority.strip_prefix('[') {
        rest.split_once(']').map_or(rest, |(h, _)| h)
    } else {
        authority.rsplit_once(':').map_or(authority, |(h, _)| h)
    };
    host.trim_end_matches('.').to_ascii_lowercase()
}

fn host_allowed(state: &EmulatorState, host: &str) -> bool {
    if host == "localhost" {
        return true;
    }
    if let Ok(ip) = host.parse::<IpAddr>() {
        // A rebinding attack needs a domain name; an IP literal is not one. Loopback is this
        // machine; any other address must be the one bound, or the server listens on all.
        let bound = state.bound_addr().map(|a| a.ip());
        return ip.is_loopback() || bound.is_none_or(|b| b == ip || b.is_unspecified());
    }
    let opts = &state.config().options;
    opts.allowed_hosts.iter().any(|h| host_of(h) == host)
}

fn check(
    state: &EmulatorState,
    method: &Method,
    query: Option<&str>,
    path: &str,
    headers: &HeaderMap,
) -> Result<(), AdminError> {
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let host = text(header::HOST);
    if let Some(host) = host
        && !host_allowed(state, &host_of(host))
    {
        return Err(forbidden(format!(
            "Host {host:?} is not this machine; add it to options.allowed_hosts to use the admin API under that name"
        )));
    }
    if let Some(origin) = text(header::ORIGIN) {
        let own = origin
            .split_once("://")
            .is_some_and(|(_, authority)| host.is_some_and(|h| h.eq_ignore_ascii_case(authority)));
        let listed = state.config().options.allowed_origins.iter().any(|o| o == origin);
        if !(own || listed) {
            return Err(forbidden(format!(
                "requests from the page at {origin} are not allowed; add it to options.allowed_origins"
            )));
        }
    }
    let changes = !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    let secrets = path == "/emulator/config"
        && crate::api::query_param(query, "secrets").is_some_and(|v| v != "false");
    if changes || secrets {
        let site = text(header::HeaderName::from_static("sec-fetch-site"));
        if site.is_some_and(|s| s != "same-origin" && s != "none") {
            return Err(forbidden("requests from other sites are not allowed here"));
        }
    }
    if changes && let Some(ct) = text(header::CONTENT_TYPE) {
        let mime = ct.split(';').next().unwrap_or("").trim();
        if !mime.eq_ignore_ascii_case("application/json") {
            return Err(AdminError(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("send the body as Content-Type: application/json, not {mime:?}"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::host_of;

    #[test]
    fn hosts_are_read_without_port_or_brackets() {
        assert_eq!(host_of("LocalHost:8025"), "localhost");
        assert_eq!(host_of("[::1]:8025"), "::1");
        assert_eq!(host_of("127.0.0.1"), "127.0.0.1");
        assert_eq!(host_of("evil.example."), "evil.example");
    }
}
