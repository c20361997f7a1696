//! [`Tls`]: how a `rediss://` server is trusted — the system's roots, or a CA of your own
//! (a PEM file or bytes), for Redis servers with a private certificate authority.
//!
//! TLS is built with the `tls` feature (rustls, with the aws-lc-rs provider that `reqwest`
//! already uses). Without it, a `rediss://` URL or a CA is a configuration error that says
//! which feature is missing.

use std::fmt;
use std::path::Path;

/// TLS settings of a Redis connection; the default trusts the system's roots.
///
/// ```
/// let tls = wecom_redis::Tls::default().ca_pem(b"-----BEGIN CERTIFICATE-----\n...".to_vec());
/// assert!(tls.has_ca());
/// ```
#[derive(Clone, Default)]
pub struct Tls {
    ca_pem: Option<Vec<u8>>,
}

impl Tls {
    /// Trust servers whose certificate chains to this CA (PEM, one or more certificates)
    /// instead of the system's roots.
    #[must_use]
    pub fn ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_pem = Some(pem.into());
        self
    }

    /// [`ca_pem`](Self::ca_pem) read from a file; the error names the file.
    pub fn ca_file(self, path: impl AsRef<Path>) -> Result<Self, String> {
        let path = path.as_ref();
        let pem = std::fs::read(path)
            .map_err(|err| format!("cannot read the Redis CA file {}: {err}", path.display()))?;
        Ok(self.ca_pem(pem))
    }

    /// Whether a CA of its own is set.
    pub fn has_ca(&self) -> bool {
        self.ca_pem.is_some()
    }
}

impl fmt::Debug for Tls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tls").field("ca", &self.ca_pem.as_ref().map(|_| "custom")).finish()
    }
}

/// A `redis` client for `url` with `tls`; the error in words, never with the password.
pub(crate) fn client(url: &str, tls: &Tls) -> Result<::redis::Client, String> {
    let secure = url.starts_with("rediss://");
    if tls.ca_pem.is_some() && !secure {
        return Err(
            "a Redis CA certificate is set, but the URL does not start with rediss://".into()
        );
    }
    if secure {
        return secure_client(url, tls);
    }
    ::redis::Client::open(url).map_err(|err| format!("the Redis URL is not usable: {err}"))
}

#[cfg(feature = "tls")]
fn secure_client(url: &str, tls: &Tls) -> Result<::redis::Client, String> {
    // rustls needs a process-wide crypto provider; install the one this crate is built with
    // unless the program chose one (an error only means another thread just installed one).
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    }
    let result = match &tls.ca_pem {
        None => ::redis::Client::open(url),
        Some(pem) => {
            check_pem(pem)?;
            ::redis::Client::build_with_tls(
                url,
                ::redis::TlsCertificates { client_tls: None, root_cert: Some(pem.clone()) },
            )
        }
    };
    result.map_err(|err| format!("the Redis URL or TLS settings are not usable: {err}"))
}

#[cfg(not(feature = "tls"))]
fn secure_client(_url: &str, _tls: &Tls) -> Result<::redis::Client, String> {
    Err("rediss:// (Redis over TLS) needs the `redis-tls` feature of wecom / wecom-callback \
         (`tls` of wecom-redis)"
        .into())
}

/// Rejects CA bytes holding no PEM certificate, before any connection is tried.
#[cfg(feature = "tls")]
fn check_pem(pem: &[u8]) -> Result<(), String> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut found = 0;
    for cert in CertificateDer::pem_slice_iter(pem) {
        cert.map_err(|err| format!("the Redis CA is not valid PEM: {err}"))?;
        found += 1;
    }
    if found == 0 {
        return Err("the Redis CA holds no PEM certificate (-----BEGIN CERTIFICATE-----)".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ca_needs_a_rediss_url() {
        let err = client("redis://:pw@127.0.0.1:6379", &Tls::default().ca_pem(b"x".to_vec()))
            .unwrap_err();
        assert!(err.contains("rediss://"), "{err}");
        assert!(!err.contains("pw"), "{err}");
    }

    #[test]
    fn a_missing_ca_file_is_named() {
        let err = Tls::default().ca_file("/nonexistent/ca.pem").unwrap_err();
        assert!(err.contains("/nonexistent/ca.pem"), "{err}");
    }

    #[cfg(feature = "tls")]
    #[test]
    fn bytes_without_a_certificate_are_refused_before_connecting() {
        let err = client("rediss://127.0.0.1:6379", &Tls::default().ca_pem(b"not pem".to_vec()))
            .unwrap_err();
        assert!(err.contains("no PEM certificate"), "{err}");
        assert!(client("rediss://127.0.0.1:6379", &Tls::default()).is_ok());
    }

    #[cfg(not(feature = "tls"))]
    #[test]
    fn rediss_without_the_feature_names_the_feature() {
        let err = client("rediss://127.0.0.1:6379", &Tls::default()).unwrap_err();
        assert!(err.contains("redis-tls"), "{err}");
    }
}
