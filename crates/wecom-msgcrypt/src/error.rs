//! Errors: one variant per check, each mapped to the official `WXBizMsgCrypt` return code.
//!
//! The official libraries report a bare number (`-40001` … `-40011`). Users of those libraries
//! lost hours on "illegal buffer" with no hint of what was wrong, so every variant here names
//! the check that failed, and [`Error::code`] still gives the official number for logs and
//! dashboards that expect it.

use std::fmt;

/// Official return codes of the WeCom crypto libraries (`ierror.py`, `errorCode.php`).
pub mod codes {
    /// Signature verification failed.
    pub const VALIDATE_SIGNATURE: i32 = -40001;
    /// The XML (or JSON) envelope could not be parsed.
    pub const PARSE_XML: i32 = -40002;
    /// The signature could not be computed (here: an invalid token).
    pub const COMPUTE_SIGNATURE: i32 = -40003;
    /// The EncodingAESKey is invalid.
    pub const ILLEGAL_AES_KEY: i32 = -40004;
    /// The receive id (corp id or suite id) does not match.
    pub const VALIDATE_RECEIVE_ID: i32 = -40005;
    /// Encryption failed.
    pub const ENCRYPT_AES: i32 = -40006;
    /// Decryption failed.
    pub const DECRYPT_AES: i32 = -40007;
    /// The decrypted buffer is malformed.
    pub const ILLEGAL_BUFFER: i32 = -40008;
    /// Base64 encoding failed.
    pub const ENCODE_BASE64: i32 = -40009;
    /// Base64 decoding failed.
    pub const DECODE_BASE64: i32 = -40010;
    /// The reply XML (or JSON) could not be generated.
    pub const GEN_RETURN_XML: i32 = -40011;
}

/// Which part of an EncodingAESKey is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AesKeyProblem {
    /// It is not 43 characters long (the length found is given).
    Length(usize),
    /// It contains a character outside `[A-Za-z0-9]` (the byte offset is given).
    Character(usize),
    /// It does not decode to 32 bytes.
    Decode,
}

/// Which part of a token is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenProblem {
    /// The token is empty.
    Empty,
    /// The token is longer than 32 characters (the length found is given).
    TooLong(usize),
    /// The token contains a character outside `[A-Za-z0-9]` (the byte offset is given).
    Character(usize),
}

/// Which part of the decrypted plaintext is malformed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BufferProblem {
    /// The last byte is not a PKCS#7 pad length in `1..=32` (the byte is given).
    PadLength(u8),
    /// Not every pad byte equals the pad length.
    PadBytes,
    /// The plaintext is shorter than the 16-byte random prefix and 4-byte length field.
    TooShort,
    /// The length field claims more bytes than the plaintext holds.
    LengthField {
        /// The length the field claims.
        claimed: u32,
        /// The bytes actually available for the message.
        available: usize,
    },
    /// The message is not valid UTF-8.
    MessageUtf8,
    /// The receive id is not valid UTF-8.
    ReceiveIdUtf8,
}

/// Everything that can fail in WeCom callback crypto.
///
/// No variant carries key material. [`Error::code`] maps each to the official code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The callback token is invalid (checked at construction).
    #[error("invalid token: {0}")]
    InvalidToken(TokenProblem),
    /// The EncodingAESKey is invalid (checked at construction).
    #[error("invalid EncodingAESKey: {0}")]
    InvalidAesKey(AesKeyProblem),
    /// `msg_signature` does not match SHA-1 over (token, timestamp, nonce, encrypt).
    #[error(
        "signature mismatch: msg_signature does not match the token, timestamp, nonce and ciphertext"
    )]
    SignatureMismatch,
    /// The POST body is neither a well-formed XML nor a JSON envelope.
    #[error("malformed envelope: {0}")]
    MalformedEnvelope(String),
    /// The envelope has no `Encrypt` (XML) or `encrypt` (JSON) field.
    #[error("malformed envelope: no Encrypt element")]
    MissingEncrypt,
    /// The ciphertext is not canonical standard Base64 with `=` padding.
    #[error("invalid base64 in ciphertext: {0}")]
    Base64(String),
    /// The ciphertext is not a whole number of 32-byte blocks.
    #[error("ciphertext length {0} is not a positive multiple of 32 bytes")]
    CiphertextLength(usize),
    /// The decrypted plaintext is malformed.
    #[error("malformed plaintext after decryption: {0}")]
    IllegalBuffer(BufferProblem),
    /// The receive id inside the plaintext is not the one expected.
    #[error("receive id mismatch: expected {expected:?}, found {found:?}")]
    ReceiveIdMismatch {
        /// The receive id this instance was configured with.
        expected: String,
        /// The receive id found in the plaintext.
        found: String,
    },
    /// A reply field would not be safe to put into the reply XML.
    #[error("cannot build reply: {0}")]
    ReplyField(&'static str),
    /// The operating system's secure random generator failed.
    #[error("secure random generator failed")]
    Random,
}

impl Error {
    /// The official `WXBizMsgCrypt` return code for this error (`-40001` … `-40011`).
    pub fn code(&self) -> i32 {
        match self {
            Error::InvalidToken(_) => codes::COMPUTE_SIGNATURE,
            Error::InvalidAesKey(_) => codes::ILLEGAL_AES_KEY,
            Error::SignatureMismatch => codes::VALIDATE_SIGNATURE,
            Error::MalformedEnvelope(_) | Error::MissingEncrypt => codes::PARSE_XML,
            Error::Base64(_) => codes::DECODE_BASE64,
            Error::CiphertextLength(_) => codes::DECRYPT_AES,
            Error::IllegalBuffer(_) => codes::ILLEGAL_BUFFER,
            Error::ReceiveIdMismatch { .. } => codes::VALIDATE_RECEIVE_ID,
            Error::ReplyField(_) => codes::GEN_RETURN_XML,
            Error::Random => codes::ENCRYPT_AES,
        }
    }
}

impl fmt::Display for AesKeyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AesKeyProblem::Length(n) => write!(f, "must be exactly 43 characters, got {n}"),
            AesKeyProblem::Character(i) => {
                write!(f, "must contain only A-Z, a-z and 0-9 (bad character at offset {i})")
            }
            AesKeyProblem::Decode => f.write_str("does not decode to a 32-byte AES key"),
        }
    }
}

impl fmt::Display for TokenProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenProblem::Empty => f.write_str("must not be empty"),
            TokenProblem::TooLong(n) => write!(f, "must be at most 32 characters, got {n}"),
            TokenProblem::Character(i) => {
                write!(f, "must contain only A-Z, a-z and 0-9 (bad character at offset {i})")
            }
        }
    }
}

impl fmt::Display for BufferProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BufferProblem::PadLength(b) => {
                write!(f, "PKCS#7 pad length {b} is outside 1..=32 (wrong key or corrupted data)")
            }
            BufferProblem::PadBytes => {
                f.write_str("PKCS#7 pad bytes are not all equal (wrong key or corrupted data)")
            }
            BufferProblem::TooShort => {
                f.write_str("shorter than the 16-byte random prefix and 4-byte length field")
            }
            BufferProblem::LengthField { claimed, available } => write!(
                f,
                "length field says {claimed} bytes but only {available} follow (wrong key or corrupted data)"
            ),
            BufferProblem::MessageUtf8 => f.write_str("message is not valid UTF-8"),
            BufferProblem::ReceiveIdUtf8 => f.write_str("receive id is not valid UTF-8"),
        }
    }
}
