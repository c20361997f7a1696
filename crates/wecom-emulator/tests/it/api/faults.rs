//! Injected faults: -1 and 45009 for the next N calls, and stalls.

use std::time::Duration;

use serde_json::json;

use super::support::{BOT, Emu, assert_errcode, text};

#[tokio::test]
async fn errcode_faults_hit_the_next_calls_of_their_path_only() {
    let emu = Emu::demo().await;
    let token = emu.token(BOT).await;
    let path = format!("/cgi-bin/message/send?access_token={token}");
    emu.admin_post(
        "/emulator/faults",
        json!({ "path": "message/send", "count": 2, "kind": "errcode", "errcode": -1 }),
    )
    .await;
    // Other paths are not affected.
    assert_eq!(
        emu.get_json(&format!("/cgi-bin/getcallbackip?access_token={token}")).await["errcode"],
        0
    );
    assert_errcode(&emu.post_json(&path, &text("alice", "1")).await, -1);
    assert_errcode(&emu.post_json(&path, &text("alice", "2")).await, -1);
    assert_eq!(emu.post_json(&path, &text("alice", "3")).await["errcode"], 0);
    assert_eq!(emu.messages("").await.len(), 1, "faulted calls had no effect");
    let stats = emu.get_json("/emulator/stats").await;
    assert_eq!(stats["calls"]["/cgi-bin/message/send"], 3, "faulted calls are counted");
    assert_eq!(stats["calls"]["/cgi-bin/gettoken"], 1);
    assert_eq!(stats["gettoken_ok"]["1000002"], 1);
}

#[tokio::test]
async fn frequency_faults_apply_to_any_path() {
    let emu = Emu::demo().await;
    let token = emu.token(BOT).await;
    emu.admin_post("/emulator/faults", json!({ "count": 1, "kind": "errcode", "errcode": 45009 }))
        .await;
    let (_, listed) = emu.admin(reqwest::Method::GET, "/emulator/faults", None).await;
    assert_eq!(listed["faults"].as_array().unwrap().len(), 1);
    assert_errcode(
        &emu.get_json(&format!("/cgi-bin/getcallbackip?access_token={token}")).await,
        45009,
    );
    assert_eq!(
        emu.get_json(&format!("/cgi-bin/getcallbackip?access_token={token}")).await["errcode"],
        0
    );
    let (status, _) = emu
        .admin(
            reqwest::Method::POST,
            "/emulator/faults",
            Some(json!({ "count": 1, "kind": "errcode", "errcode": 40001 })),
        )
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn stalls_delay_the_call_past_a_client_timeout() {
    let emu = Emu::demo().await;
    let token = emu.token(BOT).await;
    emu.admin_post(
        "/emulator/faults",
        json!({ "path": "/cgi-bin/message/send", "count": 1, "kind": "stall", "ms": 3000 }),
    )
    .await;
    let result = emu
        .http
        .post(emu.url(&format!("/cgi-bin/message/send?access_token={token}")))
        .body(text("alice", "slow").to_string())
        .timeout(Duration::from_millis(200))
        .send()
        .await;
    assert!(result.unwrap_err().is_timeout());
    // The stall was used up by that call; the next is served at once.
    let v = emu
        .post_json(&format!("/cgi-bin/message/send?access_token={token}"), &text("alice", "fast"))
        .await;
    assert_eq!(v["errcode"], 0);
    let (_, listed) = emu.admin(reqwest::Method::DELETE, "/emulator/faults", None).await;
    assert_eq!(listed["faults"], json!([]));
}
