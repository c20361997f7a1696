//! Pushes without a callback (`aibot_send_msg`) and the chunked media upload.

use std::time::Duration;

use serde_json::json;
use wecom_aibot::bot::{Responder, bot_fn};
use wecom_aibot::model::{AibotCard, Message};
use wecom_aibot::ws::{AibotWs, CHUNK_BYTES, MediaId, MediaKind, Push, WsError, WsHandle};
use wecom_model::card::{CardAction, MainTitle, TextNotice};

use super::server::{self, ServerConn, WsServer};

async fn connected(srv: &mut WsServer) -> (WsHandle, ServerConn) {
    let bot = bot_fn(|_m: Message, _r: Responder| async {});
    let client = AibotWs::new(server::credentials(), server::config(&srv.url), bot);
    let (handle, _task) = client.spawn();
    let mut conn = srv.accept().await;
    conn.subscribe(0).await;
    assert!(handle.wait_connected(Duration::from_secs(2)).await);
    (handle, conn)
}

fn md5_hex(data: &[u8]) -> String {
    use md5::Digest as _;
    md5::Md5::digest(data).iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn pushes_markdown_cards_and_media_to_members_and_groups() {
    let mut srv = WsServer::start().await;
    let (handle, mut conn) = connected(&mut srv).await;
    let card =
        TextNotice::new(MainTitle::new("Deployed"), CardAction::url("https://ci.example.com/r/14"));
    let cases = [
        (
            "lisi",
            Push::markdown("**reminder**"),
            json!({"msgtype": "markdown", "markdown": {"content": "**reminder**"}}),
        ),
        ("wrkGroup1", Push::card(AibotCard::new(card)), json!({"msgtype": "template_card"})),
        (
            "lisi",
            Push::media(MediaKind::Image, MediaId("mid-1".into())),
            json!({"msgtype": "image", "image": {"media_id": "mid-1"}}),
        ),
        (
            "lisi",
            Push::video(MediaId("mid-2".into()), "demo", "a demo"),
            json!({"msgtype": "video", "video": {"media_id": "mid-2", "title": "demo", "description": "a demo"}}),
        ),
    ];
    for (chat, push, expected) in cases {
        let h = handle.clone();
        let sent = tokio::spawn(async move { h.send(chat, push).await });
        let f = conn.recv().await;
        assert_eq!(f["cmd"], "aibot_send_msg");
        assert!(f["headers"]["req_id"].as_str().unwrap().starts_with("aibot_send_msg_"));
        assert_eq!(f["body"]["chatid"], chat);
        for (k, v) in expected.as_object().unwrap() {
            assert_eq!(&f["body"][k], v, "{k}");
        }
        conn.ack(&f, 0);
        sent.await.unwrap().unwrap();
    }
    // WeCom's refusal keeps its errcode.
    let h = handle.clone();
    let sent = tokio::spawn(async move { h.send_markdown("wrkGroup1", "hi").await });
    let f = conn.recv().await;
    conn.ack(&f, 40_008);
    assert_eq!(sent.await.unwrap().unwrap_err().code(), Some(40_008));
}

#[tokio::test]
async fn invalid_pushes_are_refused_before_sending() {
    let mut srv = WsServer::start().await;
    let (handle, mut conn) = connected(&mut srv).await;
    let err = handle.send_markdown("lisi", "x".repeat(20_481)).await.unwrap_err();
    assert_eq!(err, WsError::TooLarge { field: "markdown.content", size: 20_481, limit: 20_480 });
    assert!(matches!(
        handle.send("", Push::markdown("hi")).await,
        Err(WsError::InvalidArgument(_))
    ));
    let too_big = vec![0u8; MediaKind::Voice.max_bytes() + 1];
    assert!(matches!(
        handle.upload(MediaKind::Voice, "a.amr", &too_big).await,
        Err(WsError::TooLarge { field: "voice", .. })
    ));
    assert!(matches!(
        handle.upload(MediaKind::File, "a", &[]).await,
        Err(WsError::InvalidArgument(_))
    ));
    assert!(conn.try_recv(Duration::from_millis(100)).await.is_none(), "nothing sent");
}

#[tokio::test]
async fn push_without_a_connection_fails_at_once() {
    let bot = bot_fn(|_m: Message, _r: Responder| async {});
    let client =
        AibotWs::new(server::credentials(), server::config("ws://127.0.0.1:9/aibot/ws"), bot);
    assert_eq!(client.handle().send_markdown("lisi", "hi").await, Err(WsError::NotConnected));
}

#[tokio::test]
async fn uploads_five_mebibytes_in_checked_chunks() {
    let mut srv = WsServer::start().await;
    let (handle, mut conn) = connected(&mut srv).await;
    let data: Vec<u8> =
        (0..5 * 1024 * 1024u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let h = handle.clone();
    let payload = data.clone();
    let upload = tokio::spawn(async move { h.upload(MediaKind::File, "big.bin", &payload).await });

    let init = conn.recv().await;
    assert_eq!(init["cmd"], "aibot_upload_media_init");
    assert_eq!(init["body"]["type"], "file");
    assert_eq!(init["body"]["filename"], "big.bin");
    assert_eq!(init["body"]["total_size"], data.len());
    assert_eq!(init["body"]["total_chunks"], 10);
    let md5 = init["body"]["md5"].as_str().unwrap().to_owned();
    assert_eq!(md5, md5_hex(&data));
    conn.ack_with(&init, json!({"upload_id": "up-1"}));

    let mut chunks: Vec<Option<Vec<u8>>> = vec![None; 10];
    for _ in 0..10 {
        let f = conn.recv().await;
        assert_eq!(f["cmd"], "aibot_upload_media_chunk");
        assert_eq!(f["body"]["upload_id"], "up-1");
        let index = usize::try_from(f["body"]["chunk_index"].as_u64().unwrap()).unwrap();
        let bytes = base64_simd::STANDARD
            .decode_to_vec(f["body"]["base64_data"].as_str().unwrap())
            .unwrap();
        assert!(bytes.len() <= CHUNK_BYTES);
        assert!(chunks[index].replace(bytes).is_none(), "chunk {index} twice");
        conn.ack(&f, 0);
    }
    let whole: Vec<u8> = chunks.into_iter().flat_map(Option::unwrap).collect();
    assert_eq!(md5_hex(&whole), md5, "the chunks reassemble to the file");

    let finish = conn.recv().await;
    assert_eq!(finish["cmd"], "aibot_upload_media_finish");
    assert_eq!(finish["body"]["upload_id"], "up-1");
    conn.ack_with(
        &finish,
        json!({"type": "file", "media_id": "media-xyz", "created_at": 1_767_229_101}),
    );
    assert_eq!(upload.await.unwrap().unwrap(), MediaId("media-xyz".into()));
}

#[tokio::test]
async fn a_refused_chunk_is_retried_with_a_new_req_id() {
    let mut srv = WsServer::start().await;
    let (handle, mut conn) = connected(&mut srv).await;
    let data = vec![7u8; 1000];
    let h = handle.clone();
    let payload = data.clone();
    let upload = tokio::spawn(async move { h.upload(MediaKind::Image, "a.png", &payload).await });
    let init = conn.recv().await;
    assert_eq!(
        (init["body"]["type"].as_str(), init["body"]["total_chunks"].as_u64()),
        (Some("image"), Some(1))
    );
    conn.ack_with(&init, json!({"upload_id": "up-2"}));
    let first = conn.recv().await;
    conn.ack(&first, -1); // system busy
    let second = conn.recv().await;
    assert_eq!(second["cmd"], "aibot_upload_media_chunk");
    assert_ne!(second["headers"]["req_id"], first["headers"]["req_id"]);
    assert_eq!(second["body"], first["body"]);
    conn.ack(&second, 0);
    let finish = conn.recv().await;
    conn.ack_with(
        &finish,
        json!({"type": "image", "media_id": "img-1", "created_at": "1767229101"}),
    );
    assert_eq!(upload.await.unwrap().unwrap(), MediaId("img-1".into()));
}

#[tokio::test]
async fn a_chunk_refused_three_times_fails_the_upload() {
    let mut srv = WsServer::start().await;
    let (handle, mut conn) = connected(&mut srv).await;
    let h = handle.clone();
    let upload = tokio::spawn(async move { h.upload(MediaKind::File, "a.txt", b"hello").await });
    let init = conn.recv().await;
    conn.ack_with(&init, json!({"upload_id": "up-3"}));
    for _ in 0..3 {
        let chunk = conn.recv().await;
        assert_eq!(chunk["cmd"], "aibot_upload_media_chunk");
        conn.ack(&chunk, 40_007);
    }
    assert_eq!(upload.await.unwrap().unwrap_err().code(), Some(40_007));
    assert!(
        conn.try_recv(Duration::from_millis(100)).await.is_none(),
        "no finish after a failed chunk"
    );
}
