//! The one place WeCom's `{errcode, errmsg}` envelope is decoded.
//!
//! Every JSON response passes [`check`] (non-zero `errcode` → [`Error::Api`]) and then
//! [`parse`] into the endpoint's own type. Bodies quoted in errors are scrubbed of the secret
//! and the token and truncated.

use reqwest::StatusCode;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};
use crate::secret::scrub;

/// How much of a body an error quotes.
const QUOTED_BODY_BYTES: usize = 2048;

#[derive(Deserialize)]
struct Envelope {
    errcode: i64,
    #[serde(default)]
    errmsg: String,
}

/// What one HTTP exchange returned, with what must never be shown from it.
pub(crate) struct Exchange<'a> {
    pub(crate) path: &'a str,
    pub(crate) status: StatusCode,
    pub(crate) body: &'a [u8],
    pub(crate) secrets: [&'a str; 2],
}

impl Exchange<'_> {
    /// `Ok` when the envelope says `errcode: 0`; [`Error::Api`] for any other code; a decode
    /// or HTTP error when there is no envelope (`errcode` is required: WeCom always sends it).
    pub(crate) fn check(&self) -> Result<()> {
        match serde_json::from_slice::<Envelope>(self.body) {
            Ok(Envelope { errcode: 0, .. }) => Ok(()),
            Ok(Envelope { errcode, errmsg }) => {
                Err(Error::Api { code: errcode, msg: scrub(&errmsg, &self.secrets) })
            }
            Err(_) if !self.status.is_success() => Err(Error::Http {
                path: self.path.to_owned(),
                status: self.status.as_u16(),
                body: self.quote(),
            }),
            Err(err) => Err(self.decode_error(err)),
        }
    }

    /// For an endpoint whose success is a binary payload (a media download): WeCom answers a
    /// failure with its JSON envelope instead, so a body that is declared JSON or plain text
    /// and has the envelope's shape goes through [`check`](Self::check); anything else is the
    /// payload (or, with an error status, an HTTP error).
    ///
    /// An envelope with `errcode` 0 is taken as the payload: a downloaded JSON file may look
    /// like one, and WeCom never answers a successful download with an envelope.
    pub(crate) fn check_binary(&self, content_type: Option<&str>) -> Result<()> {
        let declared_text = content_type.is_some_and(|ct| {
            let essence = ct.split(';').next().unwrap_or_default().trim();
            essence.eq_ignore_ascii_case("application/json")
                || essence.eq_ignore_ascii_case("text/plain")
        });
        if declared_text
            && let Ok(Envelope { errcode, .. }) = serde_json::from_slice::<Envelope>(self.body)
            && errcode != 0
        {
            return self.check();
        }
        if self.status.is_success() {
            Ok(())
        } else {
            Err(Error::Http {
                path: self.path.to_owned(),
                status: self.status.as_u16(),
                body: self.quote(),
            })
        }
    }

    /// The endpoint's response type, from a body that passed [`check`](Self::check).
    pub(crate) fn parse<T: DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(self.body).map_err(|err| self.decode_error(err))
    }

    fn decode_error(&self, err: serde_json::Error) -> Error {
        Error::Decode {
            path: self.path.to_owned(),
            status: self.status.as_u16(),
            body: self.quote(),
            source: std::sync::Arc::new(err),
        }
    }

    /// The body for an error message: secrets scrubbed first (so a cut cannot leave half a
    /// secret), then truncated on a character boundary.
    fn quote(&self) -> String {
        if self.body.is_empty() {
            return "<empty>".to_owned();
        }
        let text = scrub(&String::from_utf8_lossy(self.body), &self.secrets);
        if text.len() <= QUOTED_BODY_BYTES {
            return text;
        }
        let mut cut = QUOTED_BODY_BYTES;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}… ({} bytes in total)", &text[..cut], self.body.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exchange(status: u16, body: &str) -> Exchange<'_> {
        Exchange {
            path: "/cgi-bin/x",
            status: StatusCode::from_u16(status).unwrap(),
            body: body.as_bytes(),
            secrets: ["SECRET", "TOKEN"],
        }
    }

    #[test]
    fn zero_errcode_passes_and_parses() {
        let ex = exchange(200, r#"{"errcode":0,"errmsg":"ok","msgid":"m1"}"#);
        ex.check().unwrap();
        let v: serde_json::Value = ex.parse().unwrap();
        assert_eq!(v["msgid"], "m1");
    }

    #[test]
    fn nonzero_errcode_is_an_api_error_with_code_and_message() {
        let err = exchange(200, r#"{"errcode":45009,"errmsg":"api freq out of limit"}"#)
            .check()
            .unwrap_err();
        assert!(matches!(&err, Error::Api { code: 45009, msg } if msg == "api freq out of limit"));
        assert!(err.is_rate_limited());
    }

    #[test]
    fn envelope_wins_over_http_status() {
        let err = exchange(500, r#"{"errcode":-1,"errmsg":"system busy"}"#).check().unwrap_err();
        assert!(err.is_system_busy());
    }

    #[test]
    fn missing_errcode_or_bad_json_is_a_decode_error_quoting_the_body() {
        let err = exchange(200, r#"{"msgid":"m"}"#).check().unwrap_err();
        assert!(matches!(&err, Error::Decode { body, .. } if body == r#"{"msgid":"m"}"#));
        let err = exchange(200, "{\"errcode\":0,").check().unwrap_err();
        assert!(err.to_string().contains("{\"errcode\":0,"), "{err}");
    }

    #[test]
    fn non_json_error_status_is_an_http_error() {
        let err = exchange(502, "<html>Bad Gateway</html>").check().unwrap_err();
        assert!(
            matches!(&err, Error::Http { status: 502, body, .. } if body.contains("Bad Gateway"))
        );
    }

    #[test]
    fn binary_bodies_pass_unless_they_are_a_declared_error_envelope() {
        let json = Some("application/json; charset=utf-8");
        let err = exchange(200, r#"{"errcode":40007,"errmsg":"invalid media_id"}"#)
            .check_binary(json)
            .unwrap_err();
        assert!(matches!(err, Error::Api { code: 40007, .. }), "{err:?}");
        let err = exchange(200, r#"{"errcode":-1,"errmsg":"busy"}"#)
            .check_binary(Some("text/plain"))
            .unwrap_err();
        assert!(err.is_system_busy());
        // The same bytes served as a file are the file.
        exchange(200, r#"{"errcode":40007,"errmsg":"x"}"#)
            .check_binary(Some("application/octet-stream"))
            .unwrap();
        exchange(200, "\u{89}PNG\r\n").check_binary(Some("image/png")).unwrap();
        exchange(200, "plain notes").check_binary(Some("text/plain")).unwrap();
        exchange(200, r#"{"errcode":0,"errmsg":"ok"}"#).check_binary(json).unwrap();
        exchange(200, "raw").check_binary(None).unwrap();
        let err = exchange(404, "<html>nope</html>").check_binary(Some("text/html")).unwrap_err();
        assert!(matches!(err, Error::Http { status: 404, .. }), "{err:?}");
    }

    #[test]
    fn quoted_bodies_are_scrubbed_and_truncated() {
        let long = format!("TOKEN {} SECRET", "é".repeat(3000));
        let err = exchange(200, &long).check().unwrap_err();
        let Error::Decode { body, .. } = &err else { panic!("{err:?}") };
        assert!(body.starts_with("*** é"));
        assert!(body.ends_with(&format!("({} bytes in total)", long.len())), "{body}");
        assert!(!body.contains("SECRET") && !body.contains("TOKEN"));
        let err = exchange(200, r#"{"errcode":40014,"errmsg":"bad TOKEN"}"#).check().unwrap_err();
        assert_eq!(err.to_string(), "WeCom API error 40014: bad ***");
    }
}
