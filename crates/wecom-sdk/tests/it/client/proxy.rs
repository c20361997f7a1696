//! Proxy settings: the proxy gets absolute-form requests for a host it alone can resolve.

use wecom::{ClientBuilder, Recipients, Text};

use super::support::{AGENT, CORP, Mock, SECRET, fast_retries};

/// A host that cannot resolve: only a proxy can reach it.
const UNRESOLVABLE: &str = "http://qyapi.wecom.invalid";

fn assert_proxied(proxy: &Mock) {
    let seen = proxy.all_requests();
    assert_eq!(seen.len(), 2, "gettoken and send both go through the proxy");
    for request in &seen {
        assert_eq!(request.uri.scheme_str(), Some("http"));
        assert_eq!(
            request.uri.host(),
            Some("qyapi.wecom.invalid"),
            "absolute-form target: {}",
            request.uri
        );
    }
    assert_eq!(seen[1].uri.path(), "/cgi-bin/message/send");
}

#[tokio::test]
async fn an_explicit_proxy_receives_every_request() {
    let proxy = Mock::start().await;
    let client = proxy.client().base_url(UNRESOLVABLE).proxy(&proxy.url).build().unwrap();
    client.send(Recipients::users(["a"]), Text::new("via proxy")).await.unwrap();
    assert_proxied(&proxy);
}

#[tokio::test]
async fn a_scheme_specific_proxy_is_used_for_its_scheme_only() {
    let proxy = Mock::start().await;
    let client = proxy.client().base_url(UNRESOLVABLE).http_proxy(&proxy.url).build().unwrap();
    client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap();
    assert_proxied(&proxy);

    // An https-only proxy does not apply to an http base URL: the request goes direct and
    // fails to resolve.
    let proxy = Mock::start().await;
    let client = proxy.client().base_url(UNRESOLVABLE).https_proxy(&proxy.url).build().unwrap();
    let err = client.access_token().await.unwrap_err();
    assert!(matches!(err, wecom::Error::Transport { .. }), "{err:?}");
    assert!(proxy.all_requests().is_empty());
}

#[tokio::test]
async fn proxy_variables_from_the_environment_are_honoured() {
    let proxy = Mock::start().await;
    let vars = [
        ("WECOM_CORP_ID", CORP.to_owned()),
        ("WECOM_AGENT_ID", AGENT.to_string()),
        ("WECOM_SECRET", SECRET.to_owned()),
        ("WECOM_BASE_URL", UNRESOLVABLE.to_owned()),
        ("Http_Proxy", proxy.url.clone()),
    ];
    let client =
        ClientBuilder::from_vars(vars).unwrap().retry_policy(fast_retries()).build().unwrap();
    client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap();
    assert_proxied(&proxy);
}

#[tokio::test]
async fn no_proxy_hosts_bypass_the_proxy() {
    let direct = Mock::start().await;
    let proxy = Mock::start().await;
    let client = direct.client().proxy(&proxy.url).no_proxy("127.0.0.1").build().unwrap();
    client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap();
    assert_eq!(direct.all_requests().len(), 2);
    assert!(proxy.all_requests().is_empty());

    // Without the exception the same target goes through the proxy.
    let client = direct.client().proxy(&proxy.url).build().unwrap();
    client.access_token().await.unwrap();
    assert_eq!(proxy.gettokens(), 1);
}
