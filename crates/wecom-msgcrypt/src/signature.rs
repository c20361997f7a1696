//! The `msg_signature`: lowercase hex SHA-1 over the byte-wise sorted concatenation of
//! token, timestamp, nonce and ciphertext — and its constant-time comparison.

use std::fmt;

use sha1::{Digest, Sha1};
use subtle::ConstantTimeEq;

/// A 40-character lowercase hex SHA-1 signature.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signature([u8; 40]);

impl Signature {
    /// The signature as a string slice.
    pub fn as_str(&self) -> &str {
        // The array only ever holds ASCII hex digits written by `from_digest`.
        std::str::from_utf8(&self.0).expect("hex digits are ASCII")
    }

    /// Compares with a received signature in constant time (for equal lengths).
    pub fn matches(&self, received: &str) -> bool {
        verify_signature(self.as_str(), received)
    }

    fn from_digest(digest: &[u8]) -> Self {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; 40];
        for (i, b) in digest.iter().enumerate() {
            out[2 * i] = HEX[usize::from(b >> 4)];
            out[2 * i + 1] = HEX[usize::from(b & 0x0f)];
        }
        Self(out)
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature({})", self.as_str())
    }
}

impl AsRef<str> for Signature {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

/// Computes `msg_signature = hex(sha1(concat(sort([token, timestamp, nonce, encrypt]))))`.
///
/// The four values are sorted as plain bytes and hashed without separators, exactly as the
/// official libraries do. No allocation: the parts are fed to the hash in order.
///
/// ```
/// // Official vector A (WeCom crypto documentation).
/// let sig = wecom_msgcrypt::signature(
///     "QDG6eK",
///     "1409659589",
///     "263014780",
///     "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
/// );
/// assert_eq!(sig.as_str(), "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3");
/// ```
pub fn signature(token: &str, timestamp: &str, nonce: &str, encrypt: &str) -> Signature {
    let mut parts = [token.as_bytes(), timestamp.as_bytes(), nonce.as_bytes(), encrypt.as_bytes()];
    // A sorting network for four: five compare-and-swaps. The general sort's machinery cost
    // about a tenth of a whole verify + decrypt.
    for (a, b) in [(0, 1), (2, 3), (0, 2), (1, 3), (1, 2)] {
        if parts[a] > parts[b] {
            parts.swap(a, b);
        }
    }
    let mut hasher = Sha1::new();
    for part in parts {
        hasher.update(part);
    }
    Signature::from_digest(&hasher.finalize())
}

/// Compares two signatures without leaking, through timing, how many leading bytes match.
///
/// Signatures of different lengths compare unequal immediately (the length is not secret).
/// Hex digits are compared case-sensitively: WeCom always sends lowercase.
pub fn verify_signature(expected: &str, received: &str) -> bool {
    let (expected, received) = (expected.as_bytes(), received.as_bytes());
    if expected.len() != received.len() {
        return false;
    }
    // The OR of the XOR of every 8-byte word (then of the tail bytes): no early exit and no
    // branch on the data, then one test of the result through `subtle`. Comparing byte by
    // byte through `subtle` hid each byte from the optimizer in turn and cost about 3% of a
    // whole verify + decrypt.
    let mut diff = 0u64;
    let (mut e, mut r) = (expected.chunks_exact(8), received.chunks_exact(8));
    for (a, b) in e.by_ref().zip(r.by_ref()) {
        let word = |w: &[u8]| u64::from_ne_bytes(w.try_into().expect("chunks of 8"));
        diff |= word(a) ^ word(b);
    }
    for (a, b) in e.remainder().iter().zip(r.remainder()) {
        diff |= u64::from(a ^ b);
    }
    bool::from(diff.ct_eq(&0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorting_is_bytewise_not_by_argument_position() {
        // Same values in any argument order give the same signature.
        let a = signature("b", "a", "d", "c");
        let b = signature("a", "b", "c", "d");
        assert_eq!(a, b);
        // sha1("abcd")
        assert_eq!(a.as_str(), "81fe8bfe87576c3ecb22426f8e57847382917acf");
    }

    #[test]
    fn every_argument_order_gives_the_sorted_concatenation() {
        let values = ["b1", "a", "b", "ab"];
        // sha1("aabbb1"): the values sorted bytewise, joined.
        let expected = signature("a", "ab", "b", "b1");
        for perm in [
            [0, 1, 2, 3],
            [0, 1, 3, 2],
            [0, 2, 1, 3],
            [0, 2, 3, 1],
            [0, 3, 1, 2],
            [0, 3, 2, 1],
            [1, 0, 2, 3],
            [1, 0, 3, 2],
            [1, 2, 0, 3],
            [1, 2, 3, 0],
            [1, 3, 0, 2],
            [1, 3, 2, 0],
            [2, 0, 1, 3],
            [2, 0, 3, 1],
            [2, 1, 0, 3],
            [2, 1, 3, 0],
            [2, 3, 0, 1],
            [2, 3, 1, 0],
            [3, 0, 1, 2],
            [3, 0, 2, 1],
            [3, 1, 0, 2],
            [3, 1, 2, 0],
            [3, 2, 0, 1],
            [3, 2, 1, 0],
        ] {
            let [a, b, c, d] = perm.map(|i| values[i]);
            assert_eq!(signature(a, b, c, d), expected, "{perm:?}");
        }
        let mut hasher = Sha1::new();
        hasher.update(b"aabbb1");
        assert_eq!(expected, Signature::from_digest(&hasher.finalize()));
    }

    #[test]
    fn verify_rejects_any_difference() {
        let good = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3";
        assert!(verify_signature(good, good));
        assert!(!verify_signature(good, "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd4"));
        assert!(!verify_signature(good, "5C45FF5E21C57E6AD56BAC8758B79B1D9AC89FD3"));
        assert!(!verify_signature(good, &good[..39]));
        assert!(!verify_signature(good, ""));
        // A difference in any position, in the words and in a tail shorter than a word.
        for i in 0..good.len() {
            let mut bad = good.as_bytes().to_vec();
            bad[i] ^= 0x01;
            assert!(!verify_signature(good, std::str::from_utf8(&bad).unwrap()), "byte {i}");
        }
        assert!(verify_signature("abc", "abc"));
        assert!(!verify_signature("abc", "abd"));
    }
}
