//! Identifiers the emulator hands out: access tokens, msgids, media ids, response codes.
//! They look opaque like WeCom's, are unique (a sequence number is mixed in) and are hard to
//! guess (a per-process random key), without a system call per id.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use rand::RngExt;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static SEQ: AtomicU64 = AtomicU64::new(1);

fn key() -> u64 {
    static KEY: OnceLock<u64> = OnceLock::new();
    *KEY.get_or_init(|| rand::rng().random())
}

/// SplitMix64: a fast bijective mixer.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn push_word(out: &mut String, mut w: u64, chars: usize) {
    for _ in 0..chars {
        out.push(char::from(ALPHABET[usize::try_from(w & 63).unwrap_or(0)]));
        w >>= 6;
    }
}

/// An opaque id of `len` characters (at least 22), unique within this process.
pub(crate) fn opaque(prefix: &str, len: usize) -> String {
    let seq = SEQ.fetch_add(1, Ordering::Relaxed);
    let mut out = String::with_capacity(prefix.len() + len.max(22));
    out.push_str(prefix);
    // The first 11 characters encode the (mixed, hence bijective) sequence: unique.
    push_word(&mut out, mix(seq ^ key()), 11);
    let mut state = mix(seq.wrapping_add(key().rotate_left(17)));
    let mut left = len.max(22) - 11;
    while left > 0 {
        let n = left.min(10);
        push_word(&mut out, state, n);
        state = mix(state);
        left -= n;
    }
    out
}

/// A secret-looking value from the operating system's random generator (tokens).
pub(crate) fn random_token(len: usize) -> String {
    let mut rng = rand::rng();
    (0..len).map(|_| char::from(ALPHABET[rng.random_range(0..64)])).collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    #[test]
    fn opaque_ids_are_unique_and_sized() {
        let ids: HashSet<String> = (0..10_000).map(|_| super::opaque("m", 30)).collect();
        assert_eq!(ids.len(), 10_000);
        assert!(ids.iter().all(|id| id.len() == 31 && id.starts_with('m')));
    }

    #[test]
    fn tokens_use_the_url_safe_alphabet() {
        let t = super::random_token(96);
        assert_eq!(t.len(), 96);
        assert!(t.bytes().all(|b| super::ALPHABET.contains(&b)));
    }
}
