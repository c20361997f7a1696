//! The routes behind the web inbox: the page and its files, the member list, a member's
//! view, the change stream (server-sent events), media without a token and exact bodies.

use std::time::Duration;

use serde_json::{Value, json};
use wecom_emulator::{Config, Emulator};

use super::support::{BOT, Emu, NOTICES, button_card, png_bytes, status_of};

/// Reads a server-sent event stream until `needle` has arrived; answers what was read.
async fn read_until(resp: &mut reqwest::Response, seen: &mut String, needle: &str) -> String {
    let found = tokio::time::timeout(Duration::from_secs(10), async {
        while !seen.contains(needle) {
            match resp.chunk().await.expect("the stream reads") {
                Some(bytes) => seen.push_str(&String::from_utf8_lossy(&bytes)),
                None => panic!("the stream ended before {needle:?}; got {seen:?}"),
            }
        }
    })
    .await;
    assert!(found.is_ok(), "no {needle:?} on the stream; got {seen:?}");
    seen.clone()
}

/// The `data:` JSON of the first event named `name` in `text`.
fn event_data(text: &str, name: &str) -> Value {
    let block = text
        .split("\n\n")
        .find(|b| b.lines().any(|l| l == format!("event: {name}")))
        .unwrap_or_else(|| panic!("no {name} event in {text:?}"));
    let data = block.lines().find_map(|l| l.strip_prefix("data: ")).expect("a data line");
    serde_json::from_str(data).expect("JSON data")
}

#[tokio::test]
async fn the_event_stream_reports_each_change() {
    let emu = Emu::demo().await;
    let mut resp = emu.http.get(emu.url("/emulator/events")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "text/event-stream");
    let mut seen = String::new();
    read_until(&mut resp, &mut seen, "event: ready").await;
    assert!(seen.contains("retry: 1000"), "browsers reconnect after a second: {seen:?}");

    let sent = emu.send_text("alice", "hello").await;
    let msgid = sent["msgid"].as_str().unwrap().to_owned();
    let text = read_until(&mut resp, &mut seen, "event: message_accepted").await;
    assert_eq!(
        event_data(&text, "message_accepted"),
        json!({ "type": "message_accepted", "msgid": msgid, "agentid": BOT })
    );
    let token = emu.token(BOT).await;
    let v = emu
        .post_json(
            &format!("/cgi-bin/message/recall?access_token={token}"),
            &json!({ "msgid": msgid }),
        )
        .await;
    assert_eq!(v["errcode"], 0);
    let text = read_until(&mut resp, &mut seen, "event: recalled").await;
    assert_eq!(event_data(&text, "recalled"), json!({ "type": "recalled", "msgid": msgid }));
    emu.admin_post("/emulator/reset", json!({})).await;
    let text = read_until(&mut resp, &mut seen, "event: reset").await;
    assert_eq!(event_data(&text, "reset"), json!({ "type": "reset" }));
}

#[tokio::test]
async fn card_updates_are_streamed_with_the_members_concerned() {
    let emu = Emu::demo().await;
    let sent = emu.send(BOT, &button_card("stream-1")).await;
    let mut resp = emu.http.get(emu.url("/emulator/events")).send().await.unwrap();
    let mut seen = String::new();
    read_until(&mut resp, &mut seen, "event: ready").await;
    let token = emu.token(BOT).await;
    let body = json!({ "agentid": BOT, "response_code": sent["response_code"], "userids": ["bob"],
                       "button": { "replace_name": "Done" } });
    let v = emu
        .post_json(&format!("/cgi-bin/message/update_template_card?access_token={token}"), &body)
        .await;
    assert_eq!(v["errcode"], 0, "{v}");
    let text = read_until(&mut resp, &mut seen, "event: card_updated").await;
    assert_eq!(
        event_data(&text, "card_updated"),
        json!({ "type": "card_updated", "msgid": sent["msgid"], "userids": ["bob"] })
    );
}

#[tokio::test]
async fn shutdown_ends_open_event_streams() {
    let handle = Emulator::start(Config::demo()).await.unwrap();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let mut resp = http.get(format!("{}/emulator/events", handle.base_url())).send().await.unwrap();
    let mut seen = String::new();
    read_until(&mut resp, &mut seen, "event: ready").await;
    // A graceful shutdown waits for every response; an open stream must not hold it up.
    let stopped = tokio::time::timeout(Duration::from_secs(10), handle.shutdown()).await;
    assert!(matches!(stopped, Ok(Ok(()))), "shutdown finished with a stream open");
    let rest = tokio::time::timeout(Duration::from_secs(10), resp.chunk()).await;
    assert!(matches!(rest, Ok(Ok(None) | Err(_))), "the stream ended: {rest:?}");
}

#[tokio::test]
async fn members_are_listed_with_the_apps_that_reach_them() {
    let emu = Emu::demo().await;
    let v = emu.get_json("/emulator/users").await;
    assert_eq!(v["corp_name"], "Demo Corp");
    let users = v["users"].as_array().unwrap();
    let user = |id: &str| users.iter().find(|u| u["userid"] == id).unwrap().clone();
    // Chat ops (1000004) has the whole corp in range.
    assert_eq!(user("alice")["apps"], json!([BOT, NOTICES, 1_000_004]));
    assert_eq!(user("bob")["apps"], json!([BOT, 1_000_004]));
    assert_eq!(user("erin")["apps"], json!([1_000_004]));
    assert_eq!(user("dave")["licensed"], false);
    assert_eq!(user("alice")["name"], "Alice");
    assert_eq!(
        v["apps"],
        json!([{ "agentid": BOT, "name": "Build bot", "callback": true },
               { "agentid": NOTICES, "name": "Notices", "callback": false },
               { "agentid": 1_000_004, "name": "Chat ops", "callback": false }])
    );
    assert!(!v.to_string().contains("secret"), "no secrets in the member list: {v}");
}

#[tokio::test]
async fn a_members_view_holds_their_copies_newest_first() {
    let emu = Emu::demo().await;
    let upload =
        emu.upload(BOT, "/cgi-bin/media/upload?type=image", Some("chart.png"), png_bytes(64)).await;
    let media_id = upload["media_id"].as_str().unwrap().to_owned();
    let both = emu.send_text("alice|bob", "to both").await["msgid"].as_str().unwrap().to_owned();
    let card = emu.send(BOT, &button_card("view-1")).await;
    let card_id = card["msgid"].as_str().unwrap().to_owned();
    let image = emu
        .send(BOT, &json!({ "touser": "alice", "msgtype": "image", "agentid": BOT, "image": { "media_id": media_id } }))
        .await["msgid"]
        .as_str()
        .unwrap()
        .to_owned();
    let only_bob = emu.send_text("bob", "just bob").await["msgid"].as_str().unwrap().to_owned();
    let token = emu.token(BOT).await;
    let v = emu
        .post_json(
            &format!("/cgi-bin/message/recall?access_token={token}"),
            &json!({ "msgid": both }),
        )
        .await;
    assert_eq!(v["errcode"], 0);
    let v = emu
        .post_json(
            &format!("/cgi-bin/message/update_template_card?access_token={token}"),
            &json!({ "agentid": BOT, "response_code": card["response_code"], "userids": ["alice"],
                     "button": { "replace_name": "Seen" } }),
        )
        .await;
    assert_eq!(v["errcode"], 0, "{v}");
    // alice writes to the app (its callback URL is not listening: the callback fails, the
    // message is in her view all the same).
    let (status, _) = emu
        .admin(
            reqwest::Method::POST,
            "/emulator/users/Alice/messages?wait=false",
            Some(json!({ "agentid": BOT, "content": "hi bot" })),
        )
        .await;
    assert_eq!(status, 200);

    let view = emu.get_json("/emulator/users/ALICE/inbox").await;
    assert_eq!(view["userid"], "alice");
    assert_eq!(view["name"], "Alice");
    assert_eq!(view["apps"], json!([BOT, NOTICES, 1_000_004]));
    let messages = view["messages"].as_array().unwrap();
    let ids: Vec<&str> = messages.iter().map(|m| m["msgid"].as_str().unwrap()).collect();
    assert_eq!(ids[1..], [image.as_str(), card_id.as_str(), both.as_str()], "newest first");
    assert!(!ids.contains(&only_bob.as_str()), "bob's message is not in alice's view");
    let mine = &messages[0];
    assert_eq!(mine["status"], "sent");
    assert_eq!(mine["direction"], "user_to_app");
    assert_eq!(mine["body"]["content"], "hi bot");
    assert_eq!(
        messages[1]["media"][&media_id],
        json!({ "kind": "image", "filename": "chart.png",
        "content_type": "image/png", "size": 64, "expired": false })
    );
    assert_eq!(messages[2]["status"], "delivered");
    assert_eq!(messages[2]["card"]["button_text"], "Seen");
    assert_eq!(messages[2]["card"]["disabled"], true);
    assert_eq!(messages[2]["card_type"], "button_interaction");
    assert_eq!(messages[3]["status"], "recalled");
    assert!(messages[3]["recalled_at_ms"].as_i64().is_some());
    assert!(messages.iter().all(|m| m.get("recipients").is_none()), "only alice's copy is shown");

    // bob's copy of the same card is untouched; his copy of the recalled text is recalled.
    let bob = emu.get_json("/emulator/users/bob/inbox").await;
    let bob_card =
        bob["messages"].as_array().unwrap().iter().find(|m| m["msgid"] == card_id).unwrap();
    assert_eq!(bob_card["card"]["disabled"], false);
    assert_eq!(status_of(&emu.message(&both).await, "bob"), "recalled");

    let limited = emu.get_json("/emulator/users/alice/inbox?limit=2").await;
    assert_eq!(limited["messages"].as_array().unwrap().len(), 2);
    let notices = emu.get_json(&format!("/emulator/users/alice/inbox?agentid={NOTICES}")).await;
    assert_eq!(notices["messages"], json!([]));
    let (status, v) = emu.admin(reqwest::Method::GET, "/emulator/users/ghost/inbox", None).await;
    assert_eq!(status, 404);
    assert!(v["error"].as_str().unwrap().contains("ghost"));
}

#[tokio::test]
async fn media_and_exact_bodies_are_served_without_a_token() {
    let emu = Emu::demo().await;
    let data = b"line one\nline two\n".to_vec();
    let v =
        emu.upload(BOT, "/cgi-bin/media/upload?type=file", Some("notes.txt"), data.clone()).await;
    let media_id = v["media_id"].as_str().unwrap().to_owned();
    let resp = emu.http.get(emu.url(&format!("/emulator/media/{media_id}"))).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-disposition"].to_str().unwrap().contains("notes.txt"));
    assert_eq!(resp.bytes().await.unwrap().as_ref(), data.as_slice());
    // After the 3 days of media/get the member's client still shows the file.
    emu.advance(4 * 24 * 3600).await;
    let token = emu.token(BOT).await;
    let v =
        emu.get_json(&format!("/cgi-bin/media/get?access_token={token}&media_id={media_id}")).await;
    assert_eq!(v["errcode"], 40007);
    let resp = emu.http.get(emu.url(&format!("/emulator/media/{media_id}"))).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let resp = emu.http.get(emu.url("/emulator/media/nope")).send().await.unwrap();
    assert_eq!(resp.status(), 404);

    let raw = "{ \"touser\" : \"alice\",\n  \"msgtype\":\"text\",\"agentid\":1000002,\"text\":{\"content\":\"exact\"}}";
    let sent = emu.post_raw(&format!("/cgi-bin/message/send?access_token={token}"), raw).await;
    assert_eq!(sent["errcode"], 0, "{sent}");
    let resp = emu
        .http
        .get(emu.url(&format!("/emulator/messages/{}/body", sent["msgid"].as_str().unwrap())))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    assert_eq!(resp.text().await.unwrap(), raw);
    let resp = emu.http.get(emu.url("/emulator/messages/nope/body")).send().await.unwrap();
    assert_eq!(resp.status(), 404);
}

#[tokio::test]
async fn the_page_and_its_modules_are_served_with_a_strict_policy() {
    let emu = Emu::demo().await;
    let resp = emu.http.get(emu.url("/")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "text/html; charset=utf-8");
    let csp = resp.headers()["content-security-policy"].to_str().unwrap().to_owned();
    for directive in
        ["default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"]
    {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    let html = resp.text().await.unwrap();
    assert!(html.contains(r#"<script type="module" src="/inbox/app.js"></script>"#), "{html}");
    assert!(html.contains(r#"href="/inbox/inbox.css""#));

    // Every module the page imports is served, as JavaScript; none writes markup.
    let mut pending = vec!["app.js".to_owned()];
    let mut served = Vec::new();
    while let Some(file) = pending.pop() {
        if served.contains(&file) {
            continue;
        }
        let resp = emu.http.get(emu.url(&format!("/inbox/{file}"))).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{file}");
        assert_eq!(resp.headers()["content-type"], "text/javascript; charset=utf-8", "{file}");
        assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
        let js = resp.text().await.unwrap();
        for sink in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("] {
            assert!(!js.contains(sink), "{file} uses {sink}");
        }
        for (i, _) in js.match_indices("from \"./") {
            let rest = &js[i + "from \"./".len()..];
            pending.push(rest[..rest.find('"').unwrap()].to_owned());
        }
        served.push(file);
    }
    assert!(served.len() >= 5, "{served:?}");
    let resp = emu.http.get(emu.url("/inbox/inbox.css")).send().await.unwrap();
    assert_eq!(resp.headers()["content-type"], "text/css; charset=utf-8");
    let resp = emu.http.get(emu.url("/inbox/secrets.js")).send().await.unwrap();
    assert_eq!(resp.status(), 404);
}
