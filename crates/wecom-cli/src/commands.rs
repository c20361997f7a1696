//! One module per command; [`run`] dispatches.

pub(crate) mod crypto;

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::config::Settings;
use crate::output::Output;

/// Runs the parsed command line.
pub(crate) fn run(cli: Cli) -> Result<ExitCode> {
    let out = Output::new(cli.global.json);
    let settings = Settings::resolve(&cli.global)?;
    match cli.command {
        Command::Crypto(cmd) => crypto::run(cmd, &settings, out),
    }
}
