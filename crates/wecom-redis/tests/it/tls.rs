//! `rediss://`: a client trusting the test's own CA connects; one trusting only the system's
//! roots, or another CA, is refused and says so.

use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair, SanType};
use wecom_redis::test_server::RedisServer;
use wecom_redis::{Connector, Timeouts, Tls};

/// PEM texts.
struct Pki {
    ca: String,
    cert: String,
    key: String,
}

/// A CA, and a certificate it signs for 127.0.0.1 and localhost.
fn pki() -> Pki {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca, ca_key);
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    params.subject_alt_names.push(SanType::IpAddress([127, 0, 0, 1].into()));
    let cert = params.signed_by(&key, &issuer).unwrap();
    Pki { ca: ca_cert.pem(), cert: cert.pem(), key: key.serialize_pem() }
}

fn timeouts() -> Timeouts {
    Timeouts {
        connect: Duration::from_secs(2),
        command: Duration::from_secs(2),
        retry_delay: Duration::from_millis(10),
    }
}

async fn ping(conn: &Connector) -> Result<String, wecom_redis::Error> {
    conn.run("PING", |mut c| async move { redis::cmd("PING").query_async::<String>(&mut c).await })
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_trusting_the_ca_connects_and_others_are_refused() {
    let ours = pki();
    let Some(server) = RedisServer::start_tls(&ours.cert, &ours.key) else { return };
    assert!(server.url().starts_with("rediss://"));

    let trusted =
        Connector::open_with(&server.url(), timeouts(), &Tls::default().ca_pem(ours.ca.clone()))
            .unwrap();
    assert_eq!(ping(&trusted).await.unwrap(), "PONG");

    // From a file, as configured in production.
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &ours.ca).unwrap();
    let from_file =
        Connector::open_with(&server.url(), timeouts(), &Tls::default().ca_file(&ca_file).unwrap())
            .unwrap();
    assert_eq!(ping(&from_file).await.unwrap(), "PONG");

    // The system's roots do not know the test CA.
    let system = Connector::open(&server.url(), timeouts()).unwrap();
    let err = ping(&system).await.unwrap_err();
    assert!(err.is_unavailable(), "{err}");
    assert!(err.to_string().to_lowercase().contains("certificate"), "{err}");

    // Nor does another CA.
    let other = pki();
    let wrong =
        Connector::open_with(&server.url(), timeouts(), &Tls::default().ca_pem(other.ca)).unwrap();
    let err = ping(&wrong).await.unwrap_err();
    assert!(err.to_string().to_lowercase().contains("certificate"), "{err}");

    // A plain client cannot talk to the TLS port.
    let plain_url = server.url().replacen("rediss://", "redis://", 1);
    let plain = Connector::open(&plain_url, timeouts()).unwrap();
    assert!(ping(&plain).await.is_err());
}
