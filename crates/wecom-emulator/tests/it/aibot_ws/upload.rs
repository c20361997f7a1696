//! Chunked uploads over the long connection: 512 KiB chunks, at most 100, MD5 and size
//! checked, a bounded upload memory; the media is usable in replies and pushes.

use std::fmt::Write as _;

use base64::Engine as _;
use md5::{Digest as _, Md5};
use serde_json::{Value, json};

use super::client::Client;
use crate::api::support::Emu;

const CHUNK: usize = 512 * 1024;

fn md5_hex(data: &[u8]) -> String {
    Md5::digest(data).iter().fold(String::new(), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    })
}

fn b64(data: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(data)
}

/// Pseudo-random bytes (a fixed LCG: the test needs no cryptographic randomness).
fn bytes(len: usize) -> Vec<u8> {
    let mut x: u32 = 0x1234_5678;
    (0..len)
        .map(|_| {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (x >> 24) as u8
        })
        .collect()
}

async fn init(c: &mut Client, kind: &str, size: usize, chunks: usize, md5: &str) -> Value {
    let body = json!({ "type": kind, "filename": "plan.bin", "total_size": size, "total_chunks": chunks, "md5": md5 });
    c.request("aibot_upload_media_init", Some(body)).await
}

async fn chunk(c: &mut Client, upload_id: &str, index: usize, data: &[u8]) -> Value {
    let body = json!({ "upload_id": upload_id, "chunk_index": index, "base64_data": b64(data) });
    c.request("aibot_upload_media_chunk", Some(body)).await
}

#[tokio::test]
async fn a_5_mib_file_in_chunks_arrives_intact_and_can_be_sent() {
    let emu = Emu::demo().await;
    let mut c = Client::subscribed(&emu).await;
    let data = bytes(5 * 1024 * 1024 + 1000);
    let chunks: Vec<&[u8]> = data.chunks(CHUNK).collect();
    assert_eq!(chunks.len(), 11);
    let ack = init(&mut c, "file", data.len(), chunks.len(), &md5_hex(&data)).await;
    assert_eq!(ack["errcode"], 0, "{ack}");
    let upload_id = ack["body"]["upload_id"].as_str().unwrap().to_owned();
    // Out of order, and chunk 3 twice (a retry): both fine.
    for i in (0..chunks.len()).rev() {
        assert_eq!(chunk(&mut c, &upload_id, i, chunks[i]).await["errcode"], 0, "chunk {i}");
    }
    assert_eq!(chunk(&mut c, &upload_id, 3, chunks[3]).await["errcode"], 0);
    let done =
        c.request("aibot_upload_media_finish", Some(json!({ "upload_id": upload_id }))).await;
    assert_eq!(done["errcode"], 0, "{done}");
    assert_eq!(done["body"]["type"], "file");
    assert!(done["body"]["created_at"].as_i64().is_some());
    let media_id = done["body"]["media_id"].as_str().unwrap().to_owned();
    let stored =
        emu.http.get(emu.url(&format!("/emulator/media/{media_id}"))).send().await.unwrap();
    assert_eq!(stored.status(), 200);
    let stored = stored.bytes().await.unwrap();
    assert_eq!(stored.len(), data.len());
    assert_eq!(md5_hex(&stored), md5_hex(&data));

    let push = json!({ "chatid": "alice", "msgtype": "file", "file": { "media_id": media_id } });
    assert_eq!(c.request("aibot_send_msg", Some(push)).await["errcode"], 0);
    // The upload is gone once finished.
    let again =
        c.request("aibot_upload_media_finish", Some(json!({ "upload_id": upload_id }))).await;
    assert_eq!(again["errcode"], 40_058);
}

#[tokio::test]
async fn upload_limits_are_enforced() {
    let emu = Emu::demo().await;
    let mut c = Client::subscribed(&emu).await;
    let md5 = md5_hex(b"x");
    // Too many chunks, too few for the size, an unknown type, an empty file, a type's cap.
    assert_eq!(init(&mut c, "file", 200, 101, &md5).await["errcode"], 40_058);
    assert_eq!(init(&mut c, "file", 200, 100, &md5).await["errcode"], 0);
    assert_eq!(init(&mut c, "file", 2 * CHUNK + 1, 2, &md5).await["errcode"], 40_058);
    assert_eq!(init(&mut c, "sticker", 10, 1, &md5).await["errcode"], 40_005);
    assert_eq!(init(&mut c, "file", 0, 1, &md5).await["errcode"], 44_001);
    assert_eq!(init(&mut c, "image", 10 * 1024 * 1024 + 1, 21, &md5).await["errcode"], 40_009);
    assert_eq!(init(&mut c, "file", 20 * 1024 * 1024 + 1, 41, &md5).await["errcode"], 45_001);
    assert_eq!(init(&mut c, "file", 10, 1, "not-a-md5").await["errcode"], 40_058);

    // A chunk over 512 KiB, an index out of range, an unknown upload.
    let data = bytes(CHUNK + 10);
    let ack = init(&mut c, "file", data.len(), 2, &md5_hex(&data)).await;
    let id = ack["body"]["upload_id"].as_str().unwrap().to_owned();
    assert_eq!(chunk(&mut c, &id, 0, &data).await["errcode"], 40_058);
    assert_eq!(chunk(&mut c, &id, 2, &data[..10]).await["errcode"], 40_058);
    assert_eq!(chunk(&mut c, "nope", 0, &data[..10]).await["errcode"], 40_058);
    // Missing chunks, then a complete upload whose MD5 does not match.
    assert_eq!(chunk(&mut c, &id, 0, &data[..CHUNK]).await["errcode"], 0);
    let missing = c.request("aibot_upload_media_finish", Some(json!({ "upload_id": id }))).await;
    assert_eq!(missing["errcode"], 40_058);
    assert!(missing["errmsg"].as_str().unwrap().contains("[1]"), "{missing}");
    let mut corrupt = data[CHUNK..].to_vec();
    corrupt[0] ^= 1;
    assert_eq!(chunk(&mut c, &id, 1, &corrupt).await["errcode"], 0);
    let bad = c.request("aibot_upload_media_finish", Some(json!({ "upload_id": id }))).await;
    assert_eq!(bad["errcode"], 40_058);
    assert!(bad["errmsg"].as_str().unwrap().contains("md5"), "{bad}");
}

#[tokio::test]
async fn uploads_in_progress_are_bounded_in_memory() {
    let mut config = wecom_emulator::Config::demo();
    config.options.aibot_ws_upload_memory = 3 * CHUNK;
    let emu = Emu::with(config).await;
    let mut c = Client::subscribed(&emu).await;
    let first = init(&mut c, "file", 2 * CHUNK, 2, &md5_hex(b"a")).await;
    assert_eq!(first["errcode"], 0);
    let full = init(&mut c, "file", 2 * CHUNK, 2, &md5_hex(b"b")).await;
    assert_eq!(full["errcode"], 45_001, "{full}");
    assert!(full["errmsg"].as_str().unwrap().contains("aibot_ws_upload_memory"));
    assert_eq!(init(&mut c, "file", CHUNK, 1, &md5_hex(b"c")).await["errcode"], 0);
}
