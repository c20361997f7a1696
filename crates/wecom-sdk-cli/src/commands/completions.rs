//! `wecom completions SHELL` and `wecom man`: shell completion scripts (clap_complete) and a
//! man page (clap_mangen), written to stdout, generated from the same definition as the
//! parser so they never drift from it.
//!
//! ```sh
//! wecom completions bash > ~/.local/share/bash-completion/completions/wecom
//! wecom completions zsh > "${fpath[1]}/_wecom"
//! wecom completions fish > ~/.config/fish/completions/wecom.fish
//! wecom man > ~/.local/share/man/man1/wecom.1
//! ```

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::{Args, CommandFactory as _};
use clap_complete::Shell;

use crate::cli::Cli;

/// Arguments of `completions`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  wecom completions bash > ~/.local/share/bash-completion/completions/wecom\n  wecom completions zsh > \"${fpath[1]}/_wecom\"\n  wecom completions fish > ~/.config/fish/completions/wecom.fish"
)]
pub(crate) struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    pub(crate) shell: Shell,
}

/// Runs `completions`.
pub(crate) fn completions(args: &CompletionsArgs) -> Result<ExitCode> {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut command, "wecom", &mut out);
    write_stdout(&out)
}

/// Runs `man`.
pub(crate) fn man() -> Result<ExitCode> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out).context("cannot render the man page")?;
    write_stdout(&out)
}

fn write_stdout(bytes: &[u8]) -> Result<ExitCode> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        // `wecom man | head` closes the pipe early: not an error.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).context("cannot write to stdout")
        }
        _ => Ok(ExitCode::SUCCESS),
    }
}
