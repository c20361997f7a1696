//! `wecom send <kind>` through the real binary against an in-process emulator: the body the
//! emulator received is exactly the one WeCom documents for each kind.

use crate::support;

use predicates::prelude::*;
use serde_json::{Value, json};
use support::{AGENT_ID, Emu, stdout_json, tempdir};

/// Sends with `args` (`--json` output), asserts success, returns the receipt and the body
/// the emulator recorded.
fn send(emu: &Emu, dir: &tempfile::TempDir, args: &[&str]) -> (Value, Value) {
    let out = emu.cmd(dir).arg("--json").arg("send").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "send {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (stdout_json(&out), emu.last_body())
}

/// Uploads `name` with `data` through the CLI; its media id.
fn upload(emu: &Emu, dir: &tempfile::TempDir, kind: &str, name: &str, data: &[u8]) -> String {
    std::fs::write(dir.path().join(name), data).unwrap();
    let out = emu.cmd(dir).args(["--json", "upload", "--type", kind, name]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    stdout_json(&out)["media_id"].as_str().unwrap().to_owned()
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR0000";
const AMR: &[u8] = b"#!AMR\n\x3c000000000000000000000000000000";
const MP4: &[u8] = b"\0\0\0\x18ftypisom\0\0\x02\0isommp41";

#[test]
fn text_with_every_common_option() {
    let emu = Emu::start();
    let dir = tempdir();
    let (receipt, body) = send(
        &emu,
        &dir,
        &[
            "text",
            "Build #42 passed",
            "--to",
            "alice,bob",
            "--to",
            "carol",
            "--safe",
            "--duplicate-check",
            "600",
            "--id-trans",
        ],
    );
    assert_eq!(
        body,
        json!({
            "touser": "alice|bob|carol", "msgtype": "text", "agentid": AGENT_ID,
            "text": { "content": "Build #42 passed" },
            "safe": 1, "enable_id_trans": 1, "enable_duplicate_check": 1, "duplicate_check_interval": 600
        })
    );
    assert_eq!(receipt["ok"], true);
    assert_eq!(receipt["msgid"], emu.messages().last().unwrap().msgid);
}

#[test]
fn text_from_stdin_to_departments_and_tags_prints_the_receipt_for_people() {
    let emu = Emu::start();
    let dir = tempdir();
    emu.cmd(&dir)
        .args(["send", "text", "-", "--party", "2", "--tag", "1", "--to", "dave,nobody"])
        .write_stdin("from stdin")
        .assert()
        .success()
        .stdout(
            predicate::str::contains("sent text message, msgid")
                .and(predicate::str::contains("invalid users: nobody"))
                .and(predicate::str::contains("unlicensed users (not delivered): dave")),
        );
    assert_eq!(
        emu.last_body(),
        json!({ "touser": "dave|nobody", "toparty": "2", "totag": "1", "msgtype": "text",
                "agentid": AGENT_ID, "text": { "content": "from stdin" } })
    );
}

#[test]
fn markdown_to_everyone() {
    let emu = Emu::start();
    let dir = tempdir();
    let (_, body) = send(&emu, &dir, &["markdown", "## Deploy\n**done**", "--all"]);
    assert_eq!(
        body,
        json!({ "touser": "@all", "msgtype": "markdown", "agentid": AGENT_ID,
                "markdown": { "content": "## Deploy\n**done**" } })
    );
}

#[test]
fn media_kinds_by_media_id() {
    let emu = Emu::start();
    let dir = tempdir();
    let image = upload(&emu, &dir, "image", "a.png", PNG);
    let voice = upload(&emu, &dir, "voice", "a.amr", AMR);
    let video = upload(&emu, &dir, "video", "a.mp4", MP4);
    let file = upload(&emu, &dir, "file", "notes.txt", b"release notes");
    let (_, body) = send(&emu, &dir, &["image", "--media-id", &image, "--to", "alice"]);
    assert_eq!(body["image"], json!({ "media_id": image }));
    let (_, body) = send(&emu, &dir, &["voice", "--media-id", &voice, "--to", "alice"]);
    assert_eq!(
        body,
        json!({ "touser": "alice", "msgtype": "voice", "agentid": AGENT_ID, "voice": { "media_id": voice } })
    );
    let (_, body) = send(
        &emu,
        &dir,
        &[
            "video",
            "--media-id",
            &video,
            "--title",
            "Demo",
            "--description",
            "2 min",
            "--to",
            "alice",
        ],
    );
    assert_eq!(
        body["video"],
        json!({ "media_id": video, "title": "Demo", "description": "2 min" })
    );
    let (_, body) = send(&emu, &dir, &["file", "--media-id", &file, "--to", "alice", "--safe"]);
    assert_eq!(
        body,
        json!({ "touser": "alice", "msgtype": "file", "agentid": AGENT_ID, "file": { "media_id": file }, "safe": 1 })
    );
}

#[test]
fn a_file_is_uploaded_then_sent() {
    let emu = Emu::start();
    let dir = tempdir();
    std::fs::write(dir.path().join("chart.png"), PNG).unwrap();
    let out = emu
        .cmd(&dir)
        .args(["send", "image", "--file", "chart.png", "--to", "alice"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let body = emu.last_body();
    let media_id = body["image"]["media_id"].as_str().unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains(&format!("uploaded chart.png as image media {media_id}")),
        "the upload is reported with the media id that was sent"
    );
    assert_eq!(
        emu.call(reqwest::Method::GET, "/emulator/stats", None)["calls"]["/cgi-bin/media/upload"],
        1
    );
}

#[test]
fn textcard_news_and_mpnews() {
    let emu = Emu::start();
    let dir = tempdir();
    let (_, body) = send(
        &emu,
        &dir,
        &[
            "textcard",
            "--title",
            "Expense",
            "--description",
            "1,200",
            "--url",
            "https://e.com/77",
            "--btntxt",
            "Open",
            "--to",
            "alice",
        ],
    );
    assert_eq!(
        body["textcard"],
        json!({ "title": "Expense", "description": "1,200", "url": "https://e.com/77", "btntxt": "Open" })
    );
    let (_, body) = send(
        &emu,
        &dir,
        &[
            "news",
            "--article",
            "title=Q3, in numbers,url=https://e.com/q3,picurl=https://e.com/q3.png,description=Up 12%",
            "--article",
            "title=Mini,appid=wxdemo0000000001,pagepath=pages/index",
            "--to",
            "alice",
        ],
    );
    assert_eq!(
        body["news"],
        json!({ "articles": [
            { "title": "Q3, in numbers", "url": "https://e.com/q3", "picurl": "https://e.com/q3.png", "description": "Up 12%" },
            { "title": "Mini", "appid": "wxdemo0000000001", "pagepath": "pages/index" }
        ] })
    );
    std::fs::write(dir.path().join("thumb.png"), PNG).unwrap();
    std::fs::write(dir.path().join("body.html"), "<p>Revenue up</p>").unwrap();
    let (_, body) = send(
        &emu,
        &dir,
        &[
            "mpnews",
            "--article",
            "title=Report,thumb=thumb.png,content_file=body.html,author=Finance,digest=Up",
            "--to",
            "alice",
            "--corp-only",
        ],
    );
    let article = &body["mpnews"]["articles"][0];
    assert_eq!(article["title"], "Report");
    assert_eq!(article["content"], "<p>Revenue up</p>");
    assert_eq!(article["author"], "Finance");
    assert_eq!(article["digest"], "Up");
    assert_ne!(article["thumb_media_id"], "pending-upload");
    assert!(article["thumb_media_id"].as_str().unwrap().len() > 10, "the thumbnail was uploaded");
    assert_eq!(body["safe"], 2);
}

#[test]
fn miniprogram_notice() {
    let emu = Emu::start();
    let dir = tempdir();
    let (_, body) = send(
        &emu,
        &dir,
        &[
            "miniprogram-notice",
            "--appid",
            "wxdemo0000000001",
            "--title",
            "会议室预订成功",
            "--page",
            "pages/b?id=8",
            "--description",
            "周一 10:00",
            "--item",
            "会议室=4F-402",
            "--emphasis-first-item",
            "--to",
            "alice",
        ],
    );
    assert_eq!(
        body["miniprogram_notice"],
        json!({ "appid": "wxdemo0000000001", "page": "pages/b?id=8", "title": "会议室预订成功",
                "description": "周一 10:00", "emphasis_first_item": true,
                "content_item": [ { "key": "会议室", "value": "4F-402" } ] })
    );
}

#[test]
fn json_body_from_a_file_takes_the_agent_id_from_the_settings() {
    let emu = Emu::start();
    let dir = tempdir();
    std::fs::write(
        dir.path().join("msg.json"),
        r#"{"touser":"alice","msgtype":"textcard","textcard":{"title":"T","description":"D","url":"https://e.com"},"enable_id_trans":1}"#,
    )
    .unwrap();
    let (_, body) = send(&emu, &dir, &["json", "msg.json"]);
    assert_eq!(
        body,
        json!({ "touser": "alice", "msgtype": "textcard", "agentid": AGENT_ID,
                "textcard": { "title": "T", "description": "D", "url": "https://e.com" }, "enable_id_trans": 1 })
    );
}

#[test]
fn json_content_from_stdin_with_recipients_from_flags() {
    let emu = Emu::start();
    let dir = tempdir();
    let out = emu
        .cmd(&dir)
        .args(["send", "json", "-", "--to", "bob", "--duplicate-check"])
        .write_stdin(r#"{"msgtype":"markdown","markdown":{"content":"**hi**"}}"#)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        emu.last_body(),
        json!({ "touser": "bob", "msgtype": "markdown", "agentid": AGENT_ID, "markdown": { "content": "**hi**" },
                "enable_duplicate_check": 1, "duplicate_check_interval": 1800 })
    );
    // A bare template card is accepted too.
    emu.cmd(&dir)
        .args(["send", "json", "-", "--to", "bob"])
        .write_stdin(r#"{"card_type":"text_notice","main_title":{"title":"Hi"},"card_action":{"type":1,"url":"https://e.com"}}"#)
        .assert()
        .success();
    assert_eq!(emu.last_body()["template_card"]["card_type"], "text_notice");
}

#[test]
fn send_dash_dash_json_reads_a_file_or_stdin_and_still_means_output_before_a_kind() {
    let emu = Emu::start();
    let dir = tempdir();
    std::fs::write(
        dir.path().join("card.json"),
        r#"{"touser":"alice","msgtype":"markdown","markdown":{"content":"from a file"}}"#,
    )
    .unwrap();
    // `wecom send --json FILE`: the file is the message.
    emu.cmd(&dir).args(["send", "--json", "card.json"]).assert().success();
    assert_eq!(emu.last_body()["markdown"]["content"], "from a file");
    // `wecom send --json -`: stdin is the message; a global `--json` still asks for JSON output.
    let out = emu
        .cmd(&dir)
        .args(["--json", "send", "--json", "-", "--to", "bob"])
        .write_stdin(r#"{"msgtype":"text","text":{"content":"from stdin"}}"#)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(emu.last_body()["text"]["content"], "from stdin");
    assert!(stdout_json(&out)["msgid"].is_string());
    // Before a kind name, `--json` is the output switch.
    let out =
        emu.cmd(&dir).args(["send", "--json", "text", "plain", "--to", "bob"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(emu.last_body()["text"]["content"], "plain");
    assert!(stdout_json(&out)["msgid"].is_string());
}
