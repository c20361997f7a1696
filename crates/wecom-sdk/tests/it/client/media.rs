//! `media/upload` and `media/uploadimg`: multipart shape, sources, limits before I/O.

use std::time::{Duration, SystemTime};

use axum::extract::{FromRequest, Multipart};
use serde_json::json;
use wecom::{Error, Media, MediaType};

use super::support::{Mock, Recorded, Reply};

const UPLOAD: &str = "/cgi-bin/media/upload";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-rest";
const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\0\x10JFIF-rest";

pub(crate) struct Part {
    pub(crate) name: String,
    pub(crate) file_name: String,
    pub(crate) content_type: String,
    pub(crate) data: Vec<u8>,
}

/// Parses the request body with an independent multipart parser and returns its one part.
pub(crate) async fn single_part(request: &Recorded) -> Part {
    let http_request = axum::http::Request::builder()
        .method("POST")
        .header("content-type", request.headers["content-type"].clone())
        .body(axum::body::Body::from(request.body.clone()))
        .unwrap();
    let mut form = Multipart::from_request(http_request, &()).await.unwrap();
    let field = form.next_field().await.unwrap().expect("one part");
    let part = Part {
        name: field.name().unwrap().to_owned(),
        file_name: field.file_name().unwrap().to_owned(),
        content_type: field.content_type().unwrap().to_owned(),
        data: field.bytes().await.unwrap().to_vec(),
    };
    assert!(form.next_field().await.unwrap().is_none(), "exactly one part");
    part
}

#[tokio::test]
async fn image_upload_sends_one_media_part() {
    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    let uploaded =
        client.upload_media(MediaType::Image, Media::from_bytes("chart.png", PNG)).await.unwrap();
    assert_eq!(uploaded.media_id, "MEDIA-1");
    assert_eq!(uploaded.kind, MediaType::Image);
    assert_eq!(uploaded.created_at, 1_380_000_000);
    assert_eq!(
        uploaded.created_at_time(),
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_380_000_000)
    );
    assert_eq!(uploaded.expires_at(), uploaded.created_at_time() + Duration::from_secs(3 * 86_400));

    let request = &mock.requests(UPLOAD)[0];
    assert_eq!(request.query["type"], "image");
    let part = single_part(request).await;
    assert_eq!(part.name, "media");
    assert_eq!(part.file_name, "chart.png");
    assert_eq!(part.content_type, "image/png");
    assert_eq!(part.data, PNG);
    let raw = String::from_utf8_lossy(&request.body);
    assert!(raw.contains(&format!("filelength={}", PNG.len())), "{raw}");
}

#[tokio::test]
async fn created_at_as_an_integer_is_accepted() {
    let mock = Mock::start().await;
    mock.script(
        UPLOAD,
        [Reply::Json(json!({"errcode": 0, "errmsg": "", "type": "file", "media_id": "M1", "created_at": 1_700_000_000}))],
    );
    let client = mock.client().build().unwrap();
    let uploaded = client
        .upload_media(MediaType::File, Media::from_bytes("a.txt", "hello world"))
        .await
        .unwrap();
    assert_eq!(
        (uploaded.media_id.as_str(), uploaded.kind, uploaded.created_at),
        ("M1", MediaType::File, 1_700_000_000)
    );
}

#[tokio::test]
async fn every_kind_gets_its_content_type_and_non_ascii_names_survive() {
    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    let cases: [(MediaType, &str, &[u8], &str); 4] = [
        (MediaType::Image, "照片.jpg", JPEG, "image/jpeg"),
        (MediaType::Voice, "memo.amr", b"#!AMR\n\x3c\x48\x77", "voice/amr"),
        (MediaType::Video, "clip.MP4", b"\0\0\0\x18ftypmp42rest", "video/mp4"),
        (MediaType::File, "周报 \"final\".pdf", b"%PDF-1.7 rest", "application/octet-stream"),
    ];
    for (kind, name, data, content_type) in cases {
        let uploaded =
            client.upload_media(kind, Media::from_bytes(name, data.to_vec())).await.unwrap();
        assert_eq!(uploaded.kind, kind);
        let request = mock.requests(UPLOAD).pop().unwrap();
        assert_eq!(request.query["type"], kind.as_str());
        let part = single_part(&request).await;
        assert_eq!(part.content_type, content_type);
        assert_eq!(part.data, data);
        if kind == MediaType::File {
            // Quotes cannot end the header parameter early; they travel percent-encoded.
            assert_eq!(part.file_name, "周报 %22final%22.pdf");
        } else {
            assert_eq!(part.file_name, name);
        }
    }
}

#[tokio::test]
async fn media_from_a_path_and_from_a_reader() {
    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, b"meeting notes").unwrap();
    let media = Media::from_path(&path).await.unwrap();
    assert_eq!((media.file_name(), media.len()), ("notes.txt", 13));
    client.upload_media(MediaType::File, media).await.unwrap();
    let part = single_part(&mock.requests(UPLOAD)[0]).await;
    assert_eq!(
        (part.file_name.as_str(), part.data.as_slice()),
        ("notes.txt", &b"meeting notes"[..])
    );

    let (mut writer, reader) = tokio::io::duplex(64);
    let feed = tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        for chunk in [&PNG[..8], &PNG[8..]] {
            writer.write_all(chunk).await.unwrap();
        }
    });
    let media = Media::from_reader("streamed.png", reader).await.unwrap();
    feed.await.unwrap();
    client.upload_media(MediaType::Image, media).await.unwrap();
    let part = single_part(&mock.requests(UPLOAD)[1]).await;
    assert_eq!(part.data, PNG);
}

#[tokio::test]
async fn unreadable_and_oversized_files_fail_before_upload() {
    let dir = tempfile::tempdir().unwrap();
    let err = Media::from_path(dir.path().join("missing.png")).await.unwrap_err();
    assert!(matches!(&err, Error::Io { what, .. } if what.ends_with("missing.png")), "{err:?}");

    // A sparse 21 MiB file is refused from its size alone.
    let big = dir.path().join("big.bin");
    std::fs::File::create(&big).unwrap().set_len(21 * 1024 * 1024).unwrap();
    let err = Media::from_path(&big).await.unwrap_err();
    assert!(err.is_invalid_argument(), "{err:?}");

    let endless = tokio::io::repeat(b'x');
    let err = Media::from_reader("endless.bin", endless).await.unwrap_err();
    assert!(err.is_invalid_argument(), "{err:?}");
}

#[tokio::test]
async fn limits_are_checked_before_any_io() {
    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    let mut big_png = PNG.to_vec();
    big_png.resize(10 * 1024 * 1024 + 1, 0);
    let mut big_voice = b"#!AMR\n".to_vec();
    big_voice.resize(2 * 1024 * 1024 + 1, 0);
    let cases = [
        (MediaType::File, Media::from_bytes("tiny.txt", "12345"), "larger than 5 bytes"),
        (MediaType::Image, Media::from_bytes("a.gif", PNG), "JPG or PNG"),
        (
            MediaType::Image,
            Media::from_bytes("a.png", b"GIF89a-not-png".to_vec()),
            "not a JPEG or PNG",
        ),
        (MediaType::Image, Media::from_bytes("big.png", big_png), "at most 10485760 bytes"),
        (MediaType::Voice, Media::from_bytes("v.amr", big_voice), "at most 2097152 bytes"),
        (MediaType::Voice, Media::from_bytes("v.wav", b"RIFF1234WAVE".to_vec()), "AMR"),
        (MediaType::Video, Media::from_bytes("v.mp4", b"not-a-video-at-all".to_vec()), "MP4"),
        (MediaType::File, Media::from_bytes("", "hello world"), "filename"),
    ];
    for (kind, media, expected) in cases {
        let err = client.upload_media(kind, media).await.unwrap_err();
        assert!(err.is_invalid_argument() && err.to_string().contains(expected), "{kind}: {err}");
    }
    let mut big = PNG.to_vec();
    big.resize(2 * 1024 * 1024 + 1, 0);
    let err = client.upload_image(Media::from_bytes("big.png", big)).await.unwrap_err();
    assert!(err.to_string().contains("permanent image"), "{err}");
    assert!(mock.all_requests().is_empty(), "nothing may be sent, not even gettoken");
}

#[tokio::test]
async fn permanent_image_upload_returns_the_url() {
    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    let url = client.upload_image(Media::from_bytes("logo.jpg", JPEG)).await.unwrap();
    assert_eq!(url, "http://p.qpic.cn/pic_wework/1/0");
    let request = &mock.requests("/cgi-bin/media/uploadimg")[0];
    assert!(!request.query.contains_key("type"));
    let part = single_part(request).await;
    assert_eq!((part.name.as_str(), part.content_type.as_str()), ("media", "image/jpeg"));
}

#[tokio::test]
async fn media_upload_api_errors_keep_their_code() {
    let mock = Mock::start().await;
    mock.script(UPLOAD, [Reply::err(40004, "invalid media type")]);
    let client = mock.client().build().unwrap();
    let err = client
        .upload_media(MediaType::File, Media::from_bytes("a.txt", "hello world"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(wecom::error::codes::INVALID_MEDIA_FILE_TYPE));
}

#[test]
fn media_types_parse_and_print() {
    for kind in [MediaType::Image, MediaType::Voice, MediaType::Video, MediaType::File] {
        assert_eq!(kind.to_string().parse::<MediaType>().unwrap(), kind);
    }
    assert!("gif".parse::<MediaType>().is_err());
    assert!(
        !format!("{:?}", Media::from_bytes("a.txt", "secret-content")).contains("secret-content")
    );
}
