//! Passive replies: golden XML for the simple reply types, escaping, limits (cards included),
//! encryption that decrypts back to the same XML.

use wecom_callback::reply::template_card::{
    ActionMenu, Button, ButtonInteraction, CardAction, CardImage, Checkbox, CheckboxOption,
    JumpItem, MainTitle, MenuAction, MultipleInteraction, NewsNotice, SelectOption, Selector,
    SubmitButton, TemplateCard, TextNotice, VoteInteraction,
};
use wecom_callback::reply::{Article, Video};
use wecom_callback::{Callback, Error, Header, Reply};
use wecom_msgcrypt::MsgCrypt;

const HEAD: &str = "<xml><ToUserName><![CDATA[alice]]></ToUserName><FromUserName><![CDATA[ww1436e0e65a779aee]]></FromUserName><CreateTime>1700000001</CreateTime>";

fn xml(reply: impl Into<Reply>) -> String {
    reply.into().to_xml("alice", "ww1436e0e65a779aee", 1_700_000_001).unwrap()
}

fn golden(msg_type: &str, body: &str) -> String {
    format!("{HEAD}<MsgType><![CDATA[{msg_type}]]></MsgType>{body}</xml>")
}

#[test]
fn text_image_voice_video() {
    assert_eq!(xml(Reply::text("hello")), golden("text", "<Content><![CDATA[hello]]></Content>"));
    assert_eq!(
        xml(Reply::image("media_1")),
        golden("image", "<Image><MediaId><![CDATA[media_1]]></MediaId></Image>")
    );
    assert_eq!(
        xml(Reply::voice("media_2")),
        golden("voice", "<Voice><MediaId><![CDATA[media_2]]></MediaId></Voice>")
    );
    assert_eq!(
        xml(Video::new("media_3").title("Demo").description("How it works")),
        golden(
            "video",
            "<Video><MediaId><![CDATA[media_3]]></MediaId><Title><![CDATA[Demo]]></Title><Description><![CDATA[How it works]]></Description></Video>"
        )
    );
    assert_eq!(
        xml(Video::new("media_3")),
        golden("video", "<Video><MediaId><![CDATA[media_3]]></MediaId></Video>")
    );
}

#[test]
fn news_and_update_button() {
    let news = Reply::news([
        Article::titled("First")
            .description("one")
            .picurl("https://e.com/1.png")
            .url("https://e.com/1"),
        Article::titled("Second").url("https://e.com/2"),
    ]);
    assert_eq!(
        xml(news),
        golden(
            "news",
            "<ArticleCount>2</ArticleCount><Articles>\
             <item><Title><![CDATA[First]]></Title><Description><![CDATA[one]]></Description><PicUrl><![CDATA[https://e.com/1.png]]></PicUrl><Url><![CDATA[https://e.com/1]]></Url></item>\
             <item><Title><![CDATA[Second]]></Title><Url><![CDATA[https://e.com/2]]></Url></item>\
             </Articles>"
        )
    );
    // The documented example of section 7.3.
    assert_eq!(
        Reply::update_button("Approved").to_xml("alice", "ww…", 1_700_000_001).unwrap(),
        "<xml><ToUserName><![CDATA[alice]]></ToUserName><FromUserName><![CDATA[ww…]]></FromUserName>\
         <CreateTime>1700000001</CreateTime><MsgType><![CDATA[update_button]]></MsgType>\
         <Button><ReplaceName><![CDATA[Approved]]></ReplaceName></Button></xml>"
    );
}

#[test]
fn cdata_terminator_inside_text_is_split_and_parses_back() {
    let content = "a ]]> b ]]]]> <c> & 中文";
    let out = xml(Reply::text(content));
    assert_eq!(
        out,
        golden(
            "text",
            "<Content><![CDATA[a ]]]]><![CDATA[> b ]]]]]]><![CDATA[> <c> & 中文]]></Content>"
        )
    );
    let back = wecom_callback::Element::parse(&out).unwrap();
    assert_eq!(back.child_text("Content"), Some(content));
}

fn reply_error(reply: impl Into<Reply>) -> (String, String) {
    match reply.into().to_xml("alice", "ww", 1) {
        Err(Error::Reply { field, problem }) => (field, problem),
        other => panic!("expected a reply error, got {other:?}"),
    }
}

#[test]
fn limits_name_the_field_and_the_limit() {
    assert_eq!(reply_error(Reply::text("")).0, "text.content");
    assert_eq!(
        reply_error(Reply::text("x".repeat(2049))),
        ("text.content".into(), "2049 bytes, at most 2048 allowed".into())
    );
    assert!(Reply::text("é".repeat(1024)).validate().is_ok()); // 2048 bytes exactly
    assert_eq!(reply_error(Reply::news([])).1, "0 articles, 1 to 8 allowed");
    assert_eq!(
        reply_error(Reply::news((0..9).map(|i| Article::titled(format!("a{i}"))))).1,
        "9 articles, 1 to 8 allowed"
    );
    assert!(Reply::news((0..8).map(|i| Article::titled(format!("a{i}")))).validate().is_ok());
    assert_eq!(
        reply_error(Reply::news([Article::titled("ok"), Article::titled("t".repeat(129))])).0,
        "news.articles[1].title"
    );
    assert_eq!(reply_error(Video::new("m").description("d".repeat(513))).0, "video.description");
    assert_eq!(reply_error(Reply::image("")).0, "image.media_id");
    assert_eq!(reply_error(Reply::update_button("")).0, "update_button.replace_name");
    assert_eq!(reply_error(Reply::text("bell \u{7}")).0, "Content");

    // Cards are checked by the card model's own rules for an update, with paths relative to
    // the card. What the model's types rule out cannot be built at all: a style outside 1 to 4,
    // a main title without its title, a quote link without its URL, an attachment row
    // without its media id.
    let title = || MainTitle::new("t");
    let buttons =
        |n: usize| (0..n).map(|i| Button::callback("b", format!("k{i}"))).collect::<Vec<_>>();
    let button_card = |list: Vec<Button>| ButtonInteraction::new(title(), "task-1", list);
    assert_eq!(
        reply_error(button_card(buttons(0))),
        ("button_list".into(), "must have 1 to 6 items (got 0)".into())
    );
    assert_eq!(reply_error(button_card(buttons(7))).0, "button_list");
    assert_eq!(
        reply_error(button_card(vec![Button::callback("a", "k"), Button::callback("b", "k")])),
        (
            "button_list[1].key".into(),
            "must be unique within button_list, but repeats button_list[0].key".into()
        )
    );
    assert_eq!(
        reply_error(ButtonInteraction::new(MainTitle::new(""), "t", buttons(1))).0,
        "main_title.title"
    );
    assert_eq!(reply_error(ButtonInteraction::new(title(), "bad id!", buttons(1))).0, "task_id");
    assert_eq!(
        reply_error(TextNotice::with_sub_title("s", CardAction::none())).0,
        "card_action.type"
    );
    assert_eq!(
        reply_error(
            TextNotice::with_sub_title("s", CardAction::url("https://e.com"))
                .jump_list((0..4).map(|i| JumpItem::url(format!("j{i}"), "https://e.com")))
        )
        .0,
        "jump_list"
    );
    let options =
        |n: usize| (0..n).map(|i| CheckboxOption::new(format!("o{i}"), "x")).collect::<Vec<_>>();
    let vote = |n| {
        VoteInteraction::new(
            title(),
            "task-1",
            Checkbox::new("q", options(n)),
            SubmitButton::new("s", "k"),
        )
    };
    assert!(Reply::from(vote(20)).validate().is_ok());
    assert_eq!(reply_error(vote(21)).0, "checkbox.option_list");
    assert_eq!(reply_error(vote(0)).0, "checkbox.option_list");
    assert_eq!(
        reply_error(VoteInteraction::new(
            title(),
            "task-1",
            Checkbox::new("q", [CheckboxOption::new("a", "x"), CheckboxOption::new("a", "y")]),
            SubmitButton::new("s", "k")
        ))
        .0,
        "checkbox.option_list[1].id"
    );
    let select = |key: &str| Selector::new(key, [SelectOption::new("a", "A")]);
    let multiple = |list: Vec<Selector>| {
        MultipleInteraction::new(title(), "task-1", list, SubmitButton::new("s", "k"))
    };
    assert_eq!(
        reply_error(multiple(vec![select("q"), select("q")])).0,
        "select_list[1].question_key"
    );
    assert_eq!(
        reply_error(multiple((0..4).map(|i| select(&format!("q{i}"))).collect())).0,
        "select_list"
    );
    assert_eq!(
        reply_error(NewsNotice::new(
            title(),
            CardImage::new("https://e.com/i.png").aspect_ratio(3.0),
            CardAction::url("https://e.com")
        ))
        .0,
        "card_image.aspect_ratio"
    );
    assert_eq!(
        reply_error(
            button_card(buttons(1)).action_menu(ActionMenu::new(
                (0..4).map(|i| MenuAction::new("m", format!("k{i}")))
            ))
        )
        .0,
        "action_menu.action_list"
    );
}

#[test]
fn encrypted_reply_decrypts_to_the_same_xml() {
    let crypt = MsgCrypt::new(
        "QDG6eK",
        "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
        "wx5823bf96d3bd56c7",
    )
    .unwrap();
    let answering = Header {
        to_user_name: "wx5823bf96d3bd56c7".into(),
        from_user_name: "mycreate".into(),
        create_time: 1_409_659_813,
        agent_id: Some(218),
    };
    let card = TemplateCard::from(ButtonInteraction::new(
        MainTitle::new("t"),
        "task-1",
        [Button::callback("ok", "ok")],
    ));
    for reply in
        [Reply::text("pong ]]> 中文"), Reply::from(card), Reply::news([Article::titled("a")])]
    {
        let body = reply.encrypt(&crypt, &answering, "1409659813", "1372623149").unwrap();
        let sig =
            body.split("<MsgSignature><![CDATA[").nth(1).unwrap().get(..40).unwrap().to_owned();
        assert!(
            body.contains("<TimeStamp>1409659813</TimeStamp><Nonce><![CDATA[1372623149]]></Nonce>")
        );
        let xml = crypt.decrypt_post(&sig, "1409659813", "1372623149", body.as_bytes()).unwrap();
        // Same XML as serialized directly, apart from the CreateTime stamped at encryption.
        let created = xml.split("<CreateTime>").nth(1).unwrap().split('<').next().unwrap();
        let expected =
            reply.to_xml("mycreate", "wx5823bf96d3bd56c7", created.parse().unwrap()).unwrap();
        assert_eq!(xml, expected);
        // And a reply is addressed to the sender, from the corp.
        assert!(xml.starts_with("<xml><ToUserName><![CDATA[mycreate]]></ToUserName><FromUserName><![CDATA[wx5823bf96d3bd56c7]]></FromUserName>"));
    }
    // An invalid reply is rejected before anything is encrypted.
    assert!(matches!(
        Reply::text("").encrypt(&crypt, &answering, "1", "2"),
        Err(Error::Reply { .. })
    ));
    // A nonce that cannot go into the reply envelope is a crypto error, not a broken body.
    assert!(matches!(
        Reply::text("x").encrypt(&crypt, &answering, "1", "a<b"),
        Err(Error::Crypto(_))
    ));
    // Replies parse back as callbacks with the same content.
    let xml = Reply::text("round trip").to_xml("mycreate", "wx5823bf96d3bd56c7", 5).unwrap();
    assert!(matches!(
        Callback::parse(&format!("{}<MsgId>1</MsgId></xml>", xml.trim_end_matches("</xml>"))),
        Ok(Callback::Message(_))
    ));
}
