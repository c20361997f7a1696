//! What the HTTP tests share: the app's keys, a server on 127.0.0.1:0, and a client that
//! posts and opens callbacks the way WeCom does.
#![allow(dead_code, unreachable_pub)]

use reqwest::StatusCode;
use wecom_callback::{Callback, CallbackServer, MessageBody, Reply};
use wecom_msgcrypt::MsgCrypt;

pub const TOKEN: &str = "QDG6eK";
pub const KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
pub const CORP: &str = "wx5823bf96d3bd56c7";

pub fn crypt() -> MsgCrypt {
    MsgCrypt::new(TOKEN, KEY, CORP).unwrap()
}

pub async fn start(server: CallbackServer) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { server.serve_on(listener).await.unwrap() });
    format!("http://{addr}/")
}

pub fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// What WeCom would POST for `xml`: the query string and the envelope body.
pub fn wecom_post(crypt: &MsgCrypt, xml: &str, timestamp: &str, nonce: &str) -> (String, String) {
    let enc = crypt.encrypt(xml, timestamp, nonce).unwrap();
    let query = format!("msg_signature={}&timestamp={timestamp}&nonce={nonce}", enc.msg_signature);
    let body = format!(
        "<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><Encrypt><![CDATA[{}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>",
        enc.encrypt
    );
    (query, body)
}

pub fn text_xml(content: &str, msg_id: u64) -> String {
    format!(
        "<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><FromUserName><![CDATA[mycreate]]></FromUserName>\
         <CreateTime>1409659813</CreateTime><MsgType><![CDATA[text]]></MsgType>\
         <Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId><AgentID>218</AgentID></xml>"
    )
}

pub fn now() -> String {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string()
}

pub async fn post(base: &str, query: &str, body: String) -> (StatusCode, String) {
    let resp =
        reqwest::Client::new().post(format!("{base}?{query}")).body(body).send().await.unwrap();
    let status = resp.status();
    (status, resp.text().await.unwrap())
}

pub async fn post_text(base: &str, content: &str, msg_id: u64) -> (StatusCode, String) {
    let (query, body) = wecom_post(&crypt(), &text_xml(content, msg_id), &now(), "1372623149");
    post(base, &query, body).await
}

/// Decrypts a reply body the way WeCom would.
pub fn open_reply(body: &str) -> String {
    let field = |name: &str| {
        let open = format!("<{name}>");
        let rest = body.split(&open).nth(1).unwrap();
        let value = rest.split(&format!("</{name}>")).next().unwrap();
        value.trim_start_matches("<![CDATA[").trim_end_matches("]]>").to_owned()
    };
    crypt()
        .decrypt_post(&field("MsgSignature"), &field("TimeStamp"), &field("Nonce"), body.as_bytes())
        .unwrap()
}

pub fn echo_server() -> CallbackServer {
    CallbackServer::new(crypt(), |cb: Callback| async move {
        match cb {
            Callback::Message(m) => match m.body {
                MessageBody::Text(t) if t.content == "boom" => panic!("handler exploded"),
                MessageBody::Text(t) if t.content == "fail" => Err("handler failed".into()),
                MessageBody::Text(t) => Ok(Some(Reply::text(format!("echo: {}", t.content)))),
                _ => Ok(None),
            },
            _ => Ok::<_, Box<dyn std::error::Error + Send + Sync>>(None),
        }
    })
}

pub fn generic(status: StatusCode) -> String {
    status.canonical_reason().unwrap().to_owned()
}
