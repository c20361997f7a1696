//! `wecom aibot connect` against a scripted WebSocket server and against the emulator's
//! WebSocket endpoint, and `wecom aibot listen` driven by the emulator's AI bot in HTTP
//! mode: --exec streams the command's output,
//! --reply, --jsonl, exit statuses, the output cap, refused credentials.

use std::io::{BufRead as _, Write as _};
use std::process::{Child, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::{Emu, tempdir, wecom_std};
use crate::ws_server::{BOT_ID, SECRET, ServerConn, WsServer};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

/// `wecom aibot connect --url URL ARGS…` with the credentials in the environment.
fn connect(url: &str, args: &[&str], stdin: bool) -> (Child, tempfile::TempDir) {
    let dir = tempdir();
    let child = wecom_std(&dir)
        .args(["aibot", "connect", "--url", url])
        .args(args)
        .env("WECOM_AIBOT_ID", BOT_ID)
        .env("WECOM_AIBOT_SECRET", SECRET)
        .stdin(if stdin { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    (child, dir)
}

/// Reads one answer's frames (acknowledging each) until `finish: true`.
async fn answer(conn: &mut ServerConn, req_id: &str) -> Vec<Value> {
    let mut frames = Vec::new();
    loop {
        let f = conn.recv().await;
        assert_eq!(f["cmd"], "aibot_respond_msg", "{f}");
        assert_eq!(f["headers"]["req_id"], req_id);
        conn.ack(&f, 0);
        let done = f["body"]["stream"]["finish"] == true;
        frames.push(f);
        if done {
            return frames;
        }
    }
}

fn content(frame: &Value) -> &str {
    frame["body"]["stream"]["content"].as_str().unwrap()
}

#[test]
fn connect_exec_streams_the_output_as_it_is_produced() {
    let rt = runtime();
    let mut srv = rt.block_on(WsServer::start());
    let script = r#"printf 'from %s (%s, msg %s): ' "$WECOM_AIBOT_USERID" "$WECOM_AIBOT_CHATTYPE" "$WECOM_AIBOT_MSGID"; cat; sleep 0.5; echo "secret=${WECOM_AIBOT_SECRET:-none}""#;
    let (mut child, _dir) = connect(&srv.url, &["--exec", script], false);
    rt.block_on(async {
        let mut conn = srv.accept().await;
        conn.subscribe(0).await;
        conn.message("r1", "m1", "lisi", "hello world");
        let frames = answer(&mut conn, "r1").await;
        let last = content(frames.last().unwrap());
        assert_eq!(last, "from lisi (single, msg m1): hello world\nsecret=none\n");
        // The first line was shown before the command finished.
        assert!(
            frames.iter().any(|f| f["body"]["stream"]["finish"] == false
                && content(f).contains("hello world")
                && !content(f).contains("secret=")),
            "{frames:?}"
        );
    });
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains(SECRET));
}

#[test]
fn connect_exec_reports_failures_and_cuts_long_output() {
    let rt = runtime();
    let mut srv = rt.block_on(WsServer::start());
    let script = r#"if [ "$(cat)" = fail ]; then echo partial; exit 3; else head -c 30000 /dev/zero | tr '\0' a; fi"#;
    let (mut child, _dir) = connect(&srv.url, &["--exec", script], false);
    rt.block_on(async {
        let mut conn = srv.accept().await;
        conn.subscribe(0).await;
        conn.message("r-fail", "m-fail", "lisi", "fail");
        let frames = answer(&mut conn, "r-fail").await;
        let text = content(frames.last().unwrap());
        assert!(text.starts_with("partial\n"), "{text}");
        assert!(text.contains("the command failed") && text.contains('3'), "{text}");

        conn.message("r-long", "m-long", "lisi", "long");
        let frames = answer(&mut conn, "r-long").await;
        let text = content(frames.last().unwrap());
        assert!(text.len() <= 20_480, "{}", text.len());
        assert!(text.starts_with("aaaa") && text.ends_with("*(output cut at 20,480 bytes)*"));
    });
    child.kill().unwrap();
    let _ = child.wait();
}

#[test]
fn connect_reply_answers_every_message_and_welcomes() {
    let rt = runtime();
    let mut srv = rt.block_on(WsServer::start());
    let (mut child, _dir) =
        connect(&srv.url, &["--reply", "I am a **bot**", "--welcome", "hi!"], false);
    rt.block_on(async {
        let mut conn = srv.accept().await;
        conn.subscribe(0).await;
        conn.message("r1", "m1", "lisi", "anything");
        let frames = answer(&mut conn, "r1").await;
        assert_eq!(frames.len(), 1);
        assert_eq!(content(&frames[0]), "I am a **bot**");
        conn.event("e1", "m-e1", json!({"eventtype": "enter_chat"}));
        let f = conn.recv().await;
        assert_eq!(f["cmd"], "aibot_respond_welcome_msg");
        assert_eq!(f["body"]["text"]["content"], "hi!");
        conn.ack(&f, 0);
    });
    child.kill().unwrap();
    let _ = child.wait();
}

#[test]
fn connect_jsonl_prints_messages_and_streams_answers_from_stdin() {
    let rt = runtime();
    let mut srv = rt.block_on(WsServer::start());
    let (mut child, _dir) = connect(&srv.url, &["--jsonl"], true);
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    rt.block_on(async {
        let mut conn = srv.accept().await;
        conn.subscribe(0).await;
        conn.message("r1", "m1", "lisi", "what time is it?");
        let line = tokio::task::block_in_place(|| {
            let mut line = String::new();
            stdout.read_line(&mut line).unwrap();
            line
        });
        let msg: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(msg["transport"], "ws");
        assert_eq!(
            (msg["userid"].as_str(), msg["text"].as_str()),
            (Some("lisi"), Some("what time is it?"))
        );
        assert_eq!(msg["chattype"], "single");
        let id = msg["id"].as_str().unwrap().to_owned();
        writeln!(stdin, "{}", json!({"id": id, "delta": "It is ", "done": false})).unwrap();
        writeln!(stdin, "not json").unwrap();
        writeln!(stdin, "{}", json!({"id": id, "delta": "noon."})).unwrap();
        stdin.flush().unwrap();
        let frames = answer(&mut conn, "r1").await;
        assert_eq!(content(frames.last().unwrap()), "It is noon.");
    });
    child.kill().unwrap();
    let _ = child.wait();
}

#[test]
fn connect_with_refused_credentials_exits_with_a_clear_error() {
    let rt = runtime();
    let mut srv = rt.block_on(WsServer::start());
    let (child, _dir) = connect(&srv.url, &["--reply", "x", "--max-auth-failures", "2"], false);
    rt.block_on(async {
        for _ in 0..3 {
            let mut conn = srv.accept().await;
            conn.subscribe(40_001).await;
        }
    });
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("aibot_subscribe refused 3 time(s)"), "{stderr}");
    assert!(stderr.contains("Bot ID and Secret") && !stderr.contains(SECRET), "{stderr}");
    rt.block_on(srv.no_connection(Duration::from_millis(200)));
}

#[test]
fn connect_without_credentials_is_a_usage_error() {
    let dir = tempdir();
    let out = wecom_std(&dir).args(["aibot", "connect", "--reply", "x"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("WECOM_AIBOT_ID"));
}

#[test]
fn listen_exec_answers_the_emulators_http_callbacks() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut config = wecom_emulator::Config::demo();
    let bot = config.aibots.first_mut().unwrap();
    bot.callback_url = Some(format!("http://127.0.0.1:{port}/"));
    bot.refresh_interval_ms = 100;
    let (token, key) = (
        bot.token.as_ref().unwrap().expose().to_owned(),
        bot.encoding_aes_key.as_ref().unwrap().expose().to_owned(),
    );
    let botid = bot.botid.clone();
    let emu = Emu::with_config(config);
    let dir = tempdir();
    let mut child = wecom_std(&dir)
        .args(["aibot", "listen", "--port", &port.to_string()])
        .args(["--exec", r#"printf '%s says: ' "$WECOM_AIBOT_USERID"; tr a-z A-Z"#])
        .env("WECOM_AIBOT_TOKEN", token)
        .env("WECOM_AIBOT_AES_KEY", key)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(line.contains("listening"), "{line}");
    let member = wecom_emulator::Config::demo().users[0].userid.clone();
    let turn = emu.call(
        reqwest::Method::POST,
        &format!("/emulator/aibots/{botid}/messages?wait=finish"),
        Some(json!({"userid": member, "content": "hello there"})),
    );
    child.kill().unwrap();
    let _ = child.wait();
    assert_eq!(turn["stream"]["content"], format!("{member} says: HELLO THERE\n"), "{turn}");
}

#[test]
fn connect_exec_answers_the_emulators_websocket_callbacks() {
    let config = wecom_emulator::Config::demo();
    let bot = config.aibots.iter().find(|b| b.botid == "aib_ws_demo").unwrap().clone();
    let emu = Emu::with_config(config);
    let dir = tempdir();
    let mut child = wecom_std(&dir)
        .args(["aibot", "connect", "--url", &emu.handle.aibot_ws_url()])
        .args(["--exec", r#"printf '%s asks: ' "$WECOM_AIBOT_USERID"; tr a-z A-Z"#])
        .env("WECOM_AIBOT_ID", &bot.botid)
        .env("WECOM_AIBOT_SECRET", bot.secret.as_ref().unwrap().expose())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status =
        |emu: &Emu| emu.call(reqwest::Method::GET, "/emulator/aibots/aib_ws_demo/ws", None);
    let mut ws = status(&emu);
    for _ in 0..500 {
        if ws["connected"] == true {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
        ws = status(&emu);
    }
    assert_eq!(ws["connected"], true, "{ws}");
    let turn = emu.call(
        reqwest::Method::POST,
        "/emulator/aibots/aib_ws_demo/messages?wait=finish",
        Some(json!({"userid": "alice", "content": "hello over the socket"})),
    );
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(turn["status"], "finished", "{turn}\n{stderr}");
    assert_eq!(turn["stream"]["content"], "alice asks: HELLO OVER THE SOCKET\n", "{turn}");
    assert_eq!(turn["errors"], json!([]), "{turn}");
    assert!(!stderr.contains(bot.secret.as_ref().unwrap().expose()), "{stderr}");
}
