//! Access tokens: caching, single flight, refresh on rejection, compare-before-invalidate.

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use tokio::sync::Notify;
use wecom::{Client, Error, Media, MediaType, MemoryTokenStore, Recipients, Text};

use super::support::{AGENT, CORP, Mock, Reply, SECRET, token};

const SEND: &str = "/cgi-bin/message/send";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_cold_calls_fetch_one_token() {
    let mock = Mock::start().await;
    // A slow gettoken makes every caller arrive while the fetch is in flight.
    mock.gettoken_delay(Duration::from_millis(100));
    let client = mock.client().build().unwrap();
    let mut calls = tokio::task::JoinSet::new();
    for i in 0..1000 {
        let client = client.clone();
        calls.spawn(async move {
            client.send(Recipients::users([format!("u{i}")]), Text::new("hi")).await
        });
    }
    while let Some(result) = calls.join_next().await {
        result.unwrap().unwrap();
    }
    assert_eq!(mock.gettokens(), 1);
    let sends = mock.requests(SEND);
    assert_eq!(sends.len(), 1000);
    assert!(sends.iter().all(|r| r.token() == Some(token(1).as_str())));
}

#[tokio::test]
async fn the_token_is_reused_across_calls() {
    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    for _ in 0..3 {
        client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap();
    }
    client.recall("MSG-1").await.unwrap();
    assert_eq!(mock.gettokens(), 1);
    // Clones share the cache.
    client.clone().send(Recipients::users(["a"]), Text::new("x")).await.unwrap();
    assert_eq!(mock.gettokens(), 1);
}

async fn token_rejected_mid_flight(code: i64) {
    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    client.send(Recipients::users(["alice"]), Text::new("first")).await.unwrap();
    mock.revoke(&token(1), code);

    let receipt = client.send(Recipients::users(["alice"]), Text::new("second")).await.unwrap();
    assert_eq!(receipt.msgid, "MSG-2");
    assert_eq!(mock.gettokens(), 2, "exactly one refetch");
    let sends = mock.requests(SEND);
    assert_eq!(sends.len(), 3);
    assert_eq!(sends[1].token(), Some(token(1).as_str()));
    assert_eq!(sends[2].token(), Some(token(2).as_str()), "retried with the new token in the URL");
    assert_eq!(sends[1].body, sends[2].body, "retried with an intact body");
    assert_eq!(sends[2].json()["text"]["content"], "second");
}

#[tokio::test]
async fn token_expired_42001_is_refreshed_once_and_the_call_retried() {
    token_rejected_mid_flight(42001).await;
}

#[tokio::test]
async fn token_invalid_40014_is_refreshed_once_and_the_call_retried() {
    token_rejected_mid_flight(40014).await;
}

#[tokio::test]
async fn token_rejected_40001_by_an_api_call_is_refreshed_too() {
    token_rejected_mid_flight(40001).await;
}

#[tokio::test]
async fn token_rejected_during_a_multipart_upload_resends_the_same_bytes() {
    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    client.access_token().await.unwrap();
    mock.revoke(&token(1), 42001);
    let data = b"\x89PNG\r\n\x1a\nrest-of-image".to_vec();
    let uploaded = client
        .upload_media(MediaType::Image, Media::from_bytes("chart.png", data.clone()))
        .await
        .unwrap();
    assert_eq!(uploaded.kind, MediaType::Image);
    let uploads = mock.requests("/cgi-bin/media/upload");
    assert_eq!(uploads.len(), 2);
    assert_eq!(uploads[0].token(), Some(token(1).as_str()));
    assert_eq!(uploads[1].token(), Some(token(2).as_str()));
    assert_eq!(uploads[1].query["type"], "image");
    assert_eq!(uploads[0].body, uploads[1].body);
    assert_eq!(uploads[0].headers["content-type"], uploads[1].headers["content-type"]);
    let part = super::media::single_part(&uploads[1]).await;
    assert_eq!(part.data, data);
}

#[tokio::test]
async fn a_second_token_failure_is_returned_not_looped() {
    let mock = Mock::start().await;
    mock.script(
        SEND,
        [Reply::err(40014, "invalid access_token"), Reply::err(40014, "invalid access_token")],
    );
    let client = mock.client().build().unwrap();
    let err = client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap_err();
    assert!(err.is_token_invalid(), "{err:?}");
    assert_eq!(err.code(), Some(40014));
    assert_eq!(mock.count(SEND), 2);
    assert_eq!(mock.gettokens(), 2);
}

#[tokio::test]
async fn a_fresh_token_fetched_by_another_caller_is_not_thrown_away() {
    let mock = Mock::start().await;
    let client = mock.client().build().unwrap();
    client.access_token().await.unwrap(); // TOKEN-1 cached

    // Caller A's send is held by the server, then told its token expired...
    let gate = Arc::new(Notify::new());
    mock.script(
        SEND,
        [Reply::Gate(gate.clone(), Box::new(Reply::err(42001, "access_token expired")))],
    );
    let a = tokio::spawn({
        let client = client.clone();
        async move { client.send(Recipients::users(["a"]), Text::new("from A")).await }
    });
    while mock.count(SEND) == 0 {
        tokio::task::yield_now().await;
    }
    // ...while caller B meets the same expiry first and refreshes to TOKEN-2.
    mock.revoke(&token(1), 42001);
    client.recall("MSG-0").await.unwrap();
    assert_eq!(mock.gettokens(), 2);
    gate.notify_one();

    a.await.unwrap().unwrap();
    // A must reuse TOKEN-2 instead of invalidating it and fetching TOKEN-3.
    assert_eq!(mock.gettokens(), 2);
    let sends = mock.requests(SEND);
    assert_eq!(sends.len(), 2);
    assert_eq!(sends[1].token(), Some(token(2).as_str()));
}

#[tokio::test]
async fn a_wrong_secret_is_a_credentials_error_never_retried() {
    let mock = Mock::start().await;
    let client = Client::builder(CORP, AGENT, "wrong-secret")
        .base_url(&mock.url)
        .retry_policy(super::support::fast_retries())
        .build()
        .unwrap();
    let err = client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap_err();
    assert!(err.is_credentials(), "{err:?}");
    assert_eq!(err.code(), Some(40001));
    assert!(!err.is_token_invalid());
    let err = client.recall("m").await.unwrap_err();
    assert!(err.is_credentials());
    assert_eq!(mock.gettokens(), 1, "a wrong secret must not be tried again at once");
    assert_eq!(mock.count(SEND), 0);
}

#[tokio::test]
async fn a_token_error_from_gettoken_itself_is_returned_not_refreshed() {
    // gettoken carries no token, so a refresh cannot cure a token-error code there, and a
    // fetch that refreshed would re-enter the token path it was called from.
    for code in [42001, 40014, 41001] {
        let mock = Mock::start().await;
        mock.script("/cgi-bin/gettoken", [Reply::err(code, "odd answer")]);
        let client = mock.client().build().unwrap();
        let err = client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap_err();
        assert_eq!(err.code(), Some(code), "{err:?}");
        assert_eq!(mock.gettokens(), 1, "errcode {code}");
        assert_eq!(mock.count(SEND), 0);
    }
}

#[tokio::test]
async fn gettoken_busy_is_retried_and_rate_limit_is_not() {
    let mock = Mock::start().await;
    mock.script("/cgi-bin/gettoken", [Reply::err(-1, "system busy")]);
    let client = mock.client().build().unwrap();
    client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap();
    assert_eq!(mock.gettokens(), 2);

    let mock = Mock::start().await;
    mock.script("/cgi-bin/gettoken", [Reply::err(45009, "api freq out of limit")]);
    let client = mock.client().build().unwrap();
    let err = client.access_token().await.unwrap_err();
    assert!(err.is_rate_limited(), "{err:?}");
    assert_eq!(mock.gettokens(), 1);
}

#[tokio::test]
async fn clients_sharing_a_store_share_one_token_per_app() {
    let mock = Mock::start().await;
    let store = Arc::new(MemoryTokenStore::new());
    let a1 = mock.client().token_store(store.clone()).build().unwrap();
    let a2 = mock.client().token_store(store.clone()).build().unwrap();
    let other_app = Client::builder(CORP, AGENT + 1, SECRET)
        .base_url(&mock.url)
        .token_store(store.clone())
        .build()
        .unwrap();
    let t1 = a1.access_token().await.unwrap();
    let t2 = a2.access_token().await.unwrap();
    let t3 = other_app.access_token().await.unwrap();
    assert_eq!(t1, t2);
    assert_ne!(t1, t3, "apps of one corp must not share a token");
    assert_eq!(mock.gettokens(), 2);
}

#[tokio::test]
async fn an_expired_stored_token_is_replaced() {
    let mock = Mock::start().await;
    let store = Arc::new(MemoryTokenStore::new());
    let key = wecom::TokenKey::new(CORP, AGENT);
    let old = wecom::CachedToken::new(
        wecom::AccessToken::new("stale-token"),
        std::time::SystemTime::now() - Duration::from_secs(7300),
        Duration::from_secs(7200),
    );
    wecom::TokenStore::put(&*store, &key, old).await.unwrap();
    let client = mock.client().token_store(store).build().unwrap();
    client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap();
    assert_eq!(mock.gettokens(), 1);
    assert_eq!(mock.requests(SEND)[0].token(), Some(token(1).as_str()));
}

#[tokio::test]
async fn gettoken_replies_without_a_usable_token_are_errors() {
    let mock = Mock::start().await;
    mock.script(
        "/cgi-bin/gettoken",
        [Reply::Json(
            json!({"errcode": 0, "errmsg": "ok", "access_token": "", "expires_in": 7200}),
        )],
    );
    let client = mock.client().build().unwrap();
    let err = client.access_token().await.unwrap_err();
    assert!(matches!(err, Error::Http { .. }), "{err:?}");
}

/// A user-written store that relies on the trait's default (always granted) lease.
#[derive(Default)]
struct PlainStore(std::sync::Mutex<std::collections::HashMap<wecom::TokenKey, wecom::CachedToken>>);

impl wecom::TokenStore for PlainStore {
    fn get<'a>(
        &'a self,
        key: &'a wecom::TokenKey,
    ) -> futures::future::BoxFuture<'a, Result<Option<wecom::CachedToken>, wecom::error::StoreError>>
    {
        let found = self.0.lock().unwrap().get(key).cloned();
        Box::pin(async move { Ok(found) })
    }

    fn put<'a>(
        &'a self,
        key: &'a wecom::TokenKey,
        token: wecom::CachedToken,
    ) -> futures::future::BoxFuture<'a, Result<(), wecom::error::StoreError>> {
        self.0.lock().unwrap().insert(key.clone(), token);
        Box::pin(async { Ok(()) })
    }

    fn invalidate<'a>(
        &'a self,
        key: &'a wecom::TokenKey,
        rejected: &'a wecom::AccessToken,
    ) -> futures::future::BoxFuture<'a, Result<bool, wecom::error::StoreError>> {
        let mut map = self.0.lock().unwrap();
        let hit = map.get(key).is_some_and(|t| &t.token == rejected);
        if hit {
            map.remove(key);
        }
        Box::pin(async move { Ok(hit) })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn single_flight_alone_dedupes_with_a_store_without_leases() {
    let mock = Mock::start().await;
    mock.gettoken_delay(Duration::from_millis(100));
    let client = mock.client().token_store(Arc::new(PlainStore::default())).build().unwrap();
    let calls = (0..1000).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.access_token().await })
    });
    for call in futures::future::join_all(calls).await {
        assert_eq!(call.unwrap().unwrap().expose(), token(1));
    }
    assert_eq!(mock.gettokens(), 1);
}

#[tokio::test]
async fn clients_sharing_a_store_refresh_once_through_the_lease() {
    let mock = Mock::start().await;
    mock.gettoken_delay(Duration::from_millis(100));
    let store = Arc::new(MemoryTokenStore::new());
    // Separate clients have separate single flights, as separate processes would.
    let clients: Vec<Client> =
        (0..4).map(|_| mock.client().token_store(store.clone()).build().unwrap()).collect();
    let calls = clients.iter().flat_map(|c| (0..25).map(move |_| c.access_token()));
    for result in futures::future::join_all(calls).await {
        assert_eq!(result.unwrap().expose(), token(1));
    }
    assert_eq!(mock.gettokens(), 1);
}

#[tokio::test]
async fn a_store_failure_fails_calls_only_when_the_store_is_required() {
    struct Broken;
    impl wecom::TokenStore for Broken {
        fn get<'a>(
            &'a self,
            _: &'a wecom::TokenKey,
        ) -> futures::future::BoxFuture<
            'a,
            Result<Option<wecom::CachedToken>, wecom::error::StoreError>,
        > {
            Box::pin(async { Err("connection refused".into()) })
        }
        fn put<'a>(
            &'a self,
            _: &'a wecom::TokenKey,
            _: wecom::CachedToken,
        ) -> futures::future::BoxFuture<'a, Result<(), wecom::error::StoreError>> {
            Box::pin(async { Ok(()) })
        }
        fn invalidate<'a>(
            &'a self,
            _: &'a wecom::TokenKey,
            _: &'a wecom::AccessToken,
        ) -> futures::future::BoxFuture<'a, Result<bool, wecom::error::StoreError>> {
            Box::pin(async { Ok(false) })
        }
    }
    let mock = Mock::start().await;
    // By default the client works around the store with a token of its own.
    let client = mock.client().token_store(Arc::new(Broken)).build().unwrap();
    client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap();
    client.send(Recipients::users(["a"]), Text::new("y")).await.unwrap();
    assert_eq!(mock.gettokens(), 1);
    assert_eq!(mock.requests(SEND).len(), 2);

    let mock = Mock::start().await;
    let client =
        mock.client().token_store(Arc::new(Broken)).token_store_required(true).build().unwrap();
    let err = client.send(Recipients::users(["a"]), Text::new("x")).await.unwrap_err();
    assert!(
        matches!(err, Error::TokenStore(_)) && err.to_string().contains("connection refused"),
        "{err}"
    );
    assert!(mock.all_requests().is_empty());
}
