//! One module per command; [`run`] dispatches.

pub(crate) mod aibot;
pub(crate) mod bot;
pub(crate) mod chat;
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
    // The emulator and the demo need no app settings; for `emulator`, `--config` names the
    // corp to emulate.
    match cli.command {
        Command::Emulator(mut args) => {
            if args.corp.is_none() {
                args.corp = cli.global.config;
            }
            return emulator::run(&args, out);
        }
        Command::Demo(args) => return demo::run(&args, out),
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
        Command::Emulator(_) | Command::Demo(_) => unreachable!("handled above"),
    }
}
