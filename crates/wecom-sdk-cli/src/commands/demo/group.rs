//! The demo's group step: the demo corp's alert bot posts into the "Ops alerts" group through
//! its webhook, as a CI job or an alert adapter would.

use anyhow::Result;
use serde_json::json;
use wecom::webhook::{
    MarkdownV2, WebhookArticle, WebhookClient, WebhookImage, WebhookNews, WebhookText,
};
use wecom_emulator::{DEMO_WEBHOOK_KEY, EmulatorHandle};

use super::Transcript;

/// Posts a text with a mention, a markdown_v2 report, an image and a news article; returns
/// how many messages went out.
pub(super) async fn post(emu: &EmulatorHandle, t: &mut Transcript) -> Result<usize> {
    let bot = WebhookClient::builder(DEMO_WEBHOOK_KEY).base_url(emu.base_url()).build()?;
    bot.send(WebhookText::new("【告警】order-svc p99 = 2.4s，请跟进").mention("alice")).await?;
    t.step("text with a mention of alice", json!({ "step": "webhook", "msgtype": "text" }));
    let report = "# 日报\n\n| 服务 | p99 | 状态 |\n| :--- | :---: | ---: |\n| order | 180ms | 正常 |\n| pay | 2.1s | 告警 |\n\n```\nkubectl rollout undo deploy/pay-svc\n```";
    bot.send(MarkdownV2::new(report)).await?;
    t.step(
        "markdown_v2 report with a table and a code block",
        json!({ "step": "webhook", "msgtype": "markdown_v2" }),
    );
    bot.send(WebhookImage::from_bytes(&super::picture::ALERT.png())?).await?;
    t.step(
        "image (Base64 and MD5 computed by the SDK)",
        json!({ "step": "webhook", "msgtype": "image" }),
    );
    bot.send(WebhookNews::new([WebhookArticle::new(
        "回滚手册",
        "https://wiki.example.com/runbook",
    )]))
    .await?;
    t.step("news article", json!({ "step": "webhook", "msgtype": "news" }));
    Ok(4)
}
