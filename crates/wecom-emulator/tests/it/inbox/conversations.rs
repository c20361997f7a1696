//! The inbox laid out like the WeCom client, in a real browser: the member's conversation
//! list (apps, the group, the AI bot) with unread counts that opening a conversation clears;
//! a chat read oldest first with date separators by the emulator's clock, kept scrolled to
//! the newest as messages arrive; and the explanation a member outside every app's visible
//! range gets instead of a send box.

use serde_json::{Value, json};
use wecom_emulator::DEMO_WEBHOOK_KEY;

use super::browser::Browser;
use super::support::{BOT, Emu};

async fn post_to_group(emu: &Emu, content: &str) {
    let body = json!({ "msgtype": "text", "text": { "content": content } });
    let v = emu.post_json(&format!("/cgi-bin/webhook/send?key={DEMO_WEBHOOK_KEY}"), &body).await;
    assert_eq!(v["errcode"], 0, "{v}");
}

async fn send(emu: &Emu, to: &str, content: &str) -> String {
    let v = emu.send_text(to, content).await;
    assert_eq!(v["errcode"], 0, "{v}");
    v["msgid"].as_str().unwrap().to_owned()
}

/// The list as the page shows it: key, unread badge, preview.
const LIST: &str = r"
return [...document.querySelectorAll('#conversations button.conv')].map((b) => ({
  key: b.dataset.key,
  unread: b.querySelector('.unread')?.textContent ?? null,
  preview: b.querySelector('.conv-preview').textContent,
  open: b.getAttribute('aria-pressed') === 'true',
}));
";

async fn server_unread(emu: &Emu, userid: &str, key: &str) -> Value {
    let list = emu.get_json(&format!("/emulator/users/{userid}/conversations")).await;
    list["conversations"].as_array().unwrap().iter().find(|c| c["key"] == key).unwrap()["unread"]
        .clone()
}

/// Waits (up to 10 s) until the server's unread count of `key` is `want`: the page records
/// a read just after it renders the conversation.
async fn settles_at(emu: &Emu, userid: &str, key: &str, want: u64) {
    for _ in 0..100 {
        if server_unread(emu, userid, key).await == want {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "{userid}'s {key} stays at {} unread, not {want}",
        server_unread(emu, userid, key).await
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_conversation_list_shows_unread_counts_and_opening_a_conversation_clears_them() {
    let Some(browser) = Browser::start(1200, 800).await else { return };
    let emu = Emu::demo().await;
    for n in 1..=3 {
        send(&emu, "bob", &format!("build {n} passed")).await;
    }
    emu.advance(60).await;
    post_to_group(&emu, "磁盘使用率 91%").await;
    post_to_group(&emu, "disk full on db-1").await;

    // bob's newest conversation (the group) opens by itself: read; the app's stay unread.
    browser.goto(&emu.url("/#bob")).await;
    let list = browser
        .wait_until(
            "bob's conversations",
            &format!("const l = (() => {{ {LIST} }})(); return l.length === 5 && l[0].open && l"),
        )
        .await;
    // Chat ops (in bob's range, quiet) aside:
    let keep = [
        "group:wrdemo-ops".to_owned(),
        format!("app:{BOT}"),
        "aibot:aib_demo".to_owned(),
        "aibot:aib_ws_demo".to_owned(),
    ];
    let list: Vec<&Value> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| keep.iter().any(|k| c["key"] == k.as_str()))
        .collect();
    assert_eq!(
        json!(list),
        json!([
            { "key": "group:wrdemo-ops", "unread": null, "preview": "Alert bot: disk full on db-1", "open": true },
            { "key": format!("app:{BOT}"), "unread": "3", "preview": "build 3 passed", "open": false },
            { "key": "aibot:aib_demo", "unread": null, "preview": "No messages yet", "open": false },
            { "key": "aibot:aib_ws_demo", "unread": null, "preview": "No messages yet", "open": false },
        ])
    );
    settles_at(&emu, "bob", "group:wrdemo-ops", 0).await;
    assert_eq!(server_unread(&emu, "bob", &format!("app:{BOT}")).await, 3);
    std::fs::write(super::artifacts().join("inbox-conversations.png"), browser.screenshot().await)
        .unwrap();

    // Opening the app's conversation clears its count, in the page and on the server.
    let app = format!("button.conv[data-key='app:{BOT}']");
    browser.click(&browser.find(&app).await).await;
    browser
        .wait_until(
            "the app's count cleared",
            &format!(
                "const b = document.querySelector(\"{app}\"); \
                 return b.getAttribute('aria-pressed') === 'true' && !b.querySelector('.unread') \
                 && document.querySelectorAll('#messages article').length === 3"
            ),
        )
        .await;
    settles_at(&emu, "bob", &format!("app:{BOT}"), 0).await;

    // Live: a group post while the app is open counts there; the app's own new message is
    // read at once, since its conversation is open.
    post_to_group(&emu, "db-1 recovered").await;
    let newest = send(&emu, "bob", "build 4 passed").await;
    browser
        .wait_until(
            "the live updates",
            &format!(
                "const g = document.querySelector(\"button.conv[data-key='group:wrdemo-ops'] .unread\"); \
                 const last = document.querySelector('#messages article:last-of-type'); \
                 return g && g.textContent === '1' && last.dataset.msgid === '{newest}'"
            ),
        )
        .await;
    browser
        .wait_until(
            "the open conversation to stay read",
            &format!("return !document.querySelector(\"{app} .unread\")"),
        )
        .await;
    settles_at(&emu, "bob", &format!("app:{BOT}"), 0).await;
    assert_eq!(server_unread(&emu, "bob", "group:wrdemo-ops").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chat_reads_oldest_first_with_date_separators_and_stays_at_the_newest() {
    let Some(browser) = Browser::start(1000, 700).await else { return };
    let emu = Emu::demo().await;
    let mut sent = vec![send(&emu, "bob", "two days ago").await];
    emu.advance(24 * 3600).await;
    sent.push(send(&emu, "bob", "yesterday").await);
    emu.advance(24 * 3600).await;
    for n in 0..12 {
        sent.push(send(&emu, "bob", &format!("today #{n}: 今天的构建已完成，请查看报告。")).await);
    }

    browser.goto(&emu.url(&format!("/#bob/app:{BOT}"))).await;
    let view = browser
        .wait_until(
            "the chat",
            &format!(
                "const list = document.getElementById('messages'); \
                 const arts = [...list.querySelectorAll('article')]; \
                 if (arts.length !== {}) return false; \
                 return {{ order: arts.map((a) => a.dataset.msgid), \
                   separators: [...list.querySelectorAll('.day-sep')].map((s) => s.textContent), \
                   before: [...list.querySelectorAll('.day-sep')].map((s) => s.nextElementSibling.dataset.msgid), \
                   scrolls: list.scrollHeight > list.clientHeight, \
                   at_bottom: list.scrollHeight - list.scrollTop - list.clientHeight <= 2 }}",
                sent.len()
            ),
        )
        .await;
    assert_eq!(view["order"], json!(sent), "oldest first");
    let separators: Vec<&str> =
        view["separators"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    assert_eq!(separators.len(), 3, "{view}");
    let date = separators[0];
    assert!(
        date.len() == 14 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-',
        "a date with its weekday: {date}"
    );
    assert_eq!(&separators[1..], ["Yesterday", "Today"]);
    assert_eq!(view["before"], json!([sent[0], sent[1], sent[2]]), "each day's first message");
    assert_eq!(view["scrolls"], true, "enough messages to scroll");
    assert_eq!(view["at_bottom"], true, "scrolled to the newest");
    std::fs::write(super::artifacts().join("inbox-chat.png"), browser.screenshot().await).unwrap();

    // Scrolled to the top, a new message brings the view back to the newest.
    browser.exec("document.getElementById('messages').scrollTop = 0; return true", vec![]).await;
    let newest = send(&emu, "bob", "one more").await;
    browser
        .wait_until(
            "the new message at the bottom, in view",
            &format!(
                "const list = document.getElementById('messages'); \
                 const last = list.querySelector('article:last-of-type'); \
                 return last.dataset.msgid === '{newest}' \
                   && list.scrollHeight - list.scrollTop - list.clientHeight <= 2"
            ),
        )
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_outside_every_range_sees_why_instead_of_a_send_box() {
    let Some(browser) = Browser::start(1200, 800).await else { return };
    let emu = Emu::demo_erin_outside().await;
    browser.goto(&emu.url("/#erin")).await;
    let shown = browser
        .wait_until(
            "the explanation",
            "const e = document.querySelector('#messages .out-of-range'); \
             return e && { text: e.textContent, apps: [...e.querySelectorAll('li strong')].map((s) => s.textContent), \
               compose: document.getElementById('compose').offsetParent !== null, \
               conversations: [...document.querySelectorAll('button.conv')].map((b) => b.dataset.key) }",
        )
        .await;
    assert_eq!(shown["apps"], json!(["Build bot", "Notices"]), "{shown}");
    let text = shown["text"].as_str().unwrap();
    assert!(text.contains("Erin is outside every app's visible range"), "{text}");
    assert!(text.contains("(agentid 1000002) — Erin is not in its visible range"), "{text}");
    assert_eq!(shown["compose"], false, "no send box");
    assert_eq!(
        shown["conversations"],
        json!(["aibot:aib_demo", "aibot:aib_ws_demo"]),
        "no app conversation"
    );
    std::fs::write(super::artifacts().join("inbox-out-of-range.png"), browser.screenshot().await)
        .unwrap();

    // A conversation the member cannot write in: the group, where only its bots post.
    browser.goto(&emu.url("/#bob/group:wrdemo-ops")).await;
    let group = browser
        .wait_until(
            "the group's note",
            "const e = document.getElementById('explain'); \
             return !e.hidden && e.offsetParent !== null && { text: e.textContent, compose: document.getElementById('compose').offsetParent !== null }",
        )
        .await;
    assert!(group["text"].as_str().unwrap().contains("Only the group's webhook bots post here"));
    assert_eq!(group["compose"], false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ai_bot_conversation_takes_the_members_question_from_the_send_box() {
    let Some(browser) = Browser::start(1200, 800).await else { return };
    // The bot's server answers 200 with no body: the turn ends without an answer.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/bot", listener.local_addr().unwrap());
    let router = axum::Router::new().route("/bot", axum::routing::post(|| async { "" }));
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let mut config = wecom_emulator::Config::demo();
    config.aibots[0].callback_url = Some(url);
    let emu = Emu::with(config).await;

    browser.goto(&emu.url("/#carol/aibot:aib_demo")).await;
    browser
        .wait_until(
            "the bot's conversation",
            "return document.getElementById('who').textContent === 'Ask me' && !document.getElementById('compose').hidden",
        )
        .await;
    let input = browser.find("#compose-text").await;
    browser.type_text(&input, "今天谁值班？\u{E007}").await;
    let chat = browser
        .wait_until(
            "the question and the bot's (missing) answer",
            "const arts = [...document.querySelectorAll('#messages article')]; \
             return arts.length === 2 && arts[1].textContent.includes('no answer') && \
               { mine: arts[0].classList.contains('mine') && arts[0].querySelector('.bubble').textContent, \
                 preview: document.querySelector(\"button.conv[data-key='aibot:aib_demo'] .conv-preview\").textContent }",
        )
        .await;
    assert_eq!(chat, json!({ "mine": "今天谁值班？", "preview": "You: 今天谁值班？" }));
    let turns = emu.get_json("/emulator/aibots/aib_demo/turns?userid=carol").await;
    assert_eq!(turns["turns"][0]["callback"]["text"]["content"], "今天谁值班？", "{turns}");
}
