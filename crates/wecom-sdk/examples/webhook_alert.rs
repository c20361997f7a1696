//! Posts an alert into a group through its webhook: a markdown summary (split if long) and a
//! text that mentions whoever is on call. Run it in a burst and nothing is lost: the throttle
//! keeps the key within WeCom's 20 messages per minute.
//!
//! ```text
//! export WECOM_WEBHOOK_URL='https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…'
//! cargo run -p wecom-sdk --example webhook_alert -- zhangsan "order-svc p99 = 2.4s"
//! ```
//!
//! Against the emulator (`wecom emulator`): `WECOM_WEBHOOK_KEY=demo-webhook-key-0000-0000-000000000001
//! WECOM_BASE_URL=http://127.0.0.1:8080`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use wecom::webhook::{Markdown, WebhookClientBuilder, WebhookText, WebhookThrottle};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            if let Some(hint) = err.hint() {
                eprintln!("hint: {hint}");
            }
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> wecom::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(oncall), Some(summary)) = (args.next(), args.next()) else {
        eprintln!("usage: webhook_alert ONCALL_USERID SUMMARY");
        std::process::exit(2);
    };
    let bot = WebhookClientBuilder::from_env()?.throttle(WebhookThrottle::new()).build()?;
    let report = format!(
        "## <font color=\"warning\">告警</font> {summary}\n>来源：webhook_alert 示例\n>值班：<@{oncall}>"
    );
    let sent = bot.send_split(Markdown::new(report)).await?;
    bot.send(WebhookText::new(format!("请跟进：{summary}")).mention(oncall)).await?;
    println!("alert posted ({} messages)", sent + 1);
    Ok(())
}
