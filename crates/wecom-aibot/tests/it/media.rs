//! Media decryption against the reference's synthetic vectors (§A6), streaming download with
//! a size limit.

use wecom_aibot::media::{MediaKey, decrypt, download};

const KEY: &str = "/mKHgCuXxPAxU1Elvz8FDZ3LKHPsrjAGi21oKW7TeAc";

fn b64(s: &str) -> Vec<u8> {
    base64_simd::STANDARD.decode_to_vec(s).unwrap()
}

#[test]
fn the_reference_vectors_decrypt() {
    let key = MediaKey::parse(KEY).unwrap();
    assert_eq!(
        decrypt(&key, &b64("+dluxs/hhda6f/n7PUsKtv8nQaBrX3ACpLHOSMG+5VE="), 100).unwrap(),
        b"Hello, WeCom AI bot!\n"
    );
    let v2 = b64(
        "ylU8J6ERpIWNR0PyjnoDA0eejmXTijqWm1MBuQIxhaaSTnXS8opLHKgySUKJvYF3vp58d+3++g4LuT1YaVquCw==",
    );
    assert_eq!(decrypt(&key, &v2, 100).unwrap(), b"0123456789abcdef0123456789ABCDEF");
    // A padded key is the same key.
    assert!(MediaKey::parse(&format!("{KEY}=")).is_ok());
    assert!(!format!("{key:?}").contains("mKHg"));
}

#[test]
fn limits_and_bad_input_are_errors_not_panics() {
    let key = MediaKey::parse(KEY).unwrap();
    let v2 = b64(
        "ylU8J6ERpIWNR0PyjnoDA0eejmXTijqWm1MBuQIxhaaSTnXS8opLHKgySUKJvYF3vp58d+3++g4LuT1YaVquCw==",
    );
    assert!(matches!(decrypt(&key, &v2, 31), Err(wecom_aibot::Error::MediaTooLarge { limit: 31 })));
    assert!(decrypt(&key, &v2[..48], 100).is_err());
    assert!(decrypt(&key, &[], 100).is_err());
    let other = MediaKey::parse("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C").unwrap();
    assert!(decrypt(&other, &v2, 100).is_err(), "a wrong key fails the padding check");
    assert!(MediaKey::parse("short").is_err());
}

#[tokio::test]
async fn download_streams_and_stops_at_the_limit() {
    let body = b64(
        "ylU8J6ERpIWNR0PyjnoDA0eejmXTijqWm1MBuQIxhaaSTnXS8opLHKgySUKJvYF3vp58d+3++g4LuT1YaVquCw==",
    );
    let served = body.clone();
    let router = axum::Router::new().route(
        "/file",
        axum::routing::get(move || {
            let served = served.clone();
            async move { served }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/file?sign=secret", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let client = reqwest::Client::new();
    let key = MediaKey::parse(KEY).unwrap();
    assert_eq!(
        download(&client, &url, &key, 1024).await.unwrap(),
        b"0123456789abcdef0123456789ABCDEF"
    );
    let err = download(&client, &url, &key, 8).await.unwrap_err();
    assert!(matches!(err, wecom_aibot::Error::MediaTooLarge { limit: 8 }));
    let err = download(&client, &url.replace("/file", "/missing"), &key, 1024).await.unwrap_err();
    assert!(!err.to_string().contains("secret"), "no URL in errors: {err}");
}
