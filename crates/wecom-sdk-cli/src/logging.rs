//! Log lines on stderr, never on stdout (where results and JSON go): a `tracing` subscriber
//! filtered by `RUST_LOG` when it is set, else by `-v` / `-q`.
//!
//! The default shows warnings and errors — among them the reason for every rejected
//! callback, failing `--exec` commands and failed emulator state saves. `-v` adds
//! information, `-vv` debugging and `-vvv` tracing; `-q` keeps errors only and `-qq`
//! silences logging.

use std::io::IsTerminal as _;

use tracing_subscriber::EnvFilter;

/// The level for `-v` / `-q` counts.
fn level(verbose: u8, quiet: u8) -> &'static str {
    match i16::from(verbose) - i16::from(quiet) {
        i16::MIN..=-2 => "off",
        -1 => "error",
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    }
}

/// Installs the subscriber; `RUST_LOG` (if set and valid) wins over the flags.
pub(crate) fn init(verbose: u8, quiet: u8) {
    let filter = std::env::var("RUST_LOG")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .and_then(|v| EnvFilter::try_new(v).ok())
        .unwrap_or_else(|| EnvFilter::new(level(verbose, quiet)));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::level;

    #[test]
    fn flags_move_the_level_from_warn() {
        assert_eq!(level(0, 0), "warn");
        assert_eq!(level(1, 0), "info");
        assert_eq!(level(2, 0), "debug");
        assert_eq!(level(9, 0), "trace");
        assert_eq!(level(0, 1), "error");
        assert_eq!(level(0, 2), "off");
        assert_eq!(level(1, 1), "warn");
    }
}
