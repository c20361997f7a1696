//! System busy, rate limits and timeouts: what is retried and what is not.

use std::time::Duration;

use serde_json::json;
use wecom::{Error, Media, MediaType, Recipients, RetryPolicy, Text};

use super::support::{Mock, Reply, fast_retries};

const SEND: &str = "/cgi-bin/message/send";

fn ok_send() -> Reply {
    Reply::Json(json!({ "errcode": 0, "errmsg": "ok", "msgid": "late" }))
}

#[tokio::test]
async fn system_busy_is_retried_until_success() {
    let mock = Mock::start().await;
    mock.script(SEND, [Reply::err(-1, "system busy"), Reply::err(-1, "system busy")]);
    let client = mock.client().build().unwrap();
    let receipt = client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap();
    assert_eq!(receipt.msgid, "MSG-1");
    let sends = mock.requests(SEND);
    assert_eq!(sends.len(), 3);
    assert!(sends.windows(2).all(|w| w[0].body == w[1].body));
}

#[tokio::test]
async fn system_busy_forever_gives_up_after_the_configured_tries() {
    let mock = Mock::start().await;
    mock.script(SEND, vec![Reply::err(-1, "system busy"); 10]);
    let client = mock.client().build().unwrap();
    let err = client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap_err();
    assert!(err.is_system_busy(), "{err:?}");
    assert_eq!(mock.count(SEND), 3, "three tries by default");

    let mock = Mock::start().await;
    mock.script(SEND, vec![Reply::err(-1, "system busy"); 10]);
    let client = mock.client().retry_policy(fast_retries().max_attempts(5)).build().unwrap();
    client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap_err();
    assert_eq!(mock.count(SEND), 5);

    let mock = Mock::start().await;
    mock.script(SEND, vec![Reply::err(-1, "system busy"); 10]);
    let client = mock.client().retry_policy(RetryPolicy::never()).build().unwrap();
    client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap_err();
    assert_eq!(mock.count(SEND), 1);
}

#[tokio::test]
async fn rate_limits_are_typed_and_not_retried() {
    for code in [45009, 45033] {
        let mock = Mock::start().await;
        mock.script(SEND, [Reply::err(code, "api freq out of limit")]);
        let client = mock.client().build().unwrap();
        let err = client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap_err();
        assert!(err.is_rate_limited(), "{err:?}");
        assert_eq!(err.code(), Some(code));
        assert_eq!(mock.count(SEND), 1);
    }
}

#[tokio::test]
async fn a_timed_out_send_without_duplicate_check_is_delivery_unknown() {
    let mock = Mock::start().await;
    mock.script(SEND, [ok_send().delayed(Duration::from_secs(5))]);
    let client = mock.client().request_timeout(Duration::from_millis(200)).build().unwrap();
    client.access_token().await.unwrap();
    let err = client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap_err();
    assert!(err.is_delivery_unknown(), "{err:?}");
    assert!(err.is_timeout());
    assert!(err.to_string().contains("duplicate_check"), "{err}");
    assert!(matches!(err, Error::DeliveryUnknown { attempts: 1, .. }));
    assert_eq!(mock.count(SEND), 1, "never resent blindly");
}

#[tokio::test]
async fn a_timed_out_send_with_duplicate_check_is_retried_with_the_same_body() {
    let mock = Mock::start().await;
    mock.script(SEND, [ok_send().delayed(Duration::from_secs(5))]);
    let client = mock.client().request_timeout(Duration::from_millis(200)).build().unwrap();
    client.access_token().await.unwrap();
    let receipt = client
        .send(Recipients::users(["a"]), Text::new("x"))
        .duplicate_check(Duration::from_secs(1800))
        .await
        .unwrap();
    assert_eq!(receipt.msgid, "MSG-1");
    let sends = mock.requests(SEND);
    assert_eq!(sends.len(), 2);
    assert_eq!(sends[0].body, sends[1].body, "WeCom only drops an identical duplicate");
    assert_eq!(sends[1].json()["enable_duplicate_check"], 1);
}

#[tokio::test]
async fn a_send_timing_out_on_every_try_is_still_delivery_unknown() {
    let mock = Mock::start().await;
    mock.script(SEND, vec![ok_send().delayed(Duration::from_secs(5)); 3]);
    let client = mock.client().request_timeout(Duration::from_millis(100)).build().unwrap();
    client.access_token().await.unwrap();
    let err = client
        .send(Recipients::users(["a"]), Text::new("x"))
        .duplicate_check(Duration::from_secs(60))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::DeliveryUnknown { attempts: 3, .. }), "{err:?}");
    assert_eq!(mock.count(SEND), 3);
}

#[tokio::test]
async fn a_timed_out_recall_is_not_repeated() {
    let mock = Mock::start().await;
    mock.script("/cgi-bin/message/recall", [Reply::err(0, "ok").delayed(Duration::from_secs(5))]);
    let client = mock.client().request_timeout(Duration::from_millis(200)).build().unwrap();
    client.access_token().await.unwrap();
    let err = client.recall("m").await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }) && err.is_timeout(), "{err:?}");
    assert_eq!(mock.count("/cgi-bin/message/recall"), 1);
}

#[tokio::test]
async fn a_timed_out_upload_is_retried() {
    let mock = Mock::start().await;
    let reply = Reply::Json(
        json!({"errcode": 0, "errmsg": "", "type": "file", "media_id": "M", "created_at": 1}),
    );
    mock.script("/cgi-bin/media/upload", [reply.clone().delayed(Duration::from_secs(5)), reply]);
    let client = mock
        .client()
        .request_timeout(Duration::from_secs(30))
        .upload_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let uploaded = client
        .upload_media(MediaType::File, Media::from_bytes("a.txt", "hello world"))
        .await
        .unwrap();
    assert_eq!(uploaded.media_id, "M");
    assert_eq!(mock.count("/cgi-bin/media/upload"), 2);
}
