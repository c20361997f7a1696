//! Media through the SDK: every upload type round-trips through `media/get` with its bytes,
//! content type and file name; the SDK refuses what breaks WeCom's limits before any I/O;
//! the emulator refuses the same when the SDK's checks are bypassed.

use serde_json::Value;
use wecom::{Error, Media, MediaType};

use super::support::{BOT, Env, amr, mp4, png};

#[tokio::test]
async fn every_media_type_round_trips_through_upload_and_download() {
    let env = Env::demo().await;
    let client = env.client(BOT);
    let cases = [
        (MediaType::Image, "chart.png", png(2048), "image/png"),
        (MediaType::Voice, "memo.amr", amr(1000), "voice/amr"),
        (MediaType::Video, "demo.mp4", mp4(4096), "video/mp4"),
        (
            MediaType::File,
            "周报 2025-01.pdf",
            b"%PDF-1.7 weekly report".to_vec(),
            "application/octet-stream",
        ),
    ];
    for (kind, name, data, content_type) in cases {
        let uploaded =
            client.upload_media(kind, Media::from_bytes(name, data.clone())).await.unwrap();
        assert_eq!(uploaded.kind, kind);
        assert!(!uploaded.media_id.is_empty());
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
        assert!(
            uploaded.created_at.abs_diff(i64::try_from(now.as_secs()).unwrap()) < 60,
            "{uploaded:?}"
        );

        let down = client.download_media(&uploaded.media_id).await.unwrap();
        assert_eq!(down.bytes.as_ref(), data.as_slice(), "{kind}: content");
        assert_eq!(down.content_type.as_deref(), Some(content_type), "{kind}: content type");
        assert_eq!(down.file_name.as_deref(), Some(name), "{kind}: file name");
    }
    assert_eq!(env.calls("/cgi-bin/media/upload").await, 4);
    assert_eq!(env.calls("/cgi-bin/media/get").await, 4);

    // A media id the emulator never issued is WeCom's 40007, typed.
    let err = client.download_media("3-not-a-media-id").await.unwrap_err();
    assert_eq!(err.code(), Some(40007), "{err}");
}

#[tokio::test]
async fn a_content_type_override_is_kept() {
    let env = Env::demo().await;
    let client = env.client(BOT);
    let media =
        Media::from_bytes("notes.txt", b"plain text notes".to_vec()).content_type("text/plain");
    let uploaded = client.upload_media(MediaType::File, media).await.unwrap();
    let down = client.download_media(&uploaded.media_id).await.unwrap();
    assert_eq!(down.content_type.as_deref(), Some("text/plain"));
}

#[tokio::test]
async fn upload_image_gives_a_url_serving_the_image() {
    let env = Env::demo().await;
    let client = env.client(BOT);
    let data = png(4096);
    let url = client.upload_image(Media::from_bytes("inline.png", data.clone())).await.unwrap();
    assert!(url.starts_with(env.emu.base_url()), "{url}");
    let resp = env.http.get(&url).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "image/png");
    assert_eq!(resp.bytes().await.unwrap().as_ref(), data.as_slice());
}

#[tokio::test]
async fn the_sdk_refuses_what_breaks_the_limits_before_any_io() {
    let env = Env::demo().await;
    let client = env.client(BOT);
    let mib = 1024 * 1024;
    let temporary = [
        (MediaType::File, Media::from_bytes("tiny.txt", b"12345".to_vec()), "larger than 5 bytes"),
        (
            MediaType::Voice,
            Media::from_bytes("big.amr", {
                let mut v = amr(20);
                v.resize(2 * mib + 1, 0);
                v
            }),
            "at most 2097152 bytes",
        ),
        (
            MediaType::Image,
            Media::from_bytes("big.png", png(10 * mib + 1)),
            "at most 10485760 bytes",
        ),
        (
            MediaType::Image,
            Media::from_bytes("anim.gif", b"GIF89a-animation".to_vec()),
            "JPG or PNG",
        ),
        (
            MediaType::Image,
            Media::from_bytes("fake.png", b"GIF89a-animation".to_vec()),
            "not a JPEG or PNG",
        ),
        (
            MediaType::Video,
            Media::from_bytes("clip.mp4", b"RIFF....AVI LIST".to_vec()),
            "not an MP4",
        ),
        (MediaType::Voice, Media::from_bytes("memo.wav", amr(1000)), "AMR file"),
    ];
    for (kind, media, problem) in temporary {
        let err = client.upload_media(kind, media).await.unwrap_err();
        assert!(err.is_invalid_argument(), "{kind}: {err}");
        assert!(err.to_string().contains(problem), "{kind}: {err}");
    }
    let err =
        client.upload_image(Media::from_bytes("big.png", png(2 * mib + 1))).await.unwrap_err();
    assert!(matches!(&err, Error::InvalidArgument(a) if a.field == "media"), "{err}");
    let err = client.download_media(" ").await.unwrap_err();
    assert!(err.is_invalid_argument(), "{err}");

    // Nothing reached the emulator, not even a token request.
    for path in [
        "/cgi-bin/gettoken",
        "/cgi-bin/media/upload",
        "/cgi-bin/media/uploadimg",
        "/cgi-bin/media/get",
    ] {
        assert_eq!(env.calls(path).await, 0, "{path}");
    }
}

#[tokio::test]
async fn a_voice_past_60_seconds_passes_the_sdk_and_the_emulator_answers_45007() {
    // The SDK checks size and format, not playback time; the emulator does, as WeCom.
    let env = Env::demo().await;
    let client = env.client(BOT);
    let err = client
        .upload_media(MediaType::Voice, Media::from_bytes("long.amr", amr(61_000)))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(45007), "{err}");
    assert!(
        client
            .upload_media(MediaType::Voice, Media::from_bytes("ok.amr", amr(59_000)))
            .await
            .is_ok()
    );
}

/// Raw multipart uploads with the SDK's token, bypassing the SDK's checks.
async fn raw_upload(
    env: &Env,
    token: &str,
    path_and_query: &str,
    name: &str,
    data: Vec<u8>,
) -> Value {
    let part = reqwest::multipart::Part::bytes(data).file_name(name.to_owned());
    let form = reqwest::multipart::Form::new().part("media", part);
    let sep = if path_and_query.contains('?') { '&' } else { '?' };
    let url = env.url(&format!("{path_and_query}{sep}access_token={token}"));
    env.http.post(url).multipart(form).send().await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn the_emulator_refuses_the_same_uploads_when_the_sdk_is_bypassed() {
    let env = Env::demo().await;
    let token = env.client(BOT).access_token().await.unwrap();
    let token = token.expose();
    let mib = 1024 * 1024;
    let mut big_voice = amr(20);
    big_voice.resize(2 * mib + 1, 0);
    let cases: [(&str, &str, Vec<u8>, i64); 8] = [
        ("/cgi-bin/media/upload?type=file", "tiny.txt", b"12345".to_vec(), 40006),
        ("/cgi-bin/media/upload?type=file", "empty.txt", Vec::new(), 44001),
        ("/cgi-bin/media/upload?type=voice", "big.amr", big_voice, 45001),
        ("/cgi-bin/media/upload?type=image", "big.png", png(10 * mib + 1), 40009),
        ("/cgi-bin/media/upload?type=image", "fake.png", b"GIF89a-animation".to_vec(), 40004),
        ("/cgi-bin/media/upload?type=video", "clip.mp4", b"RIFF....AVI LIST".to_vec(), 40004),
        ("/cgi-bin/media/upload?type=sticker", "a.png", png(64), 40005),
        ("/cgi-bin/media/uploadimg", "big.png", png(2 * mib + 1), 40009),
    ];
    for (path, name, data, code) in cases {
        let v = raw_upload(&env, token, path, name, data).await;
        assert_eq!(v["errcode"], code, "{path} {name}: {v}");
    }
    // The same limits hold exactly at the boundary on both sides.
    let v =
        raw_upload(&env, token, "/cgi-bin/media/upload?type=file", "six.txt", b"123456".to_vec())
            .await;
    assert_eq!(v["errcode"], 0, "{v}");
}
