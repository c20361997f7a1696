//! WeCom (企业微信, WeChat Work) callback crypto: strict, fast, and pure Rust.
//!
//! WeCom signs and encrypts every callback it sends to an app, and expects passive replies
//! encrypted the same way. This crate implements that scheme (the official `WXBizMsgCrypt`):
//!
//! * `msg_signature` = lowercase hex SHA-1 over the sorted token, timestamp, nonce and
//!   ciphertext ([`signature`]), compared in constant time ([`verify_signature`]);
//! * AES-256-CBC with IV = key\[0..16\], PKCS#7 padding to **32-byte** blocks, over
//!   `random(16) ‖ msg_len(u32 BE) ‖ msg ‖ receive_id`, Base64-encoded.
//!
//! [`MsgCrypt`] bundles one app's token, EncodingAESKey and receive id (corp id for self-built
//! apps, suite id for third-party apps, `""` for AI bots) and implements both halves of the
//! protocol, for the XML and the JSON envelopes:
//!
//! | | app (or AI bot) side | WeCom side (an emulator, tests) |
//! |---|---|---|
//! | callback | open: [`MsgCrypt::verify_url`], [`MsgCrypt::decrypt_post`] | seal: [`MsgCrypt::seal_callback`] |
//! | passive reply | seal: [`MsgCrypt::encrypt_reply`], [`MsgCrypt::seal_reply_json`] | open: [`MsgCrypt::open_reply`] |
//!
//! [`Stamp`] makes the timestamp and nonce a signature covers, and [`nonce`] a fresh nonce,
//! for every party.
//!
//! # Quick start
//!
//! ```
//! use wecom_msgcrypt::MsgCrypt;
//!
//! let crypt = MsgCrypt::new("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7")?;
//!
//! // An encrypted reply round-trips through the same crypto.
//! let reply = "<xml><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[pong]]></Content></xml>";
//! let body = crypt.encrypt_reply(reply, "1409659813", "1372623149")?;
//! let sig = body.split("<MsgSignature><![CDATA[").nth(1).unwrap().get(..40).unwrap();
//! let back = crypt.decrypt_post(sig, "1409659813", "1372623149", body.as_bytes())?;
//! assert_eq!(back, reply);
//! # Ok::<(), wecom_msgcrypt::Error>(())
//! ```
//!
//! # Strictness
//!
//! Every check other implementations skip is made, and each failure is its own [`Error`]
//! variant that says what failed and maps to the official code with [`Error::code`]:
//! a body without `Encrypt` is an error; Base64 must be canonical with `=` padding; the
//! ciphertext must be whole 32-byte blocks; the pad length must be in `1..=32` with every pad
//! byte equal; the length field must fit; message and receive id must be UTF-8; the receive id
//! must match exactly. Envelopes are read by a strict scanner: one `<xml>` root holding exactly
//! one `Encrypt`, no document type declaration or entity definition, bounded nesting, and at
//! most [`MAX_ENVELOPE_LEN`] bytes. No input, however malformed, panics.
//!
//! # Secrets
//!
//! The token and key are wiped from memory on drop (the AES key schedule included) and never
//! appear in `Debug` output or errors.

mod cipher;
mod envelope;
pub mod error;
mod key;
mod msg_crypt;
mod signature;
mod stamp;

pub use envelope::{MAX_ENVELOPE_LEN, extract_encrypt};

/// The README's sample, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
pub use error::{AesKeyProblem, BufferProblem, Error, TokenProblem};
pub use key::{AesKey, Token};
pub use msg_crypt::{
    CallbackEnvelope, Decrypted, EncryptedReply, MsgCrypt, OpenedReply, ReceiveIdCheck,
    SealedCallback,
};
pub use signature::{Signature, signature, verify_signature};
pub use stamp::{Stamp, nonce};
