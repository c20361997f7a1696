//! The state file keeps the inbox (and tokens, media, clock) across a restart.

use serde_json::json;
use wecom_emulator::{Config, Emulator};

use super::support::{BOT, Emu, status_of, text};

#[tokio::test]
async fn a_restart_with_the_state_file_keeps_messages_tokens_and_media() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let handle =
        Emulator::builder().config(Config::demo()).state_file(&path).start().await.unwrap();
    let emu = Emu { handle, http: reqwest::Client::new() };
    let token = emu.token(BOT).await;
    let image = emu.image_media().await;
    let sent = emu.send_text("alice", "survives restarts").await;
    let msgid = sent["msgid"].as_str().unwrap().to_owned();
    emu.advance(3600).await;
    let Emu { handle, .. } = emu;
    handle.shutdown().await.unwrap();
    assert!(path.exists());

    let handle =
        Emulator::builder().config(Config::demo()).state_file(&path).start().await.unwrap();
    let emu = Emu { handle, http: reqwest::Client::new() };
    let m = emu.message(&msgid).await;
    assert_eq!(m["body"]["text"]["content"], "survives restarts");
    assert_eq!(status_of(&m, "alice"), "delivered");
    let clock = emu.get_json("/emulator/clock").await;
    assert!(clock["offset_ms"].as_i64().unwrap() >= 3_600_000);
    // The old token and media id still work.
    let body = json!({ "touser": "bob", "msgtype": "image", "agentid": BOT, "image": { "media_id": image } });
    let v = emu.post_json(&format!("/cgi-bin/message/send?access_token={token}"), &body).await;
    assert_eq!(v["errcode"], 0, "{v}");
    // A recall works on the restored message.
    let v = emu
        .post_json(
            &format!("/cgi-bin/message/recall?access_token={token}"),
            &json!({ "msgid": msgid }),
        )
        .await;
    assert_eq!(v["errcode"], 0);
    let v = emu
        .post_json(&format!("/cgi-bin/message/send?access_token={token}"), &text("alice", "more"))
        .await;
    assert_eq!(v["errcode"], 0);
}

#[tokio::test]
async fn a_state_file_of_another_corp_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let handle = Emulator::builder().state_file(&path).start().await.unwrap();
    handle.shutdown().await.unwrap();
    let mut other = Config::demo();
    other.corp_id = "wwother".to_owned();
    let err = Emulator::builder().config(other).state_file(&path).start().await.unwrap_err();
    assert!(err.to_string().contains("belongs to corp"), "{err}");
}

#[test]
fn toml_configuration_is_parsed_and_checked() {
    let ok = r#"
        corp_id = "wwacme"
        [options]
        token_ttl_seconds = 60
        [[departments]]
        id = 1
        name = "Acme"
        [[users]]
        userid = "Zoe"
        departments = [1]
        [[apps]]
        agentid = 7
        secret = "s3cret"
        visible_parties = [1]
        callback_url = "http://127.0.0.1:9/cb"
        callback_token = "tok"
        encoding_aes_key = "demoAesKey0123456789abcdefghijklmnopqrstuvw"
    "#;
    let config = Config::from_toml_str(ok).unwrap();
    assert_eq!(config.options.token_ttl_seconds, 60);
    assert_eq!(config.options.callback_tries, 3);
    let bad = [
        (ok.replace("departments = [1]", "departments = [2]"), "users[Zoe].departments"),
        (
            ok.replace("encoding_aes_key = \"demoAesKey0123456789abcdefghijklmnopqrstuvw\"", ""),
            "needs callback_token and encoding_aes_key",
        ),
        (ok.replace("http://127.0.0.1:9/cb", "ftp://x"), "callback_url"),
        (ok.replace("name = \"Acme\"", "name = \"Acme\"\ncolour = 1"), "unknown field"),
        (ok.replace("userid = \"Zoe\"", "userid = \"bad id\""), "userid"),
    ];
    for (text, needle) in bad {
        let err = Config::from_toml_str(&text).unwrap_err().to_string();
        assert!(err.contains(needle), "{needle}: {err}");
        assert!(!err.contains("s3cret"));
    }
}

#[tokio::test]
async fn the_builder_loads_a_config_file_and_lists_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corp.toml");
    std::fs::write(
        &path,
        "corp_id = \"wwfile\"\n[[departments]]\nid = 1\n[[users]]\nuserid = \"zoe\"\ndepartments = [1]\n\
         [[apps]]\nagentid = 5\nname = \"Five\"\nsecret = \"five-secret\"\nvisible_parties = [1]\n",
    )
    .unwrap();
    let handle = Emulator::builder()
        .config_file(&path)
        .unwrap()
        .addr("127.0.0.1:0".parse().unwrap())
        .start()
        .await
        .unwrap();
    assert_eq!(handle.corp_id(), "wwfile");
    let banner = handle.banner();
    assert!(banner.contains(handle.base_url()) && banner.contains("five-secret"), "{banner}");
    let emu = Emu { handle, http: reqwest::Client::new() };
    let token = emu.token(5).await;
    let body =
        json!({ "touser": "zoe", "msgtype": "text", "agentid": 5, "text": { "content": "hi" } });
    let v = emu.post_json(&format!("/cgi-bin/message/send?access_token={token}"), &body).await;
    assert_eq!(v["errcode"], 0, "{v}");
    assert!(Emulator::builder().config_file(dir.path().join("missing.toml")).is_err());
}

#[tokio::test]
async fn positions_survive_a_restart_after_retention_dropped_messages() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let mut config = Config::demo();
    config.options.retain_messages = 2;
    let start = || Emulator::builder().config(config.clone()).state_file(&path).start();
    let emu = Emu { handle: start().await.unwrap(), http: reqwest::Client::new() };
    for i in 0..3 {
        emu.send_text("alice", &format!("m{i}")).await;
    }
    let card = emu.send(BOT, &super::support::button_card("kept-card")).await;
    let Emu { handle, .. } = emu;
    handle.shutdown().await.unwrap();

    let emu = Emu { handle: start().await.unwrap(), http: reqwest::Client::new() };
    let v = emu.get_json("/emulator/messages").await;
    assert_eq!(v["retention"]["dropped_oldest"], 2, "{v}");
    // The card's response code still finds its message after the restart.
    let token = emu.token(BOT).await;
    let update = json!({ "userids": ["alice"], "agentid": BOT, "response_code": card["response_code"],
        "button": { "replace_name": "Done" } });
    let v = emu
        .post_json(&format!("/cgi-bin/message/update_template_card?access_token={token}"), &update)
        .await;
    assert_eq!(v["errcode"], 0, "{v}");
}

/// SIGTERM (what `docker stop` and CI runners send) stops a foreground emulator as Ctrl-C
/// does, saving the state file.
#[cfg(unix)]
#[tokio::test]
async fn sigterm_is_a_shutdown_signal() {
    let waiting = tokio::spawn(wecom_emulator::shutdown_signal());
    // Let the task install its handler before the signal is sent.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let status = std::process::Command::new("kill")
        .args(["-TERM", &std::process::id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    tokio::time::timeout(std::time::Duration::from_secs(10), waiting)
        .await
        .expect("shutdown_signal resolved on SIGTERM")
        .unwrap();
}
