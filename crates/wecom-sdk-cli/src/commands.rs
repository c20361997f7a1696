//! One module per command; [`run`] dispatches.

pub(crate) mod aibot;
pub(crate) mod bot;
pub(crate) mod chat;
pub(crate) mod completions;
pub(crate) mod crypto;
pub(crate) mod demo;
pub(crate) mod emulator;
pub(crate) mod listen;
pub(crate) mod manage;
pub(crate) mod send;

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::config::Settings;
use crate::output::Output;

/// Runs the parsed command line.
pub(crate) fn run(cli: Cli) -> Result<ExitCode> {
    let out = Output::new(cli.global.json);
    // The emulator and the demo need no app settings. The emulator's corp file is its own
    // (`--corp`, WECOM_EMULATOR_CONFIG): WECOM_CONFIG names the CLI's profile file and is not
    // read, and `--config` on the command line is refused rather than silently ignored.
    match cli.command {
        Command::Emulator(args) => {
            let from_env = std::env::var_os("WECOM_CONFIG").map(std::path::PathBuf::from);
            if cli.global.config.is_some() && cli.global.config != from_env {
                return Err(crate::exit::usage(anyhow::anyhow!(
                    "`wecom emulator` reads its corp file from --corp FILE (or WECOM_EMULATOR_CONFIG); --config names the CLI's profile file"
                )));
            }
            return emulator::run(&args, out);
        }
        Command::Demo(args) => return demo::run(&args, out),
        Command::Completions(args) => return completions::completions(&args),
        Command::Man => return completions::man(),
        _ => {}
    }
    let settings = Settings::resolve(&cli.global)?;
    match cli.command {
        Command::Send(args) => send::run(*args, &settings, out),
        Command::Bot(cmd) => bot::run(cmd, &settings, out),
        Command::Aibot(cmd) => aibot::run(cmd, &settings, out),
        Command::Chat(cmd) => chat::run(cmd, &settings, out),
        Command::Stats(args) => chat::stats(&args, &settings, out),
        Command::Recall(args) => manage::recall(&args, &settings, out),
        Command::UpdateCard(args) => manage::update_card(&args, &settings, out),
        Command::Upload(args) => manage::upload(&args, &settings, out),
        Command::Token(args) => manage::token(&args, &settings, out),
        Command::Listen(args) => listen::run(&args, &settings, out),
        Command::Crypto(cmd) => crypto::run(cmd, &settings, out),
        Command::Emulator(_) | Command::Demo(_) | Command::Completions(_) | Command::Man => {
            unreachable!("handled above")
        }
    }
}
