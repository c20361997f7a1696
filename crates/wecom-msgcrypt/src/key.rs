//! Parsing and holding the callback secrets: the token and the EncodingAESKey.
//!
//! Both are checked once, at construction, so that a misconfigured app fails at start-up with
//! a precise message rather than on the first callback. Key material is wiped on drop and never
//! printed.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::{AesKeyProblem, Error, TokenProblem};

/// The callback token configured for the app: 1 to 32 ASCII letters or digits.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Token(String);

impl Token {
    /// Checks and wraps a token.
    pub fn new(token: &str) -> Result<Self, Error> {
        if token.is_empty() {
            return Err(Error::InvalidToken(TokenProblem::Empty));
        }
        if let Some(i) = token.bytes().position(|b| !b.is_ascii_alphanumeric()) {
            return Err(Error::InvalidToken(TokenProblem::Character(i)));
        }
        if token.len() > 32 {
            return Err(Error::InvalidToken(TokenProblem::TooLong(token.len())));
        }
        Ok(Self(token.to_owned()))
    }

    /// The token itself. Handle with care: it is a secret.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

/// The 32-byte AES key decoded from a 43-character EncodingAESKey.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct AesKey([u8; 32]);

/// Position of `c` in the standard Base64 alphabet (`c` is known to be alphanumeric).
fn sextet(c: u8) -> u8 {
    match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        _ => c - b'0' + 52,
    }
}

impl AesKey {
    /// Checks and decodes an EncodingAESKey.
    pub fn from_encoding_aes_key(encoding_aes_key: &str) -> Result<Self, Error> {
        if let Some(i) = encoding_aes_key.bytes().position(|b| !b.is_ascii_alphanumeric()) {
            return Err(Error::InvalidAesKey(AesKeyProblem::Character(i)));
        }
        if encoding_aes_key.len() != 43 {
            return Err(Error::InvalidAesKey(AesKeyProblem::Length(encoding_aes_key.len())));
        }
        // 43 characters plus `=` encode 32 bytes and two spare bits. Real keys are random
        // characters, so the spare bits are often set (the official sample key ends in `C`,
        // which sets them): drop them here rather than reject valid keys. Ciphertext decoding,
        // by contrast, is strict (see `cipher.rs`).
        let mut text = [0u8; 44];
        text[..43].copy_from_slice(encoding_aes_key.as_bytes());
        text[42] = base64_simd::STANDARD.charset()[usize::from(sextet(text[42]) & !0b11)];
        text[43] = b'=';
        let mut key = [0u8; 32];
        let decoded = base64_simd::STANDARD
            .decode(&text, base64_simd::Out::from_slice(&mut key))
            .map_or(0, |k| k.len());
        text.zeroize();
        if decoded == 32 {
            Ok(Self(key))
        } else {
            key.zeroize();
            Err(Error::InvalidAesKey(AesKeyProblem::Decode))
        }
    }

    /// The raw key bytes. Handle with care: they are a secret.
    pub fn expose(&self) -> &[u8; 32] {
        &self.0
    }

    /// The CBC initialisation vector WeCom uses: the first 16 bytes of the key.
    pub(crate) fn iv(&self) -> [u8; 16] {
        let mut iv = [0u8; 16];
        iv.copy_from_slice(&self.0[..16]);
        iv
    }
}

impl fmt::Debug for AesKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AesKey(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_key_decodes_to_the_documented_bytes() {
        let key =
            AesKey::from_encoding_aes_key("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C").unwrap();
        let hex = key.expose().iter().fold(String::new(), |mut s, b| {
            use std::fmt::Write as _;
            let _ = write!(s, "{b:02x}");
            s
        });
        assert_eq!(hex, "8d69989bbaabe67328014c194631ad0719b3dca035b64023df292447aab60760");
    }

    #[test]
    fn key_length_and_characters_are_checked() {
        let short = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2";
        assert_eq!(
            AesKey::from_encoding_aes_key(short).unwrap_err(),
            Error::InvalidAesKey(AesKeyProblem::Length(42))
        );
        let long = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2CC";
        assert_eq!(
            AesKey::from_encoding_aes_key(long).unwrap_err(),
            Error::InvalidAesKey(AesKeyProblem::Length(44))
        );
        let plus = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2+";
        assert_eq!(
            AesKey::from_encoding_aes_key(plus).unwrap_err(),
            Error::InvalidAesKey(AesKeyProblem::Character(42))
        );
        let padded = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C=";
        assert_eq!(
            AesKey::from_encoding_aes_key(padded).unwrap_err(),
            Error::InvalidAesKey(AesKeyProblem::Character(43))
        );
        assert!(matches!(
            AesKey::from_encoding_aes_key("").unwrap_err(),
            Error::InvalidAesKey(AesKeyProblem::Length(0))
        ));
    }

    #[test]
    fn token_rules() {
        assert!(Token::new("QDG6eK").is_ok());
        assert!(Token::new(&"a".repeat(32)).is_ok());
        assert_eq!(Token::new("").unwrap_err(), Error::InvalidToken(TokenProblem::Empty));
        assert_eq!(
            Token::new(&"a".repeat(33)).unwrap_err(),
            Error::InvalidToken(TokenProblem::TooLong(33))
        );
        assert_eq!(
            Token::new("abc def").unwrap_err(),
            Error::InvalidToken(TokenProblem::Character(3))
        );
        assert_eq!(
            Token::new("tökén").unwrap_err(),
            Error::InvalidToken(TokenProblem::Character(1))
        );
    }

    #[test]
    fn debug_never_shows_secrets() {
        let key =
            AesKey::from_encoding_aes_key("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C").unwrap();
        let token = Token::new("QDG6eK").unwrap();
        assert_eq!(format!("{key:?}"), "AesKey(***)");
        assert_eq!(format!("{token:?}"), "Token(***)");
    }
}
