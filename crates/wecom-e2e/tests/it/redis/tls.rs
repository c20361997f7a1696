//! The Redis stores over `rediss://`: with the test's own CA they work; without it they
//! refuse the server and say why.

use std::sync::Arc;
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair, SanType};
use wecom::throttle::Limit;
use wecom::{OnLimit, Recipients, RedisLimitStore, RedisTokenStore, Text, Throttle};
use wecom_callback::RedisDedup;
use wecom_callback::dedup::DedupStore;

use super::support::{AGENT, RedisServer, emulator};

/// A CA and a certificate it signs for 127.0.0.1: `(ca, cert, key)` in PEM.
fn pki() -> (String, String, String) {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca, ca_key);
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    params.subject_alt_names.push(SanType::IpAddress([127, 0, 0, 1].into()));
    let cert = params.signed_by(&key, &issuer).unwrap();
    (ca_cert.pem(), cert.pem(), key.serialize_pem())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_store_works_over_tls_with_the_ca_and_refuses_without_it() {
    let (ca, cert, key) = pki();
    let Some(redis) = RedisServer::start_tls(&cert, &key) else { return };
    let url = redis.url();

    let tokens = RedisTokenStore::builder(&url).tls_ca_pem(ca.clone()).build().unwrap();
    tokens.ping().await.unwrap();
    // The CA from a file, as deployed.
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &ca).unwrap();
    let dedup = RedisDedup::builder(&url).tls_ca_file(&ca_file).build().unwrap();
    dedup.ping().await.unwrap();
    assert!(dedup.first_seen("m;1", Duration::from_secs(60)).await.unwrap());
    assert!(!dedup.first_seen("m;1", Duration::from_secs(60)).await.unwrap());

    let emu = emulator().await;
    let limits = Arc::new(RedisLimitStore::builder(&url).tls_ca_pem(ca).build().unwrap());
    let secret = emu.app(AGENT).unwrap().secret.expose().to_owned();
    let client = wecom::Client::builder(emu.corp_id(), AGENT, secret)
        .base_url(emu.base_url())
        .throttle(
            Throttle::new().member_limits([Limit::per_minute(1)]).on_member_limit(OnLimit::Report),
        )
        .limit_store(limits)
        .build()
        .unwrap();
    let first = client.send(Recipients::user("alice"), Text::new("1")).await.unwrap();
    let second = client.send(Recipients::user("alice"), Text::new("2")).await.unwrap();
    assert!(first.held_back.is_empty());
    assert_eq!(second.held_back, ["alice"]);
    assert_eq!(client.throttle_fallbacks(), 0, "counted in Redis over TLS");

    // The system's roots do not know the test CA: refused, and the error says why.
    let untrusting = RedisTokenStore::new(&url).unwrap();
    let err = untrusting.ping().await.unwrap_err().to_string();
    assert!(err.to_lowercase().contains("certificate"), "{err}");
    let untrusting = RedisLimitStore::new(&url).unwrap();
    assert!(untrusting.ping().await.is_err());
    let missing = RedisTokenStore::builder(&url).tls_ca_file(dir.path().join("nope.pem")).build();
    let err = missing.unwrap_err().to_string();
    assert!(err.contains("nope.pem"), "{err}");
}
