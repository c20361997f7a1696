//! App group chats, linked-corp messages and send statistics: golden JSON of every request
//! (the documented examples), and validation at and just past each limit.

use serde_json::json;
use wecom_model::appchat::{AppChatRequest, ChatInfo, CreateChat, UpdateChat};
use wecom_model::card::{Button, ButtonInteraction};
use wecom_model::linkedcorp::{LinkedMessageRequest, LinkedParty, LinkedRecipients, LinkedUser};
use wecom_model::message::{
    Article, File, Image, Markdown, Message, MiniProgramNotice, MpArticle, MpNews, News, Safe,
    Text, TextCard, Video, Voice,
};
use wecom_model::statistics::{AppStatistics, StatisticsRequest, TimeType};

fn members(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("user{i}")).collect()
}

#[test]
fn create_matches_the_documented_example() {
    let req = CreateChat::new("NAME", ["userid1", "userid2", "userid3"])
        .owner("userid1")
        .chat_id("CHATID");
    req.validate().unwrap();
    assert_eq!(
        serde_json::to_value(&req).unwrap(),
        json!({
            "name": "NAME",
            "owner": "userid1",
            "userlist": ["userid1", "userid2", "userid3"],
            "chatid": "CHATID"
        })
    );
    let minimal = CreateChat::new("n", ["a", "b"]);
    assert_eq!(
        serde_json::to_value(&minimal).unwrap(),
        json!({ "name": "n", "userlist": ["a", "b"] })
    );
    let back: CreateChat = serde_json::from_value(serde_json::to_value(&req).unwrap()).unwrap();
    assert_eq!(back, req);
}

#[test]
fn update_matches_the_documented_example() {
    let req = UpdateChat::new("CHATID")
        .name("NAME")
        .owner("userid2")
        .add_users(["userid1", "userid2", "userid3"])
        .remove_users(["userid4"]);
    req.validate().unwrap();
    assert_eq!(
        serde_json::to_value(&req).unwrap(),
        json!({
            "chatid": "CHATID",
            "name": "NAME",
            "owner": "userid2",
            "add_user_list": ["userid1", "userid2", "userid3"],
            "del_user_list": ["userid4"]
        })
    );
}

#[test]
fn chat_info_reads_the_documented_answer() {
    let info: ChatInfo = serde_json::from_value(json!({
        "chatid": "CHATID", "name": "NAME", "owner": "userid2",
        "userlist": ["userid1", "userid2", "userid3"]
    }))
    .unwrap();
    assert_eq!(info.chatid, "CHATID");
    assert_eq!(info.owner, "userid2");
    assert_eq!(info.userlist.len(), 3);
}

#[test]
fn send_has_chatid_and_no_agentid_for_every_allowed_kind() {
    let kinds: Vec<(Message, serde_json::Value)> = vec![
        (Text::new("hi").into(), json!({ "content": "hi" })),
        (Image::new("MEDIA").into(), json!({ "media_id": "MEDIA" })),
        (Voice::new("MEDIA").into(), json!({ "media_id": "MEDIA" })),
        (Video::new("MEDIA").into(), json!({ "media_id": "MEDIA" })),
        (File::new("MEDIA").into(), json!({ "media_id": "MEDIA" })),
        (
            TextCard::new("T", "D", "https://example.com").into(),
            json!({ "title": "T", "description": "D", "url": "https://example.com" }),
        ),
        (
            News::new([Article::new("T", "https://example.com")]).into(),
            json!({ "articles": [{ "title": "T", "url": "https://example.com" }] }),
        ),
        (
            MpNews::new([MpArticle::new("T", "THUMB", "<p>x</p>")]).into(),
            json!({ "articles": [{ "title": "T", "thumb_media_id": "THUMB", "content": "<p>x</p>" }] }),
        ),
        (Markdown::new("**hi**").into(), json!({ "content": "**hi**" })),
    ];
    for (message, content) in kinds {
        let kind = message.msgtype();
        let req = AppChatRequest::new("CHATID", message);
        req.validate().unwrap_or_else(|e| panic!("{kind}: {e}"));
        let mut want = json!({ "chatid": "CHATID", "msgtype": kind });
        want[kind] = content;
        assert_eq!(serde_json::to_value(&req).unwrap(), want, "{kind}");
        let back: AppChatRequest =
            serde_json::from_value(serde_json::to_value(&req).unwrap()).unwrap();
        assert_eq!(back, req);
    }
    let safe = AppChatRequest::new("CHATID", Text::new("secret")).safe(true);
    assert_eq!(serde_json::to_value(&safe).unwrap()["safe"], 1);
}

#[test]
fn chats_refuse_template_cards_and_mini_program_notices() {
    let card = ButtonInteraction::new("Deploy?", "deploy-42", [Button::callback("Go", "go")]);
    let err = AppChatRequest::new("ops1", card).validate().unwrap_err();
    assert_eq!(err.field, "msgtype");
    assert!(err.problem.contains("template_card"), "{}", err.problem);
    let notice = MiniProgramNotice::new("wx123", "Title");
    let err = AppChatRequest::new("ops1", notice).validate().unwrap_err();
    assert_eq!(err.field, "msgtype");
}

#[test]
fn send_reuses_the_content_and_safe_checks() {
    let long = "a".repeat(2049);
    let err = AppChatRequest::new("ops1", Text::new(long)).validate().unwrap_err();
    assert_eq!(err.field, "text.content");
    assert!(AppChatRequest::new("ops1", Text::new("a".repeat(2048))).validate().is_ok());
    let err = AppChatRequest::new("ops1", Markdown::new("x")).safe(true).validate().unwrap_err();
    assert_eq!(err.field, "safe");
    let err = AppChatRequest::new("ops1", Text::new("x")).safe(Safe::CorpOnly).validate();
    assert_eq!(err.unwrap_err().field, "safe");
}

#[test]
fn chat_ids_are_checked_at_and_past_their_limits() {
    let at = "a".repeat(32);
    assert!(AppChatRequest::new(at.as_str(), Text::new("x")).validate().is_ok());
    let past = "a".repeat(33);
    let err = AppChatRequest::new(past.as_str(), Text::new("x")).validate().unwrap_err();
    assert_eq!(err.field, "chatid");
    assert_eq!(err.problem, "must be at most 32 characters (got 33)");
    for bad in ["ops-1", "ops_1", "ops 1", "群聊"] {
        let err = CreateChat::new("n", ["a", "b"]).chat_id(bad).validate().unwrap_err();
        assert_eq!(err.field, "chatid", "{bad}");
    }
    assert_eq!(AppChatRequest::new("", Text::new("x")).validate().unwrap_err().field, "chatid");
}

#[test]
fn names_are_checked_in_characters() {
    let at = "名".repeat(50);
    assert!(CreateChat::new(at, ["a", "b"]).validate().is_ok());
    let past = "名".repeat(51);
    let err = CreateChat::new(past.clone(), ["a", "b"]).validate().unwrap_err();
    assert_eq!(
        (err.field.as_str(), err.problem.as_str()),
        ("name", "must be at most 50 characters (got 51)")
    );
    let err = UpdateChat::new("ops1").name(past).validate().unwrap_err();
    assert_eq!(err.field, "name");
    assert_eq!(CreateChat::new("", ["a", "b"]).validate().unwrap_err().field, "name");
}

#[test]
fn member_counts_are_checked_at_and_past_their_limits() {
    assert!(CreateChat::new("n", members(2)).validate().is_ok());
    assert!(CreateChat::new("n", members(2000)).validate().is_ok());
    let err = CreateChat::new("n", members(2001)).validate().unwrap_err();
    assert_eq!(
        (err.field.as_str(), err.problem.as_str()),
        ("userlist", "must have 2 to 2000 items (got 2001)")
    );
    assert_eq!(CreateChat::new("n", members(1)).validate().unwrap_err().field, "userlist");
    let err = CreateChat::new("n", ["alice", "ALICE"]).validate().unwrap_err();
    assert_eq!(err.field, "userlist[1]");
    let err = CreateChat::new("n", ["alice", "a b"]).validate().unwrap_err();
    assert_eq!(err.field, "userlist[1]");
    let err = CreateChat::new("n", ["alice", "bob"]).owner("carol").validate().unwrap_err();
    assert_eq!(err.field, "owner");
    assert!(CreateChat::new("n", ["alice", "bob"]).owner("BOB").validate().is_ok());
    assert!(UpdateChat::new("ops1").add_users(members(2000)).validate().is_ok());
    let err = UpdateChat::new("ops1").add_users(members(2001)).validate().unwrap_err();
    assert_eq!(err.field, "add_user_list");
}

#[test]
fn updates_must_change_something_consistent() {
    assert_eq!(UpdateChat::new("ops1").validate().unwrap_err().field, "chatid");
    let err = UpdateChat::new("ops1").add_users(["bob"]).remove_users(["Bob"]).validate();
    assert_eq!(err.unwrap_err().field, "del_user_list[0]");
    let err = UpdateChat::new("ops1").owner("bob").remove_users(["bob"]).validate();
    assert_eq!(err.unwrap_err().field, "owner");
}

#[test]
fn statistics_request_and_answer() {
    assert_eq!(
        serde_json::to_value(StatisticsRequest::new(TimeType::Today)).unwrap(),
        json!({ "time_type": 0 })
    );
    assert_eq!(
        serde_json::to_value(StatisticsRequest::new(TimeType::Yesterday)).unwrap(),
        json!({ "time_type": 1 })
    );
    let list: Vec<AppStatistics> = serde_json::from_value(json!([
        { "agentid": 1_000_002, "app_name": "应用1", "count": 101 },
        { "agentid": 1_000_003, "app_name": "应用2", "count": 0 }
    ]))
    .unwrap();
    assert_eq!(list[0].count, 101);
    assert_eq!(list[1].app_name, "应用2");
}

#[test]
fn linked_send_matches_the_documented_example() {
    let to = LinkedRecipients::users([
        LinkedUser::local("userid1"),
        LinkedUser::linked("CorpId1", "userid1"),
    ])
    .and_parties([LinkedParty::local(1), LinkedParty::linked("LinkedId1", 2)])
    .and_tags([3]);
    let req = LinkedMessageRequest::new(1, to, Text::new("hi")).safe(false);
    req.validate().unwrap();
    let value = serde_json::to_value(&req).unwrap();
    assert_eq!(
        value,
        json!({
            "touser": ["userid1", "CorpId1/userid1"],
            "toparty": ["1", "LinkedId1/2"],
            "totag": ["3"],
            "toall": 0,
            "msgtype": "text",
            "agentid": 1,
            "text": { "content": "hi" },
            "safe": 0
        })
    );
    let back: LinkedMessageRequest = serde_json::from_value(value).unwrap();
    assert_eq!(back, req);
    let all = LinkedMessageRequest::new(1, LinkedRecipients::all(), Markdown::new("x"));
    let value = serde_json::to_value(&all).unwrap();
    assert_eq!(value["toall"], 1);
    assert!(value.get("touser").is_none());
}

#[test]
fn linked_send_is_validated() {
    let text = || Text::new("hi");
    let empty = LinkedRecipients::users(Vec::<LinkedUser>::new());
    assert_eq!(LinkedMessageRequest::new(1, empty, text()).validate().unwrap_err().field, "touser");
    let at: Vec<LinkedUser> = (0..1000).map(|i| LinkedUser::linked("c", format!("u{i}"))).collect();
    assert!(LinkedMessageRequest::new(1, LinkedRecipients::users(at), text()).validate().is_ok());
    let past: Vec<LinkedUser> = (0..1001).map(|i| LinkedUser::local(format!("u{i}"))).collect();
    let err = LinkedMessageRequest::new(1, LinkedRecipients::users(past), text()).validate();
    assert_eq!(err.unwrap_err().field, "touser");
    let parties: Vec<LinkedParty> = (0..101).map(LinkedParty::local).collect();
    let err = LinkedMessageRequest::new(1, LinkedRecipients::parties(parties), text()).validate();
    assert_eq!(err.unwrap_err().field, "toparty");
    let bad = LinkedRecipients::users([LinkedUser::local("ok"), "c/u/v".into()]);
    assert_eq!(
        LinkedMessageRequest::new(1, bad, text()).validate().unwrap_err().field,
        "touser[1]"
    );
    let bad = LinkedRecipients::parties([LinkedParty::linked("", 2)]);
    assert_eq!(
        LinkedMessageRequest::new(1, bad, text()).validate().unwrap_err().field,
        "toparty[0]"
    );
    let card = ButtonInteraction::new("Deploy?", "deploy-42", [Button::callback("Go", "go")]);
    let to = LinkedRecipients::users([LinkedUser::local("a")]);
    assert_eq!(LinkedMessageRequest::new(1, to, card).validate().unwrap_err().field, "msgtype");
    assert_eq!("wwx/zhang".parse::<LinkedUser>().unwrap(), LinkedUser::linked("wwx", "zhang"));
    assert_eq!("lk/7".parse::<LinkedParty>().unwrap(), LinkedParty::linked("lk", 7));
    assert!("lk/x".parse::<LinkedParty>().is_err());
}
