//! WeCom's `{errcode, errmsg}` answers. Every API error of the emulator is an [`ApiError`]:
//! HTTP 200 with the documented code and a WeCom-style `errmsg` — base text, the emulator's
//! precise reason (which field, which limit), a `hint`, and the `more info at …` suffix.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The error codes the emulator answers with (§8.1 of the protocol reference).
#[allow(missing_docs)]
pub(crate) mod code {
    pub(crate) const SYSTEM_BUSY: i64 = -1;
    pub(crate) const INVALID_SECRET: i64 = 40001;
    pub(crate) const INVALID_USERID: i64 = 40003;
    pub(crate) const INVALID_MEDIA_FILE_TYPE: i64 = 40004;
    pub(crate) const INVALID_MEDIA_TYPE: i64 = 40005;
    pub(crate) const INVALID_FILE_SIZE: i64 = 40006;
    pub(crate) const INVALID_MEDIA_ID: i64 = 40007;
    pub(crate) const INVALID_MSGTYPE: i64 = 40008;
    pub(crate) const INVALID_IMAGE_SIZE: i64 = 40009;
    pub(crate) const INVALID_VIDEO_SIZE: i64 = 40011;
    pub(crate) const INVALID_CORPID: i64 = 40013;
    pub(crate) const INVALID_TOKEN: i64 = 40014;
    pub(crate) const USER_LIST_TOO_LONG: i64 = 40032;
    pub(crate) const INVALID_AGENTID: i64 = 40056;
    pub(crate) const INVALID_PARAMETER: i64 = 40058;
    pub(crate) const REQUIRED_EMPTY: i64 = 40063;
    pub(crate) const NEWS_NOT_SAFE: i64 = 40074;
    pub(crate) const TOKEN_MISSING: i64 = 41001;
    pub(crate) const CORPID_MISSING: i64 = 41002;
    pub(crate) const SECRET_MISSING: i64 = 41004;
    pub(crate) const MEDIA_ID_MISSING: i64 = 41006;
    pub(crate) const AGENTID_MISSING: i64 = 41011;
    pub(crate) const TITLE_MISSING: i64 = 41016;
    pub(crate) const DESCRIPTION_MISSING: i64 = 41033;
    pub(crate) const TOKEN_EXPIRED: i64 = 42001;
    pub(crate) const TASK_ID_INVALID: i64 = 42014;
    pub(crate) const UPDATE_APP_MISMATCH: i64 = 42015;
    pub(crate) const EMPTY_MEDIA: i64 = 44001;
    pub(crate) const EMPTY_CONTENT: i64 = 44004;
    pub(crate) const MEDIA_TOO_LARGE: i64 = 45001;
    pub(crate) const CONTENT_TOO_LARGE: i64 = 45002;
    pub(crate) const VOICE_TOO_LONG: i64 = 45007;
    pub(crate) const TOO_MANY_ARTICLES: i64 = 45008;
    pub(crate) const FREQUENCY_LIMIT: i64 = 45009;
    pub(crate) const AUTHOR_TOO_LONG: i64 = 45032;
    pub(crate) const URL_WITHOUT_SCHEME: i64 = 45034;
    pub(crate) const API_FORBIDDEN: i64 = 48002;
    pub(crate) const ALL_RECIPIENTS_INVALID: i64 = 81013;
    pub(crate) const NO_RECIPIENTS: i64 = 82001;
    pub(crate) const PARTY_LIST_TOO_LONG: i64 = 82002;
    pub(crate) const TAG_LIST_TOO_LONG: i64 = 82003;
    pub(crate) const AGENT_NOT_ALLOWED: i64 = 301_002;
    pub(crate) const WEBHOOK_INVALID: i64 = 93000;
    pub(crate) const WEBHOOK_DISABLED: i64 = 93004;
    pub(crate) const WEBHOOK_EMPTY_CONTENT: i64 = 93017;
    pub(crate) const WEBHOOK_IMAGE_TOO_LARGE: i64 = 93018;
}

/// WeCom's base text for a code.
fn base_text(errcode: i64) -> &'static str {
    match errcode {
        -1 => "system busy",
        40001 => "invalid credential, access_token is invalid or not latest",
        40003 => "invalid userid",
        40004 => "invalid media type",
        40005 => "invalid file type",
        40006 => "invalid file size",
        40007 => "invalid media_id",
        40008 => "invalid message type",
        40009 => "invalid image size",
        40011 => "invalid video size",
        40013 => "invalid corpid",
        40014 => "invalid access_token",
        40032 => "invalid user list size",
        40056 => "invalid agentid",
        40058 => "invalid parameter",
        40063 => "some parameters are empty",
        40074 => "news message not support safe",
        41001 => "access_token missing",
        41002 => "corpid missing",
        41004 => "corpsecret missing",
        41006 => "media_id missing",
        41011 => "agentid missing",
        41016 => "title missing",
        41033 => "description missing",
        42001 => "access_token expired",
        42014 => "invalid task_id",
        42015 => "update app is not the sending app",
        44001 => "empty media data",
        44004 => "empty content",
        45001 => "media size out of limit",
        45002 => "content size out of limit",
        45007 => "playtime out of limit",
        45008 => "article size out of limit",
        45009 => "reach max api daily quota limit",
        45032 => "author size out of limit",
        45034 => "invalid url",
        48002 => "api forbidden",
        81013 => "user & party & tag all invalid",
        82001 => "touser & toparty & totag all empty",
        82002 => "invalid party list size",
        82003 => "invalid tag list size",
        301_002 => "not allow to operate another agent",
        93000 => "invalid webhook url",
        93004 => "webhook disabled",
        93017 => "request content empty",
        93018 => "image size out of limit",
        _ => "error",
    }
}

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
        msg.push_str(base_text(self.errcode));
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
