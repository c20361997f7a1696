//! `wecom listen`: a callback server (`wecom-callback`) that prints every decrypted message
//! and event as one JSON line on stdout, optionally answering with a text or handing each
//! callback to a command.
//!
//! With `--exec CMD`, `CMD` runs through `sh -c` once per callback with the callback's JSON
//! line on stdin. Whatever it prints on stdout (trimmed) becomes a text passive reply, if it
//! finishes within the reply deadline (`--deadline-ms`, 4 s by default, under WeCom's 5 s);
//! after the deadline WeCom gets an empty answer and the command's output is only logged.
//! The command is killed after `--exec-timeout` seconds. Its stderr goes to ours.

use std::net::{IpAddr, SocketAddr};
use std::process::{ExitCode, Stdio};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow};
use clap::Args;
use serde_json::Value;
use tokio::io::AsyncWriteExt as _;
use wecom_callback::{Callback, CallbackServer, EventBody, Mode, Reply};
use wecom_crypto::MsgCrypt;

use crate::client;
use crate::config::Settings;
use crate::exit::usage;
use crate::output::Output;

/// Arguments of `listen`.
#[derive(Debug, Args)]
#[command(
    after_help = "Needs the callback token, EncodingAESKey and corp id (--token, --aes-key, --corp-id or WECOM_*).\n\nExamples:\n  wecom listen --port 8080\n  wecom listen --port 8080 --reply \"Got it\"\n  wecom listen --port 8080 --exec 'jq -r .content'"
)]
pub(crate) struct ListenArgs {
    /// The port to listen on (0 picks a free one, printed on stderr).
    #[arg(long, default_value_t = 8080)]
    pub(crate) port: u16,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub(crate) host: IpAddr,
    /// Answer every message (and every event that accepts a reply) with this text.
    #[arg(long, value_name = "TEXT", conflicts_with = "exec")]
    pub(crate) reply: Option<String>,
    /// Run CMD (with `sh -c`) per callback, its JSON line on stdin; its stdout, if any,
    /// becomes a text reply.
    #[arg(long, value_name = "CMD")]
    pub(crate) exec: Option<String>,
    /// How long to wait for a reply before answering WeCom empty (milliseconds).
    #[arg(long, default_value_t = 4000, value_name = "MS")]
    pub(crate) deadline_ms: u64,
    /// Kill an --exec command still running after this many seconds.
    #[arg(long, default_value_t = 30, value_name = "SECS")]
    pub(crate) exec_timeout: u64,
}

/// Whether WeCom accepts a passive reply to this callback: user messages, and the events its
/// documentation lists (§7.3).
pub(crate) fn accepts_reply(callback: &Callback) -> bool {
    match callback {
        Callback::Message(_) => true,
        Callback::Event(e) => matches!(
            e.body,
            EventBody::Subscribe
                | EventBody::EnterAgent
                | EventBody::Location(_)
                | EventBody::Click { .. }
                | EventBody::View { .. }
                | EventBody::ViewMiniprogram { .. }
                | EventBody::ScancodeWaitmsg(_)
                | EventBody::TemplateCardMenuEvent(_)
        ),
        _ => false,
    }
}

/// The crypto from the settings: token, EncodingAESKey, and the corp id as receive id.
pub(crate) fn crypt(settings: &Settings) -> Result<MsgCrypt> {
    let app = &settings.app;
    let token = Settings::require(app.token.as_ref(), "token", "WECOM_TOKEN")?;
    let key = Settings::require(app.aes_key.as_ref(), "aes-key", "WECOM_AES_KEY")?;
    let corp = Settings::require(app.corp_id.as_ref(), "corp-id", "WECOM_CORP_ID")?;
    MsgCrypt::new(token, key, corp.clone()).map_err(usage)
}

/// Runs `listen`.
pub(crate) fn run(args: &ListenArgs, settings: &Settings, out: Output) -> Result<ExitCode> {
    let crypt = crypt(settings)?;
    let exec = args.exec.clone().map(Arc::<str>::from);
    let reply = args.reply.clone();
    let exec_timeout = Duration::from_secs(args.exec_timeout);
    let server = CallbackServer::new(crypt, move |callback: Callback| {
        let line = serde_json::to_value(&callback).expect("a callback always serializes to JSON");
        print_line(&line);
        let exec = exec.clone();
        let reply = reply.clone();
        async move {
            if let Some(cmd) = exec {
                let text = run_exec(&cmd, &line, exec_timeout).await?;
                return Ok::<_, anyhow::Error>(
                    text.filter(|_| accepts_reply(&callback)).map(Reply::text),
                );
            }
            Ok(reply.filter(|_| accepts_reply(&callback)).map(Reply::text))
        }
    })
    .mode(Mode::reply(Duration::from_millis(args.deadline_ms)));
    let rt = client::runtime()?;
    rt.block_on(async {
        let addr = SocketAddr::new(args.host, args.port);
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let local = listener.local_addr()?;
        out.note(&format!(
            "listening for WeCom callbacks on http://{local}/ (set it as the app's callback URL; Ctrl-C stops)"
        ));
        tokio::select! {
            served = server.serve_on(listener) => served.context("the callback server stopped"),
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    })?;
    Ok(ExitCode::SUCCESS)
}

fn print_line(value: &Value) {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{value}");
    let _ = stdout.flush();
}

/// Runs the --exec command with the JSON line on stdin; its trimmed stdout, if not empty.
async fn run_exec(cmd: &str, line: &Value, timeout: Duration) -> Result<Option<String>> {
    let mut child = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .with_context(|| format!("cannot run `{cmd}`"))?;
    if let Some(mut stdin) = child.stdin.take() {
        let mut input = line.to_string();
        input.push('\n');
        // A command that does not read its input is fine.
        let _ = stdin.write_all(input.as_bytes()).await;
    }
    let output = tokio::time::timeout(timeout, child.wait_with_output())
        .await
        .map_err(|_| anyhow!("`{cmd}` still running after {} s: killed", timeout.as_secs()))??;
    if !output.status.success() {
        return Err(anyhow!("`{cmd}` failed ({})", output.status));
    }
    let text = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    Ok((!text.is_empty()).then_some(text))
}
