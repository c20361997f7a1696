//! The JSON frames: `{cmd, headers:{req_id}, body}` out, callbacks and acknowledgements
//! (`{headers:{req_id}, errcode, errmsg, body}`, no `cmd`) in. Inbound text is parsed
//! strictly as JSON; when that fails, control characters 0x00–0x08 and 0x0B–0x1F are
//! stripped and the parse is tried once more, as the official SDK does.

use serde::Serialize;
use serde_json::Value;

/// An acknowledgement of one of our frames.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ack {
    pub(crate) errcode: i64,
    pub(crate) errmsg: String,
    pub(crate) body: Option<Value>,
}

/// One inbound frame.
#[derive(Debug)]
pub(crate) enum Inbound {
    /// A frame with a `cmd` (callbacks).
    Command { cmd: String, req_id: String, body: Value },
    /// An acknowledgement.
    Ack { req_id: String, ack: Ack },
    /// An error frame without a `req_id`.
    Uncorrelated(Ack),
}

#[derive(Serialize)]
struct Headers<'a> {
    req_id: &'a str,
}

#[derive(Serialize)]
struct Out<'a, B> {
    cmd: &'a str,
    headers: Headers<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<B>,
}

/// Serializes a frame.
pub(crate) fn encode<B: Serialize>(cmd: &str, req_id: &str, body: Option<B>) -> String {
    // Serializing these plain structs cannot fail (string keys, no maps with other keys).
    serde_json::to_string(&Out { cmd, headers: Headers { req_id }, body }).unwrap_or_default()
}

/// A fresh `req_id`: `<cmd>_<unix-ms>_<8 hex>`, the official SDK's shape.
pub(crate) fn req_id(cmd: &str) -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let mut r = [0u8; 4];
    if getrandom::fill(&mut r).is_err() {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        r = N.fetch_add(1, Ordering::Relaxed).to_be_bytes();
    }
    format!("{cmd}_{ms}_{:08x}", u32::from_be_bytes(r))
}

/// A random number in `[0, 1)` for jitter.
pub(crate) fn unit_random() -> f64 {
    let mut r = [0u8; 4];
    if getrandom::fill(&mut r).is_err() {
        return 0.5;
    }
    f64::from(u32::from_be_bytes(r)) / (f64::from(u32::MAX) + 1.0)
}

fn strip_controls(text: &str) -> String {
    text.chars().filter(|&c| !matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}')).collect()
}

/// Parses one inbound text frame.
pub(crate) fn parse(text: &str) -> Result<Inbound, String> {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(first) => serde_json::from_str(&strip_controls(text)).map_err(|_| first.to_string())?,
    };
    let Value::Object(mut obj) = value else {
        return Err("frame is not a JSON object".into());
    };
    let req_id = obj
        .get("headers")
        .and_then(|h| h.get("req_id"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    if let Some(cmd) = obj.get("cmd").and_then(Value::as_str).map(str::to_owned) {
        let Some(req_id) = req_id else {
            return Err(format!("{cmd} frame without headers.req_id"));
        };
        let body = obj.remove("body").unwrap_or(Value::Null);
        return Ok(Inbound::Command { cmd, req_id, body });
    }
    let errcode = match obj.get("errcode") {
        Some(v) => v.as_i64().ok_or("errcode is not an integer")?,
        None => return Err("frame has neither cmd nor errcode".into()),
    };
    let errmsg = obj.get("errmsg").and_then(Value::as_str).unwrap_or_default().to_owned();
    let body = obj.remove("body").filter(|b| !b.is_null());
    let ack = Ack { errcode, errmsg, body };
    Ok(match req_id {
        Some(req_id) => Inbound::Ack { req_id, ack },
        None => Inbound::Uncorrelated(ack),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_acks_callbacks_and_uncorrelated_errors() {
        let ack = parse(r#"{"headers":{"req_id":"r1"},"errcode":0,"errmsg":"ok"}"#).unwrap();
        assert!(matches!(ack, Inbound::Ack { req_id, ack } if req_id == "r1" && ack.errcode == 0));
        let cb = parse(
            "{\"cmd\":\"aibot_msg_callback\",\"headers\":{\"req_id\":\"x\"},\"body\":{\"a\":\"\u{1}b\"}}",
        );
        // A raw control character inside a JSON string is invalid JSON; stripped, it parses.
        let Ok(Inbound::Command { cmd, body, .. }) = cb else { panic!("{cb:?}") };
        assert_eq!(cmd, "aibot_msg_callback");
        assert_eq!(body["a"], "b");
        let err = parse(r#"{"errcode":40058,"errmsg":"missing field"}"#).unwrap();
        assert!(matches!(err, Inbound::Uncorrelated(a) if a.errcode == 40058));
        assert!(parse("[]").is_err());
        assert!(parse(r#"{"headers":{"req_id":"r"}}"#).is_err());
        assert!(parse(r#"{"cmd":"x"}"#).is_err());
    }

    #[test]
    fn encodes_without_body_when_none() {
        assert_eq!(encode::<()>("ping", "p1", None), r#"{"cmd":"ping","headers":{"req_id":"p1"}}"#);
        assert!(req_id("ping").starts_with("ping_"));
    }
}
