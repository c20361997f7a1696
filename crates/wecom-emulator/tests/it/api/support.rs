//! Helpers: start an emulator, get tokens, call the API and the admin API.

use serde_json::{Value, json};
use wecom_emulator::{Config, Emulator, EmulatorHandle};

pub(crate) const BOT: i64 = 1_000_002;
pub(crate) const NOTICES: i64 = 1_000_003;

pub(crate) struct Emu {
    pub(crate) handle: EmulatorHandle,
    pub(crate) http: reqwest::Client,
}

impl Emu {
    pub(crate) async fn demo() -> Self {
        Self::with(Config::demo()).await
    }

    /// The demo corp without its whole-corp chat app, so that erin is outside every app's
    /// visible range.
    pub(crate) async fn demo_erin_outside() -> Self {
        let mut config = Config::demo();
        config.apps.retain(|a| a.agentid != wecom_emulator::DEMO_CHAT_APP);
        Self::with(config).await
    }

    /// The demo corp changed by `config`, its HTTP-mode AI bot calling a server that answers
    /// 200 with no body (the bot never answers: each question stays a turn without a reply).
    pub(crate) async fn with_quiet_bot(config: impl FnOnce(&mut Config)) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/bot", listener.local_addr().unwrap());
        let router = axum::Router::new().route("/bot", axum::routing::post(|| async { "" }));
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        let mut c = Config::demo();
        c.aibots[0].callback_url = Some(url);
        config(&mut c);
        Self::with(c).await
    }

    pub(crate) async fn with(config: Config) -> Self {
        let handle = Emulator::start(config).await.expect("emulator starts");
        Self { handle, http: reqwest::Client::builder().no_proxy().build().unwrap() }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.handle.base_url())
    }

    pub(crate) async fn token(&self, agentid: i64) -> String {
        let app = self.handle.app(agentid).expect("app exists");
        let v = self
            .get_json(&format!(
                "/cgi-bin/gettoken?corpid={}&corpsecret={}",
                self.handle.corp_id(),
                app.secret.expose()
            ))
            .await;
        assert_eq!(v["errcode"], 0, "{v}");
        v["access_token"].as_str().unwrap().to_owned()
    }

    pub(crate) async fn get_json(&self, path: &str) -> Value {
        let resp = self.http.get(self.url(path)).send().await.unwrap();
        resp.json().await.unwrap()
    }

    pub(crate) async fn post_raw(&self, path: &str, body: impl Into<reqwest::Body>) -> Value {
        let resp = self.http.post(self.url(path)).body(body).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        resp.json().await.unwrap()
    }

    pub(crate) async fn post_json(&self, path: &str, body: &Value) -> Value {
        self.post_raw(path, body.to_string()).await
    }

    /// `message/send` with the app's token.
    pub(crate) async fn send(&self, agentid: i64, body: &Value) -> Value {
        let token = self.token(agentid).await;
        self.post_json(&format!("/cgi-bin/message/send?access_token={token}"), body).await
    }

    /// A text message from the Build bot.
    pub(crate) async fn send_text(&self, touser: &str, content: &str) -> Value {
        self.send(BOT, &text(touser, content)).await
    }

    pub(crate) async fn admin(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self.http.request(method, self.url(path));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap())
    }

    pub(crate) async fn admin_post(&self, path: &str, body: Value) -> Value {
        let (status, v) = self.admin(reqwest::Method::POST, path, Some(body)).await;
        assert_eq!(status, 200, "{path}: {v}");
        v
    }

    pub(crate) async fn advance(&self, seconds: u64) {
        self.admin_post("/emulator/clock/advance", json!({ "seconds": seconds })).await;
    }

    pub(crate) async fn messages(&self, query: &str) -> Vec<Value> {
        let v = self.get_json(&format!("/emulator/messages{query}")).await;
        v["messages"].as_array().unwrap().clone()
    }

    pub(crate) async fn message(&self, msgid: &str) -> Value {
        self.get_json(&format!("/emulator/messages/{msgid}")).await
    }
}

pub(crate) fn text(touser: &str, content: &str) -> Value {
    json!({ "touser": touser, "msgtype": "text", "agentid": BOT, "text": { "content": content } })
}

/// Asserts a WeCom error code, and that errmsg carries WeCom's suffix.
#[track_caller]
pub(crate) fn assert_errcode(v: &Value, code: i64) {
    assert_eq!(v["errcode"], code, "expected errcode {code}, got {v}");
    let msg = v["errmsg"].as_str().unwrap();
    assert!(
        msg.contains(&format!(
            "more info at https://open.work.weixin.qq.com/devtool/query?e={code}"
        )),
        "{msg}"
    );
}

/// The status of `userid`'s copy of a message.
pub(crate) fn status_of(message: &Value, userid: &str) -> String {
    message["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["userid"] == userid)
        .map(|r| r["status"].as_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// The doc's `button_interaction` example (§2.13).
pub(crate) fn button_card(task_id: &str) -> Value {
    json!({
        "touser": "alice|bob",
        "msgtype": "template_card",
        "agentid": BOT,
        "template_card": {
            "card_type": "button_interaction",
            "source": { "icon_url": "https://example.com/i.png", "desc": "Release bot", "desc_color": 0 },
            "main_title": { "title": "Deploy v1.4 to prod?", "desc": "requested by bob" },
            "sub_title_text": "3 services, 12 pods",
            "horizontal_content_list": [ { "keyname": "Env", "value": "prod" } ],
            "card_action": { "type": 1, "url": "https://ci.example.com/r/14" },
            "task_id": task_id,
            "button_selection": {
                "question_key": "window",
                "title": "Window",
                "option_list": [ { "id": "now", "text": "Now" }, { "id": "night", "text": "Tonight" } ],
                "selected_id": "now"
            },
            "button_list": [
                { "text": "Approve", "style": 1, "key": "approve" },
                { "text": "Reject", "style": 2, "key": "reject" },
                { "type": 1, "text": "Logs", "url": "https://ci.example.com/r/14/logs" }
            ]
        }
    })
}

/// The doc's `vote_interaction` fragment (§2.13) in a full body.
pub(crate) fn vote_card(task_id: &str) -> Value {
    json!({
        "touser": "alice",
        "msgtype": "template_card",
        "agentid": BOT,
        "template_card": {
            "card_type": "vote_interaction",
            "main_title": { "title": "Lunch?" },
            "task_id": task_id,
            "checkbox": { "question_key": "lunch", "mode": 1,
                "option_list": [ { "id": "a", "text": "Noodles", "is_checked": false },
                                 { "id": "b", "text": "Rice", "is_checked": true } ] },
            "submit_button": { "text": "Submit", "key": "lunch_submit" }
        }
    })
}

/// The smallest PNG header that passes the magic-byte check, padded.
pub(crate) fn png_bytes(len: usize) -> Vec<u8> {
    let mut data = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    data.resize(len.max(8), 0);
    data
}

/// AMR-NB (12.2 kbit/s frames of 20 ms) lasting `ms`.
pub(crate) fn amr_bytes(ms: usize) -> Vec<u8> {
    let mut data = b"#!AMR\n".to_vec();
    for _ in 0..ms / 20 {
        data.push(0x3C);
        data.extend([0u8; 31]);
    }
    data
}

impl Emu {
    /// Uploads a file as the `media` part; returns the JSON answer.
    pub(crate) async fn upload(
        &self,
        agentid: i64,
        path_and_type: &str,
        filename: Option<&str>,
        data: Vec<u8>,
    ) -> Value {
        let token = self.token(agentid).await;
        let mut part = reqwest::multipart::Part::bytes(data);
        if let Some(f) = filename {
            part = part.file_name(f.to_owned());
        }
        let form = reqwest::multipart::Form::new().part("media", part);
        let sep = if path_and_type.contains('?') { '&' } else { '?' };
        let resp = self
            .http
            .post(self.url(&format!("{path_and_type}{sep}access_token={token}")))
            .multipart(form)
            .send()
            .await
            .unwrap();
        resp.json().await.unwrap()
    }

    /// Uploads an image and returns its media id.
    pub(crate) async fn image_media(&self) -> String {
        let v = self
            .upload(BOT, "/cgi-bin/media/upload?type=image", Some("a.png"), png_bytes(64))
            .await;
        assert_eq!(v["errcode"], 0, "{v}");
        v["media_id"].as_str().unwrap().to_owned()
    }
}
