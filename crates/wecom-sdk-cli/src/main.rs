//! The `wecom` command: send WeCom application messages, listen for callbacks, debug callback
//! crypto, and run the local emulator — from a terminal or a shell script.
//!
//! Exit codes: see [`exit`].

mod cli;
mod client;
mod commands;
mod config;
mod config_error;
mod exit;
mod logging;
mod output;
mod parse;
mod stdout_lines;
mod when;

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let cli = cli::Cli::parse_from(commands::bot::normalize_args(cli::normalize_args(
        std::env::args_os().collect(),
    )));
    logging::init(cli.global.verbose, cli.global.quiet);
    let out = output::Output::new(cli.global.json);
    match commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            out.error(&err);
            exit::code_for(&err)
        }
    }
}
