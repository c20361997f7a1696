//! `message/send` and `message/recall`.

use std::time::Duration;

use serde_json::json;
use wecom::{Error, MessageRequest, Recipients, Text};

use super::support::{AGENT, Mock, Reply, token};

const SEND: &str = "/cgi-bin/message/send";
const RECALL: &str = "/cgi-bin/message/recall";

#[tokio::test]
async fn send_text_posts_the_body_with_the_token_in_the_url() {
    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    let receipt = client
        .send(Recipients::users(["alice", "bob"]), Text::new("Build #42 passed"))
        .await
        .unwrap();
    assert_eq!(receipt.msgid, "MSG-1");
    assert!(receipt.all_delivered());
    assert_eq!(receipt.response_code, None);

    let sent = mock.requests(SEND);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method, "POST");
    assert_eq!(sent[0].token(), Some(token(1).as_str()));
    assert_eq!(sent[0].headers["content-type"], "application/json");
    assert_eq!(
        sent[0].json(),
        json!({
            "touser": "alice|bob",
            "msgtype": "text",
            "agentid": AGENT,
            "text": { "content": "Build #42 passed" }
        })
    );
    let gettoken = &mock.requests("/cgi-bin/gettoken")[0];
    assert_eq!(gettoken.method, "GET");
    assert_eq!(gettoken.query["corpid"], super::support::CORP);
}

#[tokio::test]
async fn builder_options_reach_the_body() {
    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    client
        .send(Recipients::users(["alice"]), Text::new("hi"))
        .safe(true)
        .enable_id_trans(true)
        .duplicate_check(Duration::from_secs(600))
        .await
        .unwrap();
    let body = mock.requests(SEND)[0].json();
    assert_eq!(body["safe"], 1);
    assert_eq!(body["enable_id_trans"], 1);
    assert_eq!(body["enable_duplicate_check"], 1);
    assert_eq!(body["duplicate_check_interval"], 600);
}

#[tokio::test]
async fn receipt_lists_invalid_recipients_and_response_code() {
    let mock = Mock::start().await;
    mock.script(
        SEND,
        [Reply::Json(json!({
            "errcode": 0, "errmsg": "ok", "invaliduser": "bob|eve", "invalidparty": "7",
            "invalidtag": "", "unlicenseduser": "carol", "msgid": "m-9", "response_code": "rc-1"
        }))],
    );
    let client = mock.client().build().unwrap();
    let receipt =
        client.send(Recipients::users(["alice", "bob", "eve"]), Text::new("x")).await.unwrap();
    assert_eq!(receipt.msgid, "m-9");
    assert_eq!(receipt.response_code.as_deref(), Some("rc-1"));
    assert_eq!(receipt.invalid_users, ["bob", "eve"]);
    assert_eq!(receipt.invalid_parties, ["7"]);
    assert!(receipt.invalid_tags.is_empty());
    assert_eq!(receipt.unlicensed_users, ["carol"]);
    assert!(!receipt.all_delivered());
}

#[tokio::test]
async fn prebuilt_requests_are_sent_as_built() {
    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    let request = MessageRequest::new(AGENT, Recipients::all(), Text::new("to everyone"));
    client.send_request(request).await.unwrap();
    assert_eq!(mock.requests(SEND)[0].json()["touser"], "@all");
}

#[tokio::test]
async fn another_apps_agentid_is_refused_before_any_io() {
    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    let request = MessageRequest::new(AGENT + 1, Recipients::users(["alice"]), Text::new("x"));
    let err = client.send_request(request).await.unwrap_err();
    let Error::InvalidArgument(arg) = &err else { panic!("{err:?}") };
    assert_eq!(arg.field, "agentid");
    assert!(mock.all_requests().is_empty());
}

#[tokio::test]
async fn invalid_messages_are_refused_before_any_io() {
    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    let err = client.send(Recipients::users(["alice"]), Text::new("")).await.unwrap_err();
    assert!(err.is_invalid_argument(), "{err:?}");
    let err = client.send(Recipients::users(["a"]), Text::new("x".repeat(2049))).await.unwrap_err();
    assert!(err.to_string().contains("text.content"), "{err}");
    let err =
        client.send(Recipients::users(Vec::<String>::new()), Text::new("x")).await.unwrap_err();
    assert!(err.is_invalid_argument(), "{err:?}");
    assert!(mock.all_requests().is_empty(), "nothing may be sent, not even gettoken");
}

#[tokio::test]
async fn api_errors_keep_code_and_message() {
    let mock = Mock::start().await;
    mock.script(SEND, [Reply::err(81013, "user & party & tag all invalid")]);
    let client = mock.client().build().unwrap();
    let err = client.send(Recipients::users(["ghost"]), Text::new("x")).await.unwrap_err();
    assert!(
        matches!(&err, Error::Api { code: 81013, msg } if msg == "user & party & tag all invalid"),
        "{err:?}"
    );
    assert_eq!(err.code(), Some(wecom::error::codes::ALL_RECIPIENTS_INVALID));
    assert_eq!(mock.count(SEND), 1, "a plain API error is not retried");
}

#[tokio::test]
async fn recall_posts_the_msgid() {
    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    client.recall("MSG-77").await.unwrap();
    let sent = mock.requests(RECALL);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].json(), json!({ "msgid": "MSG-77" }));
    assert_eq!(sent[0].token(), Some(token(1).as_str()));
}

#[tokio::test]
async fn recall_errors_and_empty_ids() {
    let mock = Mock::start().await;
    mock.script(RECALL, [Reply::err(40058, "invalid parameter")]);
    let client = mock.client().build().unwrap();
    let err = client.recall("MSG-1").await.unwrap_err();
    assert_eq!(err.code(), Some(40058));
    let before = mock.all_requests().len();
    let err = client.recall("  ").await.unwrap_err();
    assert!(err.is_invalid_argument());
    assert_eq!(mock.all_requests().len(), before);
}

#[tokio::test]
async fn send_futures_can_be_spawned() {
    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    let pending = client.send(Recipients::users(["alice"]), Text::new("x"));
    let receipt = tokio::spawn(async move { pending.await }).await.unwrap().unwrap();
    assert_eq!(receipt.msgid, "MSG-1");
}

#[test]
fn client_and_every_call_future_are_send_and_sync_where_it_matters() {
    fn send_sync<T: Send + Sync>(_: &T) {}
    fn send<T: Send>(_: &T) {}
    let client = wecom::Client::builder("c", 1, "s").build().unwrap();
    send_sync(&client);
    send(&client.send(Recipients::users(["a"]), Text::new("x")));
    send(&std::future::IntoFuture::into_future(
        client.send(Recipients::users(["a"]), Text::new("x")),
    ));
    send(&client.recall("m"));
    send(&client.access_token());
    send(&client.upload_media(wecom::MediaType::File, wecom::Media::from_bytes("a", "123456")));
    send(&client.upload_image(wecom::Media::from_bytes("a.png", "123456")));
    send(&wecom::Media::from_path("x"));
}
