//! Helpers shared by the CLI tests: a `wecom` command isolated from the host's environment
//! and configuration files.

#![allow(dead_code, unreachable_pub)]

use assert_cmd::Command;
use tempfile::TempDir;

/// Official vector A (WeCom crypto documentation).
pub const TOKEN: &str = "QDG6eK";
pub const AES_KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
pub const CORP_ID: &str = "wx5823bf96d3bd56c7";

/// A `wecom` command run in an empty directory, with no WECOM_* variables and no user
/// configuration.
pub fn wecom(dir: &TempDir) -> Command {
    let mut cmd = Command::cargo_bin("wecom").expect("binary is built");
    for (key, _) in std::env::vars() {
        if key.starts_with("WECOM_") {
            cmd.env_remove(key);
        }
    }
    cmd.current_dir(dir.path())
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join(".config"))
        .env("NO_COLOR", "1");
    cmd
}

/// [`wecom`] with vector A's callback settings in the environment.
pub fn wecom_with_keys(dir: &TempDir) -> Command {
    let mut cmd = wecom(dir);
    cmd.env("WECOM_TOKEN", TOKEN).env("WECOM_AES_KEY", AES_KEY).env("WECOM_CORP_ID", CORP_ID);
    cmd
}

pub fn tempdir() -> TempDir {
    tempfile::tempdir().expect("temp dir")
}
