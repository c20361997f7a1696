//! Reading the envelopes: the ciphertext of a callback POST body, and the four fields of an
//! encrypted passive reply.
//!
//! WeCom posts `<xml><ToUserName/><AgentID/><Encrypt/></xml>` (element order not fixed, text
//! in CDATA or not); some callbacks use a JSON envelope `{"tousername", "encrypt", "agentid"}`,
//! and AI bots `{"encrypt"}`. An app replies `<xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/>
//! </xml>` or `{"encrypt", "msgsignature", "timestamp", "nonce"}`. Parsing is strict: the body
//! must be one well-formed document whose root holds exactly one `Encrypt` (see [`scan`] for
//! the XML rules). A body without it is an error — never a pass-through of unencrypted content.

use std::borrow::Cow;

use serde::Deserialize;

use crate::error::Error;

mod scan;

pub use scan::MAX_ENVELOPE_LEN;

/// Returns the `Encrypt` value of a callback POST body: an XML envelope (`<xml>…<Encrypt>…`,
/// any element order, CDATA or not) or a JSON one (`{"encrypt": …}`).
///
/// [`MsgCrypt::decrypt_post`](crate::MsgCrypt::decrypt_post) does this for you; use it directly
/// to inspect traffic or key a cache by ciphertext.
///
/// ```
/// let body = b"<xml><ToUserName><![CDATA[ww1]]></ToUserName><Encrypt><![CDATA[QUJD]]></Encrypt></xml>";
/// assert_eq!(wecom_msgcrypt::extract_encrypt(body)?, "QUJD");
/// assert!(wecom_msgcrypt::extract_encrypt(b"<xml><Content>hi</Content></xml>").is_err());
/// # Ok::<(), wecom_msgcrypt::Error>(())
/// ```
pub fn extract_encrypt(body: &[u8]) -> Result<Cow<'_, str>, Error> {
    match kind(body)? {
        Kind::Xml => {
            let [encrypt] = scan::scan(utf8(body)?, ["Encrypt"])?;
            encrypt.map(Cow::Borrowed).ok_or(Error::MissingEncrypt)
        }
        Kind::Json => extract_from_json(body),
    }
}

enum Kind {
    Xml,
    Json,
}

/// Which envelope `body` is, from its first non-whitespace byte.
fn kind(body: &[u8]) -> Result<Kind, Error> {
    let first = body.iter().position(|b| !b.is_ascii_whitespace());
    match first.map(|i| body[i]) {
        Some(b'<') => Ok(Kind::Xml),
        Some(b'{') => Ok(Kind::Json),
        Some(_) => Err(Error::MalformedEnvelope("body is neither XML nor JSON".into())),
        None => Err(Error::MalformedEnvelope("body is empty".into())),
    }
}

/// The body as text, checked with a SIMD validator (most of it is Base64, so the ASCII fast
/// path does nearly all the work).
fn utf8(body: &[u8]) -> Result<&str, Error> {
    simdutf8::basic::from_utf8(body)
        .map_err(|_| Error::MalformedEnvelope("body is not valid UTF-8".into()))
}

#[derive(Deserialize)]
struct JsonEnvelope<'a> {
    #[serde(borrow)]
    encrypt: Option<Cow<'a, str>>,
}

fn extract_from_json(body: &[u8]) -> Result<Cow<'_, str>, Error> {
    if body.len() > MAX_ENVELOPE_LEN {
        return Err(Error::MalformedEnvelope(format!("longer than {MAX_ENVELOPE_LEN} bytes")));
    }
    let envelope: JsonEnvelope<'_> =
        serde_json::from_slice(body).map_err(|e| Error::MalformedEnvelope(format!("JSON: {e}")))?;
    envelope.encrypt.ok_or(Error::MissingEncrypt)
}

/// The fields of an encrypted passive reply, as found in its envelope.
#[derive(Debug)]
pub(crate) struct ReplyFields<'a> {
    pub(crate) encrypt: Cow<'a, str>,
    pub(crate) msg_signature: Cow<'a, str>,
    pub(crate) timestamp: Cow<'a, str>,
    pub(crate) nonce: Cow<'a, str>,
}

/// A JSON reply's timestamp: the official library writes a string, WeCom's example a number.
#[derive(Deserialize)]
#[serde(untagged)]
enum JsonTimestamp<'a> {
    Text(#[serde(borrow)] Cow<'a, str>),
    Number(u64),
}

#[derive(Deserialize)]
struct JsonReply<'a> {
    #[serde(borrow)]
    encrypt: Option<Cow<'a, str>>,
    #[serde(borrow)]
    msgsignature: Option<Cow<'a, str>>,
    #[serde(borrow)]
    timestamp: Option<JsonTimestamp<'a>>,
    #[serde(borrow)]
    nonce: Option<Cow<'a, str>>,
}

fn lacks(field: &str) -> Error {
    Error::MalformedEnvelope(format!("reply has no {field}"))
}

/// Reads an encrypted reply body: XML (`<xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/>
/// </xml>`, any order, CDATA or not) or JSON (`{"encrypt", "msgsignature", "timestamp",
/// "nonce"}`, the timestamp a string or a number).
pub(crate) fn reply_fields(body: &[u8]) -> Result<ReplyFields<'_>, Error> {
    match kind(body)? {
        Kind::Xml => {
            let [encrypt, sig, ts, nonce] =
                scan::scan(utf8(body)?, ["Encrypt", "MsgSignature", "TimeStamp", "Nonce"])?;
            Ok(ReplyFields {
                encrypt: Cow::Borrowed(encrypt.ok_or(Error::MissingEncrypt)?),
                msg_signature: Cow::Borrowed(sig.ok_or_else(|| lacks("MsgSignature"))?),
                timestamp: Cow::Borrowed(ts.ok_or_else(|| lacks("TimeStamp"))?),
                nonce: Cow::Borrowed(nonce.ok_or_else(|| lacks("Nonce"))?),
            })
        }
        Kind::Json => {
            if body.len() > MAX_ENVELOPE_LEN {
                return Err(Error::MalformedEnvelope(format!(
                    "longer than {MAX_ENVELOPE_LEN} bytes"
                )));
            }
            let r: JsonReply<'_> = serde_json::from_slice(body)
                .map_err(|e| Error::MalformedEnvelope(format!("JSON: {e}")))?;
            Ok(ReplyFields {
                encrypt: r.encrypt.ok_or(Error::MissingEncrypt)?,
                msg_signature: r.msgsignature.ok_or_else(|| lacks("msgsignature"))?,
                timestamp: match r.timestamp.ok_or_else(|| lacks("timestamp"))? {
                    JsonTimestamp::Text(t) => t,
                    JsonTimestamp::Number(n) => Cow::Owned(n.to_string()),
                },
                nonce: r.nonce.ok_or_else(|| lacks("nonce"))?,
            })
        }
    }
}

#[cfg(test)]
mod scan_tests;

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(body: &str) -> String {
        extract_encrypt(body.as_bytes()).unwrap().into_owned()
    }

    fn err(body: &str) -> Error {
        extract_encrypt(body.as_bytes()).unwrap_err()
    }

    #[test]
    fn encrypt_in_any_position_cdata_or_not() {
        assert_eq!(
            ok(
                "<xml><ToUserName><![CDATA[a]]></ToUserName><Encrypt><![CDATA[QUJD]]></Encrypt><AgentID>1</AgentID></xml>"
            ),
            "QUJD"
        );
        assert_eq!(ok("<xml><Encrypt>QUJD</Encrypt><ToUserName>a</ToUserName></xml>"), "QUJD");
        assert_eq!(
            ok("<xml><AgentID><![CDATA[218]]></AgentID>\n<Encrypt>QUJD</Encrypt>\n</xml>"),
            "QUJD"
        );
        assert_eq!(
            ok("<?xml version=\"1.0\"?>\n<xml><Encrypt> <![CDATA[QUJD]]> </Encrypt></xml>\n"),
            "QUJD"
        );
        assert_eq!(ok("  {\"tousername\":\"a\",\"encrypt\":\"QUJD\",\"agentid\":218}"), "QUJD");
    }

    #[test]
    fn missing_encrypt_is_an_error_not_a_pass_through() {
        assert_eq!(
            err("<xml><ToUserName>a</ToUserName><Content>hi</Content></xml>"),
            Error::MissingEncrypt
        );
        assert_eq!(err("{\"tousername\":\"a\"}"), Error::MissingEncrypt);
        // A nested Encrypt is not the envelope's.
        assert_eq!(err("<xml><Other><Encrypt>QUJD</Encrypt></Other></xml>"), Error::MissingEncrypt);
    }

    #[test]
    fn malformed_documents_are_rejected() {
        for body in [
            "",
            "   ",
            "hello",
            "<xml><Encrypt>QUJD</Encrypt>",
            "<xml><Encrypt>QUJD</Encrypt></xml><xml/>",
            "<xml><Encrypt>QUJD</Encrypt></xml>trailing",
            "<root><Encrypt>QUJD</Encrypt></root>",
            "<xml><Encrypt>QUJD</Encrypt><Encrypt>QUJD</Encrypt></xml>",
            "<xml><Encrypt>QU<b/>JD</Encrypt></xml>",
            "<xml><Encrypt/></xml>",
            "<xml><Encrypt></Encrypt></xml>",
            "<xml><Encrypt>QUJD</Encrypt></xmlx>",
            "<!DOCTYPE xml [<!ENTITY e \"x\">]><xml><Encrypt>QUJD</Encrypt></xml>",
            "<xml><Encrypt><![CDATA[QU]]><![CDATA[JD]]></Encrypt></xml>",
            "{\"encrypt\": 5}",
            "{\"encrypt\": \"a\", \"encrypt\": \"b\"}",
            "{\"encrypt\": \"QUJD\"",
        ] {
            let e = err(body);
            assert!(
                matches!(e, Error::MalformedEnvelope(_) | Error::MissingEncrypt),
                "{body:?} gave {e:?}"
            );
        }
        assert!(matches!(err("<xml><Encrypt>QU&amp;JD</Encrypt></xml>"), Error::Base64(_)));
        assert!(matches!(extract_encrypt(b"<xml>\xff</xml>"), Err(Error::MalformedEnvelope(_))));
    }
}
