//! App group chats, linked-corp sends and send statistics through the SDK against the
//! emulator: create, update and read a chat; post every kind a chat takes; a template card
//! refused before any I/O; 48002 (with its hint) for an app whose range is not the root
//! department; statistics after sends; linked-corp recipients; the throttle counting chat
//! sends per member.

use std::time::Duration;

use serde_json::json;
use wecom::api::appchat::{AppChatRequest, CreateChat, UpdateChat};
use wecom::api::linkedcorp::{LinkedParty, LinkedRecipients, LinkedUser};
use wecom::card::{Button, ButtonInteraction};
use wecom::message::{
    Article, File, Image, Markdown, Message, MpArticle, MpNews, News, TextCard, Video, Voice,
};
use wecom::statistics::TimeType;
use wecom::throttle::Limit;
use wecom::{Media, MediaType, OnLimit, Text, Throttle};
use wecom_emulator::DEMO_CHAT_APP;

use super::support::{BOT, Env, amr, eventually, mp4, png};

#[tokio::test]
async fn a_chat_is_created_updated_and_read_back() {
    let env = Env::demo().await;
    let client = env.client(DEMO_CHAT_APP);
    let chatid = client
        .create_chat(
            CreateChat::new("Release 1.4", ["alice", "bob"]).owner("alice").chat_id("rel14"),
        )
        .await
        .unwrap();
    assert_eq!(chatid, "rel14");
    client
        .update_chat(
            UpdateChat::new("rel14").name("Release 1.4.1").add_users(["carol"]).owner("carol"),
        )
        .await
        .unwrap();
    let info = client.get_chat("rel14").await.unwrap();
    assert_eq!(info.name, "Release 1.4.1");
    assert_eq!(info.owner, "carol");
    assert_eq!(info.userlist, ["alice", "bob", "carol"]);
    // A generated id comes back from WeCom.
    let generated = client.create_chat(CreateChat::new("Ad hoc", ["alice", "erin"])).await.unwrap();
    assert!(!generated.is_empty() && generated != "rel14");
    // Emulator errors keep their codes.
    let err = client.get_chat("nochat").await.unwrap_err();
    assert_eq!(err.code(), Some(86003), "{err}");
    let err = client.create_chat(CreateChat::new("Again", ["alice", "bob"]).chat_id("rel14")).await;
    assert_eq!(err.unwrap_err().code(), Some(86215));
}

#[tokio::test]
async fn every_kind_a_chat_takes_is_posted_and_a_template_card_is_refused_before_io() {
    let env = Env::demo().await;
    let client = env.client(DEMO_CHAT_APP);
    client.create_chat(CreateChat::new("Ops", ["alice", "bob"]).chat_id("ops1")).await.unwrap();
    let upload = |kind, name: &'static str, data: Vec<u8>| {
        let client = client.clone();
        async move { client.upload_media(kind, Media::from_bytes(name, data)).await.unwrap().media_id }
    };
    let image = upload(MediaType::Image, "a.png", png(256)).await;
    let voice = upload(MediaType::Voice, "v.amr", amr(1000)).await;
    let video = upload(MediaType::Video, "v.mp4", mp4(2048)).await;
    let file = upload(MediaType::File, "r.pdf", b"%PDF-1.7 r".to_vec()).await;
    let kinds: Vec<Message> = vec![
        Text::new("branch cut").into(),
        Image::new(image.as_str()).into(),
        Voice::new(voice.as_str()).into(),
        Video::new(video.as_str()).into(),
        File::new(file.as_str()).into(),
        TextCard::new("Notes", "v1.4", "https://example.com/n").into(),
        News::new([Article::new("Notes", "https://example.com/n")]).into(),
        MpNews::new([MpArticle::new("Notes", image.as_str(), "<p>v1.4</p>")]).into(),
        Markdown::new("**shipped**").into(),
    ];
    let n = kinds.len();
    for message in kinds {
        let kind = message.msgtype();
        let receipt =
            client.send_to_chat("ops1", message).await.unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert!(receipt.sent && receipt.held_back.is_empty(), "{kind}");
    }
    let list = env.get("/emulator/groups/ops1/messages").await;
    let list = list["messages"].as_array().unwrap();
    assert_eq!(list.len(), n);
    let kinds: Vec<&str> = list.iter().map(|m| m["msgtype"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["text", "image", "voice", "video", "file", "textcard", "news", "mpnews", "markdown"]
    );
    assert!(list.iter().all(|m| m["kind"] == "appchat" && m["agentid"] == DEMO_CHAT_APP));
    assert!(list[0]["body"].get("agentid").is_none(), "no agentid in a chat body");

    let card = ButtonInteraction::new("Deploy?", "deploy-42", [Button::callback("Go", "go")]);
    let err = client.send_to_chat("ops1", card).await.unwrap_err();
    assert!(err.is_invalid_argument(), "{err}");
    // A request read from JSON is validated the same way.
    let raw: AppChatRequest = serde_json::from_value(json!({
        "chatid": "ops1", "msgtype": "template_card",
        "template_card": { "card_type": "text_notice", "main_title": { "title": "t" },
                           "card_action": { "type": 1, "url": "https://example.com" } }
    }))
    .unwrap();
    assert!(client.send_chat_request(raw).await.unwrap_err().is_invalid_argument());
    assert_eq!(env.calls("/cgi-bin/appchat/send").await, n as u64, "the cards never left");
}

#[tokio::test]
async fn an_app_whose_range_is_not_the_root_department_gets_48002_with_a_hint() {
    let env = Env::demo().await;
    let client = env.client(BOT);
    let err = client.create_chat(CreateChat::new("Ops", ["alice", "bob"])).await.unwrap_err();
    assert_eq!(err.code(), Some(48002), "{err}");
    assert!(err.hint().unwrap().contains("root department"), "{:?}", err.hint());
    let err = client.send_to_chat("ops1", Text::new("hi")).await.unwrap_err();
    assert_eq!(err.code(), Some(48002));
}

#[tokio::test]
async fn statistics_count_the_sends_of_each_app() {
    let env = Env::demo().await;
    let chat = env.client(DEMO_CHAT_APP);
    let bot = env.client(BOT);
    let count = |list: &[wecom::statistics::AppStatistics], agentid: i64| {
        list.iter().find(|s| s.agentid == agentid).map_or(0, |s| s.count)
    };
    let before = bot.message_statistics(TimeType::Today).await.unwrap();
    assert_eq!((count(&before, BOT), count(&before, DEMO_CHAT_APP)), (0, 0));
    bot.send(wecom::Recipients::users(["alice", "bob"]), Text::new("two")).await.unwrap();
    chat.create_chat(CreateChat::new("Ops", ["alice", "bob", "carol"]).chat_id("ops1"))
        .await
        .unwrap();
    chat.send_to_chat("ops1", Text::new("three")).await.unwrap();
    chat.send_to_chat("ops1", Text::new("three more")).await.unwrap();
    let today = chat.message_statistics(TimeType::Today).await.unwrap();
    assert_eq!((count(&today, BOT), count(&today, DEMO_CHAT_APP)), (2, 6));
    assert!(today.iter().any(|s| s.app_name == "Chat ops"));
    let yesterday = chat.message_statistics(TimeType::Yesterday).await.unwrap();
    assert_eq!(count(&yesterday, DEMO_CHAT_APP), 0);
}

#[tokio::test]
async fn linked_corp_sends_report_members_outside_this_corp() {
    let env = Env::demo().await;
    let client = env.client(BOT);
    let corp = env.emu.corp_id().to_owned();
    let to = LinkedRecipients::users([
        LinkedUser::linked(corp.as_str(), "alice"),
        LinkedUser::local("bob"),
        LinkedUser::linked("wwpartner01", "zhangsan"),
    ])
    .and_parties([LinkedParty::linked("lk01", 2)]);
    let receipt = client.send_linked(to, Text::new("stock check")).await.unwrap();
    assert_eq!(receipt.invalid_users, ["wwpartner01/zhangsan"]);
    assert_eq!(receipt.invalid_parties, ["lk01/2"]);
    assert!(!receipt.all_delivered());
    let alice = env.messages("?user=alice").await;
    assert!(alice.iter().any(|m| m["body"]["text"]["content"] == "stock check"));
    let bad = LinkedRecipients::users([LinkedUser::linked("", "x")]);
    let err = client.send_linked(bad, Text::new("x")).await.unwrap_err();
    assert!(err.is_invalid_argument(), "{err}");
    assert_eq!(env.calls("/cgi-bin/linkedcorp/message/send").await, 1);
}

#[tokio::test]
async fn the_throttle_counts_chat_sends_per_member_and_reports_whole_messages() {
    let env = Env::demo().await;
    let throttle =
        Throttle::new().chat_member_limits([Limit::per_minute(2)]).on_member_limit(OnLimit::Report);
    let client = env.builder(DEMO_CHAT_APP).throttle(throttle).build().unwrap();
    client.create_chat(CreateChat::new("A", ["alice", "bob"]).chat_id("a1")).await.unwrap();
    // A chat this client did not create: its members are read once with appchat/get.
    let other = env.client(DEMO_CHAT_APP);
    other.create_chat(CreateChat::new("B", ["alice", "carol"]).chat_id("b1")).await.unwrap();
    assert!(client.send_to_chat("a1", Text::new("1")).await.unwrap().sent);
    assert!(client.send_to_chat("b1", Text::new("2")).await.unwrap().sent);
    assert_eq!(env.calls("/cgi-bin/appchat/get").await, 1);
    // alice has had two: the next message to either chat is held back whole.
    let receipt = client.send_to_chat("b1", Text::new("3")).await.unwrap();
    assert!(!receipt.sent);
    assert_eq!(receipt.held_back, ["alice"]);
    // After removing alice from a1, bob's copy fits.
    client
        .update_chat(UpdateChat::new("a1").remove_users(["alice"]).add_users(["dave"]))
        .await
        .unwrap();
    assert!(client.send_to_chat("a1", Text::new("4")).await.unwrap().sent);
    assert_eq!(env.calls("/cgi-bin/appchat/send").await, 3, "the held message never left");
    assert_eq!(env.calls("/cgi-bin/appchat/get").await, 1, "membership followed the update");
}

#[tokio::test]
async fn a_chat_send_stalled_past_the_timeout_is_delivery_unknown_and_not_repeated() {
    let env = Env::demo().await;
    let client =
        env.builder(DEMO_CHAT_APP).request_timeout(Duration::from_millis(300)).build().unwrap();
    client.create_chat(CreateChat::new("Ops", ["alice", "bob"]).chat_id("ops1")).await.unwrap();
    env.fault(json!({ "path": "appchat/send", "count": 1, "kind": "stall", "ms": 800 })).await;
    let err = client.send_to_chat("ops1", Text::new("did it arrive?")).await.unwrap_err();
    assert!(err.is_delivery_unknown(), "{err:?}");
    assert_eq!(env.calls("/cgi-bin/appchat/send").await, 1, "not repeated blindly");
    // It did arrive, once: the stalled request completed on the server.
    let posted = eventually("the stalled chat send", Duration::from_secs(5), || async {
        let v = env.get("/emulator/groups/ops1/messages").await;
        let list = v["messages"].as_array().cloned().unwrap_or_default();
        (!list.is_empty()).then_some(list)
    })
    .await;
    assert_eq!(posted.len(), 1);
}
