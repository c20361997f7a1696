//! Bodies shaped exactly as established SDKs send them to the live API, which WeCom accepts:
//! the emulator must accept them too (code that works against it works against WeCom).

use serde_json::{Value, json};

use super::support::{BOT, Emu};

async fn send_raw(emu: &Emu, raw: &str) -> Value {
    let token = emu.token(BOT).await;
    emu.post_raw(&format!("/cgi-bin/message/send?access_token={token}"), raw.to_owned()).await
}

#[tokio::test]
async fn a_go_body_ending_in_a_newline_is_kept_byte_for_byte_and_caught_as_a_duplicate() {
    let emu = Emu::demo().await;
    // Go's json.Encoder ends every body with "\n" (PowerWeChat sends it so).
    let raw = "{\"touser\":\"alice\",\"msgtype\":\"text\",\"agentid\":1000002,\"text\":{\"content\":\"deploy done\"},\"enable_duplicate_check\":1,\"duplicate_check_interval\":600}\n";
    let first = send_raw(&emu, raw).await;
    let again = send_raw(&emu, raw).await;
    assert_eq!(first["errcode"], 0, "{first}");
    assert_eq!(again["msgid"], first["msgid"], "the second identical send is a duplicate");
    // Without the newline (another client) it is the same request JSON as well.
    let trimmed = send_raw(&emu, raw.trim_end()).await;
    assert_eq!(trimmed["msgid"], first["msgid"]);
    let messages = emu.messages("").await;
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["duplicates_suppressed"], 2);
    // The body as received, newline included.
    let msgid = first["msgid"].as_str().unwrap();
    let body = emu.http.get(emu.url(&format!("/emulator/messages/{msgid}/body"))).send().await;
    assert_eq!(body.unwrap().text().await.unwrap(), raw);
}

#[tokio::test]
async fn duplicate_check_interval_zero_reads_as_unset() {
    let emu = Emu::demo().await;
    // PowerWeChat sends 0 for an unset interval, with the check on or off.
    let off = r#"{"touser":"alice","msgtype":"text","agentid":1000002,"text":{"content":"a"},"enable_duplicate_check":0,"duplicate_check_interval":0}"#;
    assert_eq!(send_raw(&emu, off).await["errcode"], 0);
    let on = r#"{"touser":"alice","msgtype":"text","agentid":1000002,"text":{"content":"b"},"enable_duplicate_check":1,"duplicate_check_interval":0}"#;
    let first = send_raw(&emu, on).await;
    assert_eq!(first["errcode"], 0, "{first}");
    emu.advance(1799).await;
    assert_eq!(send_raw(&emu, on).await["msgid"], first["msgid"], "the default 1,800 s applies");
}

#[tokio::test]
async fn integer_fields_sent_as_numeric_strings_are_read_as_numbers() {
    let emu = Emu::demo().await;
    // WxJava sends `safe` as a string; some clients do the same with agentid and the flags.
    let raw = r#"{"touser":"alice","msgtype":"text","agentid":"1000002","text":{"content":"x"},"safe":"0","enable_id_trans":"0","enable_duplicate_check":"1","duplicate_check_interval":"600"}"#;
    let first = send_raw(&emu, raw).await;
    assert_eq!(first["errcode"], 0, "{first}");
    assert_eq!(send_raw(&emu, raw).await["msgid"], first["msgid"], "\"1\" turned the check on");
    // Really malformed values are still refused.
    for (field, value) in [
        ("safe", json!("abc")),
        ("safe", json!("1.5")),
        ("safe", json!(" 1")),
        ("safe", json!("7")),
        ("enable_id_trans", json!(true)),
        ("duplicate_check_interval", json!("-")),
    ] {
        let mut body =
            json!({"touser":"alice","msgtype":"text","agentid":BOT,"text":{"content":"y"}});
        body[field] = value.clone();
        let v = emu.send(BOT, &body).await;
        assert_eq!(v["errcode"], 40058, "{field} = {value}: {v}");
    }
}

#[tokio::test]
async fn spaces_around_the_separator_are_trimmed() {
    let emu = Emu::demo().await;
    // The shape of WeCom's own examples ("UserID1 | UserID2", "TagID1 | TagID2").
    let raw = r#"{"touser":"alice | bob","toparty":"","totag":"1 | 77","msgtype":"text","agentid":1000002,"text":{"content":"x"}}"#;
    let v = send_raw(&emu, raw).await;
    assert_eq!(v["errcode"], 0, "{v}");
    assert!(v.get("invaliduser").is_none(), "{v}");
    assert_eq!(v["invalidtag"], "77");
    let m = emu.message(v["msgid"].as_str().unwrap()).await;
    let users: Vec<&str> =
        m["recipients"].as_array().unwrap().iter().map(|r| r["userid"].as_str().unwrap()).collect();
    assert_eq!(users, ["alice", "bob", "carol"]);
}

#[tokio::test]
async fn go_zero_values_of_unused_optional_fields_read_as_absent() {
    let emu = Emu::demo().await;
    // A news_notice as a Go struct with every field serialized: unused parts at their zero
    // values, unused pointers as null.
    let news = r#"{"touser":"alice","toparty":"","totag":"","msgtype":"template_card","agentid":1000002,"safe":0,"enable_id_trans":0,"enable_duplicate_check":0,"duplicate_check_interval":0,
      "template_card":{"card_type":"news_notice",
        "source":{"icon_url":"","desc":"","desc_color":0},
        "action_menu":{"desc":"","action_list":null},
        "main_title":{"title":"Weekly report","desc":""},
        "quote_area":{"type":0,"url":"","appid":"","pagepath":"","title":"","quote_text":""},
        "image_text_area":{"type":0,"url":"","appid":"","pagepath":"","title":"","desc":"","image_url":""},
        "card_image":{"url":"https://example.com/chart.png","aspect_ratio":0},
        "vertical_content_list":null,"horizontal_content_list":[],"jump_list":null,
        "card_action":{"type":1,"url":"https://example.com/r","appid":"","pagepath":""},
        "task_id":""}}"#;
    let v = send_raw(&emu, news).await;
    assert_eq!(v["errcode"], 0, "{v}");
    assert!(v.get("response_code").is_none(), "a zero action_menu is no menu");
    // A button card whose buttons leave `style` at 0 and the unused `url` empty.
    let buttons = r#"{"touser":"alice","msgtype":"template_card","agentid":1000002,
      "template_card":{"card_type":"button_interaction","main_title":{"title":"Deploy?","desc":""},
        "button_selection":{"question_key":"","title":"","option_list":null,"selected_id":""},
        "card_action":{"type":0,"url":"","appid":"","pagepath":""},
        "task_id":"go-zero-1",
        "button_list":[{"type":0,"text":"Approve","style":0,"key":"approve","url":""},
                       {"type":1,"text":"Logs","style":0,"key":"","url":"https://example.com/logs"}]}}"#;
    let v = send_raw(&emu, buttons).await;
    assert_eq!(v["errcode"], 0, "{v}");
    // Zero values do not hide what is really missing: a card_image without url.
    let no_url = news
        .replace("https://example.com/chart.png", "")
        .replace("\"aspect_ratio\":0", "\"aspect_ratio\":1.5");
    assert_eq!(send_raw(&emu, &no_url).await["errcode"], 40063);
}
