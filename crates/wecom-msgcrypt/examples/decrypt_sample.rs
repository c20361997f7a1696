//! Decrypts WeCom's official sample callback (vector A of the crypto documentation): the URL
//! verification GET and the encrypted text-message POST, then encrypts a passive reply and
//! checks it round-trips.
//!
//! Run: `cargo run -p wecom-msgcrypt --example decrypt_sample`
#![allow(clippy::print_stdout)]

use wecom_msgcrypt::MsgCrypt;

fn main() -> Result<(), wecom_msgcrypt::Error> {
    let crypt = MsgCrypt::new(
        "QDG6eK",
        "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
        "wx5823bf96d3bd56c7",
    )?;

    // GET <url>?msg_signature=…&timestamp=…&nonce=…&echostr=… (query values URL-decoded).
    let echo = crypt.verify_url(
        "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
        "1409659589",
        "263014780",
        "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
    )?;
    println!("URL verification: answer the GET with {echo:?}");

    // POST <url>?msg_signature=…&timestamp=…&nonce=… with the encrypted envelope as the body.
    let body = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>";
    let message = crypt.decrypt_post(
        "477715d11cdb4164915debcba66cb864d751f3e6",
        "1409659813",
        "1372623149",
        body.as_bytes(),
    )?;
    println!("Decrypted callback:\n{message}\n");

    // A passive reply, encrypted with fresh random bytes, reusing the request's timestamp and nonce.
    let reply = "<xml><ToUserName><![CDATA[mycreate]]></ToUserName><FromUserName><![CDATA[wx5823bf96d3bd56c7]]></FromUserName><CreateTime>1409659813</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hello back]]></Content></xml>";
    let encrypted = crypt.encrypt(reply, "1409659813", "1372623149")?;
    println!("Encrypted passive reply:\n{}\n", encrypted.to_xml());
    let back = crypt.decrypt_verified(
        encrypted.msg_signature.as_str(),
        &encrypted.timestamp,
        &encrypted.nonce,
        &encrypted.encrypt,
    )?;
    assert_eq!(back.message, reply);
    println!("The reply decrypts back to what was sent.");
    Ok(())
}
