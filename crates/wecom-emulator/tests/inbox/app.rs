//! A real callback app for the browser tests, built on wecom-crypto's `MsgCrypt` the way an
//! app would be: it verifies and decrypts each callback and
//! - answers a `button_interaction` click with an encrypted passive `update_button` reply,
//! - answers a vote at once (empty 200) and later (when the test says) calls
//!   `message/update_template_card` over HTTP with the callback's `ResponseCode`, replacing
//!   the card with a disabled one,
//! - answers an action-menu pick and a text with a passive text reply.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde_json::{Value, json};
use wecom_crypto::MsgCrypt;

use super::support::{BOT, Emu};

/// What the app got: each decrypted callback, and the answers of its API calls.
#[derive(Clone, Default)]
pub(crate) struct Log {
    pub(crate) callbacks: Arc<Mutex<Vec<String>>>,
    pub(crate) api_answers: Arc<Mutex<Vec<Value>>>,
    /// The app closes a vote only once this is notified.
    pub(crate) release_vote: Arc<tokio::sync::Notify>,
}

#[derive(Clone)]
struct App {
    crypt: Arc<MsgCrypt>,
    http: reqwest::Client,
    base_url: String,
    corp_id: String,
    secret: String,
    log: Log,
}

/// The text of the first `<name>` element (CDATA unwrapped).
pub(crate) fn tag<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    all_tags(xml, name).into_iter().next()
}

/// The texts of every `<name>` element.
pub(crate) fn all_tags<'a>(xml: &'a str, name: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{name}>"), format!("</{name}>"));
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        let Some(end) = after.find(&close) else { break };
        let v = &after[..end];
        out.push(v.strip_prefix("<![CDATA[").and_then(|v| v.strip_suffix("]]>")).unwrap_or(v));
        rest = &after[end + close.len()..];
    }
    out
}

fn reply_xml(corp_id: &str, to: &str, msgtype: &str, inner: &str) -> String {
    format!(
        "<xml><ToUserName><![CDATA[{to}]]></ToUserName><FromUserName><![CDATA[{corp_id}]]></FromUserName>\
         <CreateTime>1700000001</CreateTime><MsgType><![CDATA[{msgtype}]]></MsgType>{inner}</xml>"
    )
}

impl App {
    /// The plaintext passive reply to a callback, if any.
    fn answer(&self, inner: &str) -> Option<String> {
        let user = tag(inner, "FromUserName")?.to_owned();
        let text = |content: &str| {
            reply_xml(
                &self.corp_id,
                &user,
                "text",
                &format!("<Content><![CDATA[{content}]]></Content>"),
            )
        };
        match (tag(inner, "MsgType")?, tag(inner, "Event"), tag(inner, "CardType")) {
            ("text", _, _) => Some(text(&format!("echo: {}", tag(inner, "Content")?))),
            ("event", Some("template_card_event"), Some("button_interaction")) => {
                let verdict =
                    if tag(inner, "EventKey") == Some("approve") { "Approved" } else { "Rejected" };
                Some(reply_xml(
                    &self.corp_id,
                    &user,
                    "update_button",
                    &format!(
                        "<Button><ReplaceName><![CDATA[{verdict} by {user}]]></ReplaceName></Button>"
                    ),
                ))
            }
            ("event", Some("template_card_event"), Some("vote_interaction")) => {
                let code = tag(inner, "ResponseCode")?.to_owned();
                let chosen: Vec<String> =
                    all_tags(inner, "OptionId").into_iter().map(str::to_owned).collect();
                let app = self.clone();
                // Answer now, update later: what an app does when its work takes a while.
                tokio::spawn(async move {
                    app.log.release_vote.notified().await;
                    app.close_vote(&code, &chosen).await;
                });
                None
            }
            ("event", Some("template_card_menu_event"), _) => {
                Some(text(&format!("menu: {}", tag(inner, "EventKey")?)))
            }
            _ => None,
        }
    }

    async fn close_vote(&self, code: &str, chosen: &[String]) {
        let token: Value = self
            .http
            .get(format!(
                "{}/cgi-bin/gettoken?corpid={}&corpsecret={}",
                self.base_url, self.corp_id, self.secret
            ))
            .send()
            .await
            .expect("gettoken")
            .json()
            .await
            .expect("gettoken JSON");
        let token = token["access_token"].as_str().expect("a token");
        let options: Vec<Value> = [("a", "Noodles"), ("b", "Rice"), ("c", "Dumplings")]
            .iter()
            .map(|(id, text)| {
                json!({ "id": id, "text": text, "is_checked": chosen.iter().any(|c| c == id) })
            })
            .collect();
        let body = json!({
            "agentid": BOT,
            "response_code": code,
            "template_card": {
                "card_type": "vote_interaction",
                "main_title": { "title": "Lunch?" },
                "checkbox": { "question_key": "lunch", "mode": 1, "disable": true, "option_list": options },
                "submit_button": { "text": "Submit", "key": "lunch_submit" },
                "replace_text": format!("Voted: {}", chosen.join(", ")),
            }
        });
        let answer: Value = self
            .http
            .post(format!(
                "{}/cgi-bin/message/update_template_card?access_token={token}",
                self.base_url
            ))
            .json(&body)
            .send()
            .await
            .expect("update_template_card")
            .json()
            .await
            .expect("update_template_card JSON");
        self.log.api_answers.lock().unwrap().push(answer);
    }
}

async fn callback(
    State(app): State<App>,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let (Some(sig), Some(ts), Some(nonce)) =
        (q.get("msg_signature"), q.get("timestamp"), q.get("nonce"))
    else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let inner = match app.crypt.decrypt_post(sig, ts, nonce, &body) {
        Ok(inner) => inner,
        Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    };
    app.log.callbacks.lock().unwrap().push(inner.clone());
    match app.answer(&inner) {
        Some(xml) => match app.crypt.encrypt_reply(&xml, ts, nonce) {
            Ok(reply) => reply.into_response(),
            Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
        },
        None => StatusCode::OK.into_response(),
    }
}

/// Starts the app on 127.0.0.1:0 and makes it the Build bot's callback URL.
pub(crate) async fn start(emu: &Emu) -> Log {
    let creds = emu.handle.app(BOT).expect("the Build bot");
    let crypt = MsgCrypt::new(
        creds.callback_token.expect("a token").expose(),
        creds.encoding_aes_key.expect("a key").expose(),
        emu.handle.corp_id(),
    )
    .expect("callback crypto");
    let log = Log::default();
    let app = App {
        crypt: Arc::new(crypt),
        http: emu.http.clone(),
        base_url: emu.handle.base_url().to_owned(),
        corp_id: emu.handle.corp_id().to_owned(),
        secret: creds.secret.expose().to_owned(),
        log: log.clone(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/wecom", listener.local_addr().unwrap());
    let router = axum::Router::new().route("/wecom", axum::routing::post(callback)).with_state(app);
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let (status, v) = emu
        .admin(
            reqwest::Method::PUT,
            &format!("/emulator/apps/{BOT}/callback"),
            Some(json!({ "url": url })),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    log
}
