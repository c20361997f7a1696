//! End to end over HTTP: what the server refuses, how it says so, and what it logs.

use std::time::Duration;

use reqwest::StatusCode;
use wecom_msgcrypt::MsgCrypt;

use crate::support::wecom as support;
use support::*;

#[tokio::test]
async fn bad_input_gets_a_4xx_with_no_detail() {
    let base = start(echo_server().body_limit(4096)).await;
    let crypt = crypt();
    let ts = now();
    let (query, body) = wecom_post(&crypt, &text_xml("x", 1), &ts, "1");
    let sig = query.split('&').next().unwrap().trim_start_matches("msg_signature=").to_owned();

    let bad_sig = query.replace(&sig, &"0".repeat(40));
    let wrong_corp = MsgCrypt::new(TOKEN, KEY, "ww_other_corp").unwrap();
    let (wrong_corp_query, wrong_corp_body) = wecom_post(&wrong_corp, &text_xml("x", 2), &ts, "1");
    // Validly signed but not decryptable (one block of zeros).
    let junk = "A".repeat(44);
    let junk_sig = crypt.sign(&ts, "1", &junk);
    let junk_query = format!("msg_signature={junk_sig}&timestamp={ts}&nonce=1");
    let junk_body = format!("<xml><Encrypt>{junk}</Encrypt></xml>");
    // Decrypts fine, but the inner XML is broken.
    let (broken_query, broken_body) = wecom_post(&crypt, "<xml><MsgType>text</xml>", &ts, "1");

    let cases: Vec<(&str, String, String, StatusCode)> = vec![
        ("no query", String::new(), body.clone(), StatusCode::BAD_REQUEST),
        (
            "no nonce",
            format!("msg_signature={sig}&timestamp={ts}"),
            body.clone(),
            StatusCode::BAD_REQUEST,
        ),
        ("bad timestamp", query.replace(&ts, "12ab"), body.clone(), StatusCode::BAD_REQUEST),
        ("bad signature", bad_sig, body.clone(), StatusCode::FORBIDDEN),
        ("wrong receive id", wrong_corp_query, wrong_corp_body, StatusCode::FORBIDDEN),
        ("undecryptable", junk_query, junk_body, StatusCode::BAD_REQUEST),
        ("malformed envelope", query.clone(), "<xml><Encrypt>".into(), StatusCode::BAD_REQUEST),
        (
            "no Encrypt",
            query.clone(),
            "<xml><Content>hi</Content></xml>".into(),
            StatusCode::BAD_REQUEST,
        ),
        ("malformed inner XML", broken_query, broken_body, StatusCode::BAD_REQUEST),
        (
            "over the limit",
            query.clone(),
            format!("<xml>{}</xml>", "x".repeat(5000)),
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
    ];
    for (what, query, body, expected) in cases {
        let (status, text) = post(&base, &query, body).await;
        assert_eq!(status, expected, "{what}");
        assert_eq!(text, generic(expected), "{what}: body must not explain");
    }

    // Over the limit without a Content-Length (chunked): still 413.
    let stream = futures::stream::iter((0..8).map(|_| Ok::<_, std::io::Error>(vec![b'x'; 1024])));
    let resp = reqwest::Client::new()
        .post(format!("{base}?{query}"))
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // GET: bad signature, missing echostr.
    let get = |q: String| {
        let url = format!("{base}?{q}");
        async move {
            let r = reqwest::get(url).await.unwrap();
            (r.status(), r.text().await.unwrap())
        }
    };
    let echo = crypt.encrypt("12345", &ts, "1").unwrap();
    let ok_q = format!(
        "msg_signature={}&timestamp={ts}&nonce=1&echostr={}",
        echo.msg_signature,
        url_encode(&echo.encrypt)
    );
    assert_eq!(get(ok_q.clone()).await, (StatusCode::OK, "12345".to_owned()));
    let bad = ok_q.replace(echo.msg_signature.as_str(), &"1".repeat(40));
    assert_eq!(get(bad).await, (StatusCode::FORBIDDEN, generic(StatusCode::FORBIDDEN)));
    let no_echo = format!("msg_signature={}&timestamp={ts}&nonce=1", echo.msg_signature);
    assert_eq!(get(no_echo).await, (StatusCode::BAD_REQUEST, generic(StatusCode::BAD_REQUEST)));

    // Only GET and POST.
    for method in [
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
        reqwest::Method::PATCH,
        reqwest::Method::HEAD,
    ] {
        let resp = reqwest::Client::new()
            .request(method.clone(), format!("{base}?{query}"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED, "{method}");
    }
    // And the server still works.
    let (status, body) = post_text(&base, "fine", 1234).await;
    assert_eq!(status, StatusCode::OK);
    assert!(open_reply(&body).contains("echo: fine"));
}

#[tokio::test]
async fn stale_timestamps_are_refused_when_a_window_is_set() {
    let base = start(echo_server().timestamp_window(Duration::from_secs(300))).await;
    let (query, body) = wecom_post(&crypt(), &text_xml("old", 1), "1409659813", "1");
    assert_eq!(
        post(&base, &query, body).await,
        (StatusCode::FORBIDDEN, generic(StatusCode::FORBIDDEN))
    );
    let (status, _) = post_text(&base, "fresh", 2).await;
    assert_eq!(status, StatusCode::OK);
    // Without a window the same old request is accepted (WeCom's own vectors are from 2014).
    let base = start(echo_server()).await;
    let (query, body) = wecom_post(&crypt(), &text_xml("old", 1), "1409659813", "1");
    assert_eq!(post(&base, &query, body).await.0, StatusCode::OK);
}
