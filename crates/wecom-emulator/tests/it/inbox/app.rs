//! A real callback app for the browser tests, built the way an app would be: wecom-callback's
//! `CallbackServer` (signature check, decryption, typed callbacks, encrypted passive
//! replies) with a handler that
//! - answers a `button_interaction` click with a passive `update_button` reply,
//! - answers a vote with no reply and later (when the test says) calls
//!   `message/update_template_card` over HTTP with the callback's `ResponseCode`, replacing
//!   the card with a disabled one,
//! - answers an action-menu pick and a text with a passive text reply.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use wecom_callback::{Callback, CallbackServer, EventBody, MessageBody, Reply};
use wecom_msgcrypt::MsgCrypt;

use super::support::{BOT, Emu};

/// What the app got: each callback, and the answers of its API calls.
#[derive(Clone, Default)]
pub(crate) struct Log {
    pub(crate) callbacks: Arc<Mutex<Vec<Callback>>>,
    pub(crate) api_answers: Arc<Mutex<Vec<Value>>>,
    /// The app closes a vote only once this is notified.
    pub(crate) release_vote: Arc<tokio::sync::Notify>,
}

impl Log {
    /// The card events received (`template_card_event` and `template_card_menu_event`), as
    /// (member, card type, event key, selected items as (question, options)).
    pub(crate) fn card_events(&self) -> Vec<CardEvent> {
        self.callbacks
            .lock()
            .unwrap()
            .iter()
            .filter_map(|c| match c {
                Callback::Event(e) => match &e.body {
                    EventBody::TemplateCardEvent(click) => Some(CardEvent {
                        user: e.header.from_user_name.clone(),
                        menu: false,
                        card_type: click.card_type.to_string(),
                        task_id: click.task_id.clone(),
                        key: click.event_key.clone(),
                        selected: click
                            .selected_items
                            .iter()
                            .map(|s| (s.question_key.clone(), s.option_ids.clone()))
                            .collect(),
                    }),
                    EventBody::TemplateCardMenuEvent(pick) => Some(CardEvent {
                        user: e.header.from_user_name.clone(),
                        menu: true,
                        card_type: pick.card_type.to_string(),
                        task_id: pick.task_id.clone(),
                        key: pick.event_key.clone(),
                        selected: Vec::new(),
                    }),
                    _ => None,
                },
                _ => None,
            })
            .collect()
    }

    /// The texts members sent.
    pub(crate) fn texts(&self) -> Vec<String> {
        self.callbacks
            .lock()
            .unwrap()
            .iter()
            .filter_map(|c| match c {
                Callback::Message(m) => match &m.body {
                    MessageBody::Text(t) => Some(t.content.clone()),
                    _ => None,
                },
                _ => None,
            })
            .collect()
    }
}

/// A card event as the app saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CardEvent {
    pub(crate) user: String,
    pub(crate) menu: bool,
    pub(crate) card_type: String,
    pub(crate) task_id: String,
    pub(crate) key: String,
    pub(crate) selected: Vec<(String, Vec<String>)>,
}

#[derive(Clone)]
struct App {
    http: reqwest::Client,
    base_url: String,
    corp_id: String,
    secret: String,
    log: Log,
}

impl App {
    /// The passive reply to a callback, if any.
    fn handle(self, callback: Callback) -> Option<Reply> {
        self.log.callbacks.lock().unwrap().push(callback.clone());
        let user = callback.header().from_user_name.clone();
        match callback {
            Callback::Message(m) => match m.body {
                MessageBody::Text(t) => Some(Reply::text(format!("echo: {}", t.content))),
                _ => None,
            },
            Callback::Event(e) => match e.body {
                EventBody::TemplateCardEvent(click) if click.card_type == "button_interaction" => {
                    let verdict =
                        if click.event_key == "approve" { "Approved" } else { "Rejected" };
                    Some(Reply::update_button(format!("{verdict} by {user}")))
                }
                EventBody::TemplateCardEvent(click) if click.card_type == "vote_interaction" => {
                    let chosen: Vec<String> =
                        click.selected_items.into_iter().flat_map(|s| s.option_ids).collect();
                    // Answer now, update later: what an app does when its work takes a while.
                    tokio::spawn(async move {
                        self.log.release_vote.notified().await;
                        self.close_vote(&click.response_code, &chosen).await;
                    });
                    None
                }
                EventBody::TemplateCardMenuEvent(pick) => {
                    Some(Reply::text(format!("menu: {}", pick.event_key)))
                }
                _ => None,
            },
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
        http: emu.http.clone(),
        base_url: emu.handle.base_url().to_owned(),
        corp_id: emu.handle.corp_id().to_owned(),
        secret: creds.secret.expose().to_owned(),
        log: log.clone(),
    };
    let server = CallbackServer::new(crypt, move |callback: Callback| {
        let reply = app.clone().handle(callback);
        async move { Ok::<_, Infallible>(reply) }
    });
    let router = axum::Router::new().nest("/wecom", server.into_router());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/wecom", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let (status, v) = emu
        .admin(
            reqwest::Method::PUT,
            &format!("/emulator/apps/{BOT}/callback"),
            Some(json!({ "url": url, "verify": true })),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    log
}
