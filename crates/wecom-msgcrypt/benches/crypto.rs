//! Throughput of the hot paths on realistic traffic, one message per iteration on one core:
//!
//! * `verify_decrypt_post/*`: verify + decrypt starting from the raw POST body (what a
//!   callback server does per request);
//! * `verify_decrypt_encrypt/*`: the same from the `Encrypt` value (no envelope parse);
//! * `encrypt_sign_reply/*`: encrypt + sign a reply into the reply XML.
//!
//! Each runs on three inputs: `ascii_1KiB` (a text callback whose inner XML is 1,024 ASCII
//! bytes), `chinese_1KiB` (the same size, about half of its bytes Chinese), and `mixed_1000`
//! (1,000 text callbacks of mixed sizes, about half Chinese, taken in turn). The messages are
//! generated deterministically, so every run measures the same traffic.
//!
//! Run with `cargo bench -p wecom-msgcrypt`; criterion reports elements (messages) per second.
//! With `WECOM_BENCH_CPU_TIME=1` it measures the thread's CPU time instead of wall time
//! (`CLOCK_THREAD_CPUTIME_ID`, Linux only): on a machine shared with other work, the
//! time spent waiting for a core then stays out of the figures. Compare with `openssl speed`
//! without `-elapsed`, which measures CPU time too.

#![allow(clippy::print_stderr)]

use std::hint::black_box;

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{Criterion, Throughput};
use wecom_msgcrypt::MsgCrypt;

const TOKEN: &str = "QDG6eK";
const KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
const CORP: &str = "wx5823bf96d3bd56c7";
const TS: &str = "1409659813";
const NONCE: &str = "1372623149";

const HEAD: &str = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><FromUserName><![CDATA[mycreate]]></FromUserName><CreateTime>1409659813</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[";
const TAIL: &str = "]]></Content><MsgId>4561255354251345929</MsgId><AgentID>218</AgentID></xml>";

/// Phrases of everyday chat, Chinese and ASCII, from which the content is drawn.
const CHINESE: [&str; 8] = [
    "你好，",
    "明天上午十点开会，",
    "请查收附件中的报告。",
    "服务器已经恢复正常",
    "收到，谢谢！",
    "这个需求下周上线",
    "审批已通过",
    "客户反馈说页面加载很慢，",
];
const ASCII: [&str; 8] = [
    "OK ",
    "build #4821 passed ",
    "see https://example.com/r/42 ",
    "v2.3.1 ",
    "ETA 15:30 ",
    "PR 117 merged ",
    "thx ",
    "CPU 93% on db-2 ",
];

/// A small deterministic generator (64-bit LCG), so the traffic is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 =
            self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(self.0 >> 33).unwrap()
    }
}

/// A text callback of exactly `len` bytes whose content is, by bytes, about half Chinese
/// (`chinese`) or all ASCII.
fn text_callback(len: usize, chinese: bool, rng: &mut Lcg) -> String {
    let budget = len - HEAD.len() - TAIL.len();
    let mut content = String::with_capacity(budget);
    let mut cjk_bytes = 0;
    loop {
        // Chinese phrases until half the message's bytes are Chinese, with ASCII between.
        let phrase = if chinese && cjk_bytes * 2 < len && !rng.next().is_multiple_of(4) {
            CHINESE[rng.next() % CHINESE.len()]
        } else {
            ASCII[rng.next() % ASCII.len()]
        };
        if content.len() + phrase.len() > budget {
            break;
        }
        if !phrase.is_ascii() {
            cjk_bytes += phrase.len();
        }
        content.push_str(phrase);
    }
    while content.len() < budget {
        content.push('.');
    }
    let msg = format!("{HEAD}{content}{TAIL}");
    assert_eq!(msg.len(), len);
    msg
}

/// The share of a message's bytes that are outside ASCII.
fn non_ascii_share(msgs: &[String]) -> f64 {
    let total: usize = msgs.iter().map(String::len).sum();
    let wide: usize = msgs.iter().flat_map(|m| m.bytes()).filter(|b| !b.is_ascii()).count();
    #[allow(clippy::cast_precision_loss)]
    let share = wide as f64 / total as f64;
    share
}

/// 1,000 callbacks of mixed sizes: mostly short chat, some long, 300 B to 4 KiB.
fn mixed(rng: &mut Lcg) -> Vec<String> {
    (0..1000)
        .map(|_| {
            let len = match rng.next() % 10 {
                0..=5 => 300 + rng.next() % 300,
                6..=8 => 600 + rng.next() % 1400,
                _ => 2000 + rng.next() % 2096,
            };
            text_callback(len, true, rng)
        })
        .collect()
}

/// What WeCom would POST for `msg`: the signature and the envelope body.
fn post(crypt: &MsgCrypt, msg: &str) -> (String, String, String) {
    let reply = crypt.encrypt(msg, TS, NONCE).unwrap();
    let body = format!(
        "<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><Encrypt><![CDATA[{}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>",
        reply.encrypt
    );
    assert_eq!(
        crypt.decrypt_post(reply.msg_signature.as_str(), TS, NONCE, body.as_bytes()).unwrap(),
        msg
    );
    (reply.msg_signature.as_str().to_owned(), body, reply.encrypt)
}

fn bench<M: Measurement>(c: &mut Criterion<M>) {
    let crypt = MsgCrypt::new(TOKEN, KEY, CORP).unwrap();
    let mut rng = Lcg(20_261_202);
    let inputs: Vec<(&str, Vec<String>)> = vec![
        ("ascii_1KiB", vec![text_callback(1024, false, &mut rng)]),
        ("chinese_1KiB", vec![text_callback(1024, true, &mut rng)]),
        ("mixed_1000", mixed(&mut rng)),
    ];
    for (name, msgs) in &inputs {
        let total: usize = msgs.iter().map(String::len).sum();
        eprintln!(
            "{name}: {} messages, mean {} bytes, {:.0}% of bytes non-ASCII",
            msgs.len(),
            total / msgs.len(),
            100.0 * non_ascii_share(msgs)
        );
    }

    let mut group = c.benchmark_group("verify_decrypt_post");
    group.throughput(Throughput::Elements(1));
    for (name, msgs) in &inputs {
        let posts: Vec<_> = msgs.iter().map(|m| post(&crypt, m)).collect();
        let mut i = 0;
        group.bench_function(*name, |b| {
            b.iter(|| {
                let (sig, body, _) = &posts[i];
                i = (i + 1) % posts.len();
                crypt
                    .decrypt_post(
                        black_box(sig),
                        black_box(TS),
                        black_box(NONCE),
                        black_box(body.as_bytes()),
                    )
                    .unwrap()
            });
        });
    }
    group.finish();

    let mut group = c.benchmark_group("verify_decrypt_encrypt");
    group.throughput(Throughput::Elements(1));
    for (name, msgs) in &inputs {
        let posts: Vec<_> = msgs.iter().map(|m| post(&crypt, m)).collect();
        let mut i = 0;
        group.bench_function(*name, |b| {
            b.iter(|| {
                let (sig, _, encrypt) = &posts[i];
                i = (i + 1) % posts.len();
                crypt
                    .decrypt_verified(
                        black_box(sig),
                        black_box(TS),
                        black_box(NONCE),
                        black_box(encrypt),
                    )
                    .unwrap()
            });
        });
    }
    group.finish();

    let mut group = c.benchmark_group("extract_encrypt");
    group.throughput(Throughput::Elements(1));
    let (_, body, _) = post(&crypt, &inputs[1].1[0]);
    group.bench_function("chinese_1KiB", |b| {
        b.iter(|| wecom_msgcrypt::extract_encrypt(black_box(body.as_bytes())).unwrap().len());
    });
    group.finish();

    let mut group = c.benchmark_group("encrypt_sign_reply");
    group.throughput(Throughput::Elements(1));
    for (name, msgs) in &inputs {
        let mut i = 0;
        group.bench_function(*name, |b| {
            b.iter(|| {
                let msg = &msgs[i];
                i = (i + 1) % msgs.len();
                crypt.encrypt_reply(black_box(msg), black_box(TS), black_box(NONCE)).unwrap()
            });
        });
    }
    group.finish();
}

/// The calling thread's CPU time, in nanoseconds, as the scheduler accounts it.
struct CpuTime;

#[cfg(target_os = "linux")]
fn thread_cpu_ns() -> u64 {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    u64::try_from(t.tv_sec).unwrap() * 1_000_000_000 + u64::try_from(t.tv_nsec).unwrap()
}

#[cfg(not(target_os = "linux"))]
fn thread_cpu_ns() -> u64 {
    panic!("WECOM_BENCH_CPU_TIME is only supported on Linux")
}

impl Measurement for CpuTime {
    type Intermediate = u64;
    type Value = u64;

    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns() - start
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    #[allow(clippy::cast_precision_loss)]
    fn to_f64(&self, value: &u64) -> f64 {
        *value as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        self
    }
}

impl ValueFormatter for CpuTime {
    fn scale_values(&self, ns: f64, values: &mut [f64]) -> &'static str {
        let (factor, unit) = if ns < 1e3 { (1.0, "ns (cpu)") } else { (1e-3, "µs (cpu)") };
        for v in values.iter_mut() {
            *v *= factor;
        }
        unit
    }
    fn scale_throughputs(
        &self,
        ns: f64,
        throughput: &Throughput,
        values: &mut [f64],
    ) -> &'static str {
        let Throughput::Elements(n) = *throughput else { return self.scale_values(ns, values) };
        #[allow(clippy::cast_precision_loss)]
        let n = n as f64;
        for v in values.iter_mut() {
            *v = n * 1e6 / *v;
        }
        "Kelem/s (cpu)"
    }
    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}

fn main() {
    if std::env::var_os("WECOM_BENCH_CPU_TIME").is_some() {
        let mut c = Criterion::default().with_measurement(CpuTime).configure_from_args();
        bench(&mut c);
        c.final_summary();
    } else {
        let mut c = Criterion::default().with_measurement(WallTime).configure_from_args();
        bench(&mut c);
        c.final_summary();
    }
}
