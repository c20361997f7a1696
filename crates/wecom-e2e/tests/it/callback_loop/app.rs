//! The app under test: a `CallbackServer` on 127.0.0.1:0, registered as the Build bot's
//! callback URL through WeCom's URL verification, recording what its handler was called
//! with.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::IntoResponse;
use serde_json::{Value, json};
use wecom_callback::callback::TemplateCardClick;
use wecom_callback::{Callback, CallbackServer, EventBody, Handler, Reply};
use wecom_msgcrypt::MsgCrypt;

use super::support::{BOT, Env};

/// What the app's handler was called with.
#[derive(Clone, Default)]
pub(crate) struct Seen(Arc<Mutex<Vec<Callback>>>);

impl Seen {
    pub(crate) fn push(&self, callback: &Callback) {
        self.0.lock().unwrap().push(callback.clone());
    }

    pub(crate) fn all(&self) -> Vec<Callback> {
        self.0.lock().unwrap().clone()
    }

    /// The one card event the handler saw.
    pub(crate) fn only_card_click(&self) -> (String, TemplateCardClick) {
        let all = self.all();
        assert_eq!(all.len(), 1, "{all:?}");
        match &all[0] {
            Callback::Event(e) => match &e.body {
                EventBody::TemplateCardEvent(click) => {
                    assert_eq!(e.header.agent_id, Some(BOT));
                    (e.header.from_user_name.clone(), click.clone())
                }
                other => panic!("not a card event: {other:?}"),
            },
            other => panic!("not an event: {other:?}"),
        }
    }
}

/// The Build bot's callback crypto, as its admin configured it.
pub(crate) fn crypt(env: &Env, aes_key: Option<&str>) -> MsgCrypt {
    let app = env.emu.app(BOT).unwrap();
    let key = app.encoding_aes_key.unwrap();
    MsgCrypt::new(
        app.callback_token.unwrap().expose(),
        aes_key.unwrap_or(key.expose()),
        env.emu.corp_id(),
    )
    .unwrap()
}

/// Serves `handler` on 127.0.0.1:0 at `/wecom/callback`, answering the first `fail_first`
/// callbacks with HTTP 500 *after* the server handled them (a response lost on the way), and
/// registers it as the Build bot's callback URL with WeCom's URL verification. Returns the
/// HTTP status and answer of the registration.
pub(crate) async fn register(
    env: &Env,
    crypt: MsgCrypt,
    handler: impl Handler,
    fail_first: usize,
) -> (u16, Value) {
    let failures = Arc::new(AtomicUsize::new(fail_first));
    let lose_answers = axum::middleware::from_fn(move |req: Request, next: Next| {
        let failures = Arc::clone(&failures);
        async move {
            let post = req.method() == Method::POST;
            let response = next.run(req).await;
            let fail = post
                && failures
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok();
            if fail { StatusCode::INTERNAL_SERVER_ERROR.into_response() } else { response }
        }
    });
    let app = axum::Router::new()
        .nest("/wecom/callback", CallbackServer::new(crypt, handler).into_router())
        .layer(lose_answers);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/wecom/callback", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    env.admin(
        "PUT",
        &format!("/emulator/apps/{BOT}/callback"),
        json!({ "url": url, "verify": true }),
    )
    .await
}

/// Registers an app whose handler records every callback and answers with `reply`.
pub(crate) async fn app_replying(env: &Env, reply: fn(&Callback) -> Option<Reply>) -> Seen {
    let seen = Seen::default();
    let recorder = seen.clone();
    let handler = move |callback: Callback| {
        recorder.push(&callback);
        let answer = reply(&callback);
        async move { Ok::<_, std::convert::Infallible>(answer) }
    };
    let (status, v) = register(env, crypt(env, None), handler, 0).await;
    assert_eq!((status, &v["verified"]), (200, &json!(true)), "{v}");
    seen
}
