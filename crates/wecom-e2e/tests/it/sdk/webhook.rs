//! Group-robot webhooks: every kind from the SDK into the demo group, uploads and their
//! scope, an unknown key, long content split, and the per-key rate limit with the SDK's
//! throttle on (a burst of 100, none lost, none faster than the limit) and off.

use std::time::Duration;

use serde_json::Value;
use wecom::card::{CardAction, CardImage, HorizontalItem, NewsNotice, TextNotice};
use wecom::throttle::Limit;
use wecom::webhook::{
    Markdown, MarkdownV2, UploadKind, WebhookArticle, WebhookClient, WebhookFile, WebhookImage,
    WebhookNews, WebhookText, WebhookThrottle,
};
use wecom::{Media, MediaType, OnLimit};
use wecom_emulator::{BotConfig, Config, DEMO_WEBHOOK_KEY, Secret};

use super::support::{BOT, Env};

const GROUP: &str = "wrdemo-ops";
const PNG_B64: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

fn png() -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(PNG_B64).unwrap()
}

/// `frames` AMR frames of 20 ms.
fn amr(frames: usize) -> Vec<u8> {
    let mut d = b"#!AMR\n".to_vec();
    for _ in 0..frames {
        d.push(7 << 3);
        d.extend([0u8; 31]);
    }
    d
}

fn bot(env: &Env, key: &str) -> WebhookClient {
    WebhookClient::builder(key).base_url(env.emu.base_url()).build().unwrap()
}

async fn group_messages(env: &Env) -> Vec<Value> {
    let v = env.get(&format!("/emulator/groups/{GROUP}/messages")).await;
    v["messages"].as_array().unwrap().clone()
}

#[tokio::test]
async fn every_kind_reaches_the_group() {
    let env = Env::demo().await;
    // Built from the URL a user copies out of WeCom.
    let url = format!("{}/cgi-bin/webhook/send?key={DEMO_WEBHOOK_KEY}", env.emu.base_url());
    let bot = WebhookClient::new(&url).unwrap();
    bot.send(WebhookText::new("p99 2.4s, <@bob> please look").mention("alice")).await.unwrap();
    bot.send(Markdown::new("## Released\n>version `v1.4.2` <@carol>")).await.unwrap();
    bot.send(MarkdownV2::new("| a | b |\n| --- | --- |\n| 1 | 2 |\n```\nls\n```")).await.unwrap();
    bot.send(WebhookImage::from_bytes(&png()).unwrap()).await.unwrap();
    bot.send(WebhookNews::new([WebhookArticle::new("Notes", "https://example.com/n")]))
        .await
        .unwrap();
    let file = bot.send_file(Media::from_bytes("report.txt", "hello world")).await.unwrap();
    bot.send_voice(Media::from_bytes("hi.amr", amr(50))).await.unwrap();
    let card = TextNotice::new("order-svc latency", CardAction::url("https://a.example.com/1"))
        .horizontal_content_list([HorizontalItem::attachment("log", "report.txt", file.as_str())]);
    bot.send(card).await.unwrap();
    let image = CardImage::new("https://img.example.com/b.png").aspect_ratio(2.0);
    bot.send(NewsNotice::new("v1.4.2 out", image, CardAction::url("https://ci.example.com/14")))
        .await
        .unwrap();
    let messages = group_messages(&env).await;
    let kinds: Vec<&str> = messages.iter().map(|m| m["msgtype"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "text",
            "markdown",
            "markdown_v2",
            "image",
            "news",
            "file",
            "voice",
            "template_card",
            "template_card"
        ]
    );
    assert_eq!(messages[0]["mentions"], serde_json::json!(["alice", "bob"]));
    assert_eq!(messages[1]["mentions"], serde_json::json!(["carol"]));
    assert_eq!(messages[3]["body"]["image"]["md5"], "2cd8bde463f5d82aae0f0cec061d6b8f");
    assert_eq!(messages[5]["attachment"]["filename"], "report.txt");
    assert_eq!(messages[0]["bot"], "Alert bot");
}

#[tokio::test]
async fn an_unknown_key_is_a_typed_error_without_the_key() {
    let env = Env::demo().await;
    let err = bot(&env, "NOT-A-REAL-KEY-123").send(WebhookText::new("hi")).await.unwrap_err();
    assert_eq!(err.code(), Some(93000));
    assert!(err.is_webhook_gone());
    assert!(err.hint().unwrap().contains("copy the webhook URL again"));
    assert!(!format!("{err} {err:?}").contains("NOT-A-REAL-KEY-123"));
    // Nothing leaves the process for invalid input.
    let err = bot(&env, DEMO_WEBHOOK_KEY).send(Markdown::new("x".repeat(4097))).await.unwrap_err();
    assert!(err.is_invalid_argument(), "{err}");
    assert!(group_messages(&env).await.is_empty());
}

#[tokio::test]
async fn media_ids_work_only_with_the_bot_that_uploaded_them() {
    let mut config = Config::demo();
    config.groups[0].bots.push(BotConfig {
        key: Secret::new("second-bot-key"),
        name: "Other".into(),
        enabled: true,
    });
    let env = Env::with(config).await;
    let first = bot(&env, DEMO_WEBHOOK_KEY);
    let other = bot(&env, "second-bot-key");
    let up = first.upload_media(UploadKind::File, Media::from_bytes("a.txt", "abcdef")).await;
    let up = up.unwrap();
    assert_eq!(up.kind, UploadKind::File);
    let err = other.send(WebhookFile::new(up.media_id.clone())).await.unwrap_err();
    assert_eq!(err.code(), Some(40007), "{err}");
    assert!(err.to_string().contains("another webhook"), "{err}");
    // An app's media/upload id is no webhook media id.
    let app = env.client(BOT);
    let app_media = app.upload_media(MediaType::File, Media::from_bytes("b.txt", "abcdef")).await;
    let err = first.send(WebhookFile::new(app_media.unwrap().media_id.as_str())).await;
    assert!(err.unwrap_err().to_string().contains("app's media/upload"));
    first.send(WebhookFile::new(up.media_id)).await.unwrap();
    // Limits are checked before the upload leaves.
    let err = first.upload_media(UploadKind::Voice, Media::from_bytes("v.amr", amr(3001))).await;
    assert!(err.unwrap_err().is_invalid_argument());
}

#[tokio::test]
async fn long_markdown_is_split_and_every_part_arrives() {
    let env = Env::demo().await;
    let doc = format!("# Report\n\n{}\n```\n{}```\n", "word ".repeat(2000), "line\n".repeat(400));
    let sent = bot(&env, DEMO_WEBHOOK_KEY).send_split(MarkdownV2::new(doc.clone())).await.unwrap();
    let messages = group_messages(&env).await;
    assert!(sent >= 4, "{sent}");
    assert_eq!(messages.len(), sent);
    for m in &messages {
        let content = m["body"]["markdown_v2"]["content"].as_str().unwrap();
        assert!(content.len() <= 4096);
        assert_eq!(content.matches("```").count() % 2, 0, "fences balanced: {content}");
    }
}

/// A corp whose webhook (with `key`: the SDK's throttle windows are per key and process, and
/// tests run in parallel) takes 20 messages per second instead of per minute.
fn fast_limit(key: &str) -> Config {
    let mut config = Config::demo();
    config.groups[0].bots[0].key = Secret::new(key);
    config.options.webhook_limit = 20;
    config.options.webhook_window_ms = 1000;
    config
}

#[tokio::test]
async fn a_burst_of_100_with_the_throttle_loses_none_and_keeps_the_rate() {
    let env = Env::with(fast_limit("burst-key")).await;
    let throttle = WebhookThrottle::new().limit_to(Limit::new(20, Duration::from_secs(1)));
    let client = WebhookClient::builder("burst-key")
        .base_url(env.emu.base_url())
        .throttle(throttle)
        .build()
        .unwrap();
    let sends = (0..100).map(|i| {
        let client = client.clone();
        async move { client.send(WebhookText::new(format!("alert {i}"))).await }
    });
    let results = futures::future::join_all(sends).await;
    assert!(results.iter().all(Result::is_ok), "{:?}", results.iter().find(|r| r.is_err()));
    let messages = group_messages(&env).await;
    assert_eq!(messages.len(), 100, "none lost");
    let times: Vec<i64> = messages.iter().map(|m| m["sent_at_ms"].as_i64().unwrap()).collect();
    for (i, t) in times.iter().enumerate() {
        let in_window = times[i..].iter().filter(|u| **u < t + 1000).count();
        assert!(in_window <= 20, "{in_window} messages within a second from {t}");
    }
}

#[tokio::test]
async fn without_the_throttle_the_excess_is_refused_with_45009() {
    let env = Env::with(fast_limit("unthrottled-key")).await;
    let client = bot(&env, "unthrottled-key");
    let mut refused = Vec::new();
    for i in 0..25 {
        if let Err(e) = client.send(WebhookText::new(format!("alert {i}"))).await {
            refused.push(e);
        }
    }
    assert!(refused.len() >= 4, "{}", refused.len());
    assert!(refused.iter().all(wecom::Error::is_rate_limited));
    assert!(refused[0].hint().unwrap().contains("20 messages a minute"));
    // In report mode the throttle refuses locally, having sent nothing.
    let env = Env::with(fast_limit("report-key")).await;
    let throttle = WebhookThrottle::new()
        .limit_to(Limit::new(20, Duration::from_secs(1)))
        .on_limit(OnLimit::Report);
    let client = WebhookClient::builder("report-key")
        .base_url(env.emu.base_url())
        .throttle(throttle)
        .build()
        .unwrap();
    for i in 0..20 {
        client.send(WebhookText::new(format!("ok {i}"))).await.unwrap();
    }
    let err = client.send(WebhookText::new("one too many")).await.unwrap_err();
    assert!(matches!(err, wecom::Error::Throttled { .. }), "{err}");
    assert_eq!(group_messages(&env).await.len(), 20);
}
