//! A malformed `wecom.toml` is reported by line and key, never with a value from the file:
//! toml's own messages quote the offending line, which may hold a secret.

use crate::support;

use support::{tempdir, wecom};

const SENTINEL: &str = "Zq7SentinelSecretValue0123456789abcdefghij";
const NUMBER: &str = "918273645546372819";

/// Every shape of mistake, each with the sentinel where a secret would be.
fn shapes() -> Vec<(&'static str, String)> {
    let s = SENTINEL;
    vec![
        ("unquoted secret", format!("secret = {s}")),
        ("unterminated string", format!("secret = \"{s}")),
        ("unterminated literal string", format!("secret = '{s}")),
        ("unterminated multi-line string", format!("secret = \"\"\"{s}")),
        ("misspelt key", format!("secrte = \"{s}\"")),
        ("unknown key", format!("password = \"{s}\"")),
        ("wrong type", format!("agent_id = \"{s}\"")),
        ("number for a string", format!("secret = {NUMBER}")),
        ("array for a string", format!("aes_key = [\"{s}\"]")),
        ("trailing garbage", format!("secret = \"{s}\" {s}")),
        ("bare line", s.to_owned()),
        ("bad escape", format!("token = \"{s}\\q{s}\"")),
        ("duplicate key", format!("secret = \"{s}\"\nsecret = \"{s}\"")),
        ("secret as a key", format!("{s} = 1")),
        ("broken table header", format!("[profiles.{s}")),
        ("inline table", format!("secret = {{ value = \"{s}\" }}")),
    ]
}

#[test]
fn no_malformed_config_echoes_a_secret() {
    for (what, line) in shapes() {
        let dir = tempdir();
        let text = format!(
            "default_profile = \"prod\"\n\n[profiles.prod]\ncorp_id = \"ww1\"\nagent_id = 1\n{line}\n"
        );
        std::fs::write(dir.path().join("wecom.toml"), text).unwrap();
        for json in [false, true] {
            let mut cmd = wecom(&dir);
            if json {
                cmd.arg("--json");
            }
            let out = cmd.args(["-vvv", "token"]).output().unwrap();
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(out.status.code(), Some(2), "{what}: {all}");
            for secret in [SENTINEL, &SENTINEL[..12], &SENTINEL[20..], NUMBER] {
                assert!(!all.contains(secret), "{what} (json {json}) echoed the secret: {all}");
            }
            assert!(all.contains("wecom.toml") && all.contains("line "), "{what}: {all}");
        }
    }
}

#[test]
fn the_error_names_the_line_and_the_key() {
    let dir = tempdir();
    let text = format!("[profiles.prod]\ncorp_id = \"ww1\"\nsecret = {SENTINEL}\n");
    std::fs::write(dir.path().join("wecom.toml"), text).unwrap();
    let out = wecom(&dir).args(["--profile", "prod", "token"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 3") && stderr.contains("`secret`"), "{stderr}");
    assert!(stderr.contains("[profiles.prod]"), "{stderr}");

    std::fs::write(dir.path().join("wecom.toml"), "[profiles.prod]\nsecrte = \"x\"\n").unwrap();
    let out = wecom(&dir).args(["--profile", "prod", "token"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 2") && stderr.contains("did you mean `secret`"), "{stderr}");
}
