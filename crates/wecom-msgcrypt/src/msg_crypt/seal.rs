//! The other half of the protocol: sealing a callback, as WeCom sends it, and opening an
//! encrypted passive reply, as WeCom reads it. An emulator of WeCom and tests of an app's
//! callback handling use these; an app itself opens callbacks and seals replies.

use std::borrow::Cow;

use super::MsgCrypt;
use crate::cipher::encrypted_len;
use crate::envelope::reply_fields;
use crate::error::Error;
use crate::signature::Signature;
use crate::stamp::{Stamp, random_prefix};

/// The envelope a sealed callback travels in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CallbackEnvelope<'a> {
    /// App callbacks: `<xml><ToUserName/><Encrypt/><AgentID/></xml>`, every value in CDATA,
    /// in the order of the official samples.
    Xml {
        /// `ToUserName`: the corp id (the suite id for third-party callbacks).
        to_user_name: &'a str,
        /// `AgentID`: the app's id, absent from callbacks not tied to one app.
        agent_id: Option<i64>,
    },
    /// AI-bot callbacks: `{"encrypt":"…"}` and nothing else.
    Json,
}

/// A sealed callback: the POST body and the query values that sign it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedCallback {
    /// The POST body: the XML or JSON envelope around the ciphertext.
    pub body: String,
    /// `msg_signature` over token, timestamp, nonce and the ciphertext.
    pub msg_signature: Signature,
    /// `timestamp` and `nonce`.
    pub stamp: Stamp,
}

impl SealedCallback {
    /// The query string WeCom appends to the callback URL:
    /// `msg_signature=…&timestamp=…&nonce=…` (no value needs percent-encoding).
    pub fn query(&self) -> String {
        format!(
            "msg_signature={}&timestamp={}&nonce={}",
            self.msg_signature,
            self.stamp.timestamp(),
            self.stamp.nonce()
        )
    }
}

/// An opened (verified and decrypted) passive reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedReply {
    /// The inner reply: XML for app callbacks, JSON for AI bots.
    pub message: String,
    /// The `TimeStamp` the reply was signed with.
    pub timestamp: String,
    /// The `Nonce` the reply was signed with.
    pub nonce: String,
}

/// Appends `<name><![CDATA[value]]></name>`, splitting any `]]>` in the value.
fn push_cdata(out: &mut String, name: &str, value: &str) {
    out.push('<');
    out.push_str(name);
    out.push_str("><![CDATA[");
    let mut rest = value;
    while let Some(p) = rest.find("]]>") {
        out.push_str(&rest[..p]);
        out.push_str("]]]]><![CDATA[>");
        rest = &rest[p + 3..];
    }
    out.push_str(rest);
    out.push_str("]]></");
    out.push_str(name);
    out.push('>');
}

impl MsgCrypt {
    /// Seals a callback as WeCom sends it: encrypts `message` with fresh random bytes, signs
    /// the ciphertext with `stamp`, and wraps it in `envelope`.
    ///
    /// ```
    /// use wecom_msgcrypt::{CallbackEnvelope, MsgCrypt, Stamp};
    ///
    /// let crypt = MsgCrypt::new("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7")?;
    /// let envelope = CallbackEnvelope::Xml { to_user_name: "wx5823bf96d3bd56c7", agent_id: Some(218) };
    /// let sealed = crypt.seal_callback("<xml><MsgType>text</MsgType></xml>", envelope, &Stamp::now())?;
    /// // POST sealed.body to `{url}?{sealed.query()}`; the app opens it like this:
    /// let opened = crypt.decrypt_post(
    ///     sealed.msg_signature.as_str(),
    ///     sealed.stamp.timestamp(),
    ///     sealed.stamp.nonce(),
    ///     sealed.body.as_bytes(),
    /// )?;
    /// assert_eq!(opened, "<xml><MsgType>text</MsgType></xml>");
    /// # Ok::<(), wecom_msgcrypt::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::ReplyField`] if this instance has no receive id to encrypt for
    /// ([`ReceiveIdCheck::Unchecked`](crate::ReceiveIdCheck::Unchecked)) or the message is
    /// longer than 4 GiB.
    pub fn seal_callback(
        &self,
        message: &str,
        envelope: CallbackEnvelope<'_>,
        stamp: &Stamp,
    ) -> Result<SealedCallback, Error> {
        self.seal_callback_with_random(message, envelope, stamp, random_prefix())
    }

    /// [`MsgCrypt::seal_callback`] with explicit random bytes, for known-answer tests.
    pub fn seal_callback_with_random(
        &self,
        message: &str,
        envelope: CallbackEnvelope<'_>,
        stamp: &Stamp,
        random: [u8; 16],
    ) -> Result<SealedCallback, Error> {
        let receive_id = self.own_receive_id()?;
        let b64_len = encrypted_len(message.len(), receive_id.len());
        // Envelope markup is under 100 bytes besides the ciphertext and the recipient.
        let extra = match envelope {
            CallbackEnvelope::Xml { to_user_name, .. } => 100 + to_user_name.len(),
            CallbackEnvelope::Json => 16,
        };
        let mut body = String::with_capacity(b64_len + extra);
        // The ciphertext is encoded straight into the body and signed in place.
        match envelope {
            CallbackEnvelope::Xml { to_user_name, .. } => {
                body.push_str("<xml>");
                push_cdata(&mut body, "ToUserName", to_user_name);
                body.push_str("<Encrypt><![CDATA[");
            }
            CallbackEnvelope::Json => body.push_str(r#"{"encrypt":""#),
        }
        let start = body.len();
        self.cipher.encrypt_into(&random, message.as_bytes(), receive_id.as_bytes(), &mut body)?;
        let msg_signature = self.sign(stamp.timestamp(), stamp.nonce(), &body[start..]);
        match envelope {
            // The official samples put AgentID last.
            CallbackEnvelope::Xml { agent_id, .. } => {
                body.push_str("]]></Encrypt>");
                if let Some(id) = agent_id {
                    push_cdata(&mut body, "AgentID", &id.to_string());
                }
                body.push_str("</xml>");
            }
            CallbackEnvelope::Json => body.push_str(r#""}"#),
        }
        Ok(SealedCallback { body, msg_signature, stamp: stamp.clone() })
    }

    /// Seals a passive reply into the XML envelope with fresh random bytes: the same as
    /// [`MsgCrypt::encrypt_reply`], with a checked [`Stamp`].
    pub fn seal_reply_xml(&self, reply: &str, stamp: &Stamp) -> Result<String, Error> {
        self.encrypt_reply(reply, stamp.timestamp(), stamp.nonce())
    }

    /// Seals a passive reply into the JSON envelope
    /// `{"encrypt","msgsignature","timestamp","nonce"}` (AI bots; the timestamp is written as
    /// a string, as the official library does), with fresh random bytes.
    pub fn seal_reply_json(&self, reply: &str, stamp: &Stamp) -> Result<String, Error> {
        self.seal_reply_json_with_random(reply, stamp, random_prefix())
    }

    /// [`MsgCrypt::seal_reply_json`] with explicit random bytes, for known-answer tests.
    pub fn seal_reply_json_with_random(
        &self,
        reply: &str,
        stamp: &Stamp,
        random: [u8; 16],
    ) -> Result<String, Error> {
        let receive_id = self.own_receive_id()?;
        let b64_len = encrypted_len(reply.len(), receive_id.len());
        // 58 bytes of JSON around the fields, a 40-digit signature, the stamp.
        let capacity = b64_len + 98 + stamp.timestamp().len() + stamp.nonce().len();
        let mut out = String::with_capacity(capacity);
        out.push_str(r#"{"encrypt":""#);
        let start = out.len();
        self.cipher.encrypt_into(&random, reply.as_bytes(), receive_id.as_bytes(), &mut out)?;
        let sig = self.sign(stamp.timestamp(), stamp.nonce(), &out[start..]);
        // Every field is Base64, hex or checked ASCII: nothing needs JSON escaping.
        out.push_str(r#"","msgsignature":""#);
        out.push_str(sig.as_str());
        out.push_str(r#"","timestamp":""#);
        out.push_str(stamp.timestamp());
        out.push_str(r#"","nonce":""#);
        out.push_str(stamp.nonce());
        out.push_str(r#""}"#);
        debug_assert_eq!(out.len(), capacity, "the reply is written without reallocating");
        Ok(out)
    }

    /// Opens an encrypted passive reply as WeCom does: reads the XML
    /// (`<xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>`) or JSON
    /// (`{"encrypt","msgsignature","timestamp","nonce"}`) envelope, verifies the signature in
    /// constant time, decrypts, and checks the receive id.
    ///
    /// ```
    /// use wecom_msgcrypt::{MsgCrypt, Stamp};
    ///
    /// let crypt = MsgCrypt::new("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7")?;
    /// let body = crypt.encrypt_reply("<xml><MsgType>text</MsgType></xml>", "1409659813", "42")?;
    /// let opened = crypt.open_reply(body.as_bytes())?;
    /// assert_eq!(opened.message, "<xml><MsgType>text</MsgType></xml>");
    /// assert_eq!((opened.timestamp.as_str(), opened.nonce.as_str()), ("1409659813", "42"));
    /// # Ok::<(), wecom_msgcrypt::Error>(())
    /// ```
    pub fn open_reply(&self, body: &[u8]) -> Result<OpenedReply, Error> {
        let fields = reply_fields(body)?;
        let decrypted = self.decrypt_verified(
            &fields.msg_signature,
            &fields.timestamp,
            &fields.nonce,
            &fields.encrypt,
        )?;
        Ok(OpenedReply {
            message: decrypted.message,
            timestamp: Cow::into_owned(fields.timestamp),
            nonce: Cow::into_owned(fields.nonce),
        })
    }
}
