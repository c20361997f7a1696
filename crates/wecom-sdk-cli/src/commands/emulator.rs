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
pub(crate) struct EmulatorArgs {
    /// The corp to emulate (TOML) [default: the demo corp].
    #[arg(long = "corp", visible_alias = "corp-config", value_name = "FILE")]
    pub(crate) corp: Option<PathBuf>,
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
    if let Some(app) = handle.apps().first() {
        let _ = write!(
            text,
            "\nPoint the CLI at it:\n  export WECOM_BASE_URL={} WECOM_CORP_ID={} WECOM_AGENT_ID={} WECOM_SECRET={}\n",
            handle.base_url(),
            handle.corp_id(),
            app.agentid,
            app.secret.expose()
        );
    }
    text
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
            }),
        );
        stop.await;
        out.note("stopping the emulator");
        handle.shutdown().await.context("cannot save the state file")?;
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}
