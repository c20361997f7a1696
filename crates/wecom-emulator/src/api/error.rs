//! WeCom's `{errcode, errmsg}` answers. Every API error of the emulator is an [`ApiError`]:
//! HTTP 200 with the documented code and a WeCom-style `errmsg` — base text, the emulator's
//! precise reason (which field, which limit), a `hint`, and the `more info at …` suffix.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The error codes the emulator answers with: the project's one table.
pub(crate) use wecom_model::codes as code;

/// A WeCom API error: the code and the emulator's precise reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    /// The `errcode`.
    pub(crate) errcode: i64,
    /// What exactly was wrong (field path, limit), appended to WeCom's base text.
    pub(crate) detail: Cow<'static, str>,
    /// Whether to append WeCom's `Warning: wrong json format.` (type mismatches, bad JSON).
    pub(crate) json_warning: bool,
}

impl ApiError {
    /// An error with a reason.
    pub(crate) fn new(errcode: i64, detail: impl Into<Cow<'static, str>>) -> Self {
        Self { errcode, detail: detail.into(), json_warning: false }
    }

    /// 40058 for malformed or mistyped JSON, with WeCom's warning text.
    pub(crate) fn wrong_json(detail: impl Into<Cow<'static, str>>) -> Self {
        Self { errcode: code::INVALID_PARAMETER, detail: detail.into(), json_warning: true }
    }

    /// The full `errmsg`.
    pub(crate) fn errmsg(&self) -> String {
        static HINT: AtomicU64 = AtomicU64::new(1);
        let hint = HINT.fetch_add(1, Ordering::Relaxed);
        let mut msg = String::with_capacity(160 + self.detail.len());
        if self.json_warning {
            msg.push_str("Warning: wrong json format. ");
        }
        msg.push_str(code::errmsg(self.errcode).unwrap_or("error"));
        if !self.detail.is_empty() {
            msg.push_str(": ");
            msg.push_str(&self.detail);
        }
        let _ = write!(
            msg,
            ", hint: [emu{hint:08x}], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e={}",
            self.errcode
        );
        msg
    }

    /// The JSON body.
    pub(crate) fn body(&self) -> String {
        let errmsg = serde_json::to_string(&self.errmsg()).unwrap_or_else(|_| "\"\"".to_owned());
        format!("{{\"errcode\":{},\"errmsg\":{errmsg}}}", self.errcode)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "errcode {}: {}", self.errcode, self.detail)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // The detail names fields and limits, never a secret or a token.
        tracing::info!(errcode = self.errcode, "refused: {}", self.detail);
        json_response(self.body())
    }
}

/// A 200 response with a JSON body, as WeCom sends everything.
pub(crate) fn json_response(body: String) -> Response {
    let mut resp = (StatusCode::OK, body).into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=UTF-8"));
    resp
}
