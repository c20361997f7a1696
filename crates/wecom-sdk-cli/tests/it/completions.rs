//! `wecom completions SHELL` and `wecom man`, and the help layout: global options under a
//! heading of their own, the callback flags named so they do not read as `wecom token`.

use predicates::prelude::*;

use crate::support::{tempdir, wecom};

#[test]
fn completions_for_each_shell_know_the_commands_and_flags() {
    let dir = tempdir();
    for (shell, marker) in
        [("bash", "_wecom()"), ("zsh", "#compdef wecom"), ("fish", "complete -c wecom")]
    {
        let out = wecom(&dir).args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}: {}", String::from_utf8_lossy(&out.stderr));
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains(marker), "{shell}");
        for word in ["listen", "emulator", "callback-token", "encoding-aes-key", "completions"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    wecom(&dir).args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn the_man_page_is_roff() {
    let dir = tempdir();
    wecom(&dir)
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH wecom 1").and(predicate::str::contains("listen")));
}

#[test]
fn help_puts_global_options_under_their_own_heading() {
    let dir = tempdir();
    let out = wecom(&dir).args(["listen", "--help"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let own = help.find("\nOptions:").expect("the command's own options");
    let global = help.find("\nGlobal options:").expect("a global heading");
    assert!(own < global, "{help}");
    let own_section = &help[own..global];
    assert!(own_section.contains("--path") && !own_section.contains("--json"), "{help}");
    assert!(help[global..].contains("--json"), "{help}");
    assert!(help.contains("--callback-token") && !help.contains("  --token"), "{help}");
}
