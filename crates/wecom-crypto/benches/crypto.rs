//! Throughput of the two hot paths, one message per iteration on one core:
//! (a) verify + decrypt starting from the raw POST body, for a 1 KiB inner message;
//! (b) encrypt + sign a 1 KiB reply into the reply XML.
//!
//! Run with `cargo bench -p wecom-crypto`; criterion reports elements (messages) per second.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use wecom_crypto::MsgCrypt;

const TOKEN: &str = "QDG6eK";
const KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
const CORP: &str = "wx5823bf96d3bd56c7";
const TS: &str = "1409659813";
const NONCE: &str = "1372623149";

/// A realistic 1 KiB inner message: a text callback whose content pads it to 1,024 bytes.
fn inner_message() -> String {
    let head = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><FromUserName><![CDATA[mycreate]]></FromUserName><CreateTime>1409659813</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[";
    let tail = "]]></Content><MsgId>4561255354251345929</MsgId><AgentID>218</AgentID></xml>";
    let fill = 1024 - head.len() - tail.len();
    let msg = format!("{head}{}{tail}", "x".repeat(fill));
    assert_eq!(msg.len(), 1024);
    msg
}

fn bench(c: &mut Criterion) {
    let crypt = MsgCrypt::new(TOKEN, KEY, CORP).unwrap();
    let msg = inner_message();

    // The POST body WeCom would send for it.
    let reply = crypt.encrypt(&msg, TS, NONCE).unwrap();
    let body = format!(
        "<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><Encrypt><![CDATA[{}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>",
        reply.encrypt
    );
    let sig = reply.msg_signature.as_str().to_owned();
    assert_eq!(crypt.decrypt_post(&sig, TS, NONCE, body.as_bytes()).unwrap(), msg);

    let mut group = c.benchmark_group("wecom-crypto");
    group.throughput(Throughput::Elements(1));
    group.bench_function("verify_decrypt_post_1KiB", |b| {
        b.iter(|| {
            crypt
                .decrypt_post(
                    black_box(&sig),
                    black_box(TS),
                    black_box(NONCE),
                    black_box(body.as_bytes()),
                )
                .unwrap()
        });
    });
    group.bench_function("encrypt_sign_reply_1KiB", |b| {
        b.iter(|| crypt.encrypt_reply(black_box(&msg), black_box(TS), black_box(NONCE)).unwrap());
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
