//! webhook/send and webhook/upload_media from raw JSON and multipart: WeCom's codes for an
//! unknown key, empty and over-long content, a wrong MD5, foreign media ids, and the order in
//! which an upload is checked.

use base64::Engine as _;
use serde_json::{Value, json};
use wecom_emulator::DEMO_WEBHOOK_KEY;

use super::support::{Emu, amr_bytes, assert_errcode, png_bytes};

fn send_path(key: &str) -> String {
    format!("/cgi-bin/webhook/send?key={key}")
}

async fn send(emu: &Emu, body: &Value) -> Value {
    emu.post_json(&send_path(DEMO_WEBHOOK_KEY), body).await
}

async fn upload(emu: &Emu, key: &str, kind: &str, data: Vec<u8>) -> Value {
    let part = reqwest::multipart::Part::bytes(data).file_name("f.bin");
    let form = reqwest::multipart::Form::new().part("media", part);
    let url = emu.url(&format!("/cgi-bin/webhook/upload_media?key={key}&type={kind}"));
    emu.http.post(url).multipart(form).send().await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn unknown_or_missing_keys_answer_93000_with_http_200() {
    let emu = Emu::demo().await;
    let body = json!({ "msgtype": "text", "text": { "content": "hi" } });
    let v = emu.post_json(&send_path("made-up"), &body).await;
    assert_errcode(&v, 93000);
    assert!(!v["errmsg"].as_str().unwrap().contains("made-up"));
    assert_errcode(&emu.post_json("/cgi-bin/webhook/send", &body).await, 93000);
    assert_eq!(send(&emu, &body).await["errcode"], 0);
}

#[tokio::test]
async fn content_limits_are_utf8_bytes() {
    let emu = Emu::demo().await;
    let text = |s: String| json!({ "msgtype": "text", "text": { "content": s } });
    assert_eq!(send(&emu, &text("é".repeat(1024))).await["errcode"], 0);
    assert_errcode(&send(&emu, &text(format!("{}x", "é".repeat(1024)))).await, 40058);
    let md = |s: String| json!({ "msgtype": "markdown", "markdown": { "content": s } });
    assert_eq!(send(&emu, &md("m".repeat(4096))).await["errcode"], 0);
    let v = send(&emu, &md("m".repeat(4097))).await;
    assert_errcode(&v, 40058);
    assert!(v["errmsg"].as_str().unwrap().contains("markdown.content exceed max length 4096"));
    assert_errcode(&send(&emu, &text(String::new())).await, 93017);
    assert_errcode(&send(&emu, &json!({ "msgtype": "textcard", "textcard": {} })).await, 40008);
    let nine: Vec<Value> =
        (0..9).map(|i| json!({ "title": format!("a{i}"), "url": "https://e.com" })).collect();
    assert_errcode(
        &send(&emu, &json!({ "msgtype": "news", "news": { "articles": nine } })).await,
        45008,
    );
    let no_url = json!({ "msgtype": "news", "news": { "articles": [{ "title": "t" }] } });
    assert_errcode(&send(&emu, &no_url).await, 40063);
}

#[tokio::test]
async fn images_are_checked_against_their_md5() {
    let emu = Emu::demo().await;
    let png = png_bytes(100);
    let b64 = base64::engine::general_purpose::STANDARD.encode(&png);
    let md5: String = {
        use md5::Digest as _;
        md5::Md5::digest(&png).iter().fold(String::new(), |s, b| s + &format!("{b:02x}"))
    };
    let image = |md5: &str| json!({ "msgtype": "image", "image": { "base64": b64, "md5": md5 } });
    assert_eq!(send(&emu, &image(&md5)).await["errcode"], 0);
    let v = send(&emu, &image(&"0".repeat(32))).await;
    assert_errcode(&v, 40058);
    assert!(v["errmsg"].as_str().unwrap().contains("does not match"));
    let big = base64::engine::general_purpose::STANDARD.encode(png_bytes(2 * 1024 * 1024 + 1));
    let v =
        send(&emu, &json!({ "msgtype": "image", "image": { "base64": big, "md5": md5 } })).await;
    assert_errcode(&v, 93018);
}

#[tokio::test]
async fn media_ids_belong_to_the_uploading_bot() {
    let emu = Emu::demo().await;
    let v = upload(&emu, DEMO_WEBHOOK_KEY, "file", b"hello world".to_vec()).await;
    assert_eq!(v["errcode"], 0, "{v}");
    assert!(v["created_at"].as_str().unwrap().parse::<i64>().is_ok());
    let id = v["media_id"].as_str().unwrap();
    let file = |id: &str| json!({ "msgtype": "file", "file": { "media_id": id } });
    assert_eq!(send(&emu, &file(id)).await["errcode"], 0);
    // A file id is not a voice id.
    assert_errcode(
        &send(&emu, &json!({ "msgtype": "voice", "voice": { "media_id": id } })).await,
        40007,
    );
    assert_errcode(&send(&emu, &file("nope")).await, 40007);
    let app_id = emu
        .upload(
            super::support::BOT,
            "/cgi-bin/media/upload?type=file",
            Some("a.txt"),
            b"abcdef".to_vec(),
        )
        .await;
    let v = send(&emu, &file(app_id["media_id"].as_str().unwrap())).await;
    assert!(v["errmsg"].as_str().unwrap().contains("app's media/upload"), "{v}");
}

#[tokio::test]
async fn uploads_check_the_file_before_the_key() {
    let emu = Emu::demo().await;
    assert_errcode(&upload(&emu, "bogus", "file", Vec::new()).await, 44001);
    assert_errcode(&upload(&emu, "bogus", "file", b"hello world".to_vec()).await, 93000);
    assert_errcode(&upload(&emu, DEMO_WEBHOOK_KEY, "image", b"hello world".to_vec()).await, 40005);
    assert_errcode(&upload(&emu, DEMO_WEBHOOK_KEY, "file", b"12345".to_vec()).await, 40006);
    assert_errcode(
        &upload(&emu, DEMO_WEBHOOK_KEY, "voice", b"not amr at all".to_vec()).await,
        40004,
    );
    assert_errcode(&upload(&emu, DEMO_WEBHOOK_KEY, "voice", amr_bytes(61_000)).await, 45007);
    assert_eq!(upload(&emu, DEMO_WEBHOOK_KEY, "voice", amr_bytes(1000)).await["errcode"], 0);
}
