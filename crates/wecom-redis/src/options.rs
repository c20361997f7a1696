//! [`ConnectOptions`]: where and how a store connects (URL, timeouts, TLS), held by every store
//! builder, whose setters [`connect_setters!`](crate::connect_setters) writes once.

use std::path::PathBuf;

use crate::{Connector, Timeouts, Tls};

/// A store's connection settings: the URL, the [`Timeouts`] and the TLS trust, with a CA file
/// read only when the store is built.
#[derive(Clone)]
pub struct ConnectOptions {
    /// `redis://`, `redis+unix://` or `rediss://` (feature `tls`).
    pub url: String,
    /// Connect and command timeouts, and the pause after a failure.
    pub timeouts: Timeouts,
    /// The CA to trust for `rediss://`, if not the system's roots.
    pub tls: Tls,
    /// A PEM file to read the CA from when the store is built.
    pub tls_ca_file: Option<PathBuf>,
}

impl std::fmt::Debug for ConnectOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Not the URL: it may hold a password.
        f.debug_struct("ConnectOptions")
            .field("timeouts", &self.timeouts)
            .field("tls", &self.tls)
            .field("tls_ca_file", &self.tls_ca_file)
            .finish_non_exhaustive()
    }
}

impl ConnectOptions {
    /// The defaults for `url`: [`Timeouts::DEFAULT`], the system's roots.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            timeouts: Timeouts::DEFAULT,
            tls: Tls::default(),
            tls_ca_file: None,
        }
    }

    /// Checks the URL, the TLS settings (reading the CA file) and the timeouts; does not
    /// connect.
    ///
    /// # Errors
    /// A sentence naming what is wrong (never the URL's password).
    pub fn open(&self) -> Result<Connector, String> {
        let tls = match &self.tls_ca_file {
            Some(path) => self.tls.clone().ca_file(path)?,
            None => self.tls.clone(),
        };
        Connector::open_with(&self.url, self.timeouts, &tls)
    }
}

/// The connection setters of a store builder whose field `$field` is a [`ConnectOptions`]:
/// `connect_timeout`, `command_timeout`, `retry_delay`, `tls_ca_pem` and `tls_ca_file`.
#[macro_export]
macro_rules! connect_setters {
    ($field:ident) => {
        /// The most opening a connection may take (default 500 ms).
        pub fn connect_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.$field.timeouts.connect = timeout;
            self
        }

        /// The most one call to Redis may take, opening a connection included (default
        /// 500 ms); past it the call fails over as the store's documentation says.
        pub fn command_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.$field.timeouts.command = timeout;
            self
        }

        /// After a failure, how long calls fail over at once before Redis is tried again
        /// (default 1 s).
        pub fn retry_delay(mut self, delay: ::std::time::Duration) -> Self {
            self.$field.timeouts.retry_delay = delay;
            self
        }

        /// For a `rediss://` URL: trust this CA (PEM) instead of the system's roots (feature
        /// `redis-tls`).
        pub fn tls_ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
            self.$field.tls = self.$field.tls.ca_pem(pem);
            self
        }

        /// [`tls_ca_pem`](Self::tls_ca_pem) read from a PEM file when the store is built (an
        /// unreadable file is a configuration error naming it).
        pub fn tls_ca_file(mut self, path: impl Into<::std::path::PathBuf>) -> Self {
            self.$field.tls_ca_file = Some(path.into());
            self
        }
    };
}
