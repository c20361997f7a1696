//! Extracting the ciphertext from a callback POST body.
//!
//! WeCom posts `<xml><ToUserName/><AgentID/><Encrypt/></xml>` (element order not fixed, text
//! in CDATA or not); some callbacks use a JSON envelope `{"tousername", "encrypt", "agentid"}`.
//! Parsing is strict: the body must be one well-formed document whose root holds exactly one
//! `Encrypt`. A body without it is an error — never a pass-through of unencrypted content.

use std::borrow::Cow;

use quick_xml::events::Event;
use quick_xml::reader::Reader;
use serde::Deserialize;

use crate::error::Error;

/// Returns the `Encrypt` value of a callback POST body: an XML envelope (`<xml>…<Encrypt>…`,
/// any element order, CDATA or not) or a JSON one (`{"encrypt": …}`).
///
/// [`MsgCrypt::decrypt_post`](crate::MsgCrypt::decrypt_post) does this for you; use it directly
/// to inspect traffic or key a cache by ciphertext.
///
/// ```
/// let body = b"<xml><ToUserName><![CDATA[ww1]]></ToUserName><Encrypt><![CDATA[QUJD]]></Encrypt></xml>";
/// assert_eq!(wecom_crypto::extract_encrypt(body)?, "QUJD");
/// assert!(wecom_crypto::extract_encrypt(b"<xml><Content>hi</Content></xml>").is_err());
/// # Ok::<(), wecom_crypto::Error>(())
/// ```
pub fn extract_encrypt(body: &[u8]) -> Result<Cow<'_, str>, Error> {
    let first = body.iter().position(|b| !b.is_ascii_whitespace());
    match first.map(|i| body[i]) {
        Some(b'<') => {
            let text = std::str::from_utf8(body)
                .map_err(|_| Error::MalformedEnvelope("body is not valid UTF-8".into()))?;
            extract_from_xml(text)
        }
        Some(b'{') => extract_from_json(body),
        Some(_) => Err(Error::MalformedEnvelope("body is neither XML nor JSON".into())),
        None => Err(Error::MalformedEnvelope("body is empty".into())),
    }
}

fn xml_error(e: &impl std::fmt::Display) -> Error {
    Error::MalformedEnvelope(format!("XML: {e}"))
}

fn extract_from_xml(body: &str) -> Result<Cow<'_, str>, Error> {
    let mut reader = Reader::from_str(body);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.expand_empty_elements = false;

    let mut depth = 0usize;
    let mut seen_root = false;
    let mut in_encrypt = false;
    let mut encrypt: Option<Cow<'_, str>> = None;
    let mut encrypt_done = false;

    loop {
        let event = reader.read_event().map_err(|e| xml_error(&e))?;
        match event {
            Event::Decl(_) | Event::Comment(_) => {}
            Event::DocType(_) => {
                return Err(Error::MalformedEnvelope(
                    "document type declarations are not allowed".into(),
                ));
            }
            Event::PI(_) => {
                return Err(Error::MalformedEnvelope(
                    "processing instructions are not allowed".into(),
                ));
            }
            Event::Start(start) => {
                if depth == 0 {
                    if seen_root {
                        return Err(Error::MalformedEnvelope("more than one root element".into()));
                    }
                    if start.name().as_ref() != "xml" {
                        return Err(Error::MalformedEnvelope("root element is not <xml>".into()));
                    }
                    seen_root = true;
                } else if in_encrypt {
                    return Err(Error::MalformedEnvelope("Encrypt must contain text only".into()));
                } else if depth == 1 && start.name().as_ref() == "Encrypt" {
                    if encrypt_done {
                        return Err(Error::MalformedEnvelope(
                            "more than one Encrypt element".into(),
                        ));
                    }
                    in_encrypt = true;
                }
                depth += 1;
            }
            Event::Empty(start) => {
                if depth == 0 {
                    return Err(Error::MalformedEnvelope(
                        if seen_root {
                            "more than one root element"
                        } else {
                            "root element is empty"
                        }
                        .into(),
                    ));
                }
                if in_encrypt {
                    return Err(Error::MalformedEnvelope("Encrypt must contain text only".into()));
                }
                if depth == 1 && start.name().as_ref() == "Encrypt" {
                    return Err(Error::MalformedEnvelope("Encrypt element is empty".into()));
                }
            }
            Event::End(_) => {
                depth -= 1;
                if in_encrypt && depth == 1 {
                    in_encrypt = false;
                    encrypt_done = true;
                    if encrypt.is_none() {
                        return Err(Error::MalformedEnvelope("Encrypt element is empty".into()));
                    }
                }
            }
            Event::Text(text) => {
                if depth == 0 {
                    if !text.trim_ascii().is_empty() {
                        return Err(Error::MalformedEnvelope(
                            "text outside the root element".into(),
                        ));
                    }
                } else if in_encrypt && !text.trim_ascii().is_empty() {
                    let value = text.xml10_content();
                    set_once(&mut encrypt, value)?;
                }
            }
            Event::CData(cdata) => {
                if depth == 0 {
                    return Err(Error::MalformedEnvelope("CDATA outside the root element".into()));
                }
                if in_encrypt {
                    set_once(&mut encrypt, cdata.into_inner())?;
                }
            }
            Event::GeneralRef(_) => {
                if depth == 0 {
                    return Err(Error::MalformedEnvelope("text outside the root element".into()));
                }
                if in_encrypt {
                    // Base64 never needs an entity reference; one here cannot be a valid
                    // ciphertext.
                    return Err(Error::Base64("entity reference inside Encrypt".into()));
                }
            }
            Event::Eof => break,
        }
    }
    if !seen_root || depth != 0 {
        return Err(Error::MalformedEnvelope("document is incomplete".into()));
    }
    encrypt.ok_or(Error::MissingEncrypt)
}

fn set_once<'a>(slot: &mut Option<Cow<'a, str>>, value: Cow<'a, str>) -> Result<(), Error> {
    if slot.is_some() {
        return Err(Error::MalformedEnvelope(
            "Encrypt must hold one piece of text or one CDATA section".into(),
        ));
    }
    *slot = Some(value);
    Ok(())
}

#[derive(Deserialize)]
struct JsonEnvelope<'a> {
    #[serde(borrow)]
    encrypt: Option<Cow<'a, str>>,
}

fn extract_from_json(body: &[u8]) -> Result<Cow<'_, str>, Error> {
    let envelope: JsonEnvelope<'_> =
        serde_json::from_slice(body).map_err(|e| Error::MalformedEnvelope(format!("JSON: {e}")))?;
    envelope.encrypt.ok_or(Error::MissingEncrypt)
}

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
