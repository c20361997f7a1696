//! `getcallbackip` and `media/get`.

use axum::body::Bytes;
use serde_json::json;
use wecom::Error;

use super::support::{Mock, Reply, token};

const CALLBACK_IP: &str = "/cgi-bin/getcallbackip";
const MEDIA_GET: &str = "/cgi-bin/media/get";

fn file(content_type: &str, disposition: &str, body: &'static [u8]) -> Reply {
    Reply::File(
        vec![
            ("content-type", content_type.to_owned()),
            ("content-disposition", disposition.to_owned()),
        ],
        Bytes::from_static(body),
    )
}

#[tokio::test]
async fn callback_ips_are_read_from_ip_list() {
    let mock = Mock::start().await;
    mock.script(
        CALLBACK_IP,
        [Reply::Json(json!({"errcode": 0, "errmsg": "ok", "ip_list": ["1.2.3.4", "2.3.3.0/24"]}))],
    );
    let client = mock.client().build().unwrap();
    assert_eq!(client.callback_ips().await.unwrap(), ["1.2.3.4", "2.3.3.0/24"]);
    let sent = mock.requests(CALLBACK_IP);
    assert_eq!(sent[0].method, "GET");
    assert_eq!(sent[0].token(), Some(token(1).as_str()));
}

#[tokio::test]
async fn callback_ips_errors_are_typed() {
    let mock = Mock::start().await;
    mock.script(CALLBACK_IP, [Reply::err(48002, "api forbidden")]);
    let client = mock.client().build().unwrap();
    let err = client.callback_ips().await.unwrap_err();
    assert_eq!(err.code(), Some(48002));
}

#[tokio::test]
async fn download_returns_bytes_type_and_file_name() {
    let mock = Mock::start().await;
    mock.script(
        MEDIA_GET,
        [file("image/jpeg", r#"attachment; filename="MEDIA_ID.jpg""#, b"\xff\xd8\xff\xe0jpeg")],
    );
    let client = mock.client().build().unwrap();
    let media = client.download_media("MEDIA_ID").await.unwrap();
    assert_eq!(&media.bytes[..], b"\xff\xd8\xff\xe0jpeg");
    assert_eq!(media.content_type.as_deref(), Some("image/jpeg"));
    assert_eq!(media.file_name.as_deref(), Some("MEDIA_ID.jpg"));
    let sent = mock.requests(MEDIA_GET);
    assert_eq!(sent[0].method, "GET");
    assert_eq!(sent[0].query["media_id"], "MEDIA_ID");
    assert_eq!(sent[0].token(), Some(token(1).as_str()));
    let shown = format!("{media:?}");
    assert!(
        shown.contains("len: 8") && !shown.contains("\\xd8"),
        "Debug hides the content: {shown}"
    );
}

#[tokio::test]
async fn download_prefers_the_extended_utf8_file_name() {
    let mock = Mock::start().await;
    mock.script(
        MEDIA_GET,
        [file(
            "application/octet-stream",
            "attachment; filename=\"x.txt\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.txt",
            b"{\"errcode\":40007}",
        )],
    );
    let client = mock.client().build().unwrap();
    let media = client.download_media("M").await.unwrap();
    assert_eq!(media.file_name.as_deref(), Some("报告.txt"));
    assert_eq!(&media.bytes[..], b"{\"errcode\":40007}", "a file that looks like JSON is a file");
}

#[tokio::test]
async fn a_json_error_instead_of_the_file_is_an_api_error() {
    let mock = Mock::start().await;
    mock.script(MEDIA_GET, [Reply::err(40007, "invalid media_id")]);
    let client = mock.client().build().unwrap();
    let err = client.download_media("EXPIRED").await.unwrap_err();
    assert!(matches!(&err, Error::Api { code: 40007, .. }), "{err:?}");
    assert!(
        err.hint().unwrap().contains("re-upload") || err.hint().unwrap().contains("upload the")
    );
    assert_eq!(mock.count(MEDIA_GET), 1);
}

#[tokio::test]
async fn a_plain_text_error_is_decoded_and_a_rejected_token_refreshed() {
    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    client.access_token().await.unwrap();
    mock.script(
        MEDIA_GET,
        [
            Reply::err(42001, "access_token expired"),
            Reply::File(
                vec![("content-type", "text/plain".to_owned())],
                Bytes::from_static(br#"{"errcode":-1,"errmsg":"system busy"}"#),
            ),
            file("video/mp4", "attachment; filename=v.mp4", b"mp4-bytes"),
        ],
    );
    // Expired token → refresh; then busy (as text/plain) → retry; then the file.
    let media = client.download_media("M").await.unwrap();
    assert_eq!(&media.bytes[..], b"mp4-bytes");
    assert_eq!(media.file_name.as_deref(), Some("v.mp4"));
    let sent = mock.requests(MEDIA_GET);
    assert_eq!(sent.len(), 3);
    assert_eq!(sent[0].token(), Some(token(1).as_str()));
    assert_eq!(sent[2].token(), Some(token(2).as_str()));
}

#[tokio::test]
async fn an_empty_media_id_is_refused_locally() {
    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    let err = client.download_media(" ").await.unwrap_err();
    assert!(err.is_invalid_argument(), "{err:?}");
    assert!(mock.all_requests().is_empty());
}
