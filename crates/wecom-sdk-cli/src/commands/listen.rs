//! `wecom listen`: a callback server (`wecom-callback`) that prints every decrypted message
//! and event as one JSON line on stdout, optionally answering with a text or handing each
//! callback to a command.
//!
//! With `--exec CMD`, `CMD` runs through `sh -c` once per callback with the callback's JSON
//! line on stdin. Whatever it prints on stdout (trimmed) becomes a text passive reply, if it
//! finishes within the reply deadline (`--deadline-ms`, 4 s by default, under WeCom's 5 s);
//! after the deadline WeCom gets an empty answer and the command's output is only logged.
//! The command is killed after `--exec-timeout` seconds. Its stderr goes to ours; a command
//! that fails, or is killed, is logged at `error` level.
//!
//! Every rejected request is logged at `warn` with its precise reason (bad signature, wrong
//! receive id, stale timestamp, body too large, …) on stderr, never with a secret. Slow and
//! idle clients are cut off by the header, body and idle timeouts, and at most
//! `--max-connections` are served at once; `--replay-window` refuses callbacks whose
//! timestamp is too far from this machine's clock.

use std::net::{IpAddr, SocketAddr};
use std::process::{ExitCode, Stdio};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, Result, anyhow};
use clap::Args;
use tokio::io::AsyncWriteExt as _;
use wecom_callback::{Callback, CallbackServer, EventBody, Mode, Reply, ServeLimits};
use wecom_msgcrypt::MsgCrypt;

use crate::client;
use crate::config::Settings;
use crate::exit::usage;
use crate::output::Output;

/// Arguments of `listen`.
#[derive(Debug, Args)]
#[command(
    after_help = "Needs the callback token, EncodingAESKey and corp id (--callback-token, --encoding-aes-key, --corp-id, or WECOM_TOKEN, WECOM_ENCODING_AES_KEY, WECOM_CORP_ID: the export line `wecom emulator` prints).\n\nServes only PATH: http://127.0.0.1:3000/wecom/callback by default, the URL the emulator's demo corp calls back to; `--path /` serves the root.\n\nExamples:\n  wecom listen\n  wecom listen --reply \"Got it\"\n  wecom listen --port 8080 --path / --exec 'jq -r .content'"
)]
pub(crate) struct ListenArgs {
    /// The port to listen on (0 picks a free one, printed on stderr).
    #[arg(long, default_value_t = DEFAULT_PORT)]
    pub(crate) port: u16,
    /// The URL path callbacks arrive at; other paths answer 404.
    #[arg(long, default_value = DEFAULT_PATH, value_parser = parse_path)]
    pub(crate) path: String,
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
    /// Refuse (403) callbacks whose timestamp is more than MINUTES away from this machine's
    /// clock, against replayed captures. Off by default: WeCom documents no such window, so
    /// allow for clock skew and its retries.
    #[arg(long, value_name = "MINUTES", value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) replay_window: Option<u64>,
    /// Serve on N worker threads (default: one per core).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub(crate) threads: Option<u64>,
    #[command(flatten)]
    pub(crate) limits: LimitArgs,
}

/// The port of the callback URL every part of the project agrees on by default:
/// `http://127.0.0.1:3000/wecom/callback` (the emulator's demo corp calls back there).
pub(crate) const DEFAULT_PORT: u16 = 3000;
/// The path of that URL.
pub(crate) const DEFAULT_PATH: &str = "/wecom/callback";

/// A URL path: starts with `/`, plain characters only, no query.
fn parse_path(path: &str) -> Result<String, String> {
    let plain = path
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~'));
    if !path.starts_with('/') || !plain || path.len() > 256 || path.contains("//") {
        return Err(
            "a path such as /wecom/callback: starts with `/`, letters, digits and `/-_.~` only"
                .to_owned(),
        );
    }
    Ok(if path.len() > 1 { path.trim_end_matches('/').to_owned() } else { path.to_owned() })
}

/// How long slow clients may hold a connection, and how many connections are served.
#[derive(Debug, Args)]
#[command(next_help_heading = "Connection limits")]
pub(crate) struct LimitArgs {
    /// Close a connection that has not sent a request's head within SECS.
    #[arg(long, default_value_t = 10, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) header_timeout: u64,
    /// Answer 408 and close when a request's body has not arrived within SECS of its head.
    #[arg(long, default_value_t = 10, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) body_timeout: u64,
    /// Close a connection with no request in progress that sends nothing for SECS.
    #[arg(long, default_value_t = 30, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) idle_timeout: u64,
    /// Serve at most N connections at once; more wait until one closes.
    #[arg(long, default_value_t = 256, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) max_connections: u64,
}

impl LimitArgs {
    /// The server limits these flags describe.
    pub(crate) fn limits(&self) -> ServeLimits {
        ServeLimits::new()
            .header_read_timeout(Duration::from_secs(self.header_timeout))
            .body_read_timeout(Duration::from_secs(self.body_timeout))
            .idle_timeout(Duration::from_secs(self.idle_timeout))
            .max_connections(usize::try_from(self.max_connections).unwrap_or(usize::MAX))
    }
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
    let token = Settings::require(app.token.as_ref(), "callback-token", "WECOM_TOKEN")?;
    let key =
        Settings::require(app.aes_key.as_ref(), "encoding-aes-key", "WECOM_ENCODING_AES_KEY")?;
    let corp = Settings::require(app.corp_id.as_ref(), "corp-id", "WECOM_CORP_ID")?;
    MsgCrypt::new(token, key, corp.clone()).map_err(usage)
}

/// Runs `listen`.
pub(crate) fn run(args: &ListenArgs, settings: &Settings, out: Output) -> Result<ExitCode> {
    let crypt = crypt(settings)?;
    let exec = args.exec.clone().map(Arc::<str>::from);
    let reply = args.reply.clone().map(Arc::<str>::from);
    let exec_timeout = Duration::from_secs(args.exec_timeout);
    let (lines, writer) = crate::stdout_lines::start();
    let server = CallbackServer::new(crypt, move |callback: Callback| {
        let lines = lines.clone();
        let exec = exec.clone();
        let reply = reply.clone();
        async move {
            if let Some(cmd) = exec {
                // Serialized once: the line printed is the line the command gets.
                let line =
                    serde_json::to_string(&callback).expect("a callback always serializes to JSON");
                // Waits only when the writer is thousands of lines behind (stdout not read).
                lines.send(&line).await;
                let text = run_exec(&cmd, &line, exec_timeout).await?;
                return Ok::<_, anyhow::Error>(
                    text.filter(|_| accepts_reply(&callback)).map(Reply::text),
                );
            }
            lines.send_json(&callback).await;
            Ok(reply.filter(|_| accepts_reply(&callback)).map(|text| Reply::text(&*text)))
        }
    })
    .mode(Mode::reply(Duration::from_millis(args.deadline_ms)));
    let server = match args.replay_window {
        Some(minutes) => server.timestamp_window(Duration::from_secs(minutes.saturating_mul(60))),
        None => server,
    };
    let router = server.into_router_at(&args.path);
    let expected = args.path.clone();
    let router = router.fallback(move |uri: axum::http::Uri| {
        let expected = expected.clone();
        async move {
            tracing::warn!(path = uri.path(), expected = %expected, "rejected: not the callback path");
            (axum::http::StatusCode::NOT_FOUND, format!("callbacks are served at {expected}\n"))
        }
    });
    let threads = args.threads.map_or_else(client::cores, |n| usize::try_from(n).unwrap_or(1));
    let rt = client::server_runtime(threads)?;
    rt.block_on(async {
        let addr = SocketAddr::new(args.host, args.port);
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let local = listener.local_addr()?;
        out.note(&format!(
            "listening for WeCom callbacks on http://{local}{} (set it as the app's callback URL; Ctrl-C stops)",
            args.path
        ));
        tracing::info!(addr = %local, path = %args.path, "WeCom callback server listening");
        tokio::select! {
            served = wecom_callback::serve::serve(listener, router, args.limits.limits()) => {
                served.context("the callback server stopped")
            }
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    })?;
    // Every handler (and its sender) is gone with the runtime: the writer drains and ends.
    drop(rt);
    let _ = writer.join();
    Ok(ExitCode::SUCCESS)
}

/// Runs the --exec command with the JSON line on stdin; its trimmed stdout, if not empty.
async fn run_exec(cmd: &str, line: &str, timeout: Duration) -> Result<Option<String>> {
    let mut child = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .context("cannot start the --exec command (sh -c)")?;
    if let Some(mut stdin) = child.stdin.take() {
        let mut input = String::with_capacity(line.len() + 1);
        input.push_str(line);
        input.push('\n');
        // A command that does not read its input is fine.
        let _ = stdin.write_all(input.as_bytes()).await;
    }
    let output = tokio::time::timeout(timeout, child.wait_with_output())
        .await
        .map_err(|_| anyhow!("--exec command still running after {} s: killed", timeout.as_secs()))?
        .context("--exec command could not be waited for")?;
    if !output.status.success() {
        return Err(anyhow!("--exec command failed ({})", output.status));
    }
    let text = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    Ok((!text.is_empty()).then_some(text))
}
