//! What the callback load benches share: the app's crypto, distinct pre-encrypted text
//! callbacks, and a minimal HTTP/1.1 keep-alive client for them.

#![allow(dead_code)] // each bench uses its part

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use wecom_msgcrypt::MsgCrypt;

pub(crate) const TOKEN: &str = "QDG6eK";
pub(crate) const KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
pub(crate) const CORP: &str = "wx5823bf96d3bd56c7";

/// One request: its query string and body.
pub(crate) struct Prepared {
    pub(crate) query: String,
    pub(crate) body: String,
}

pub(crate) fn prepare(crypt: &MsgCrypt, count: usize) -> Vec<Prepared> {
    let ts = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string();
    (0..count)
        .map(|i| {
            let xml = format!(
                "<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><FromUserName><![CDATA[user{}]]></FromUserName>\
                 <CreateTime>{ts}</CreateTime><MsgType><![CDATA[text]]></MsgType>\
                 <Content><![CDATA[load test message number {i}, a typical short chat line]]></Content>\
                 <MsgId>{}</MsgId><AgentID>1000002</AgentID></xml>",
                i % 1000,
                7_000_000_000_000_000_000u64 + i as u64
            );
            let nonce = format!("{}", 100_000 + i);
            let enc = crypt.encrypt(&xml, &ts, &nonce).unwrap();
            Prepared {
                query: format!("msg_signature={}&timestamp={ts}&nonce={nonce}", enc.msg_signature),
                body: format!(
                    "<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><Encrypt><![CDATA[{}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>",
                    enc.encrypt
                ),
            }
        })
        .collect()
}

/// Sends one pre-rendered request and reads one `Content-Length` response; returns the
/// status and body length.
pub(crate) async fn raw_roundtrip(
    stream: &mut TcpStream,
    request: &[u8],
    buf: &mut Vec<u8>,
) -> (u16, usize) {
    stream.write_all(request).await.unwrap();
    buf.clear();
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = std::str::from_utf8(&buf[..end]).unwrap();
            let status: u16 = head[9..12].parse().unwrap();
            let len: usize = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length").then(|| v.trim().parse().unwrap())
                })
                .unwrap_or(0);
            let total = end + 4 + len;
            while buf.len() < total {
                let mut chunk = [0u8; 8192];
                let n = stream.read(&mut chunk).await.unwrap();
                assert!(n > 0, "server closed the connection");
                buf.extend_from_slice(&chunk[..n]);
            }
            return (status, len);
        }
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "server closed the connection");
        buf.extend_from_slice(&chunk[..n]);
    }
}

impl Prepared {
    /// The whole request, for `path` on `host`.
    pub(crate) fn render(&self, host: &str, path: &str) -> Vec<u8> {
        format!(
            "POST {path}?{} HTTP/1.1\r\nhost: {host}\r\ncontent-type: text/xml\r\ncontent-length: {}\r\n\r\n{}",
            self.query,
            self.body.len(),
            self.body
        )
        .into_bytes()
    }
}
