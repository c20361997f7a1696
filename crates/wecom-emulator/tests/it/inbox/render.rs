//! Every message kind rendered in the inbox the way the WeCom client shows it, safely (no
//! markup from messages, only http(s) links), one conversation per app, oldest first, with
//! recalled and dropped copies marked, the JSON view byte for byte, a narrow window in one column, and the polling
//! fallback. Saves a screenshot to `target/artifacts/inbox.png`.

use serde_json::json;
use wecom_emulator::Config;

use super::browser::Browser;
use super::support::{BOT, Emu};

mod corpus;

use corpus::{NOTES, RAW_TEXT, msg, send, send_every_kind};

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
  video_layout: {
    title: video.querySelector('figcaption h3.video-title').textContent,
    desc: video.querySelector('figcaption p.video-desc').textContent,
    play: video.querySelector('.video-actions a.video-play').getAttribute('href'),
    apart: video.querySelector('h3.video-title').getBoundingClientRect().bottom <= video.querySelector('p.video-desc').getBoundingClientRect().top
      && video.querySelector('p.video-desc').getBoundingClientRect().bottom <= video.querySelector('a.video-play').getBoundingClientRect().top,
  },
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
};
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_message_kind_renders_as_in_the_client_and_safely() {
    let Some(browser) = Browser::start(1200, 900).await else { return };
    let mut config = Config::demo();
    config.options.member_limit_per_minute = 1;
    let emu = Emu::with(config).await;
    let (ids, files) = send_every_kind(&emu).await;

    // Carol's newest conversation opens: the Build bot's; the two from Notices are in theirs.
    let (notice, dropped) = (ids[8].clone(), ids[9].clone());
    let build_bot: Vec<&String> =
        ids.iter().filter(|id| **id != notice && **id != dropped).collect();
    browser.goto(&emu.url("/#carol")).await;
    browser
        .wait_until(
            "carol's messages",
            &format!(
                "return document.querySelectorAll('#messages article').length === {}",
                build_bot.len()
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
    assert_eq!(got["order"], json!(build_bot), "oldest first");
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
    assert_eq!(
        got["video_layout"],
        json!({ "title": "Demo", "desc": "2 s clip", "play": media_url(files["video"].as_str().unwrap()), "apart": true }),
        "the title, the description and the play link on lines of their own"
    );
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

    // The Notices conversation: the delivered notice and the dropped one.
    browser.click(&browser.find("button.conv[data-key='app:1000003']").await).await;
    let notices = browser
        .wait_until(
            "the Notices conversation",
            &format!(
                "const n = document.querySelector(\"article[data-msgid='{notice}']\"); \
                 const d = document.querySelector(\"article[data-msgid='{dropped}']\"); \
                 return n && d && {{ notice: n.dataset.status, from: d.querySelector('.msg-from').textContent, \
                   badge: [...d.querySelectorAll('.badge.dropped')].map((b) => b.textContent), \
                   count: document.querySelectorAll('#messages article').length }}"
            ),
        )
        .await;
    assert_eq!(
        notices,
        json!({ "notice": "delivered", "from": "Notices", "badge": ["Not delivered: per-member limit"], "count": 2 })
    );
    browser.click(&browser.find("button.conv[data-key='app:1000002']").await).await;
    browser
        .wait_until(
            "the Build bot conversation again",
            &format!(
                "return document.querySelectorAll('#messages article').length === {}",
                build_bot.len()
            ),
        )
        .await;

    // The screenshot for the README, before any view is opened, tall enough for a few kinds.
    browser.resize(1200, 1200).await;
    let png = browser.screenshot().await;
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    std::fs::write(super::artifacts().join("inbox.png"), &png).expect("the screenshot is saved");
    // And the whole conversation, for a look at every kind.
    // The chat scrolls inside its pane: the window grows by what the pane hides.
    let height = browser
        .exec(
            "const m = document.getElementById('messages'); \
             return document.documentElement.clientHeight + m.scrollHeight - m.clientHeight",
            vec![],
        )
        .await;
    let height = u32::try_from(height.as_u64().unwrap_or(900).min(12_000)).unwrap_or(900);
    browser.resize(1200, height + 100).await;
    std::fs::write(super::artifacts().join("inbox-full.png"), browser.screenshot().await)
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
    std::fs::write(super::artifacts().join("narrow.png"), browser.screenshot().await).unwrap();
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
                build_bot.len()
            ),
        )
        .await;
    let polled = send(&emu, BOT, msg("text", json!({ "content": "polled in" }))).await;
    let first = browser
        .wait_until(
            "the polled message",
            "const a = document.querySelector('#messages article:last-of-type'); return a && a.textContent.includes('polled in') && a.dataset.msgid",
        )
        .await;
    assert_eq!(first, polled);
}
