//! Every message kind rendered in the inbox the way the WeCom client shows it, safely (no
//! markup from messages, only http(s) links), newest first, with recalled and dropped copies
//! marked, the JSON view byte for byte, a narrow window in one column, and the polling
//! fallback. Saves a screenshot to `target/artifacts/inbox.png`.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use wecom_emulator::Config;

use super::browser::Browser;
use super::png::gradient;
use super::support::{BOT, Emu, NOTICES, amr_bytes};

/// `target/artifacts`, created.
fn artifacts() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"), PathBuf::from);
    let dir = target.join("artifacts");
    std::fs::create_dir_all(&dir).expect("target/artifacts can be created");
    dir
}

/// Sends as the app, checks success, and moves the clock a minute on (this corp allows one
/// message per member and minute, so that a dropped copy is easy to make).
async fn send(emu: &Emu, agentid: i64, body: Value) -> String {
    let v = emu.send(agentid, &body).await;
    assert_eq!(v["errcode"], 0, "{v}");
    emu.advance(61).await;
    v["msgid"].as_str().unwrap().to_owned()
}

async fn media(emu: &Emu, kind: &str, name: &str, data: Vec<u8>) -> String {
    let v = emu.upload(BOT, &format!("/cgi-bin/media/upload?type={kind}"), Some(name), data).await;
    assert_eq!(v["errcode"], 0, "{v}");
    v["media_id"].as_str().unwrap().to_owned()
}

async fn uploadimg(emu: &Emu, data: Vec<u8>) -> String {
    let v = emu.upload(BOT, "/cgi-bin/media/uploadimg", Some("cover.png"), data).await;
    assert_eq!(v["errcode"], 0, "{v}");
    v["url"].as_str().unwrap().to_owned()
}

fn card(card: Value) -> Value {
    let mut body = json!({ "touser": "carol", "msgtype": "template_card", "agentid": BOT });
    body["template_card"] = card;
    body
}

fn msg(msgtype: &str, content: Value) -> Value {
    let mut body = json!({ "touser": "carol", "msgtype": msgtype, "agentid": BOT });
    body[msgtype] = content;
    body
}

/// The text message, sent as this exact text (spacing and key order are kept).
const RAW_TEXT: &str = r#"{"touser":"carol",  "msgtype":"text", "agentid":1000002,
 "text":{"content":"Build #42 passed.\nSee <a href=\"https://ci.example.com/42\">details</a> or <a href=\"javascript:alert(1)\">click me</a>. <b>not bold</b>"}}"#;

const NOTES: &[u8] = b"v1.4: faster builds\n";

const MARKDOWN: &str = "# Build #42\n**passed** in <font color=\"comment\">12 s</font>, \
    <font color=\"info\">ok</font> with <font color=\"warning\">2 flaky</font>\n\
    Run `cargo test` again or see the [logs](https://ci.example.com/42) ([bad](javascript:alert(1)))\n\
    > retry on main\n\n## Next\nmerge";

#[allow(clippy::too_many_lines)]
async fn send_every_kind(emu: &Emu) -> (Vec<String>, Value) {
    let photo = gradient(320, 180, [57, 117, 198], [120, 200, 160]);
    let image_id = media(emu, "image", "deploy-graph.png", photo.clone()).await;
    let thumb_id =
        media(emu, "image", "thumb.png", gradient(96, 96, [240, 160, 60], [200, 60, 90])).await;
    let file_id = media(emu, "file", "release-notes.txt", NOTES.to_vec()).await;
    let report_id = media(emu, "file", "report.pdf", b"%PDF-1.4 not really".to_vec()).await;
    let voice_id = media(emu, "voice", "note.amr", amr_bytes(1200)).await;
    let mut mp4 = b"\0\0\0\x18ftypmp42".to_vec();
    mp4.resize(64, 0);
    let video_id = media(emu, "video", "demo.mp4", mp4).await;
    let cover_url = uploadimg(emu, gradient(480, 240, [90, 80, 200], [40, 180, 220])).await;
    let icon_url = uploadimg(emu, gradient(36, 36, [220, 70, 60], [250, 170, 60])).await;

    let mut ids = Vec::new();
    ids.push(
        send(
            emu,
            BOT,
            msg(
                "video",
                json!({ "media_id": video_id, "title": "Demo", "description": "2 s clip" }),
            ),
        )
        .await,
    );
    ids.push(send(emu, BOT, msg("voice", json!({ "media_id": voice_id }))).await);
    ids.push(send(emu, BOT, msg("file", json!({ "media_id": file_id }))).await);
    ids.push(send(emu, BOT, json!({ "touser": "carol", "msgtype": "miniprogram_notice", "miniprogram_notice": {
        "appid": "wxdemo0000000001", "page": "pages/room?id=402", "title": "会议室预订成功", "description": "周一上午十点",
        "emphasis_first_item": true,
        "content_item": [ { "key": "会议室", "value": "4F-402" }, { "key": "时间", "value": "10:00-11:00" } ] } })).await);
    ids.push(send(emu, BOT, msg("mpnews", json!({ "articles": [ {
        "title": "Release 1.4", "thumb_media_id": thumb_id, "author": "Platform team",
        "content": "<p style=\"color:#c00\">Inline styled</p><script>window.parent.__mpScript = 1</script><p>Faster builds.</p>",
        "content_source_url": "https://example.com/release-1-4" } ] }))).await);
    ids.push(send(emu, BOT, card(json!({
        "card_type": "news_notice",
        "source": { "icon_url": icon_url, "desc": "Weekly", "desc_color": 3 },
        "main_title": { "title": "Platform weekly", "desc": "Week 1" },
        "card_image": { "url": cover_url, "aspect_ratio": 2.0 },
        "vertical_content_list": [ { "title": "Builds 30% faster", "desc": "new cache" }, { "title": "Two new runners" } ],
        "jump_list": [ { "type": 1, "title": "Read more", "url": "https://example.com/weekly/1" } ],
        "card_action": { "type": 1, "url": "https://example.com/weekly" } }))).await);
    ids.push(send(emu, BOT, card(json!({
        "card_type": "multiple_interaction",
        "main_title": { "title": "Survey" },
        "task_id": "survey-web-1",
        "select_list": [
            { "question_key": "team", "title": "Team", "selected_id": "t2",
              "option_list": [ { "id": "t1", "text": "Infra" }, { "id": "t2", "text": "App" } ] },
            { "question_key": "site", "title": "Site",
              "option_list": [ { "id": "s1", "text": "Shenzhen" }, { "id": "s2", "text": "Beijing" } ] } ],
        "submit_button": { "text": "Send", "key": "survey_submit" } }))).await);
    let recalled = send(emu, BOT, msg("text", json!({ "content": "the secret plan" }))).await;
    let token = emu.token(BOT).await;
    let v = emu
        .post_json(
            &format!("/cgi-bin/message/recall?access_token={token}"),
            &json!({ "msgid": recalled }),
        )
        .await;
    assert_eq!(v["errcode"], 0, "{v}");
    ids.push(recalled);
    // Two from Notices within a minute: the second is dropped by the per-member limit.
    let notice = |text: &str| json!({ "touser": "carol", "msgtype": "text", "agentid": NOTICES, "text": { "content": text } });
    let v = emu.send(NOTICES, &notice("Office closed on Friday")).await;
    ids.push(v["msgid"].as_str().unwrap().to_owned());
    ids.push(send(emu, NOTICES, notice("Office closed on Friday (reminder)")).await);
    ids.push(send(emu, BOT, card(json!({
        "card_type": "vote_interaction",
        "main_title": { "title": "Lunch?" },
        "task_id": "vote-web-1",
        "checkbox": { "question_key": "lunch", "mode": 1, "option_list": [
            { "id": "a", "text": "Noodles", "is_checked": false }, { "id": "b", "text": "Rice", "is_checked": true } ] },
        "submit_button": { "text": "Submit", "key": "lunch_submit" } }))).await);
    ids.push(send(emu, BOT, card(json!({
        "card_type": "text_notice",
        "source": { "icon_url": icon_url, "desc": "Monitoring", "desc_color": 2 },
        "main_title": { "title": "Uptime this month", "desc": "all regions" },
        "emphasis_content": { "title": "99.95%", "desc": "SLO 99.9%" },
        "quote_area": { "type": 1, "url": "https://status.example.com", "title": "Incident", "quote_text": "12 min on the 3rd" },
        "sub_title_text": "Details in the report.",
        "horizontal_content_list": [
            { "keyname": "Owner", "value": "SRE" },
            { "type": 1, "keyname": "Dashboard", "value": "Grafana", "url": "https://grafana.example.com" },
            { "type": 2, "keyname": "Report", "value": "report.pdf", "media_id": report_id },
            { "type": 3, "keyname": "On call", "value": "Alice", "userid": "alice" } ],
        "jump_list": [ { "type": 1, "title": "Status page", "url": "https://status.example.com" },
                       { "type": 2, "title": "Mini program", "appid": "wxdemo0000000001", "pagepath": "pages/index" } ],
        "card_action": { "type": 1, "url": "https://status.example.com/month" } }))).await);
    ids.push(send(emu, BOT, msg("image", json!({ "media_id": image_id }))).await);
    ids.push(send(emu, BOT, msg("news", json!({ "articles": [
        { "title": "Release 1.4 is out", "description": "Faster builds, fewer flakes", "url": "https://example.com/1.4", "picurl": cover_url },
        { "title": "Migration guide", "url": "https://example.com/1.4/migrate", "picurl": icon_url } ] }))).await);
    ids.push(send(emu, BOT, msg("textcard", json!({ "title": "Expense approved",
        "description": "<div class=\"gray\">2025-01-01</div><div class=\"normal\">Trip to SZ</div><div class=\"highlight\">Amount: 1,200</div>",
        "url": "https://example.com/expense/77" }))).await);
    ids.push(send(emu, BOT, msg("markdown", json!({ "content": MARKDOWN }))).await);
    ids.push(send(emu, BOT, card(json!({
        "card_type": "button_interaction",
        "source": { "icon_url": icon_url, "desc": "Release bot" },
        "main_title": { "title": "Deploy v1.4 to prod?", "desc": "requested by bob" },
        "sub_title_text": "3 services, 12 pods",
        "horizontal_content_list": [ { "keyname": "Env", "value": "prod" } ],
        "card_action": { "type": 1, "url": "https://ci.example.com/r/14" },
        "task_id": "deploy-web-2",
        "button_selection": { "question_key": "window", "title": "Window", "selected_id": "night",
            "option_list": [ { "id": "now", "text": "Now" }, { "id": "night", "text": "Tonight" } ] },
        "button_list": [ { "text": "Approve", "style": 1, "key": "approve" }, { "text": "Reject", "style": 2, "key": "reject" },
                         { "type": 1, "text": "Logs", "style": 4, "url": "https://ci.example.com/r/14/logs" } ] }))).await);
    let v = emu.post_raw(&format!("/cgi-bin/message/send?access_token={token}"), RAW_TEXT).await;
    assert_eq!(v["errcode"], 0, "{v}");
    ids.push(v["msgid"].as_str().unwrap().to_owned());
    emu.advance(61).await;
    let media_ids = json!({ "image": image_id, "file": file_id, "report": report_id, "video": video_id, "cover": cover_url });
    (ids, media_ids)
}

/// What the page rendered, collected in one script: `arguments[0]` is the list of msgids in
/// send order.
const COLLECT: &str = r#"
const ids = arguments[0];
const art = (i) => document.querySelector(`article[data-msgid="${ids[i]}"]`);
const texts = (el, sel) => [...el.querySelectorAll(sel)].map((e) => e.textContent);
const [video, voice, file, mini, mpnews, newsCard, multi, recalled, notice, dropped, vote, notice2, image, news, textcard, md, button, text] = ids.map((_, i) => art(i));
const frame = mpnews.querySelector('iframe');
return {
  order: [...document.querySelectorAll('#messages article')].map((a) => a.dataset.msgid),
  js_links: document.querySelectorAll('a[href^="javascript"]').length,
  text: {
    links: [...text.querySelectorAll('.bubble a')].map((a) => [a.textContent, a.href, a.target]),
    refused: texts(text, '.bubble .bad-link'),
    literal: text.querySelector('.bubble').textContent.includes('<b>not bold</b>'),
    elements: text.querySelectorAll('.bubble b').length,
    breaks: text.querySelectorAll('.bubble br').length,
  },
  markdown: {
    h1: texts(md, 'h3.md-h1'), h2: texts(md, 'h4.md-h2'), bold: texts(md, 'strong'), code: texts(md, 'code'),
    links: [...md.querySelectorAll('a.md-link')].map((a) => [a.textContent, a.href]),
    refused: texts(md, '.bad-link'),
    info: texts(md, '.md-info'), comment: texts(md, '.md-comment'), warning: texts(md, '.md-warning'),
    quote: texts(md, 'blockquote.md-quote'),
  },
  textcard: {
    gray: texts(textcard, '.tc-gray'), normal: texts(textcard, '.tc-normal'), highlight: texts(textcard, '.tc-highlight'),
    button: textcard.querySelector('a.tc-button').textContent, url: textcard.querySelector('a.tc-button').href,
  },
  news: { titles: texts(news, '.article-title'), cover: news.querySelector('img.cover').src },
  image: image.querySelector('img.preview').getAttribute('src'),
  file: [file.querySelector('a.download').textContent, file.querySelector('a.download').getAttribute('href')],
  voice: voice.querySelector('a.download').textContent,
  video: video.querySelector('video').getAttribute('src'),
  mini: { emphasis: texts(mini, '.mp-item.emphasis dd'), items: mini.querySelectorAll('.mp-item').length },
  mpnews: { sandbox: frame.getAttribute('sandbox'), hidden: frame.hidden, styled: frame.srcdoc.includes('Inline styled'), author: texts(mpnews, '.article-author') },
  text_notice: {
    emphasis: texts(notice2, '.emphasis-title'), quote: texts(notice2, '.quote-text'),
    horizontal: [...notice2.querySelectorAll('.hz-row')].map((r) => [r.querySelector('dt').textContent, r.querySelector('dd').textContent]),
    attachment: notice2.querySelector('a.hz-file').getAttribute('href'),
    jumps: texts(notice2, '.card-jumps li'), source: notice2.querySelector('.source-desc').className,
  },
  news_notice: { ratio: newsCard.querySelector('img.card-image').style.aspectRatio, vertical: texts(newsCard, '.vertical-title') },
  button: {
    selected: button.querySelector('select').value,
    buttons: [...button.querySelectorAll('.card-buttons .btn')].map((b) => [b.tagName, b.textContent, b.className]),
  },
  vote: { mode: vote.querySelector('fieldset').dataset.mode, inputs: [...vote.querySelectorAll('input')].map((i) => [i.type, i.checked]) },
  multiple: [...multi.querySelectorAll('.selector-row')].map((r) => [r.querySelector('label').textContent, r.querySelector('select').value]),
  recalled: { text: recalled.textContent.includes('Message recalled'), leaked: recalled.textContent.includes('secret plan') },
  dropped: { badge: texts(dropped, '.badge.dropped'), from: dropped.querySelector('.msg-from').textContent },
  delivered_notice: notice.dataset.status,
};
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_message_kind_renders_as_in_the_client_and_safely() {
    let Some(browser) = Browser::start(1200, 900).await else { return };
    let mut config = Config::demo();
    config.options.member_limit_per_minute = 1;
    let emu = Emu::with(config).await;
    let (ids, files) = send_every_kind(&emu).await;

    browser.goto(&emu.url("/#carol")).await;
    browser
        .wait_until(
            "carol's messages",
            &format!(
                "return document.querySelectorAll('#messages article').length === {}",
                ids.len()
            ),
        )
        .await;
    browser
        .wait_until(
            "the images to load",
            "return [...document.querySelectorAll('#messages img')].every((i) => i.complete && i.naturalWidth > 0)",
        )
        .await;
    let got = browser.exec(COLLECT, vec![json!(ids)]).await;
    let newest_first: Vec<&String> = ids.iter().rev().collect();
    assert_eq!(got["order"], json!(newest_first), "newest first");
    assert_eq!(got["js_links"], 0, "no javascript: link anywhere");
    assert_eq!(
        got["text"],
        json!({ "links": [["details", "https://ci.example.com/42", "_blank"]], "refused": ["click me"],
                "literal": true, "elements": 0, "breaks": 1 })
    );
    assert_eq!(
        got["markdown"],
        json!({ "h1": ["Build #42"], "h2": ["Next"], "bold": ["passed"], "code": ["cargo test"],
                "links": [["logs", "https://ci.example.com/42"]], "refused": ["bad"],
                "info": ["ok"], "comment": ["12 s"], "warning": ["2 flaky"], "quote": ["retry on main"] })
    );
    assert_eq!(
        got["textcard"],
        json!({ "gray": ["2025-01-01"], "normal": ["Trip to SZ"], "highlight": ["Amount: 1,200"],
                "button": "详情 ›", "url": "https://example.com/expense/77" })
    );
    assert_eq!(got["news"]["titles"], json!(["Release 1.4 is out", "Migration guide"]));
    assert_eq!(got["news"]["cover"], files["cover"]);
    let media_url = |id: &str| format!("/emulator/media/{id}");
    assert_eq!(got["image"], media_url(files["image"].as_str().unwrap()));
    assert_eq!(
        got["file"],
        json!([
            format!("release-notes.txt · {} B", NOTES.len()),
            media_url(files["file"].as_str().unwrap())
        ])
    );
    assert!(got["voice"].as_str().unwrap().starts_with("note.amr"), "{}", got["voice"]);
    assert_eq!(got["video"], media_url(files["video"].as_str().unwrap()));
    assert_eq!(got["mini"], json!({ "emphasis": ["4F-402"], "items": 2 }));
    assert_eq!(
        got["mpnews"],
        json!({ "sandbox": "", "hidden": true, "styled": true, "author": ["Platform team"] })
    );
    assert_eq!(got["text_notice"]["emphasis"], json!(["99.95%"]));
    assert_eq!(got["text_notice"]["quote"], json!(["12 min on the 3rd"]));
    assert_eq!(
        got["text_notice"]["horizontal"],
        json!([
            ["Owner", "SRE"],
            ["Dashboard", "Grafana"],
            ["Report", "📎 report.pdf"],
            ["On call", "@Alice"]
        ])
    );
    assert_eq!(got["text_notice"]["attachment"], media_url(files["report"].as_str().unwrap()));
    assert_eq!(got["text_notice"]["jumps"], json!(["Status page ›", "Mini program ›"]));
    assert_eq!(got["text_notice"]["source"], "source-desc desc-red");
    assert_eq!(
        got["news_notice"],
        json!({ "ratio": "2 / 1", "vertical": ["Builds 30% faster", "Two new runners"] })
    );
    assert_eq!(got["button"]["selected"], "night");
    assert_eq!(
        got["button"]["buttons"],
        json!([
            ["BUTTON", "Approve", "btn style-1"],
            ["BUTTON", "Reject", "btn style-2"],
            ["A", "Logs", "btn style-4"]
        ])
    );
    assert_eq!(
        got["vote"],
        json!({ "mode": "multi", "inputs": [["checkbox", false], ["checkbox", true]] })
    );
    assert_eq!(got["multiple"], json!([["Team", "t2"], ["Site", "s1"]]));
    assert_eq!(got["recalled"], json!({ "text": true, "leaked": false }));
    assert_eq!(got["dropped"]["from"], "Notices");
    assert_eq!(got["dropped"]["badge"], json!(["Not delivered: per-member limit"]));
    assert_eq!(got["delivered_notice"], "delivered");

    // The screenshot for the README, before any view is opened, tall enough for a few kinds.
    browser.resize(1200, 1200).await;
    let png = browser.screenshot().await;
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    std::fs::write(artifacts().join("inbox.png"), &png).expect("the screenshot is saved");
    // And the whole conversation, for a look at every kind.
    let height = browser.exec("return document.documentElement.scrollHeight", vec![]).await;
    let height = u32::try_from(height.as_u64().unwrap_or(900).min(12_000)).unwrap_or(900);
    browser.resize(1200, height + 100).await;
    std::fs::write(artifacts().join("inbox-full.png"), browser.screenshot().await)
        .expect("the screenshot is saved");
    browser.resize(1200, 900).await;

    // The mpnews article opens in its sandboxed frame; its script did not run.
    let mp = format!("article[data-msgid='{}']", ids[4]);
    let read = browser.find(&format!("{mp} .read-toggle")).await;
    browser.click(&read).await;
    let shown = browser
        .exec(&format!("const f = document.querySelector(\"{mp} iframe\"); return [f.hidden, f.offsetHeight > 0, document.querySelector(\"{mp} .read-toggle\").getAttribute('aria-expanded')]"), vec![])
        .await;
    assert_eq!(shown, json!([false, true, "true"]));
    assert_eq!(browser.exec("return window.__mpScript === undefined", vec![]).await, true);

    // The JSON view shows the body exactly as sent.
    let text = format!("article[data-msgid='{}']", ids.last().unwrap());
    let summary = browser.find(&format!("{text} details.raw summary")).await;
    browser.click(&summary).await;
    let raw = browser
        .wait_until(
            "the raw body",
            &format!("const p = document.querySelector(\"{text} pre.raw-json\"); return p && p.textContent !== 'loading…' && p.textContent"),
        )
        .await;
    assert_eq!(raw, RAW_TEXT);

    // A narrow window: one column, nothing wider than the window.
    browser.resize(420, 900).await;
    let narrow = browser
        .wait_until(
            "the one-column layout",
            "const m = document.querySelector('.members').getBoundingClientRect(); \
             const c = document.querySelector('.conversation').getBoundingClientRect(); \
             return m.bottom <= c.top && window.innerWidth < 500 && { fits: document.documentElement.scrollWidth <= window.innerWidth }",
        )
        .await;
    let wide = browser.exec("return [window.innerWidth, document.documentElement.scrollWidth, [...document.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 15).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))]", vec![]).await;
    std::fs::write(artifacts().join("narrow.png"), browser.screenshot().await).unwrap();
    assert_eq!(narrow, json!({ "fits": true }), "{wide:#}");
    browser.resize(1200, 900).await;

    // Without the event stream the page polls, and new messages still arrive.
    browser.goto(&emu.url("/?transport=poll#carol")).await;
    browser
        .wait_until(
            "polling mode",
            "return document.getElementById('live').dataset.mode === 'polling'",
        )
        .await;
    browser
        .wait_until(
            "the conversation",
            &format!(
                "return document.querySelectorAll('#messages article').length === {}",
                ids.len()
            ),
        )
        .await;
    let polled = send(&emu, BOT, msg("text", json!({ "content": "polled in" }))).await;
    let first = browser
        .wait_until(
            "the polled message",
            "const a = document.querySelector('#messages article'); return a && a.textContent.includes('polled in') && a.dataset.msgid",
        )
        .await;
    assert_eq!(first, polled);
}
