//! Transport and decode failures, base URLs, and the `http_client` option.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use wecom::{
    AccessToken, CachedToken, Client, Error, MemoryTokenStore, Recipients, Text, TokenKey,
    TokenStore,
};

use super::support::{AGENT, CORP, Mock, Reply, SECRET, closed_port_url, fast_retries};

const SEND: &str = "/cgi-bin/message/send";

async fn store_with_token(token: &str) -> Arc<MemoryTokenStore> {
    let store = Arc::new(MemoryTokenStore::new());
    let cached =
        CachedToken::new(AccessToken::new(token), SystemTime::now(), Duration::from_secs(7200));
    store.put(&TokenKey::new(CORP, AGENT), cached).await.unwrap();
    store
}

#[tokio::test]
async fn unreachable_server_is_a_transport_error() {
    let url = closed_port_url().await;
    let client = Client::builder(CORP, AGENT, SECRET)
        .base_url(&url)
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let err = client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap_err();
    let Error::Transport { path, source } = &err else { panic!("{err:?}") };
    assert_eq!(path, "/cgi-bin/gettoken");
    assert!(source.is_connect());
    assert!(err.to_string().contains("could not connect"), "{err}");
}

#[tokio::test]
async fn a_send_that_never_connected_is_a_transport_error_not_delivery_unknown() {
    let url = closed_port_url().await;
    let client = Client::builder(CORP, AGENT, SECRET)
        .base_url(&url)
        .retry_policy(fast_retries())
        .token_store(store_with_token("seeded").await)
        .build()
        .unwrap();
    let err = client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap_err();
    assert!(matches!(&err, Error::Transport { path, .. } if path == SEND), "{err:?}");
    assert!(!err.is_delivery_unknown());
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_that_shows_the_body() {
    let mock = Mock::start().await;
    mock.script(SEND, [Reply::Raw(200, r#"{"errcode":0,"errmsg":"ok","msgid":"#)]);
    let client = mock.client().build().unwrap();
    let err = client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap_err();
    let Error::Decode { path, status, body, .. } = &err else { panic!("{err:?}") };
    assert_eq!((path.as_str(), *status), (SEND, 200));
    assert_eq!(body, r#"{"errcode":0,"errmsg":"ok","msgid":"#);
    assert!(err.to_string().contains(r#""msgid":"#), "{err}");
}

#[tokio::test]
async fn a_response_without_errcode_is_a_decode_error() {
    let mock = Mock::start().await;
    mock.script(SEND, [Reply::Raw(200, r#"{"msgid":"m"}"#)]);
    let client = mock.client().build().unwrap();
    let err = client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap_err();
    assert!(matches!(&err, Error::Decode { .. }) && err.to_string().contains("errcode"), "{err}");
}

#[tokio::test]
async fn a_gateway_error_page_is_an_http_error() {
    let mock = Mock::start().await;
    mock.script(SEND, [Reply::Raw(502, "<html>502 Bad Gateway</html>")]);
    let client = mock.client().build().unwrap();
    let err = client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap_err();
    assert!(
        matches!(&err, Error::Http { status: 502, body, .. } if body.contains("Bad Gateway")),
        "{err:?}"
    );
}

#[tokio::test]
async fn base_url_path_prefixes_are_kept() {
    let mock = Mock::start().await;
    let client = mock.client().base_url(format!("{}/wecom-gw/", mock.url)).build().unwrap();
    client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap();
    let sent = &mock.requests(SEND)[0];
    assert_eq!(sent.uri.path(), "/wecom-gw/cgi-bin/message/send");
}

#[tokio::test]
async fn a_supplied_reqwest_client_is_used() {
    let mock = Mock::start().await;
    // Building any wecom client first installs the TLS crypto provider reqwest needs.
    let _ = mock.client().build().unwrap();
    let http = reqwest::Client::builder().user_agent("custom-agent/1").build().unwrap();
    let client = mock.client().http_client(http).build().unwrap();
    client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap();
    assert_eq!(mock.requests(SEND)[0].headers["user-agent"], "custom-agent/1");
}

#[tokio::test]
async fn the_default_user_agent_names_the_crate() {
    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    client.access_token().await.unwrap();
    let ua =
        mock.requests("/cgi-bin/gettoken")[0].headers["user-agent"].to_str().unwrap().to_owned();
    assert!(ua.starts_with("wecom-rs/"), "{ua}");
}

#[tokio::test]
async fn several_corps_and_apps_live_side_by_side() {
    let mock_a = Mock::start().await;
    let mock_b = Mock::start().await;
    let a = mock_a.client().build().unwrap();
    let b = mock_b.client().build().unwrap();
    a.send(Recipients::users(["x"]), Text::new("to a")).await.unwrap();
    b.send(Recipients::users(["y"]), Text::new("to b")).await.unwrap();
    assert_eq!(mock_a.requests(SEND)[0].json()["text"]["content"], "to a");
    assert_eq!(mock_b.requests(SEND)[0].json()["text"]["content"], "to b");
    assert_eq!((a.corp_id(), a.agent_id()), (CORP, AGENT));
}
