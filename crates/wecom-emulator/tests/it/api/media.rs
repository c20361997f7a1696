//! media/upload, media/get and media/uploadimg.

use super::support::{BOT, Emu, amr_bytes, assert_errcode, png_bytes};

#[tokio::test]
async fn upload_then_get_returns_the_bytes_with_type_and_name() {
    let emu = Emu::demo().await;
    let data = png_bytes(300);
    let v = emu
        .upload(BOT, "/cgi-bin/media/upload?type=image", Some("chart 1.png"), data.clone())
        .await;
    assert_eq!(v["errcode"], 0, "{v}");
    assert_eq!(v["type"], "image");
    let created = v["created_at"].as_str().expect("created_at is a string");
    assert!(created.parse::<i64>().unwrap() > 1_600_000_000);
    let token = emu.token(BOT).await;
    let resp = emu
        .http
        .get(emu.url(&format!(
            "/cgi-bin/media/get?access_token={token}&media_id={}",
            v["media_id"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["content-type"], "image/png");
    let disposition = resp.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(disposition.contains("filename=\"chart 1.png\""), "{disposition}");
    assert_eq!(resp.bytes().await.unwrap().as_ref(), data.as_slice());
}

#[tokio::test]
async fn media_get_refuses_unknown_and_expired_ids() {
    let emu = Emu::demo().await;
    let id = emu.image_media().await;
    let token = emu.token(BOT).await;
    assert_errcode(
        &emu.get_json(&format!("/cgi-bin/media/get?access_token={token}&media_id=nope")).await,
        40007,
    );
    assert_errcode(&emu.get_json(&format!("/cgi-bin/media/get?access_token={token}")).await, 41006);
    emu.advance(3 * 24 * 3600).await;
    let token = emu.token(BOT).await;
    assert_errcode(
        &emu.get_json(&format!("/cgi-bin/media/get?access_token={token}&media_id={id}")).await,
        40007,
    );
}

#[tokio::test]
async fn upload_size_and_format_rules() {
    let emu = Emu::demo().await;
    let cases: Vec<(&str, Option<&str>, Vec<u8>, i64)> = vec![
        ("/cgi-bin/media/upload", Some("a.png"), png_bytes(64), 40005),
        ("/cgi-bin/media/upload?type=sticker", Some("a.png"), png_bytes(64), 40005),
        ("/cgi-bin/media/upload?type=file", Some("a.txt"), Vec::new(), 44001),
        ("/cgi-bin/media/upload?type=file", Some("a.txt"), b"12345".to_vec(), 40006),
        ("/cgi-bin/media/upload?type=file", Some("a.txt"), b"123456".to_vec(), 0),
        ("/cgi-bin/media/upload?type=file", None, b"123456".to_vec(), 40058),
        ("/cgi-bin/media/upload?type=image", Some("a.gif"), b"GIF89a-----".to_vec(), 40004),
        (
            "/cgi-bin/media/upload?type=image",
            Some("big.png"),
            png_bytes(10 * 1024 * 1024 + 1),
            40009,
        ),
        ("/cgi-bin/media/upload?type=voice", Some("a.mp3"), vec![7; 64], 40004),
        ("/cgi-bin/media/upload?type=voice", Some("a.amr"), amr_bytes(60_000), 0),
        ("/cgi-bin/media/upload?type=voice", Some("a.amr"), amr_bytes(60_020), 45007),
        ("/cgi-bin/media/upload?type=video", Some("a.mp4"), b"\0\0\0\x18ftypmp42xxxx".to_vec(), 0),
        ("/cgi-bin/media/upload?type=video", Some("a.avi"), b"RIFFxxxxAVI xxxx".to_vec(), 40004),
        ("/cgi-bin/media/uploadimg", Some("a.png"), png_bytes(2 * 1024 * 1024 + 1), 40009),
        ("/cgi-bin/media/uploadimg", Some("a.bmp"), b"BMxxxxxxxx".to_vec(), 40004),
    ];
    for (path, filename, data, code) in cases {
        let len = data.len();
        let v = emu.upload(BOT, path, filename, data).await;
        assert_eq!(v["errcode"], code, "{path} {filename:?} {len} bytes: {v}");
    }
}

#[tokio::test]
async fn uploads_need_a_media_part_and_a_token() {
    let emu = Emu::demo().await;
    let token = emu.token(BOT).await;
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(png_bytes(64)).file_name("a.png"));
    let resp = emu
        .http
        .post(emu.url(&format!("/cgi-bin/media/upload?type=image&access_token={token}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_errcode(&resp.json().await.unwrap(), 44001);
    let resp =
        emu.http.post(emu.url("/cgi-bin/media/upload?type=image")).body("x").send().await.unwrap();
    assert_errcode(&resp.json().await.unwrap(), 41001);
}

#[tokio::test]
async fn uploadimg_returns_a_url_the_emulator_serves() {
    let emu = Emu::demo().await;
    let data = png_bytes(500);
    let v = emu.upload(BOT, "/cgi-bin/media/uploadimg", Some("logo.png"), data.clone()).await;
    assert_eq!(v["errcode"], 0, "{v}");
    let url = v["url"].as_str().unwrap();
    assert!(url.starts_with(emu.handle.base_url()), "{url}");
    let resp = emu.http.get(url).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "image/png");
    assert_eq!(resp.bytes().await.unwrap().as_ref(), data.as_slice());
}
