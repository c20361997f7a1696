//! Timestamps, nonces and the random prefix: the values that vary from one signed message to
//! the next.
//!
//! Every party of the protocol needs them — WeCom (or an emulator of it) when it seals a
//! callback, an app when it seals a reply under a fresh timestamp — so they are made here, once.
//! Randomness comes from a per-thread ChaCha12 generator that the operating system seeds and
//! periodically reseeds (`rand`'s `ThreadRng`): cryptographically secure, without a system call
//! per message.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use rand::RngExt as _;

use crate::error::Error;

/// A fresh nonce shaped like WeCom's: ten decimal digits, the first not zero.
///
/// A nonce only has to differ between messages; it is not a secret. It is still drawn from a
/// cryptographically secure generator, seeded by the operating system.
///
/// ```
/// let n = wecom_msgcrypt::nonce();
/// assert_eq!(n.len(), 10);
/// assert!(n.bytes().all(|b| b.is_ascii_digit()) && !n.starts_with('0'));
/// ```
pub fn nonce() -> String {
    rand::rng().random_range(1_000_000_000u64..10_000_000_000).to_string()
}

/// The 16 random bytes that open every plaintext, from the per-thread secure generator.
pub(crate) fn random_prefix() -> [u8; 16] {
    let mut random = [0u8; 16];
    rand::fill(&mut random);
    random
}

/// The current time in Unix seconds (0 if the clock is set before 1970).
fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// The `timestamp` and `nonce` a signature covers, checked to be safe on the wire.
///
/// A timestamp is 1 to 20 decimal digits; a nonce is 1 to 64 ASCII letters or digits. Both
/// therefore go into XML, JSON and query strings without escaping.
///
/// ```
/// use wecom_msgcrypt::Stamp;
///
/// let fresh = Stamp::now(); // current time, fresh nonce
/// assert!(fresh.timestamp().parse::<u64>().is_ok());
///
/// let at = Stamp::at(1_409_659_813); // a virtual clock's time, fresh nonce
/// assert_eq!(at.timestamp(), "1409659813");
///
/// // The request's own values, when a reply reuses them.
/// let reused = Stamp::new("1409659813", "1372623149")?;
/// assert_eq!(reused.nonce(), "1372623149");
/// assert!(Stamp::new("1409659813", "]]><x>").is_err());
/// # Ok::<(), wecom_msgcrypt::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Stamp {
    timestamp: String,
    nonce: String,
}

impl Stamp {
    /// The current time and a fresh [`nonce`].
    pub fn now() -> Self {
        Self::at(unix_now())
    }

    /// The given time (Unix seconds, for example from a virtual clock) and a fresh [`nonce`].
    pub fn at(unix_secs: u64) -> Self {
        Self { timestamp: unix_secs.to_string(), nonce: nonce() }
    }

    /// Explicit values, typically the `timestamp` and `nonce` of the request being answered.
    ///
    /// # Errors
    /// [`Error::ReplyField`] if the timestamp is not 1 to 20 decimal digits or the nonce not
    /// 1 to 64 ASCII letters or digits.
    pub fn new(timestamp: impl Into<String>, nonce: impl Into<String>) -> Result<Self, Error> {
        let (timestamp, nonce) = (timestamp.into(), nonce.into());
        check_fields(&timestamp, &nonce)?;
        Ok(Self { timestamp, nonce })
    }

    /// The timestamp: decimal Unix seconds.
    pub fn timestamp(&self) -> &str {
        &self.timestamp
    }

    /// The nonce.
    pub fn nonce(&self) -> &str {
        &self.nonce
    }
}

impl fmt::Debug for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Stamp({}, {})", self.timestamp, self.nonce)
    }
}

/// Timestamps are decimal seconds; nonces are what WeCom sends (digits) or any short
/// alphanumeric string. Anything else could break out of an XML or JSON envelope, so it is
/// refused.
pub(crate) fn check_fields(timestamp: &str, nonce: &str) -> Result<(), Error> {
    if timestamp.is_empty()
        || timestamp.len() > 20
        || !timestamp.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(Error::ReplyField("timestamp must be 1 to 20 decimal digits"));
    }
    if nonce.is_empty() || nonce.len() > 64 || !nonce.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Error::ReplyField("nonce must be 1 to 64 ASCII letters or digits"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn nonces_look_like_wecoms_and_vary() {
        let nonces: HashSet<String> = (0..1000).map(|_| nonce()).collect();
        // 1,000 draws from 9e9 values: a collision has probability ~5e-5.
        assert!(nonces.len() >= 999, "{}", nonces.len());
        for n in &nonces {
            assert_eq!(n.len(), 10, "{n}");
            assert!(n.bytes().all(|b| b.is_ascii_digit()) && !n.starts_with('0'), "{n}");
        }
    }

    #[test]
    fn random_prefixes_differ() {
        let a = random_prefix();
        let b = random_prefix();
        assert_ne!(a, b);
        assert_ne!(a, [0; 16]);
    }

    #[test]
    fn stamps_hold_checked_values() {
        let now = unix_now();
        let s = Stamp::now();
        let t: u64 = s.timestamp().parse().unwrap();
        assert!(t >= now && t <= now + 5, "{t} vs {now}");
        assert_eq!(Stamp::at(0).timestamp(), "0");
        assert_eq!(Stamp::at(u64::MAX).timestamp(), u64::MAX.to_string());
        assert_ne!(Stamp::at(7).nonce(), Stamp::at(7).nonce());

        let ok = Stamp::new("1409659813", "abcXYZ09").unwrap();
        assert_eq!((ok.timestamp(), ok.nonce()), ("1409659813", "abcXYZ09"));
        assert_eq!(format!("{ok:?}"), "Stamp(1409659813, abcXYZ09)");
        for (ts, n) in [
            ("", "1"),
            ("12a", "1"),
            ("123456789012345678901", "1"),
            ("1", ""),
            ("1", "a b"),
            ("1", "]]><x>"),
            ("1", "\"}"),
            ("1", &"a".repeat(65)),
        ] {
            assert!(matches!(Stamp::new(ts, n), Err(Error::ReplyField(_))), "{ts:?} {n:?}");
        }
    }
}
