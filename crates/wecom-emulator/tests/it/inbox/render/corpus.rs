//! What the rendering test sends: one message of every kind (and every template card) to
//! carol, with real uploaded images and files, plus a recalled and a dropped copy.

use serde_json::{Value, json};

use super::super::png::gradient;
use super::super::support::{BOT, Emu, NOTICES, amr_bytes};

/// Sends as the app, checks success, and moves the clock a minute on (this corp allows one
/// message per member and minute, so that a dropped copy is easy to make).
pub(super) async fn send(emu: &Emu, agentid: i64, body: Value) -> String {
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

pub(super) fn msg(msgtype: &str, content: Value) -> Value {
    let mut body = json!({ "touser": "carol", "msgtype": msgtype, "agentid": BOT });
    body[msgtype] = content;
    body
}

/// The text message, sent as this exact text (spacing and key order are kept).
pub(super) const RAW_TEXT: &str = r#"{"touser":"carol",  "msgtype":"text", "agentid":1000002,
 "text":{"content":"Build #42 passed.\nSee <a href=\"https://ci.example.com/42\">details</a> or <a href=\"javascript:alert(1)\">click me</a>. <b>not bold</b>"}}"#;

pub(super) const NOTES: &[u8] = b"v1.4: faster builds\n";

const MARKDOWN: &str = "# Build #42\n**passed** in <font color=\"comment\">12 s</font>, \
    <font color=\"info\">ok</font> with <font color=\"warning\">2 flaky</font>\n\
    Run `cargo test` again or see the [logs](https://ci.example.com/42) ([bad](javascript:alert(1)))\n\
    > retry on main\n\n## Next\nmerge";

#[allow(clippy::too_many_lines)]
pub(super) async fn send_every_kind(emu: &Emu) -> (Vec<String>, Value) {
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
