//! [`MsgCrypt`]: one app's callback crypto — URL verification, POST decryption and passive
//! reply encryption, each verifying or producing the `msg_signature`.

use std::fmt;

use crate::cipher::{Cipher, encrypted_len, with_scratch};
use crate::envelope::extract_encrypt;
use crate::error::Error;
use crate::key::{AesKey, Token};
use crate::signature::{Signature, signature, verify_signature};
use crate::stamp::{check_fields, random_prefix};

mod seal;

pub use seal::{CallbackEnvelope, OpenedReply, SealedCallback};

/// How the receive id found inside a decrypted payload is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReceiveIdCheck {
    /// It must equal this id exactly: the corp id for self-built apps, the suite id for
    /// third-party apps, or the empty string for third-party apps of personal entities.
    Exact(String),
    /// Any receive id is accepted and returned in [`Decrypted::receive_id`]. Only for tools
    /// that inspect captured traffic; a server must check the receive id.
    Unchecked,
}

/// A decrypted payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decrypted {
    /// The inner message: XML (or JSON) for callbacks, the echo string for URL verification.
    pub message: String,
    /// The receive id that followed the message (already checked unless
    /// [`ReceiveIdCheck::Unchecked`]).
    pub receive_id: String,
}

/// An encrypted passive reply, with the fields of the reply envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncryptedReply {
    /// Base64 ciphertext (`Encrypt`).
    pub encrypt: String,
    /// `MsgSignature` over token, timestamp, nonce and `encrypt`.
    pub msg_signature: Signature,
    /// `TimeStamp`.
    pub timestamp: String,
    /// `Nonce`.
    pub nonce: String,
}

impl EncryptedReply {
    /// The XML reply body WeCom expects.
    pub fn to_xml(&self) -> String {
        let mut out = String::with_capacity(
            REPLY_XML_FIXED + self.encrypt.len() + self.timestamp.len() + self.nonce.len(),
        );
        write_reply_xml(&mut out, &self.encrypt, &self.msg_signature, &self.timestamp, &self.nonce);
        out
    }

    /// The JSON reply body, for apps configured with JSON callbacks.
    pub fn to_json(&self) -> String {
        // Every field is Base64, hex or checked ASCII: nothing needs JSON escaping.
        format!(
            r#"{{"encrypt":"{}","msgsignature":"{}","timestamp":"{}","nonce":"{}"}}"#,
            self.encrypt, self.msg_signature, self.timestamp, self.nonce
        )
    }
}

const REPLY_XML_OPEN: &str = "<xml><Encrypt><![CDATA[";
const REPLY_XML_SIGNATURE: &str = "]]></Encrypt><MsgSignature><![CDATA[";
const REPLY_XML_TIMESTAMP: &str = "]]></MsgSignature><TimeStamp>";
const REPLY_XML_NONCE: &str = "</TimeStamp><Nonce><![CDATA[";
const REPLY_XML_CLOSE: &str = "]]></Nonce></xml>";
/// Length of the reply XML besides the ciphertext, timestamp and nonce (the signature is 40
/// hex digits).
const REPLY_XML_FIXED: usize = REPLY_XML_OPEN.len()
    + REPLY_XML_SIGNATURE.len()
    + 40
    + REPLY_XML_TIMESTAMP.len()
    + REPLY_XML_NONCE.len()
    + REPLY_XML_CLOSE.len();

fn write_reply_xml(out: &mut String, encrypt: &str, sig: &Signature, timestamp: &str, nonce: &str) {
    out.push_str(REPLY_XML_OPEN);
    out.push_str(encrypt);
    finish_reply_xml(out, sig, timestamp, nonce);
}

/// Everything of the reply XML after the ciphertext.
fn finish_reply_xml(out: &mut String, sig: &Signature, timestamp: &str, nonce: &str) {
    out.push_str(REPLY_XML_SIGNATURE);
    out.push_str(sig.as_str());
    out.push_str(REPLY_XML_TIMESTAMP);
    out.push_str(timestamp);
    out.push_str(REPLY_XML_NONCE);
    out.push_str(nonce);
    out.push_str(REPLY_XML_CLOSE);
}

/// The callback crypto of one WeCom app: its token, EncodingAESKey and receive id.
///
/// Construct it once and share it (it is `Send + Sync` and every method takes `&self`).
///
/// ```
/// use wecom_msgcrypt::MsgCrypt;
///
/// // Official vector A (WeCom crypto documentation).
/// let crypt = MsgCrypt::new(
///     "QDG6eK",
///     "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
///     "wx5823bf96d3bd56c7",
/// )?;
/// let echo = crypt.verify_url(
///     "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
///     "1409659589",
///     "263014780",
///     "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
/// )?;
/// assert_eq!(echo, "1616140317555161061");
/// # Ok::<(), wecom_msgcrypt::Error>(())
/// ```
#[derive(Clone)]
pub struct MsgCrypt {
    token: Token,
    cipher: Cipher,
    receive_id: ReceiveIdCheck,
}

impl fmt::Debug for MsgCrypt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The key schedule is left out on purpose: it is key material.
        f.debug_struct("MsgCrypt")
            .field("token", &self.token)
            .field("receive_id", &self.receive_id)
            .finish_non_exhaustive()
    }
}

impl MsgCrypt {
    /// Checks the token and EncodingAESKey and builds the crypto for `receive_id`.
    ///
    /// # Errors
    /// [`Error::InvalidToken`] or [`Error::InvalidAesKey`], saying what is wrong.
    pub fn new(
        token: &str,
        encoding_aes_key: &str,
        receive_id: impl Into<String>,
    ) -> Result<Self, Error> {
        Self::with_receive_id_check(
            token,
            encoding_aes_key,
            ReceiveIdCheck::Exact(receive_id.into()),
        )
    }

    /// Like [`MsgCrypt::new`], with an explicit receive id policy.
    pub fn with_receive_id_check(
        token: &str,
        encoding_aes_key: &str,
        receive_id: ReceiveIdCheck,
    ) -> Result<Self, Error> {
        let token = Token::new(token)?;
        let key = AesKey::from_encoding_aes_key(encoding_aes_key)?;
        Ok(Self { token, cipher: Cipher::new(&key), receive_id })
    }

    /// The receive id payloads must carry, if checked.
    pub fn receive_id(&self) -> Option<&str> {
        match &self.receive_id {
            ReceiveIdCheck::Exact(id) => Some(id),
            ReceiveIdCheck::Unchecked => None,
        }
    }

    /// The signature this app's token gives to (timestamp, nonce, encrypt).
    pub fn sign(&self, timestamp: &str, nonce: &str, encrypt: &str) -> Signature {
        signature(self.token.expose(), timestamp, nonce, encrypt)
    }

    fn verify(
        &self,
        msg_signature: &str,
        timestamp: &str,
        nonce: &str,
        encrypt: &str,
    ) -> Result<(), Error> {
        let expected = self.sign(timestamp, nonce, encrypt);
        if verify_signature(expected.as_str(), msg_signature) {
            Ok(())
        } else {
            Err(Error::SignatureMismatch)
        }
    }

    /// Answers WeCom's URL verification (the GET with `echostr`): verifies the signature,
    /// decrypts, checks the receive id and returns the plaintext to send back as the body.
    ///
    /// Pass the query values already URL-decoded.
    pub fn verify_url(
        &self,
        msg_signature: &str,
        timestamp: &str,
        nonce: &str,
        echostr: &str,
    ) -> Result<String, Error> {
        self.verify(msg_signature, timestamp, nonce, echostr)?;
        self.decrypt_message(echostr)
    }

    /// Verifies and decrypts a callback POST body (XML envelope, or the JSON variant) and
    /// returns the inner message.
    pub fn decrypt_post(
        &self,
        msg_signature: &str,
        timestamp: &str,
        nonce: &str,
        body: &[u8],
    ) -> Result<String, Error> {
        let encrypt = extract_encrypt(body)?;
        self.verify(msg_signature, timestamp, nonce, &encrypt)?;
        self.decrypt_message(&encrypt)
    }

    /// Verifies the signature over `encrypt`, then decrypts it.
    pub fn decrypt_verified(
        &self,
        msg_signature: &str,
        timestamp: &str,
        nonce: &str,
        encrypt: &str,
    ) -> Result<Decrypted, Error> {
        self.verify(msg_signature, timestamp, nonce, encrypt)?;
        self.decrypt(encrypt)
    }

    /// Decrypts `encrypt` and checks the receive id, **without** checking any signature.
    ///
    /// For debugging captured traffic; a server must use [`MsgCrypt::decrypt_post`] or
    /// [`MsgCrypt::decrypt_verified`].
    pub fn decrypt(&self, encrypt: &str) -> Result<Decrypted, Error> {
        with_scratch(|buf| self.decrypt_in(encrypt, buf))
    }

    fn decrypt_in(&self, encrypt: &str, buf: &mut Vec<u8>) -> Result<Decrypted, Error> {
        let plaintext = self.cipher.decrypt(encrypt, buf)?;
        let receive_id = self.check_receive_id(plaintext.receive_id()?)?.to_owned();
        Ok(Decrypted { message: plaintext.message()?, receive_id })
    }

    /// [`MsgCrypt::decrypt`] for callers that need only the message (no copy of the id).
    fn decrypt_message(&self, encrypt: &str) -> Result<String, Error> {
        with_scratch(|buf| {
            let plaintext = self.cipher.decrypt(encrypt, buf)?;
            self.check_receive_id(plaintext.receive_id()?)?;
            plaintext.message()
        })
    }

    /// The receive id to report for `found`, if the policy accepts it.
    fn check_receive_id<'a>(&'a self, found: &'a str) -> Result<&'a str, Error> {
        match &self.receive_id {
            ReceiveIdCheck::Exact(expected) if expected != found => Err(Error::ReceiveIdMismatch {
                expected: expected.clone(),
                found: found.chars().take(64).collect(),
            }),
            ReceiveIdCheck::Exact(expected) => Ok(expected),
            ReceiveIdCheck::Unchecked => Ok(found),
        }
    }

    fn own_receive_id(&self) -> Result<&str, Error> {
        self.receive_id().ok_or(Error::ReplyField("encrypting needs a configured receive id"))
    }

    /// Encrypts a passive reply with fresh random bytes (from a per-thread generator seeded by
    /// the operating system) and returns the reply XML (`Encrypt`, `MsgSignature`,
    /// `TimeStamp`, `Nonce`).
    ///
    /// `timestamp` and `nonce` may be those of the request being answered.
    pub fn encrypt_reply(
        &self,
        reply: &str,
        timestamp: &str,
        nonce: &str,
    ) -> Result<String, Error> {
        self.encrypt_reply_with_random(reply, timestamp, nonce, random_prefix())
    }

    /// [`MsgCrypt::encrypt_reply`] with explicit random bytes, for known-answer tests.
    pub fn encrypt_reply_with_random(
        &self,
        reply: &str,
        timestamp: &str,
        nonce: &str,
        random: [u8; 16],
    ) -> Result<String, Error> {
        check_fields(timestamp, nonce)?;
        let receive_id = self.own_receive_id()?;
        let b64_len = encrypted_len(reply.len(), receive_id.len());
        let capacity = REPLY_XML_FIXED + b64_len + timestamp.len() + nonce.len();
        let mut out = String::with_capacity(capacity);
        // Write the ciphertext straight into the reply and sign it in place: one allocation.
        out.push_str(REPLY_XML_OPEN);
        let start = out.len();
        self.cipher.encrypt_into(&random, reply.as_bytes(), receive_id.as_bytes(), &mut out)?;
        let sig = self.sign(timestamp, nonce, &out[start..]);
        finish_reply_xml(&mut out, &sig, timestamp, nonce);
        debug_assert_eq!(out.len(), capacity, "the reply is written without reallocating");
        Ok(out)
    }

    /// Encrypts `message` with fresh random bytes and signs it, returning the parts.
    pub fn encrypt(
        &self,
        message: &str,
        timestamp: &str,
        nonce: &str,
    ) -> Result<EncryptedReply, Error> {
        self.encrypt_with_random(message, timestamp, nonce, random_prefix())
    }

    /// [`MsgCrypt::encrypt`] with explicit random bytes, for known-answer tests.
    pub fn encrypt_with_random(
        &self,
        message: &str,
        timestamp: &str,
        nonce: &str,
        random: [u8; 16],
    ) -> Result<EncryptedReply, Error> {
        check_fields(timestamp, nonce)?;
        let receive_id = self.own_receive_id()?;
        let mut encrypt = String::with_capacity(encrypted_len(message.len(), receive_id.len()));
        self.cipher.encrypt_into(
            &random,
            message.as_bytes(),
            receive_id.as_bytes(),
            &mut encrypt,
        )?;
        let msg_signature = self.sign(timestamp, nonce, &encrypt);
        Ok(EncryptedReply {
            encrypt,
            msg_signature,
            timestamp: timestamp.to_owned(),
            nonce: nonce.to_owned(),
        })
    }
}
