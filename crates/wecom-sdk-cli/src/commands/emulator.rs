//! `wecom emulator`: the local WeCom emulator in the foreground, with its credentials and
//! the web inbox address printed at start.

use std::fmt::Write as _;
use std::io::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::Args;
use serde_json::json;
use wecom_emulator::{Emulator, EmulatorHandle};

use crate::client;
use crate::exit::usage;
use crate::output::Output;

/// Arguments of `emulator`.
#[derive(Debug, Args)]
#[command(
    after_help = "The corp file is the emulator's own (apps, members, groups; see the wecom-emulator docs): \
--corp or WECOM_EMULATOR_CONFIG. The CLI's profile file (--config, WECOM_CONFIG) is not read.\n\n\
Examples:\n  wecom emulator\n  wecom emulator --corp corp.toml --state-file state.json\n  \
wecom emulator --port 0 --callback-url http://127.0.0.1:4000/hooks/wecom"
)]
pub(crate) struct EmulatorArgs {
    /// The corp to emulate (TOML) [default: the demo corp].
    #[arg(
        long = "corp",
        visible_alias = "corp-config",
        env = "WECOM_EMULATOR_CONFIG",
        value_name = "FILE"
    )]
    pub(crate) corp: Option<PathBuf>,
    /// Call back to URL: sets the callback URL of every app that has a callback token and
    /// EncodingAESKey [demo corp default: http://127.0.0.1:3000/wecom/callback, where
    /// `wecom listen` listens].
    #[arg(long, value_name = "URL")]
    pub(crate) callback_url: Option<String>,
    /// The port (0 picks a free one).
    #[arg(long, default_value_t = 8025)]
    pub(crate) port: u16,
    /// The address to listen on. The admin API has no authentication: keep it local.
    #[arg(long, default_value = "127.0.0.1")]
    pub(crate) host: IpAddr,
    /// Keep messages, media and callbacks in this JSON file across restarts.
    #[arg(long, value_name = "FILE")]
    pub(crate) state_file: Option<PathBuf>,
}

/// The address of the web inbox.
pub(crate) fn inbox_url(handle: &EmulatorHandle) -> String {
    format!("{}/", handle.base_url())
}

/// The emulator's banner with the inbox address and how to point the CLI at it.
pub(crate) fn banner(handle: &EmulatorHandle) -> String {
    let mut text = handle.banner();
    if !text.contains("inbox") {
        let _ = writeln!(text, "  inbox: {}", inbox_url(handle));
    }
    let vars = export_vars(handle);
    if !vars.is_empty() {
        let line: Vec<String> =
            vars.iter().map(|(k, v)| format!("{k}={}", shell_quote(v))).collect();
        let _ = write!(
            text,
            "\nPoint the CLI (and `wecom listen`) at it:\n  export {}\n",
            line.join(" ")
        );
        if let Some(url) = handle.apps().iter().find_map(|a| a.callback_url.clone()) {
            let _ = writeln!(
                text,
                "Member actions call back to {url}: run `wecom listen` there to receive them."
            );
        }
    }
    text
}

/// `export WECOM_BASE_URL=… …`: the shell line that points the CLI at the emulator.
pub(crate) fn export_line(handle: &EmulatorHandle) -> Option<String> {
    let vars = export_vars(handle);
    if vars.is_empty() {
        return None;
    }
    let words: Vec<String> = vars.iter().map(|(k, v)| format!("{k}={}", shell_quote(v))).collect();
    Some(format!("export {}", words.join(" ")))
}

/// The variables that point the CLI at the emulator: the API, the first app with callback
/// settings (else the first app) with its callback token and key, and the first group
/// webhook.
pub(crate) fn export_vars(handle: &EmulatorHandle) -> Vec<(&'static str, String)> {
    let apps = handle.apps();
    let app = apps
        .iter()
        .find(|a| a.callback_token.is_some() && a.encoding_aes_key.is_some())
        .or_else(|| apps.first());
    let Some(app) = app else { return Vec::new() };
    let mut vars = vec![
        ("WECOM_BASE_URL", handle.base_url().to_owned()),
        ("WECOM_CORP_ID", handle.corp_id().to_owned()),
        ("WECOM_AGENT_ID", app.agentid.to_string()),
        ("WECOM_SECRET", app.secret.expose().to_owned()),
    ];
    if let (Some(token), Some(key)) = (&app.callback_token, &app.encoding_aes_key) {
        vars.push(("WECOM_TOKEN", token.expose().to_owned()));
        vars.push(("WECOM_ENCODING_AES_KEY", key.expose().to_owned()));
    }
    let bot = handle.state().config().groups.iter().flat_map(|g| &g.bots).find(|b| b.enabled);
    if let Some(bot) = bot {
        let url = format!("{}/cgi-bin/webhook/send?key={}", handle.base_url(), bot.key.expose());
        vars.push(("WECOM_WEBHOOK_URL", url));
    }
    vars
}

/// `value` as one shell word: as is when it is plain, else in single quotes.
fn shell_quote(value: &str) -> String {
    let plain = !value.is_empty()
        && value.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(b, b'-' | b'_' | b'.' | b'/' | b':' | b'=' | b'%' | b'+' | b',' | b'@')
        });
    if plain { value.to_owned() } else { format!("'{}'", value.replace('\'', r"'\''")) }
}

/// Runs `emulator`.
pub(crate) fn run(args: &EmulatorArgs, out: Output) -> Result<ExitCode> {
    if !args.host.is_loopback() {
        // Anyone who can reach the address can read every message and, with
        // `?secrets=true`, the apps' secrets: say so where the user will see it.
        let _ = writeln!(
            std::io::stderr(),
            "warning: listening on {}: the admin API has no authentication; anyone who can reach it can read every message and the apps' secrets",
            args.host
        );
    }
    let mut builder = Emulator::builder().addr(SocketAddr::new(args.host, args.port));
    if let Some(url) = &args.callback_url {
        builder = builder.callback_url(url);
    }
    if let Some(path) = &args.corp {
        builder = builder.config_file(path).map_err(usage)?;
    }
    if let Some(path) = &args.state_file {
        builder = builder.state_file(path);
    }
    let rt = client::runtime()?;
    rt.block_on(async {
        // Ctrl-C or SIGTERM (`docker stop`, systemd): either way the state file is saved. The
        // handlers are installed (one poll) before the banner says the emulator is ready, so
        // a signal sent right after it is not the default one that kills without saving.
        let stop = wecom_emulator::shutdown_signal();
        tokio::pin!(stop);
        let _ = futures::poll!(&mut stop);
        let handle = builder.start().await.context("cannot start the emulator")?;
        let apps: Vec<_> = handle
            .apps()
            .into_iter()
            .map(|a| json!({ "agentid": a.agentid, "name": a.name, "secret": a.secret.expose() }))
            .collect();
        out.result(
            banner(&handle).trim_end(),
            &json!({
                "ok": true,
                "base_url": handle.base_url(),
                "inbox": inbox_url(&handle),
                "corp_id": handle.corp_id(),
                "apps": apps,
                "env": export_vars(&handle)
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), serde_json::Value::from(v)))
                    .collect::<serde_json::Map<_, _>>(),
            }),
        );
        stop.await;
        out.note("stopping the emulator");
        handle.shutdown().await.context("cannot save the state file")?;
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}
