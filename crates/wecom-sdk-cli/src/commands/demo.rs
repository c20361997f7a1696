//! `wecom demo`: everything at once, offline, in a few seconds — an emulated corp, an app
//! with its callback server (built on `wecom-callback`), one message of every kind and every
//! template card (media uploaded first), a member clicking a button card and voting, both
//! cards updated from their callbacks (a passive `update_button` reply for one, the SDK's
//! `update_template_card` with the callback's ResponseCode for the other), a recall, and a
//! transcript of each step ending with the web inbox address.

mod aibot;
mod group;
mod picture;
mod samples;

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, anyhow};
use clap::Args;
use serde_json::{Value, json};
use tokio::sync::mpsc;
use wecom::message::{Message, Recipients};
use wecom::{Client, UpdateTemplateCard};
use wecom::{MsgId, ResponseCode};
use wecom_callback::{Callback, CallbackServer, EventBody, MessageBody, Reply};
use wecom_emulator::{Config, Emulator, EmulatorHandle};
use wecom_msgcrypt::MsgCrypt;

use crate::client;
use crate::commands::emulator::inbox_url;
use crate::output::Output;
use samples::{APPROVE_KEY, APPROVED_TEXT, LUNCH_CHOICE, LUNCH_QUESTION, Uploaded};

/// Arguments of `demo`.
#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// Keep the emulator and the callback app running until Ctrl-C, to browse the inbox.
    #[arg(long)]
    pub(crate) serve: bool,
    /// The emulator's port (0 picks a free one) [default: with --serve 8025 if it is free,
    /// else a free one; without, a free one].
    #[arg(long)]
    pub(crate) port: Option<u16>,
}

/// The port `demo --serve` keeps when it is free, so a browser tab survives a restart.
const SERVE_PORT: u16 = 8025;

/// The emulator's address: `--port`, else 8025 when serving and free, else a free port; and a
/// note when 8025 was taken.
fn demo_addr(args: &DemoArgs) -> (SocketAddr, Option<String>) {
    let at = |port| SocketAddr::from(([127, 0, 0, 1], port));
    match (args.port, args.serve) {
        (Some(port), _) => (at(port), None),
        (None, false) => (at(0), None),
        (None, true) => match std::net::TcpListener::bind(at(SERVE_PORT)) {
            Ok(probe) => {
                drop(probe);
                (at(SERVE_PORT), None)
            }
            Err(e) => (
                at(0),
                Some(format!(
                    "port {SERVE_PORT} is not free ({e}): the emulator gets a free port instead; its address is printed below (`--port N` chooses one)"
                )),
            ),
        },
    }
}

/// The app the demo plays (the demo corp's "Build bot") and its members.
const AGENT_ID: i64 = 1_000_002;
const ALICE: &str = "alice";
const BOB: &str = "bob";

/// Prints the transcript as it goes and keeps its steps for `--json`.
struct Transcript {
    out: Output,
    steps: Vec<Value>,
}

impl Transcript {
    fn heading(&mut self, text: &str) {
        self.out.line(&format!("\n{text}"));
    }

    fn step(&mut self, text: &str, value: Value) {
        self.out.line(&format!("  {text}"));
        self.steps.push(value);
    }
}

/// Runs `demo`.
pub(crate) fn run(args: &DemoArgs, out: Output) -> Result<ExitCode> {
    let rt = client::runtime()?;
    rt.block_on(demo(args, out))?;
    Ok(ExitCode::SUCCESS)
}

async fn demo(args: &DemoArgs, out: Output) -> Result<()> {
    let started = Instant::now();
    let mut config = Config::demo();
    let bot_task = aibot::start(&mut config).await?;
    let (addr, port_note) = demo_addr(args);
    if let Some(note) = port_note {
        out.note(&note);
    }
    let emu = Emulator::builder()
        .config(config)
        .addr(addr)
        .start()
        .await
        .context("cannot start the emulator")?;
    let app = emu.app(AGENT_ID).ok_or_else(|| anyhow!("the demo corp has no app {AGENT_ID}"))?;
    let (Some(token), Some(key)) = (&app.callback_token, &app.encoding_aes_key) else {
        return Err(anyhow!("the demo app has no callback settings"));
    };
    let crypt = MsgCrypt::new(token.expose(), key.expose(), emu.corp_id())?;
    let mut t = Transcript { out, steps: Vec::new() };
    out.line("wecom demo — a WeCom corp emulated on this machine, an app, its callback server.");

    // The app's callback server: every callback goes to the transcript; it answers a click
    // on the button card with `update_button`, and a member's text with a text.
    let (tx, mut callbacks) = mpsc::unbounded_channel::<Callback>();
    let server = CallbackServer::new(crypt, move |callback: Callback| {
        let reply = passive_reply(&callback);
        let _ = tx.send(callback);
        async move { Ok::<_, std::convert::Infallible>(reply) }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let callback_url = format!("http://{}/", listener.local_addr()?);
    let server_task = tokio::spawn(server.serve_on(listener));
    let http = reqwest::Client::builder().no_proxy().build()?;
    admin(
        &http,
        reqwest::Method::PUT,
        &format!("{}/emulator/apps/{AGENT_ID}/callback", emu.base_url()),
        &json!({ "url": callback_url, "verify": true }),
    )
    .await?;
    t.heading("1. Start");
    t.step(
        &format!("emulator     {} (corp {}, app {AGENT_ID} \"{}\")", emu.base_url(), emu.corp_id(), app.name),
        json!({ "step": "start", "emulator": emu.base_url(), "corp_id": emu.corp_id(), "agent_id": AGENT_ID }),
    );
    t.step(
        &format!("callback app {callback_url} (URL verified by the emulator: echostr decrypted)"),
        json!({ "step": "callback_url", "url": callback_url, "verified": true }),
    );

    let client = Client::builder(emu.corp_id(), AGENT_ID, app.secret.expose())
        .base_url(emu.base_url())
        .build()?;
    let uploaded = upload(&client, &mut t).await?;
    let sent = send_all(&client, &uploaded, &mut t).await?;
    let msgid = |kind: &str| {
        sent.iter()
            .find(|(k, _, _)| k.ends_with(kind))
            .map(|(_, id, _)| id.clone())
            .unwrap_or_default()
    };

    // alice clicks "Approve": the callback's passive reply greys the button out for her.
    t.heading(&format!("4. {ALICE} clicks \"Approve\" on the button card"));
    let button_msgid = msgid("button_interaction");
    let record = admin(
        &http,
        reqwest::Method::POST,
        &format!("{}/emulator/users/{ALICE}/cards/{button_msgid}/click", emu.base_url()),
        &json!({ "key": APPROVE_KEY }),
    )
    .await?;
    let click = next_callback(&mut callbacks).await?;
    t.step(
        &describe(&click),
        json!({ "step": "callback", "callback": serde_json::to_value(&click)? }),
    );
    let reply = &record["reply"];
    t.step(
        &format!(
            "passive reply: update_button \"{APPROVED_TEXT}\" — emulator: {}",
            reply["detail"].as_str().unwrap_or("no reply recorded")
        ),
        json!({ "step": "update_button", "text": APPROVED_TEXT, "applied": reply["applied"], "detail": reply["detail"] }),
    );
    card_state(&emu, &button_msgid, &mut t);

    // alice votes: the callback carries a ResponseCode, used with update_template_card.
    t.heading(&format!("5. {ALICE} votes \"Noodles\" on the vote card"));
    let vote_msgid = msgid("vote_interaction");
    admin(
        &http,
        reqwest::Method::POST,
        &format!("{}/emulator/users/{ALICE}/cards/{vote_msgid}/submit", emu.base_url()),
        &json!({ "selections": { LUNCH_QUESTION: [LUNCH_CHOICE] } }),
    )
    .await?;
    let vote = next_callback(&mut callbacks).await?;
    t.step(
        &describe(&vote),
        json!({ "step": "callback", "callback": serde_json::to_value(&vote)? }),
    );
    let Callback::Event(event) = &vote else { return Err(anyhow!("expected a card event")) };
    let EventBody::TemplateCardEvent(click) = &event.body else {
        return Err(anyhow!("expected a template_card_event"));
    };
    let task_id = wecom::card::TaskId::new(click.task_id.clone());
    let mut updated = samples::vote_card(task_id).replace_text("Voted: Noodles");
    updated.checkbox = updated.checkbox.disable(true);
    let response = client
        .update_template_card(UpdateTemplateCard::replace_card(
            &click.response_code,
            Recipients::user(ALICE),
            updated,
        ))
        .await?;
    t.step(
        &format!(
            "update_template_card (SDK) with the callback's ResponseCode: card replaced for {ALICE}{}",
            if response.invalid_users.is_empty() { String::new() } else { format!(", not for {:?}", response.invalid_users) }
        ),
        json!({ "step": "update_template_card", "response_code": click.response_code, "invalid_users": response.invalid_users }),
    );
    card_state(&emu, &vote_msgid, &mut t);

    // bob writes to the app and gets a passive text reply.
    t.heading(&format!("6. {BOB} writes to the app"));
    let record = admin(
        &http,
        reqwest::Method::POST,
        &format!("{}/emulator/users/{BOB}/messages", emu.base_url()),
        &json!({ "agentid": AGENT_ID, "msgtype": "text", "content": "status?" }),
    )
    .await?;
    let message = next_callback(&mut callbacks).await?;
    t.step(
        &describe(&message),
        json!({ "step": "callback", "callback": serde_json::to_value(&message)? }),
    );
    t.step(
        &format!(
            "passive reply: text — emulator: {}",
            record["reply"]["detail"].as_str().unwrap_or("-")
        ),
        json!({ "step": "reply_text", "applied": record["reply"]["applied"] }),
    );

    t.heading("7. Recall the text message");
    let text_msgid = msgid("text");
    client.recall(&text_msgid).await?;
    t.step(&format!("recalled {text_msgid}"), json!({ "step": "recall", "msgid": text_msgid }));

    aibot::ask(&http, &emu, &mut t).await?;
    t.heading("9. The alert bot posts to the \"Ops alerts\" group through its webhook");
    let group_posts = group::post(&emu, &mut t).await?;

    let inbox = inbox_url(&emu);
    // Without --serve the emulator stops when the demo ends, so say how to keep it open
    // rather than print an address that is about to go away.
    let inbox_line = if args.serve {
        format!("Open the inbox: {inbox}")
    } else {
        format!(
            "Web inbox: {inbox} (it stops with the demo: run `wecom demo --serve` to keep it open)"
        )
    };
    out.line(&format!(
        "\nDone in {:.2} s: {} messages sent, 2 cards updated, 1 recalled, {group_posts} group \
         posts.\n{inbox_line}",
        started.elapsed().as_secs_f64(),
        sent.len()
    ));
    if out.is_json() {
        out.result(
            "",
            &json!({ "ok": true, "inbox": inbox, "emulator": emu.base_url(), "steps": t.steps }),
        );
    }
    if args.serve {
        out.line(&format!(
            "Serving until Ctrl-C: emulator {} (inbox {inbox}), callback app {callback_url}",
            emu.base_url()
        ));
        if let Some(line) = super::emulator::export_line(&emu) {
            out.line(&format!("Point the CLI at it:\n  {line}"));
        }
        tokio::signal::ctrl_c().await?;
    }
    server_task.abort();
    bot_task.abort();
    let _ = emu.shutdown().await;
    Ok(())
}

/// The callback app's passive replies.
fn passive_reply(callback: &Callback) -> Option<Reply> {
    match callback {
        Callback::Event(e) => match &e.body {
            EventBody::TemplateCardEvent(c) if c.event_key == APPROVE_KEY => {
                Some(Reply::update_button(APPROVED_TEXT))
            }
            _ => None,
        },
        Callback::Message(m) => match &m.body {
            MessageBody::Text(_) => Some(Reply::text("All green: build #42 is deployed.")),
            _ => None,
        },
        _ => None,
    }
}

/// A call to the emulator's admin API; its JSON answer.
async fn admin(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    body: &Value,
) -> Result<Value> {
    let response = http.request(method, url).json(body).send().await?;
    let status = response.status();
    let value: Value = response.json().await.unwrap_or(Value::Null);
    if !status.is_success() {
        return Err(anyhow!("emulator admin API {url} answered {status}: {value}"));
    }
    Ok(value)
}

async fn next_callback(rx: &mut mpsc::UnboundedReceiver<Callback>) -> Result<Callback> {
    tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .ok()
        .flatten()
        .ok_or_else(|| anyhow!("the callback app received nothing within 5 s"))
}

fn describe(callback: &Callback) -> String {
    let v = serde_json::to_value(callback).unwrap_or_default();
    match callback {
        Callback::Event(_) => format!(
            "callback received: {} from {}, key {}, task {}, ResponseCode {}{}",
            v["event"].as_str().unwrap_or("?"),
            v["from_user_name"].as_str().unwrap_or("?"),
            v["event_key"].as_str().unwrap_or("-"),
            v["task_id"].as_str().unwrap_or("-"),
            v["response_code"].as_str().unwrap_or("-"),
            match v["selected_items"].as_array() {
                Some(items) if !items.is_empty() =>
                    format!(", selected {}", Value::Array(items.clone())),
                _ => String::new(),
            }
        ),
        _ => format!(
            "callback received: {} {} from {}: {:?}",
            v["type"].as_str().unwrap_or("?"),
            v["msgtype"].as_str().unwrap_or("?"),
            v["from_user_name"].as_str().unwrap_or("?"),
            v["content"].as_str().unwrap_or("")
        ),
    }
}

/// What alice's copy of a card looks like in the emulator now.
fn card_state(emu: &EmulatorHandle, msgid: &str, t: &mut Transcript) {
    let messages = emu.state().messages();
    let Some(card) = messages
        .iter()
        .find(|m| m.msgid == msgid)
        .and_then(|m| m.recipient(ALICE))
        .and_then(|r| r.card.as_deref())
    else {
        return;
    };
    let mut what = Vec::new();
    if let Some(text) = &card.button_text {
        what.push(format!("button \"{text}\""));
    }
    if card.disabled {
        what.push("disabled".to_owned());
    }
    if card.replaced_card.is_some() {
        what.push("card replaced".to_owned());
    }
    t.step(
        &format!("{ALICE}'s copy in the emulator: {}", what.join(", ")),
        json!({ "step": "card_state", "msgid": msgid, "button_text": card.button_text, "disabled": card.disabled, "replaced": card.replaced_card.is_some() }),
    );
}

/// Uploads the media of the media kinds and the picture for news and cards.
async fn upload(client: &Client, t: &mut Transcript) -> Result<Uploaded> {
    t.heading("2. Upload media");
    let mut ids = Vec::new();
    for (kind, media) in samples::media() {
        let name = media.file_name().to_owned();
        let up = client.upload_media(kind, media).await?;
        t.step(
            &format!("{:<6} {name:<18} → media_id {}", kind.as_str(), up.media_id),
            json!({ "step": "upload", "type": kind, "file": name, "media_id": up.media_id }),
        );
        ids.push(up.media_id.into_string());
    }
    let picture_url = client.upload_image(samples::picture()).await?;
    t.step(
        &format!("permanent image cover.png → {picture_url}"),
        json!({ "step": "uploadimg", "url": picture_url }),
    );
    let [image, voice, video, file]: [String; 4] =
        ids.try_into().map_err(|_| anyhow!("expected four uploads"))?;
    Ok(Uploaded { image, voice, video, file, picture_url })
}

/// Sends every kind to alice and bob; (kind, msgid, response code) of each.
async fn send_all(
    client: &Client,
    uploaded: &Uploaded,
    t: &mut Transcript,
) -> Result<Vec<(&'static str, MsgId, Option<ResponseCode>)>> {
    t.heading(&format!("3. Send one message of every kind to {ALICE} and {BOB}"));
    let mut sent = Vec::new();
    for (kind, message) in samples::messages(uploaded) {
        let task = match &message {
            Message::TemplateCard(card) => card.task_id().map(|id| id.as_str().to_owned()),
            _ => None,
        };
        let receipt = client.send(Recipients::users([ALICE, BOB]), message).await?;
        let mut text = format!("{kind:<36} msgid {}", receipt.msgid);
        if let Some(code) = &receipt.response_code {
            let _ = write!(text, "  response_code {code}");
        }
        t.step(
            &text,
            json!({ "step": "send", "kind": kind, "msgid": receipt.msgid, "response_code": receipt.response_code, "task_id": task }),
        );
        sent.push((kind, receipt.msgid, receipt.response_code));
    }
    Ok(sent)
}
