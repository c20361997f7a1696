//! `wecom crypto …` against the official vectors, through the real binary.

use crate::support;

use predicates::prelude::*;
use support::{AES_KEY, CORP_ID, TOKEN, tempdir, wecom, wecom_with_keys};

const A_POST_SIG: &str = "477715d11cdb4164915debcba66cb864d751f3e6";
const A_POST_TS: &str = "1409659813";
const A_POST_NONCE: &str = "1372623149";
const A_POST_BODY: &str = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>";
const A_ECHO: &str =
    "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";

#[test]
fn sign_gives_the_official_signature() {
    let dir = tempdir();
    wecom_with_keys(&dir)
        .args([
            "crypto",
            "sign",
            "--timestamp",
            "1409659589",
            "--nonce",
            "263014780",
            "--encrypt",
            A_ECHO,
        ])
        .assert()
        .success()
        .stdout("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3\n");
}

#[test]
fn verify_url_prints_the_echo_string() {
    let dir = tempdir();
    wecom_with_keys(&dir)
        .args(["crypto", "verify-url", "--signature", "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"])
        .args(["--timestamp", "1409659589", "--nonce", "263014780", "--echostr", A_ECHO])
        .assert()
        .success()
        .stdout("1616140317555161061\n");
}

#[test]
fn decrypt_reads_the_body_from_stdin() {
    let dir = tempdir();
    wecom_with_keys(&dir)
        .args([
            "crypto",
            "decrypt",
            "-",
            "--signature",
            A_POST_SIG,
            "--timestamp",
            A_POST_TS,
            "--nonce",
            A_POST_NONCE,
        ])
        .write_stdin(A_POST_BODY)
        .assert()
        .success()
        .stdout(predicate::str::contains("<Content><![CDATA[hello]]></Content>"));
}

#[test]
fn decrypt_json_output_has_message_and_receive_id() {
    let dir = tempdir();
    let out = wecom_with_keys(&dir)
        .args(["--json", "crypto", "decrypt", A_POST_BODY, "--signature", A_POST_SIG])
        .args(["--timestamp", A_POST_TS, "--nonce", A_POST_NONCE])
        .output()
        .unwrap();
    assert!(out.status.success());
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["ok"], true);
    assert_eq!(value["receive_id"], CORP_ID);
    assert!(value["message"].as_str().unwrap().contains("mycreate"));
}

#[test]
fn bad_signature_fails_with_the_check_and_code_named() {
    let dir = tempdir();
    wecom_with_keys(&dir)
        .args([
            "crypto",
            "decrypt",
            A_POST_BODY,
            "--signature",
            "0000000000000000000000000000000000000000",
        ])
        .args(["--timestamp", A_POST_TS, "--nonce", A_POST_NONCE])
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            predicate::str::contains("signature mismatch").and(predicate::str::contains("-40001")),
        );
}

#[test]
fn no_verify_decrypts_without_a_token() {
    let dir = tempdir();
    wecom(&dir)
        .env("WECOM_AES_KEY", AES_KEY)
        .args(["crypto", "decrypt", "--no-verify", A_ECHO])
        .assert()
        .success()
        .stdout("1616140317555161061\n");
}

#[test]
fn jsonl_writes_one_result_line_per_input_line() {
    let dir = tempdir();
    let good = serde_json::json!({"msg_signature": A_POST_SIG, "timestamp": A_POST_TS, "nonce": A_POST_NONCE, "body": A_POST_BODY});
    let forged = serde_json::json!({"msg_signature": A_POST_SIG, "timestamp": "1", "nonce": A_POST_NONCE, "body": A_POST_BODY});
    let no_encrypt = serde_json::json!({"msg_signature": A_POST_SIG, "timestamp": A_POST_TS, "nonce": A_POST_NONCE, "body": "<xml><Content>x</Content></xml>"});
    let input = format!("{good}\n{forged}\n\nnot json\n{no_encrypt}\n");
    let out = wecom_with_keys(&dir)
        .args(["crypto", "decrypt", "--jsonl"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "a failed line makes the exit code non-zero");
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "blank lines are skipped, every other line answered");
    assert_eq!(lines[0]["ok"], true);
    assert!(lines[0]["message"].as_str().unwrap().contains("hello"));
    assert_eq!(lines[1]["ok"], false);
    assert_eq!(lines[1]["code"], -40001);
    assert_eq!(lines[2]["ok"], false);
    assert_eq!(lines[2]["code"], -40002);
    assert!(lines[2]["error"].as_str().unwrap().contains("line 4"));
    assert_eq!(lines[3]["code"], -40002);
}

#[test]
fn encrypt_output_decrypts_back() {
    let dir = tempdir();
    let message = "<xml><Content><![CDATA[round trip]]></Content></xml>";
    let out = wecom_with_keys(&dir)
        .args([
            "--json",
            "crypto",
            "encrypt",
            message,
            "--timestamp",
            "1700000000",
            "--nonce",
            "42",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let xml = value["xml"].as_str().unwrap();
    let sig = value["msg_signature"].as_str().unwrap();
    wecom_with_keys(&dir)
        .args([
            "crypto",
            "decrypt",
            xml,
            "--signature",
            sig,
            "--timestamp",
            "1700000000",
            "--nonce",
            "42",
        ])
        .assert()
        .success()
        .stdout(format!("{message}\n"));
}

#[test]
fn missing_token_is_a_usage_error_that_says_how_to_set_it() {
    let dir = tempdir();
    wecom(&dir)
        .env("WECOM_AES_KEY", AES_KEY)
        .args(["crypto", "sign", "--timestamp", "1", "--nonce", "2", "--encrypt", "x"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("--callback-token")
                .and(predicate::str::contains("WECOM_TOKEN")),
        );
}

#[test]
fn the_key_is_read_from_wecom_encoding_aes_key_or_its_alias_and_named_when_missing() {
    let dir = tempdir();
    for var in ["WECOM_ENCODING_AES_KEY", "WECOM_AES_KEY"] {
        wecom(&dir)
            .env("WECOM_TOKEN", TOKEN)
            .env(var, AES_KEY)
            .args(["crypto", "decrypt", "--no-verify", A_ECHO])
            .assert()
            .success();
    }
    // The older flag spellings still work.
    wecom(&dir)
        .args(["--token", TOKEN, "--aes-key", AES_KEY, "crypto", "decrypt", "--no-verify", A_ECHO])
        .assert()
        .success();
    wecom(&dir)
        .env("WECOM_TOKEN", TOKEN)
        .args(["crypto", "decrypt", "--no-verify", A_ECHO])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("--encoding-aes-key")
                .and(predicate::str::contains("WECOM_ENCODING_AES_KEY")),
        );
}

#[test]
fn bad_aes_key_is_a_usage_error_naming_the_problem() {
    let dir = tempdir();
    wecom(&dir)
        .env("WECOM_TOKEN", TOKEN)
        .env("WECOM_AES_KEY", "tooshort")
        .args(["crypto", "decrypt", "--no-verify", A_ECHO])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("EncodingAESKey").and(predicate::str::contains("43")));
}

#[test]
fn settings_come_from_a_profile_and_flags_override_it() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("wecom.toml"),
        format!(
            "default_profile = \"a\"\n[profiles.a]\ntoken = \"{TOKEN}\"\naes_key = \"{AES_KEY}\"\n[profiles.b]\ntoken = \"other\"\n"
        ),
    )
    .unwrap();
    let sign = [
        "crypto",
        "sign",
        "--timestamp",
        "1409659589",
        "--nonce",
        "263014780",
        "--encrypt",
        A_ECHO,
    ];
    wecom(&dir).args(sign).assert().success().stdout("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3\n");
    // Another profile gives another signature; a flag beats the profile.
    wecom(&dir)
        .args(["--profile", "b"])
        .args(sign)
        .assert()
        .success()
        .stdout(predicate::str::contains("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3").not());
    wecom(&dir)
        .args(["--profile", "b", "--token", TOKEN])
        .args(sign)
        .assert()
        .success()
        .stdout("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3\n");
    wecom(&dir).args(["--profile", "nope"]).args(sign).assert().code(2).stderr(
        predicate::str::contains("no profile `nope`").and(predicate::str::contains("a, b")),
    );
}
