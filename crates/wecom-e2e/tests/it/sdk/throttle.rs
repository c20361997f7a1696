//! WeCom's per-member limit (30 a minute per app) drops the excess silently; the emulator
//! records the dropped copy. Without a throttle the SDK cannot tell; with one in Report mode
//! it holds the message back and says so, and nothing is dropped.

use wecom::{OnLimit, Recipients, Text, Throttle};

use super::support::{BOT, Env, status_of};

#[tokio::test]
async fn without_a_throttle_the_31st_message_in_a_minute_is_dropped_silently() {
    let env = Env::demo().await;
    let client = env.client(BOT);
    let mut last = None;
    for i in 1..=31 {
        last =
            Some(client.send(Recipients::user("alice"), Text::new(format!("#{i}"))).await.unwrap());
    }
    // WeCom's answer gives no sign of it …
    assert!(last.unwrap().all_delivered());
    // … but the 31st copy was dropped.
    let messages = env.messages("?user=alice").await;
    assert_eq!(messages.len(), 31);
    let statuses: Vec<String> = messages.iter().map(|m| status_of(m, "alice")).collect();
    assert!(statuses[..30].iter().all(|s| s == "delivered"), "{statuses:?}");
    assert_eq!(statuses[30], "dropped");
}

#[tokio::test]
async fn with_a_throttle_in_report_mode_the_31st_is_held_back_and_nothing_is_dropped() {
    let env = Env::demo().await;
    let client = env
        .builder(BOT)
        .throttle(Throttle::new().on_member_limit(OnLimit::Report))
        .build()
        .unwrap();
    for i in 1..=30 {
        let receipt =
            client.send(Recipients::user("alice"), Text::new(format!("#{i}"))).await.unwrap();
        assert!(receipt.held_back.is_empty(), "#{i}");
    }
    let held = client.send(Recipients::user("alice"), Text::new("#31")).await.unwrap();
    assert_eq!(held.held_back, ["alice"]);
    assert!(held.msgid.is_empty(), "nothing was sent");
    assert!(!held.all_delivered());
    assert_eq!(env.calls("/cgi-bin/message/send").await, 30);

    // A message to alice and bob goes to bob alone; alice is reported.
    let split = client.send(Recipients::users(["alice", "bob"]), Text::new("#32")).await.unwrap();
    assert_eq!(split.held_back, ["alice"]);
    assert!(env.raw_body(&split.msgid).await.starts_with(r#"{"touser":"bob","#));

    let messages = env.messages("").await;
    assert_eq!(messages.len(), 31);
    for m in &messages {
        for r in m["recipients"].as_array().unwrap() {
            assert_eq!(r["status"], "delivered", "{m}");
        }
    }
}

#[tokio::test]
async fn a_delaying_throttle_can_report_for_one_send() {
    // The client delays by default; a single send asks to be told instead of waiting.
    let env = Env::demo().await;
    let client = env.builder(BOT).throttle(Throttle::new()).build().unwrap();
    for i in 1..=30 {
        client.send(Recipients::user("carol"), Text::new(format!("#{i}"))).await.unwrap();
    }
    let receipt = client
        .send(Recipients::user("carol"), Text::new("#31"))
        .on_member_limit(OnLimit::Report)
        .await
        .unwrap();
    assert_eq!(receipt.held_back, ["carol"]);
    assert_eq!(env.calls("/cgi-bin/message/send").await, 30);
}
