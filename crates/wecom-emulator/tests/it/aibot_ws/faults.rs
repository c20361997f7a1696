//! Connection faults from the admin API: drop now, stall acks (for a while or for N frames),
//! refuse subscriptions for a while, lose the subscription on a live socket.

use std::time::{Duration, Instant};

use serde_json::json;

use super::client::{Client, Ended, WS_BOT, WS_SECRET, ws_status};
use crate::api::support::Emu;

fn faults() -> String {
    format!("/emulator/aibots/{WS_BOT}/ws/faults")
}

#[tokio::test]
async fn drop_ends_the_connection_without_a_close_frame() {
    let emu = Emu::demo().await;
    let mut c = Client::subscribed(&emu).await;
    let v = emu.admin_post(&format!("/emulator/aibots/{WS_BOT}/ws/drop"), json!({})).await;
    assert!(v["dropped"].is_u64(), "{v}");
    assert_eq!(c.ended().await, Ended::Dropped);
    let mut status = ws_status(&emu).await;
    for _ in 0..50 {
        if status["connected"] == false {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        status = ws_status(&emu).await;
    }
    assert_eq!(status["connected"], false, "{status}");
    let last = status["log"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["what"], "dropped", "{status}");
    let (code, _) = emu
        .admin(
            reqwest::Method::POST,
            &format!("/emulator/aibots/{WS_BOT}/ws/drop"),
            Some(json!({})),
        )
        .await;
    assert_eq!(code, 409, "nothing left to drop");
}

#[tokio::test]
async fn stalled_acks_arrive_late_and_in_order() {
    let emu = Emu::demo().await;
    let mut c = Client::subscribed(&emu).await;
    emu.admin_post(&faults(), json!({ "kind": "stall_acks", "seconds": 1 })).await;
    let start = Instant::now();
    c.send("ping", "ping_1", None).await;
    c.send("ping", "ping_2", None).await;
    let first = c.next_where(|v| v.get("errcode").is_some()).await;
    assert!(start.elapsed() >= Duration::from_millis(900), "held: {:?}", start.elapsed());
    assert_eq!(first["headers"]["req_id"], "ping_1");
    let second = c.next_where(|v| v.get("errcode").is_some()).await;
    assert_eq!(second["headers"]["req_id"], "ping_2");
    // After the stall, acks are immediate again.
    let start = Instant::now();
    assert_eq!(c.request("ping", None).await["errcode"], 0);
    assert!(start.elapsed() < Duration::from_millis(900));
}

#[tokio::test]
async fn disarming_a_stall_releases_the_held_acks_with_the_next_one() {
    let emu = Emu::demo().await;
    let mut c = Client::subscribed(&emu).await;
    emu.admin_post(&faults(), json!({ "kind": "stall_acks", "seconds": 30 })).await;
    c.send("ping", "held_1", None).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    emu.admin(reqwest::Method::DELETE, &faults(), None).await;
    let start = Instant::now();
    c.send("ping", "after_1", None).await;
    let first = c.next_where(|v| v.get("errcode").is_some()).await;
    assert_eq!(first["headers"]["req_id"], "held_1");
    let second = c.next_where(|v| v.get("errcode").is_some()).await;
    assert_eq!(second["headers"]["req_id"], "after_1");
    assert!(start.elapsed() < Duration::from_secs(5), "{:?}", start.elapsed());
}

#[tokio::test]
async fn a_lost_subscription_answers_846609_until_the_socket_subscribes_again() {
    let emu = Emu::demo().await;
    let mut c = Client::subscribed(&emu).await;
    emu.admin_post(&faults(), json!({ "kind": "lose_subscription" })).await;
    assert_eq!(c.request("ping", None).await["errcode"], 846_609);
    let status = ws_status(&emu).await;
    assert_eq!(status["connected"], false, "{status}");
    let whats: Vec<&str> =
        status["log"].as_array().unwrap().iter().map(|e| e["what"].as_str().unwrap()).collect();
    assert_eq!(whats, ["subscribed", "unsubscribed"]);
    // The same socket may subscribe again.
    let again = c.subscribe(WS_BOT, WS_SECRET).await;
    assert_eq!(again["errcode"], 0, "{again}");
    assert_eq!(c.request("ping", None).await["errcode"], 0);
    // Without a live connection the fault has nothing to act on.
    drop(c);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (code, _) = emu
        .admin(reqwest::Method::POST, &faults(), Some(json!({ "kind": "lose_subscription" })))
        .await;
    assert_eq!(code, 409);
}

#[tokio::test]
async fn swallowed_acks_are_never_sent() {
    let emu = Emu::demo().await;
    let mut c = Client::subscribed(&emu).await;
    let armed = emu.admin_post(&faults(), json!({ "kind": "stall_acks", "frames": 2 })).await;
    assert_eq!(armed["faults"]["swallow_acks"], 2, "{armed}");
    c.send("ping", "ping_lost_1", None).await;
    c.send("ping", "ping_lost_2", None).await;
    let third = c.request("ping", None).await;
    assert_eq!(third["errcode"], 0);
    assert!(c.parked().is_empty(), "the first two acks never came: {:?}", c.parked());
    assert_eq!(ws_status(&emu).await["faults"]["swallow_acks"], 0);
}

#[tokio::test]
async fn subscriptions_are_refused_while_the_fault_lasts() {
    let emu = Emu::demo().await;
    emu.admin_post(&faults(), json!({ "kind": "refuse_subscribe", "seconds": 60 })).await;
    let mut c = Client::connect(&emu).await;
    let refused = c.subscribe(WS_BOT, WS_SECRET).await;
    assert_eq!(refused["errcode"], 45_009, "{refused}");
    assert_eq!(refused["errmsg"], "api freq out of limit");
    emu.admin_post(
        &faults(),
        json!({ "kind": "refuse_subscribe", "seconds": 60, "errcode": 846_609 }),
    )
    .await;
    assert_eq!(c.subscribe(WS_BOT, WS_SECRET).await["errcode"], 846_609);
    let (code, _) = emu.admin(reqwest::Method::DELETE, &faults(), None).await;
    assert_eq!(code, 200);
    assert_eq!(c.subscribe(WS_BOT, WS_SECRET).await["errcode"], 0);
    let (code, v) =
        emu.admin(reqwest::Method::POST, &faults(), Some(json!({ "kind": "stall_acks" }))).await;
    assert_eq!(code, 400, "{v}");
    let (code, _) = emu
        .admin(
            reqwest::Method::POST,
            "/emulator/aibots/aib_demo/ws/faults",
            Some(json!({ "kind": "refuse_subscribe", "seconds": 1 })),
        )
        .await;
    assert_eq!(code, 409, "an HTTP-mode bot has no connection");
}

#[tokio::test]
async fn a_connection_that_does_not_subscribe_in_time_is_closed() {
    let mut config = wecom_emulator::Config::demo();
    config.options.aibot_ws_subscribe_timeout_ms = 200;
    config.options.aibot_ws_idle_timeout_ms = 400;
    let emu = Emu::with(config).await;
    let mut idle = Client::connect(&emu).await;
    assert_eq!(idle.ended().await, Ended::Closed(1008));
    let mut quiet = Client::subscribed(&emu).await;
    assert_eq!(quiet.ended().await, Ended::Closed(1000));
}
