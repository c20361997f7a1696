//! A group conversation in a real browser: every webhook kind posted to the demo group is
//! rendered (markdown_v2 tables and code blocks, the inline image, news, the file, the
//! cards), oldest first, and mentions are highlighted for the member viewing the group.

use md5::Digest as _;
use serde_json::{Value, json};
use wecom_emulator::DEMO_WEBHOOK_KEY;

use super::browser::Browser;
use super::support::Emu;

const PNG_B64: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

async fn post(emu: &Emu, body: Value) {
    let v = emu.post_json(&format!("/cgi-bin/webhook/send?key={DEMO_WEBHOOK_KEY}"), &body).await;
    assert_eq!(v["errcode"], 0, "{v}");
}

const COLLECT: &str = r"
const arts = [...document.querySelectorAll('#messages article')];
const by = (t) => arts.filter((a) => a.dataset.msgtype === t);
const texts = (el, sel) => [...el.querySelectorAll(sel)].map((e) => e.textContent);
return {
  count: arts.length,
  text_mentions: texts(by('text')[0], '.mention-me'),
  md_mention: texts(by('markdown')[0], '.bubble .mention'),
  md_warning: texts(by('markdown')[0], '.md-font-warning'),
  table: texts(by('markdown_v2')[0], 'table.md-table td'),
  header: texts(by('markdown_v2')[0], 'table.md-table th'),
  code: texts(by('markdown_v2')[0], 'pre.md-pre code'),
  image: by('image')[0].querySelector('img.webhook-image').getAttribute('src'),
  news: texts(by('news')[0], '.article-title'),
  file: by('file')[0].textContent,
  cards: by('template_card').map((a) => a.querySelector('.card-title').textContent),
  highlighted: document.querySelectorAll('article.mentions-me').length,
};
";

#[tokio::test]
async fn a_group_conversation_renders_every_webhook_kind() {
    let emu = Emu::demo().await;
    let Some(browser) = Browser::start(1200, 900).await else { return };
    post(&emu, json!({ "msgtype": "text", "text": { "content": "disk full <@bob>", "mentioned_list": ["alice"] } })).await;
    post(&emu, json!({ "msgtype": "markdown", "markdown": { "content": "## 发布\n>状态：<font color=\"warning\">失败</font> <@carol>" } })).await;
    post(&emu, json!({ "msgtype": "markdown_v2", "markdown_v2": { "content": "| 服务 | p99 |\n| :--- | ---: |\n| order | 180ms |\n\n```\nkubectl get pods\n```" } })).await;
    let png = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, PNG_B64).unwrap();
    let md5: String =
        md5::Md5::digest(&png).iter().fold(String::new(), |s, b| s + &format!("{b:02x}"));
    post(&emu, json!({ "msgtype": "image", "image": { "base64": PNG_B64, "md5": md5 } })).await;
    post(&emu, json!({ "msgtype": "news", "news": { "articles": [{ "title": "回滚手册", "url": "https://wiki.example.com/r" }] } })).await;
    let part = reqwest::multipart::Part::bytes(b"hello world".to_vec()).file_name("report.txt");
    let form = reqwest::multipart::Form::new().part("media", part);
    let url = emu.url(&format!("/cgi-bin/webhook/upload_media?key={DEMO_WEBHOOK_KEY}&type=file"));
    let up: Value = emu.http.post(url).multipart(form).send().await.unwrap().json().await.unwrap();
    post(&emu, json!({ "msgtype": "file", "file": { "media_id": up["media_id"] } })).await;
    post(&emu, json!({ "msgtype": "template_card", "template_card": { "card_type": "text_notice", "main_title": { "title": "延迟告警" }, "card_action": { "type": 1, "url": "https://a.example.com" } } })).await;
    post(&emu, json!({ "msgtype": "template_card", "template_card": { "card_type": "news_notice", "main_title": { "title": "已发布" }, "card_image": { "url": "https://img.example.com/b.png", "aspect_ratio": 2.0 }, "card_action": { "type": 1, "url": "https://ci.example.com" } } })).await;

    // alice's conversation list holds the group, newest first: it opens on it.
    browser.goto(&emu.url("/#alice")).await;
    browser
        .wait_until(
            "the group in alice's conversations",
            "return document.querySelector(\"button.conv[data-key='group:wrdemo-ops']\")?.getAttribute('aria-pressed') === 'true'",
        )
        .await;
    browser
        .wait_until(
            "eight messages viewed as alice",
            "return document.querySelectorAll('#messages article').length === 8 && document.querySelectorAll('.mention-me').length > 0",
        )
        .await;
    let r = browser.exec(COLLECT, vec![]).await;
    assert_eq!(r["count"], 8, "{r}");
    assert_eq!(r["text_mentions"], json!(["@alice"]), "{r}");
    assert_eq!(r["md_mention"], json!(["@carol"]));
    assert_eq!(r["md_warning"], json!(["失败"]));
    assert_eq!(r["header"], json!(["服务", "p99"]));
    assert_eq!(r["table"], json!(["order", "180ms"]));
    assert_eq!(r["code"], json!(["kubectl get pods"]));
    assert_eq!(r["image"], format!("data:image/png;base64,{PNG_B64}"));
    assert_eq!(r["news"], json!(["回滚手册"]));
    assert!(r["file"].as_str().unwrap().contains("report.txt"), "{r}");
    assert_eq!(r["cards"], json!(["延迟告警", "已发布"]), "oldest first");
    assert_eq!(r["highlighted"], 1, "only the text mentions alice: {r}");
    let shot = browser.screenshot().await;
    std::fs::write(super::artifacts().join("inbox-group.png"), shot).unwrap();
}

const COLLECT_APPCHAT: &str = r#"
const arts = [...document.querySelectorAll('#messages article')];
const by = (t) => arts.find((a) => a.dataset.msgtype === t);
const conv = document.querySelector("button.conv[data-key='group:rel14']");
return {
  listed: conv !== null,
  open: conv?.getAttribute('aria-pressed') === 'true',
  webhook_group: document.querySelector("button.conv[data-key='group:wrdemo-ops']") !== null,
  count: arts.length,
  all_appchat: arts.every((a) => a.dataset.kind === 'appchat'),
  senders: arts.map((a) => a.querySelector('.sender-app')?.textContent ?? null),
  text: by('text').textContent,
  card: by('textcard').textContent,
  markdown: by('markdown').textContent,
  dropped: arts.map((a) => a.querySelector('.dropped-note')?.textContent ?? ''),
};
"#;

#[tokio::test]
async fn an_app_chat_is_listed_with_its_kind_and_renders_the_apps_messages() {
    let mut config = wecom_emulator::Config::demo();
    config.options.chat_member_limit_per_minute = 2;
    let emu = Emu::with(config).await;
    let Some(browser) = Browser::start(1200, 900).await else { return };
    let app = wecom_emulator::DEMO_CHAT_APP;
    let token = emu.token(app).await;
    let call = |verb: &'static str, body: Value| {
        let path = format!("/cgi-bin/appchat/{verb}?access_token={token}");
        let emu = &emu;
        async move {
            let v = emu.post_json(&path, &body).await;
            assert_eq!(v["errcode"], 0, "{verb}: {v}");
        }
    };
    call("create", json!({ "name": "Release 1.4", "owner": "alice", "userlist": ["alice", "bob"], "chatid": "rel14" })).await;
    call(
        "send",
        json!({ "chatid": "rel14", "msgtype": "text", "text": { "content": "branch cut" } }),
    )
    .await;
    call("send", json!({ "chatid": "rel14", "msgtype": "textcard", "textcard": { "title": "Release notes", "description": "v1.4", "url": "https://example.com/r" } })).await;
    // The third in a minute is over the lowered limit: dropped for both, still `ok`.
    call("send", json!({ "chatid": "rel14", "msgtype": "markdown", "markdown": { "content": "**shipped**" } })).await;

    browser.goto(&emu.url("/#alice/group:rel14")).await;
    browser
        .wait_until(
            "the chat's three messages",
            "return document.querySelectorAll('#messages article').length === 3",
        )
        .await;
    let r = browser.exec(COLLECT_APPCHAT, vec![]).await;
    assert_eq!(r["listed"], true, "the app chat is one of alice's conversations: {r}");
    assert_eq!(r["open"], true, "{r}");
    assert_eq!(r["webhook_group"], true, "beside the webhook group: {r}");
    assert_eq!(r["count"], 3);
    assert_eq!(r["all_appchat"], true);
    assert_eq!(r["senders"], json!(["Chat ops · app", "Chat ops · app", "Chat ops · app"]));
    assert!(r["text"].as_str().unwrap().contains("branch cut"), "{r}");
    assert!(r["card"].as_str().unwrap().contains("Release notes"), "{r}");
    assert!(r["markdown"].as_str().unwrap().contains("shipped"), "{r}");
    // Oldest first: the markdown, third in the minute, is the one dropped.
    assert_eq!(r["dropped"][0], "");
    assert!(r["dropped"][2].as_str().unwrap().contains("Dropped for alice, bob"), "{r}");
    let shot = browser.screenshot().await;
    std::fs::write(super::artifacts().join("inbox-appchat.png"), shot).unwrap();
}
