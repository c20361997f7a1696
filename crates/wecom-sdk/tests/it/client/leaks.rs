//! The secret and tokens never reach logs, `Debug` output or error messages.

use std::time::Duration;

use serde_json::json;
use wecom::{Client, Error, Recipients, Text};

use super::support::{
    AGENT, CORP, Mock, Reply, SECRET, TOKEN_PREFIX, closed_port_url, fast_retries, token,
};

pub(crate) fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains(SECRET), "{what} leaks the secret: {text}");
    assert!(!text.contains(TOKEN_PREFIX), "{what} leaks a token: {text}");
}

fn assert_error_clean(err: &Error) {
    assert_clean("Display", &err.to_string());
    assert_clean("Debug", &format!("{err:?}"));
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        assert_clean("source", &inner.to_string());
        assert_clean("source Debug", &format!("{inner:?}"));
        source = inner.source();
    }
}

#[tokio::test]
async fn debug_output_of_clients_and_tokens_is_clean() {
    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    let token = client.access_token().await.unwrap();
    assert!(token.expose().starts_with(TOKEN_PREFIX));
    assert_clean("token Debug", &format!("{token:?}"));
    assert_clean("client Debug", &format!("{client:?}"));
    assert_clean("builder Debug", &format!("{:?}", mock.client()));
    let send = client.send(Recipients::users(["a"]), Text::new("x"));
    assert_clean("send Debug", &format!("{send:?}"));
}

#[tokio::test]
async fn transport_errors_do_not_carry_the_url() {
    // gettoken's URL holds the secret: a connect failure must not show it.
    let url = closed_port_url().await;
    let client = Client::builder(CORP, AGENT, SECRET)
        .base_url(&url)
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let err = client.access_token().await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }));
    assert_error_clean(&err);
    assert!(!err.to_string().contains("corpsecret"), "{err}");

    // A timed-out send's URL holds the token.
    let mock = Mock::start().await;
    mock.script("/cgi-bin/message/send", [Reply::err(0, "ok").delayed(Duration::from_secs(5))]);
    let client = mock.client().request_timeout(Duration::from_millis(200)).build().unwrap();
    let err = client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap_err();
    assert!(err.is_delivery_unknown());
    assert_error_clean(&err);
}

#[tokio::test]
async fn decode_errors_scrub_tokens_from_the_quoted_body() {
    let mock = Mock::start().await;
    mock.script(
        "/cgi-bin/gettoken",
        [Reply::Json(json!({"errcode": 0, "access_token": format!("{TOKEN_PREFIX}leaked"), "expires_in": "soon"}))],
    );
    let client = mock.client().build().unwrap();
    let err = client.access_token().await.unwrap_err();
    let Error::Decode { body, .. } = &err else { panic!("{err:?}") };
    assert!(body.contains("\"expires_in\":\"soon\""), "the body is still shown: {body}");
    assert_error_clean(&err);

    // A body echoing the request's token or the secret is scrubbed too.
    let mock = Mock::start().await;
    let echo: &'static str = Box::leak(
        format!("<html>bad request access_token={} corpsecret={SECRET}</html>", token(1))
            .into_boxed_str(),
    );
    mock.script("/cgi-bin/message/send", [Reply::Raw(400, echo)]);
    let client = mock.client().build().unwrap();
    let err = client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap_err();
    assert!(
        matches!(&err, Error::Http { status: 400, body, .. } if body.contains("access_token=***")),
        "{err:?}"
    );
    assert_error_clean(&err);
}

#[tokio::test]
async fn credentials_errors_do_not_echo_the_secret() {
    let mock = Mock::start().await;
    let client =
        Client::builder(CORP, AGENT, "WRONG-SECRET-VALUE").base_url(&mock.url).build().unwrap();
    let err = client.access_token().await.unwrap_err();
    assert!(err.is_credentials());
    assert!(!err.to_string().contains("WRONG-SECRET-VALUE"));
    assert!(!format!("{err:?}").contains("WRONG-SECRET-VALUE"));
}
