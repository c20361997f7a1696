//! A scriptable mock of WeCom's API: issues tokens, records every request, and answers
//! scripted replies per path (falling back to realistic defaults).

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::sync::Notify;
use wecom::{Client, ClientBuilder, RetryPolicy};

pub(crate) const CORP: &str = "ww-test-corp";
pub(crate) const AGENT: i64 = 1_000_002;
/// Distinctive so a leak is easy to find in logs and errors.
pub(crate) const SECRET: &str = "CORP-SECRET-VALUE-0123456789";
/// Tokens the mock issues are `TOKEN_PREFIX` + a number.
pub(crate) const TOKEN_PREFIX: &str = "ACCESS-TOKEN-VALUE-";

pub(crate) fn token(n: usize) -> String {
    format!("{TOKEN_PREFIX}{n}")
}

/// A scripted answer.
#[derive(Clone)]
pub(crate) enum Reply {
    /// HTTP 200 with this JSON.
    Json(Value),
    /// This status and raw body (sent as `application/json`).
    Raw(u16, &'static str),
    /// HTTP 200 with these headers and this body (a file download).
    File(Vec<(&'static str, String)>, Bytes),
    /// Wait, then answer.
    Delay(Duration, Box<Reply>),
    /// Wait until the gate opens, then answer.
    Gate(Arc<Notify>, Box<Reply>),
}

impl Reply {
    pub(crate) fn err(code: i64, msg: &str) -> Reply {
        Reply::Json(json!({ "errcode": code, "errmsg": msg }))
    }

    pub(crate) fn delayed(self, by: Duration) -> Reply {
        Reply::Delay(by, Box::new(self))
    }
}

/// One request as the mock saw it.
#[derive(Clone, Debug)]
pub(crate) struct Recorded {
    pub(crate) method: Method,
    /// The request target as sent: absolute-form (`http://host/path?q`) through a proxy.
    pub(crate) uri: Uri,
    /// The API path from `/cgi-bin/` on, whatever prefix the base URL had.
    pub(crate) path: String,
    pub(crate) query: HashMap<String, String>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Recorded {
    pub(crate) fn token(&self) -> Option<&str> {
        self.query.get("access_token").map(String::as_str)
    }

    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("JSON body")
    }
}

#[derive(Default)]
struct MockState {
    requests: Mutex<Vec<Recorded>>,
    scripts: Mutex<HashMap<String, VecDeque<Reply>>>,
    issued: Mutex<HashSet<String>>,
    revoked: Mutex<HashMap<String, i64>>,
    tokens: AtomicUsize,
    ids: AtomicUsize,
    gettoken_delay: Mutex<Duration>,
    /// API requests (not `gettoken`) being answered right now, and the most at once.
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

pub(crate) struct Mock {
    pub(crate) url: String,
    state: Arc<MockState>,
}

impl Mock {
    pub(crate) async fn start() -> Mock {
        let state = Arc::new(MockState::default());
        let app = Router::new().fallback(handle).with_state(Arc::clone(&state));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Mock { url, state }
    }

    /// A client for this mock with instant retries.
    pub(crate) fn client(&self) -> ClientBuilder {
        Client::builder(CORP, AGENT, SECRET).base_url(&self.url).retry_policy(fast_retries())
    }

    /// Queues replies for `path` (e.g. `/cgi-bin/message/send`), used before the defaults.
    pub(crate) fn script(&self, path: &str, replies: impl IntoIterator<Item = Reply>) {
        self.state.scripts.lock().unwrap().entry(path.to_owned()).or_default().extend(replies);
    }

    /// From now on, calls with `token` are answered with `code` (as WeCom does for an
    /// expired or invalidated token).
    pub(crate) fn revoke(&self, token: &str, code: i64) {
        self.state.revoked.lock().unwrap().insert(token.to_owned(), code);
    }

    pub(crate) fn gettoken_delay(&self, delay: Duration) {
        *self.state.gettoken_delay.lock().unwrap() = delay;
    }

    pub(crate) fn requests(&self, path: &str) -> Vec<Recorded> {
        self.state.requests.lock().unwrap().iter().filter(|r| r.path == path).cloned().collect()
    }

    pub(crate) fn all_requests(&self) -> Vec<Recorded> {
        self.state.requests.lock().unwrap().clone()
    }

    pub(crate) fn count(&self, path: &str) -> usize {
        self.requests(path).len()
    }

    /// The most API requests (`gettoken` aside) the mock was answering at the same time.
    pub(crate) fn max_in_flight(&self) -> usize {
        self.state.max_in_flight.load(Ordering::SeqCst)
    }

    pub(crate) fn gettokens(&self) -> usize {
        self.count("/cgi-bin/gettoken")
    }
}

pub(crate) fn fast_retries() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(1)).max_delay(Duration::from_millis(4))
}

async fn handle(
    State(state): State<Arc<MockState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let full_path = uri.path();
    let path = full_path.find("/cgi-bin/").map_or(full_path, |i| &full_path[i..]).to_owned();
    let query: HashMap<String, String> =
        url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
    let recorded = Recorded { method, uri: uri.clone(), path: path.clone(), query, headers, body };
    state.requests.lock().unwrap().push(recorded.clone());

    let counted = path != "/cgi-bin/gettoken";
    if counted {
        let now = state.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        state.max_in_flight.fetch_max(now, Ordering::SeqCst);
    }
    let scripted = state.scripts.lock().unwrap().get_mut(&path).and_then(VecDeque::pop_front);
    let reply = match scripted {
        Some(reply) => reply,
        None => default_reply(&state, &recorded).await,
    };
    let response = respond(reply).await;
    if counted {
        state.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
    response
}

async fn respond(mut reply: Reply) -> Response {
    loop {
        match reply {
            Reply::Json(v) => {
                return ([(header::CONTENT_TYPE, "application/json")], v.to_string())
                    .into_response();
            }
            Reply::Raw(status, body) => {
                return (
                    StatusCode::from_u16(status).unwrap(),
                    [(header::CONTENT_TYPE, "application/json")],
                    body,
                )
                    .into_response();
            }
            Reply::File(headers, body) => {
                let mut response = body.into_response();
                for (name, value) in headers {
                    response.headers_mut().insert(name, value.parse().unwrap());
                }
                return response;
            }
            Reply::Delay(by, next) => {
                tokio::time::sleep(by).await;
                reply = *next;
            }
            Reply::Gate(gate, next) => {
                gate.notified().await;
                reply = *next;
            }
        }
    }
}

async fn default_reply(state: &MockState, req: &Recorded) -> Reply {
    if req.path == "/cgi-bin/gettoken" {
        if req.query.get("corpid").map(String::as_str) != Some(CORP) {
            return Reply::err(40013, "invalid corpid");
        }
        if req.query.get("corpsecret").map(String::as_str) != Some(SECRET) {
            return Reply::err(40001, "invalid credential");
        }
        let delay = *state.gettoken_delay.lock().unwrap();
        tokio::time::sleep(delay).await;
        let n = state.tokens.fetch_add(1, Ordering::SeqCst) + 1;
        state.issued.lock().unwrap().insert(token(n));
        return Reply::Json(json!({
            "errcode": 0, "errmsg": "ok", "access_token": token(n), "expires_in": 7200
        }));
    }
    match req.token() {
        None => return Reply::err(41001, "access_token missing"),
        Some(t) => {
            if let Some(code) = state.revoked.lock().unwrap().get(t) {
                return Reply::err(*code, "access_token expired");
            }
            if !state.issued.lock().unwrap().contains(t) {
                return Reply::err(40014, "invalid access_token");
            }
        }
    }
    let n = state.ids.fetch_add(1, Ordering::SeqCst) + 1;
    Reply::Json(match req.path.as_str() {
        "/cgi-bin/message/send" => {
            json!({ "errcode": 0, "errmsg": "ok", "msgid": format!("MSG-{n}") })
        }
        "/cgi-bin/media/upload" => json!({
            "errcode": 0, "errmsg": "", "type": req.query.get("type"),
            "media_id": format!("MEDIA-{n}"), "created_at": "1380000000"
        }),
        "/cgi-bin/media/uploadimg" => {
            json!({ "errcode": 0, "errmsg": "", "url": format!("http://p.qpic.cn/pic_wework/{n}/0") })
        }
        _ => json!({ "errcode": 0, "errmsg": "ok" }),
    })
}

/// A TCP port with nothing listening.
pub(crate) async fn closed_port_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}
