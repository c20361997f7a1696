//! Refresh callbacks answered per second on one core, and memory per open stream.
//!
//! Each iteration is one whole refresh as WeCom sends it, through the axum router in
//! process (no socket): query parsing, signature check, decryption, JSON parsing, the stream
//! lookup, the snapshot (2 KiB of text), JSON writing, encryption and signing of the reply.
//!
//! ```sh
//! cargo bench -p wecom-aibot --bench refresh
//! ```
//!
//! The memory figure is printed on stderr: the growth of the process's resident memory over
//! 10,000 open streams of 2 KiB each, divided by 10,000.

#![allow(missing_docs, clippy::print_stderr)]

use std::hint::black_box;
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};
use tower::ServiceExt;
use wecom_aibot::bot::{Limits, Responder, bot_fn};
use wecom_aibot::http::AibotServer;
use wecom_aibot::model::Message;
use wecom_msgcrypt::MsgCrypt;

const TOKEN: &str = "AiBotTok3n";
const KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

fn router() -> axum::Router {
    // Streams that stay open with 2 KiB of text.
    let bot = bot_fn(|_m: Message, reply: Responder| async move {
        let mut s = reply.stream();
        s.set("流".repeat(700)).unwrap();
        std::future::pending::<()>().await;
    });
    let mut limits = Limits::default();
    limits.max_open_per_member = usize::MAX;
    AibotServer::new(TOKEN, KEY, bot)
        .unwrap()
        .limits(limits)
        .first_answer_wait(Duration::from_millis(50))
        .into_router()
}

fn request(crypt: &MsgCrypt, plain: &Value, nonce: &str) -> Request<Body> {
    let sealed = crypt.encrypt(&plain.to_string(), "1767225600", nonce).unwrap();
    let uri =
        format!("/?msg_signature={}&timestamp=1767225600&nonce={nonce}", sealed.msg_signature);
    Request::post(uri).body(Body::from(json!({ "encrypt": sealed.encrypt }).to_string())).unwrap()
}

async fn call(router: &axum::Router, req: Request<Body>) -> Vec<u8> {
    let resp = router.clone().oneshot(req).await.unwrap();
    axum::body::to_bytes(resp.into_body(), 1 << 20).await.unwrap().to_vec()
}

async fn open_stream(router: &axum::Router, crypt: &MsgCrypt, n: usize) -> String {
    let msg = json!({"msgid": format!("m{n}"), "aibotid": "aib", "chattype": "single",
        "from": {"userid": format!("u{n}")}, "msgtype": "text", "text": {"content": "hi"}});
    let body = call(router, request(crypt, &msg, &format!("{}", 1000 + n))).await;
    let env: Value = serde_json::from_slice(&body).unwrap();
    let plain = crypt.decrypt(env["encrypt"].as_str().unwrap()).unwrap().message;
    let reply: Value = serde_json::from_str(&plain).unwrap();
    reply["stream"]["id"].as_str().unwrap().to_owned()
}

fn rss_bytes() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: usize = statm.split_whitespace().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
    pages * 4096
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let crypt = MsgCrypt::new(TOKEN, KEY, "").unwrap();
    let router = router();
    let id = rt.block_on(open_stream(&router, &crypt, 0));
    let refresh = json!({"msgid": "r", "aibotid": "aib", "chattype": "single",
        "from": {"userid": "u0"}, "msgtype": "stream", "stream": {"id": id}});
    let sealed = crypt.encrypt(&refresh.to_string(), "1767225600", "42").unwrap();
    let uri = format!("/?msg_signature={}&timestamp=1767225600&nonce=42", sealed.msg_signature);
    let body = json!({ "encrypt": sealed.encrypt }).to_string();

    let mut group = c.benchmark_group("aibot_refresh");
    group.throughput(Throughput::Elements(1));
    group.bench_function("one_refresh_2KiB_snapshot", |b| {
        b.iter(|| {
            let req = Request::post(uri.as_str()).body(Body::from(body.clone())).unwrap();
            black_box(rt.block_on(call(&router, req)))
        });
    });
    group.finish();

    // Memory per open stream.
    let streams = 10_000;
    let before = rss_bytes();
    rt.block_on(async {
        for n in 1..=streams {
            open_stream(&router, &crypt, n).await;
        }
    });
    let after = rss_bytes();
    eprintln!(
        "aibot memory: {} open streams of 2 KiB: RSS +{} KiB, {} bytes per open stream",
        streams,
        (after.saturating_sub(before)) / 1024,
        after.saturating_sub(before) / streams
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
