//! The connection itself: subscription, heartbeat, one connection per bot, `req_id` rules.

use serde_json::{Value, json};

use super::client::{Client, Ended, WS_BOT, WS_SECRET, ask, stream, turn_until, ws_status};
use crate::api::support::Emu;

#[tokio::test]
async fn a_subscription_with_the_right_secret_is_acked_and_pings_are_answered() {
    let emu = Emu::demo().await;
    let mut c = Client::connect(&emu).await;
    let ack = c.subscribe(WS_BOT, WS_SECRET).await;
    assert_eq!(ack["errcode"], 0, "{ack}");
    assert_eq!(ack["errmsg"], "ok");
    assert!(ack["headers"]["req_id"].as_str().unwrap().starts_with("aibot_subscribe_"));
    for _ in 0..3 {
        let pong = c.request("ping", None).await;
        assert_eq!(pong["errcode"], 0, "{pong}");
    }
    let bots = emu.get_json("/emulator/aibots").await;
    let bot = bots["aibots"].as_array().unwrap().iter().find(|b| b["botid"] == WS_BOT).unwrap();
    assert_eq!(bot["mode"], "websocket");
    assert_eq!(bot["ws"]["connected"], true, "{bot}");
    assert_eq!(bot["ws"]["frames_in"], 4);
    assert_eq!(bot["ws"]["frames_out"], 4);
    assert!(bot["ws"]["since_ms"].as_i64().unwrap() > 0);
    let http_bot = bots["aibots"].as_array().unwrap().iter().find(|b| b["botid"] == "aib_demo");
    assert!(http_bot.unwrap().get("ws").is_none(), "HTTP-mode bots have no connection state");
}

#[tokio::test]
async fn a_wrong_secret_or_unknown_bot_is_refused_and_nothing_works_before_a_subscription() {
    let emu = Emu::demo().await;
    let mut c = Client::connect(&emu).await;
    let ping = c.request("ping", None).await;
    assert_eq!(ping["errcode"], 846_609, "{ping}");
    let send = c
        .request(
            "aibot_send_msg",
            Some(
                json!({ "chatid": "alice", "msgtype": "markdown", "markdown": { "content": "x" } }),
            ),
        )
        .await;
    assert_eq!(send["errcode"], 846_609, "{send}");
    for (bot, secret) in [
        (WS_BOT, "demo-aibot-ws-secret-00000000000000000000001"),
        (WS_BOT, ""),
        ("aib_nobody", WS_SECRET),
        // The HTTP-mode bot has a secret too, but no long connection.
        ("aib_demo", "demo-aibot-secret-000000000000000000000000"),
    ] {
        let ack = c.subscribe(bot, secret).await;
        assert_eq!(ack["errcode"], 40_001, "{bot}: {ack}");
        assert!(!ack["errmsg"].as_str().unwrap().contains(WS_SECRET));
    }
    assert_eq!(ws_status(&emu).await["connected"], false);
    let log = ws_status(&emu).await["log"].clone();
    assert!(log.as_array().unwrap().iter().any(|e| e["what"] == "refused"), "{log}");
    // The same connection may still subscribe with the right secret.
    assert_eq!(c.subscribe(WS_BOT, WS_SECRET).await["errcode"], 0);
}

#[tokio::test]
async fn a_second_subscription_displaces_the_first_with_disconnected_event() {
    let emu = Emu::demo().await;
    let mut first = Client::subscribed(&emu).await;
    let mut second = Client::subscribed(&emu).await;
    let event = first.callback().await;
    assert_eq!(event["cmd"], "aibot_event_callback", "{event}");
    assert_eq!(event["body"]["event"]["eventtype"], "disconnected_event");
    assert_eq!(event["body"]["aibotid"], WS_BOT);
    assert!(event["headers"]["req_id"].as_str().is_some_and(|r| !r.is_empty()));
    assert_eq!(first.ended().await, Ended::Closed(1000));
    // The new connection owns the bot: callbacks go to it.
    let t = ask(&emu, "alice", "who owns you?").await;
    let cb = second.callback().await;
    assert_eq!(cb["body"]["text"]["content"], "who owns you?");
    assert_eq!(t["status"], "delivered");
    // The log: the first subscribed, was displaced (disconnected_event queued), the second
    // subscribed, and the first connection ended as displaced.
    let mut whats = Vec::new();
    for _ in 0..100 {
        let status = ws_status(&emu).await;
        assert_eq!(status["connected"], true);
        whats = status["log"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["what"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>();
        if whats.len() == 4 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(whats, ["subscribed", "displaced", "subscribed", "closed"]);
}

#[tokio::test]
async fn replies_with_an_unknown_stale_or_foreign_req_id_answer_846605() {
    let emu = Emu::demo().await;
    let mut old = Client::subscribed(&emu).await;
    let t = ask(&emu, "alice", "hello").await;
    let cb = old.callback().await;
    let old_req = cb["headers"]["req_id"].as_str().unwrap().to_owned();

    let unknown =
        old.reply("aibot_respond_msg", "zzzzzzzzzzzzzzzzzzzzAwAA", stream("s1", "hi", true)).await;
    assert_eq!(unknown["errcode"], 846_605, "{unknown}");

    // A new connection (a reconnect) displaces the old one; the old req_id is not valid on it.
    let mut new = Client::subscribed(&emu).await;
    let stale = new.reply("aibot_respond_msg", &old_req, stream("s1", "hi", true)).await;
    assert_eq!(stale["errcode"], 846_605, "{stale}");
    assert_eq!(stale["headers"]["req_id"], old_req.as_str());
    let turn = super::client::turn(&emu, &t["id"]).await;
    assert!(turn.get("stream").is_none(), "nothing reached the member: {turn}");
    // The refusal shows on the turn.
    let errors = turn["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{turn}");
    assert!(errors[0].as_str().unwrap().starts_with("846605: "), "{turn}");

    // A req_id of this connection works; 6 minutes later the stream is expired (846608).
    let t2 = ask(&emu, "alice", "again").await;
    let cb = new.callback().await;
    let req = cb["headers"]["req_id"].as_str().unwrap().to_owned();
    assert_eq!(
        new.reply("aibot_respond_msg", &req, stream("s2", "thinking", false)).await["errcode"],
        0
    );
    emu.advance(361).await;
    let late = new.reply("aibot_respond_msg", &req, stream("s2", "done", true)).await;
    assert_eq!(late["errcode"], 846_608, "{late}");
    let turn = turn_until(&emu, &t2["id"], |t| t["stream"]["content"] == "thinking").await;
    assert_eq!(turn["stream"]["finish"], false);
}

#[tokio::test]
async fn an_unparsable_frame_gets_an_error_without_req_id_and_the_connection_stays() {
    let emu = Emu::demo().await;
    let mut c = Client::subscribed(&emu).await;
    c.send_raw("{not json".into()).await;
    let err = c.next_where(|v: &Value| v.get("headers").is_none()).await;
    assert_eq!(err["errcode"], 40_058, "{err}");
    let unknown = c.request("aibot_fly", Some(json!({}))).await;
    assert_eq!(unknown["errcode"], 40_058);
    assert_eq!(c.request("ping", None).await["errcode"], 0);
}

#[tokio::test]
async fn connections_beyond_the_cap_are_refused_before_the_upgrade() {
    let mut config = wecom_emulator::Config::demo();
    config.options.aibot_ws_max_connections = 1;
    let emu = Emu::with(config).await;
    let first = Client::connect(&emu).await;
    let url = format!("ws://{}/aibot/ws", emu.handle.addr());
    let refused = tokio_tungstenite::connect_async(url.clone()).await;
    match refused {
        Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => assert_eq!(resp.status(), 503),
        other => panic!("expected HTTP 503, got {other:?}"),
    }
    drop(first);
    // The slot frees once the first connection is gone.
    let mut ok = false;
    for _ in 0..50 {
        if tokio_tungstenite::connect_async(url.clone()).await.is_ok() {
            ok = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(ok, "a slot frees when a connection closes");
}

#[tokio::test]
async fn a_shutdown_closes_live_connections_and_does_not_wait_for_them() {
    let emu = Emu::demo().await;
    let mut c = Client::subscribed(&emu).await;
    let stopped =
        tokio::time::timeout(std::time::Duration::from_secs(5), emu.handle.shutdown()).await;
    assert!(stopped.is_ok(), "the shutdown finished");
    assert_eq!(c.ended().await, Ended::Closed(1001));
}

#[tokio::test]
async fn a_websocket_is_not_closed_by_the_http_idle_timeout() {
    let limits =
        wecom_callback::ServeLimits::new().idle_timeout(std::time::Duration::from_millis(150));
    let handle = wecom_emulator::Emulator::builder().serve_limits(limits).start().await.unwrap();
    let emu = Emu { handle, http: reqwest::Client::builder().no_proxy().build().unwrap() };
    let mut c = Client::subscribed(&emu).await;
    // Silent for four HTTP idle timeouts (the WebSocket's own idle limit is 90 s).
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(c.request("ping", None).await["errcode"], 0);
    assert_eq!(ws_status(&emu).await["connected"], true);
}

#[tokio::test]
async fn the_banner_prints_the_endpoint_and_the_websocket_bot() {
    let emu = Emu::demo().await;
    let url = emu.handle.aibot_ws_url();
    assert_eq!(url, format!("ws://{}/aibot/ws", emu.handle.addr()));
    let banner = emu.handle.banner();
    assert!(
        banner.contains(&format!("WebSocket {url} bot_id {WS_BOT} secret {WS_SECRET}")),
        "{banner}"
    );
}

#[tokio::test]
async fn a_frame_over_1_mib_ends_the_connection() {
    let emu = Emu::demo().await;
    let mut c = Client::subscribed(&emu).await;
    let big =
        json!({ "cmd": "ping", "headers": { "req_id": "p" }, "pad": "x".repeat(1024 * 1024) });
    c.send_raw(big.to_string()).await;
    let _ = c.ended().await;
    let mut last = Value::Null;
    for _ in 0..50 {
        let status = ws_status(&emu).await;
        last = status["log"].as_array().unwrap().last().cloned().unwrap_or_default();
        if status["connected"] == false {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(last["what"], "closed", "{last}");
    assert!(last["detail"].as_str().unwrap().contains("read failed"), "{last}");
}
