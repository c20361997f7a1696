//! Passive replies: golden XML for every reply type and card kind, escaping, limits, and
//! encryption that decrypts back to the same XML.

use wecom_callback::reply::template_card::{
    ActionItem, ActionMenu, Button, ButtonInteraction, ButtonSelection, CardAction, CardImage,
    CheckBox, CheckOption, EmphasisContent, HorizontalContent, ImageTextArea, Jump, MainTitle,
    MultipleInteraction, NewsNotice, QuoteArea, SelectList, SelectOption, Source, SubmitButton,
    TemplateCard, TextNotice, VerticalContent, VoteInteraction,
};
use wecom_callback::reply::{Article, Video};
use wecom_callback::{Callback, Error, Header, Reply};
use wecom_crypto::MsgCrypt;

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
        Article::new("First")
            .description("one")
            .pic_url("https://e.com/1.png")
            .url("https://e.com/1"),
        Article::new("Second").url("https://e.com/2"),
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

#[test]
fn text_notice_card_has_every_element_in_xml_spelling() {
    let card = TextNotice::new(CardAction::url("https://e.com/card"))
        .source(Source::new().icon_url("https://e.com/i.png").desc("Bot").desc_color(1))
        .main_title(MainTitle::new().title("Title").desc("Desc"))
        .sub_title_text("Sub")
        .emphasis_content(EmphasisContent::new().title("100").desc("points"))
        .quote_area(
            QuoteArea::new()
                .kind(2)
                .appid("wx123")
                .page_path("pages/a")
                .title("Q")
                .quote_text("quoted"),
        )
        .horizontal_content_list([
            HorizontalContent::new("Env").value("prod"),
            HorizontalContent::new("Owner").value("alice").kind(3).user_id("alice"),
        ])
        .jump_list([
            Jump::new("Docs").kind(1).url("https://e.com/d"),
            Jump::new("App").kind(2).app_id("wx9"),
        ])
        .action_menu(ActionMenu::new([ActionItem::new("Mute", "mute")]).desc("More"))
        .task_id("task-1");
    assert_eq!(
        xml(card),
        golden(
            "update_template_card",
            "<TemplateCard><CardType><![CDATA[text_notice]]></CardType>\
             <Source><IconUrl><![CDATA[https://e.com/i.png]]></IconUrl><Desc><![CDATA[Bot]]></Desc><DescColor>1</DescColor></Source>\
             <MainTitle><Title><![CDATA[Title]]></Title><Desc><![CDATA[Desc]]></Desc></MainTitle>\
             <SubTitleText><![CDATA[Sub]]></SubTitleText>\
             <EmphasisContent><Title><![CDATA[100]]></Title><Desc><![CDATA[points]]></Desc></EmphasisContent>\
             <QuoteArea><Type>2</Type><Appid><![CDATA[wx123]]></Appid><PagePath><![CDATA[pages/a]]></PagePath><Title><![CDATA[Q]]></Title><QuoteText><![CDATA[quoted]]></QuoteText></QuoteArea>\
             <HorizontalContentList><KeyName><![CDATA[Env]]></KeyName><Value><![CDATA[prod]]></Value></HorizontalContentList>\
             <HorizontalContentList><KeyName><![CDATA[Owner]]></KeyName><Value><![CDATA[alice]]></Value><Type>3</Type><UserId><![CDATA[alice]]></UserId></HorizontalContentList>\
             <JumpList><Type>1</Type><Title><![CDATA[Docs]]></Title><Url><![CDATA[https://e.com/d]]></Url></JumpList>\
             <JumpList><Type>2</Type><Title><![CDATA[App]]></Title><AppId><![CDATA[wx9]]></AppId></JumpList>\
             <CardAction><Type>1</Type><Url><![CDATA[https://e.com/card]]></Url></CardAction>\
             <ActionMenu><Desc><![CDATA[More]]></Desc><ActionList><Text><![CDATA[Mute]]></Text><Key><![CDATA[mute]]></Key></ActionList></ActionMenu>\
             <TaskId><![CDATA[task-1]]></TaskId>\
             </TemplateCard>"
        )
    );
}

#[test]
fn news_notice_card() {
    let with_image = NewsNotice::new(
        MainTitle::new().title("News"),
        CardImage::new("https://e.com/big.png").aspect_ratio(2.25),
        CardAction::mini_program("wx1").page_path("pages/x"),
    )
    .vertical_content_list([VerticalContent::new("V1").desc("d1"), VerticalContent::new("V2")]);
    assert_eq!(
        xml(with_image),
        golden(
            "update_template_card",
            "<TemplateCard><CardType><![CDATA[news_notice]]></CardType>\
             <MainTitle><Title><![CDATA[News]]></Title></MainTitle>\
             <CardAction><Type>2</Type><AppId><![CDATA[wx1]]></AppId><PagePath><![CDATA[pages/x]]></PagePath></CardAction>\
             <CardImage><Url><![CDATA[https://e.com/big.png]]></Url><AspectRatio>2.25</AspectRatio></CardImage>\
             <VerticalContentList><Title><![CDATA[V1]]></Title><Desc><![CDATA[d1]]></Desc></VerticalContentList>\
             <VerticalContentList><Title><![CDATA[V2]]></Title></VerticalContentList>\
             </TemplateCard>"
        )
    );
    let with_area = NewsNotice::new(
        MainTitle::new().title("News"),
        ImageTextArea::new("https://e.com/s.png").kind(1).url("https://e.com").title("T").desc("D"),
        CardAction::url("https://e.com"),
    );
    assert!(xml(with_area).contains(
        "<ImageTextArea><Type>1</Type><Url><![CDATA[https://e.com]]></Url><Title><![CDATA[T]]></Title>\
         <Desc><![CDATA[D]]></Desc><ImageUrl><![CDATA[https://e.com/s.png]]></ImageUrl></ImageTextArea>"
    ));
}

#[test]
fn button_interaction_card() {
    let card = ButtonInteraction::new(
        MainTitle::new().title("Deploy?"),
        [Button::new("Approve", "approve").style(1), Button::new("Reject", "reject").style(2)],
    )
    .card_action(CardAction::none())
    .replace_text("Approved")
    .button_selection(
        ButtonSelection::new(
            "window",
            [SelectOption::new("now", "Now"), SelectOption::new("night", "Tonight")],
        )
        .title("Window")
        .selected_id("now")
        .disable(true),
    );
    assert_eq!(
        xml(card),
        golden(
            "update_template_card",
            "<TemplateCard><CardType><![CDATA[button_interaction]]></CardType>\
             <MainTitle><Title><![CDATA[Deploy?]]></Title></MainTitle>\
             <CardAction><Type>0</Type></CardAction>\
             <ButtonList><Text><![CDATA[Approve]]></Text><Style>1</Style><Key><![CDATA[approve]]></Key></ButtonList>\
             <ButtonList><Text><![CDATA[Reject]]></Text><Style>2</Style><Key><![CDATA[reject]]></Key></ButtonList>\
             <ReplaceText><![CDATA[Approved]]></ReplaceText>\
             <ButtonSelection><QuestionKey><![CDATA[window]]></QuestionKey><Title><![CDATA[Window]]></Title><SelectedId><![CDATA[now]]></SelectedId><Disable>true</Disable>\
             <OptionList><Id><![CDATA[now]]></Id><Text><![CDATA[Now]]></Text></OptionList>\
             <OptionList><Id><![CDATA[night]]></Id><Text><![CDATA[Tonight]]></Text></OptionList></ButtonSelection>\
             </TemplateCard>"
        )
    );
}

#[test]
fn vote_card_uses_capital_b_checkbox() {
    let card = VoteInteraction::new(
        MainTitle::new().title("Lunch?"),
        CheckBox::new(
            "lunch",
            [CheckOption::new("a", "Noodles", false), CheckOption::new("b", "Rice", true)],
        )
        .mode(1)
        .disable(true),
        SubmitButton::new("Submit", "lunch_submit"),
    )
    .replace_text("Voted");
    assert_eq!(
        xml(card),
        golden(
            "update_template_card",
            "<TemplateCard><CardType><![CDATA[vote_interaction]]></CardType>\
             <MainTitle><Title><![CDATA[Lunch?]]></Title></MainTitle>\
             <ReplaceText><![CDATA[Voted]]></ReplaceText>\
             <CheckBox><QuestionKey><![CDATA[lunch]]></QuestionKey><Disable>true</Disable><Mode>1</Mode>\
             <OptionList><Id><![CDATA[a]]></Id><Text><![CDATA[Noodles]]></Text><IsChecked>false</IsChecked></OptionList>\
             <OptionList><Id><![CDATA[b]]></Id><Text><![CDATA[Rice]]></Text><IsChecked>true</IsChecked></OptionList></CheckBox>\
             <SubmitButton><Text><![CDATA[Submit]]></Text><Key><![CDATA[lunch_submit]]></Key></SubmitButton>\
             </TemplateCard>"
        )
    );
}

#[test]
fn multiple_interaction_card() {
    let card = MultipleInteraction::new(
        MainTitle::new().title("Survey"),
        [
            SelectList::new(
                "q1",
                [SelectOption::new("t1", "Infra"), SelectOption::new("t2", "App")],
            )
            .title("Team")
            .selected_id("t1"),
            SelectList::new("q2", [SelectOption::new("y", "Yes")]).disable(true),
        ],
        SubmitButton::new("Submit", "survey_submit"),
    );
    assert_eq!(
        xml(card),
        golden(
            "update_template_card",
            "<TemplateCard><CardType><![CDATA[multiple_interaction]]></CardType>\
             <MainTitle><Title><![CDATA[Survey]]></Title></MainTitle>\
             <SelectList><QuestionKey><![CDATA[q1]]></QuestionKey><Title><![CDATA[Team]]></Title><SelectedId><![CDATA[t1]]></SelectedId>\
             <OptionList><Id><![CDATA[t1]]></Id><Text><![CDATA[Infra]]></Text></OptionList>\
             <OptionList><Id><![CDATA[t2]]></Id><Text><![CDATA[App]]></Text></OptionList></SelectList>\
             <SelectList><QuestionKey><![CDATA[q2]]></QuestionKey><Disable>true</Disable>\
             <OptionList><Id><![CDATA[y]]></Id><Text><![CDATA[Yes]]></Text></OptionList></SelectList>\
             <SubmitButton><Text><![CDATA[Submit]]></Text><Key><![CDATA[survey_submit]]></Key></SubmitButton>\
             </TemplateCard>"
        )
    );
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
        reply_error(Reply::news((0..9).map(|i| Article::new(format!("a{i}"))))).1,
        "9 articles, 1 to 8 allowed"
    );
    assert!(Reply::news((0..8).map(|i| Article::new(format!("a{i}")))).validate().is_ok());
    assert_eq!(
        reply_error(Reply::news([Article::new("ok"), Article::new("t".repeat(129))])).0,
        "news.articles[1].title"
    );
    assert_eq!(reply_error(Video::new("m").description("d".repeat(513))).0, "video.description");
    assert_eq!(reply_error(Reply::image("")).0, "image.media_id");
    assert_eq!(reply_error(Reply::update_button("")).0, "update_button.replace_name");
    assert_eq!(reply_error(Reply::text("bell \u{7}")).0, "Content");

    let title = || MainTitle::new().title("t");
    let buttons = |n: usize| (0..n).map(|i| Button::new("b", format!("k{i}"))).collect::<Vec<_>>();
    assert_eq!(
        reply_error(ButtonInteraction::new(title(), buttons(0))).1,
        "0 items, 1 to 6 allowed"
    );
    assert_eq!(reply_error(ButtonInteraction::new(title(), buttons(7))).0, "button_list");
    assert_eq!(
        reply_error(ButtonInteraction::new(
            title(),
            [Button::new("a", "k"), Button::new("b", "k")]
        )),
        ("button_list[1].key".into(), "duplicate key \"k\"".into())
    );
    assert_eq!(
        reply_error(ButtonInteraction::new(title(), [Button::new("a", "k").style(5)])).0,
        "button_list[0].style"
    );
    assert_eq!(
        reply_error(ButtonInteraction::new(MainTitle::new(), buttons(1))).0,
        "main_title.title"
    );
    assert_eq!(
        reply_error(ButtonInteraction::new(title(), buttons(1)).task_id("bad id!")).0,
        "task_id"
    );
    assert_eq!(
        reply_error(TextNotice::new(CardAction::url("u"))).1,
        "text_notice needs main_title.title or sub_title_text"
    );
    assert_eq!(
        reply_error(TextNotice::new(CardAction::none()).sub_title_text("s")).0,
        "card_action.type"
    );
    assert_eq!(
        reply_error(
            TextNotice::new(CardAction::url("u"))
                .sub_title_text("s")
                .jump_list((0..4).map(|i| Jump::new(format!("j{i}"))))
        )
        .0,
        "jump_list"
    );
    assert_eq!(
        reply_error(
            TextNotice::new(CardAction::url("u"))
                .sub_title_text("s")
                .quote_area(QuoteArea::new().kind(1))
        )
        .0,
        "quote_area.url"
    );
    assert_eq!(
        reply_error(
            TextNotice::new(CardAction::url("u"))
                .sub_title_text("s")
                .horizontal_content_list([HorizontalContent::new("k").kind(2)])
        )
        .0,
        "horizontal_content_list[0].media_id"
    );
    let options = |n: usize| {
        (0..n).map(|i| CheckOption::new(format!("o{i}"), "x", false)).collect::<Vec<_>>()
    };
    let vote = |n| {
        VoteInteraction::new(title(), CheckBox::new("q", options(n)), SubmitButton::new("s", "k"))
    };
    assert!(Reply::from(vote(20)).validate().is_ok());
    assert_eq!(reply_error(vote(21)).0, "checkbox.option_list");
    assert_eq!(reply_error(vote(0)).0, "checkbox.option_list");
    assert_eq!(
        reply_error(VoteInteraction::new(
            title(),
            CheckBox::new(
                "q",
                [CheckOption::new("a", "x", false), CheckOption::new("a", "y", true)]
            ),
            SubmitButton::new("s", "k")
        ))
        .0,
        "checkbox.option_list[1].id"
    );
    let select = |key: &str| SelectList::new(key, [SelectOption::new("a", "A")]);
    assert_eq!(
        reply_error(MultipleInteraction::new(
            title(),
            [select("q"), select("q")],
            SubmitButton::new("s", "k")
        ))
        .0,
        "select_list[1].question_key"
    );
    assert_eq!(
        reply_error(MultipleInteraction::new(
            title(),
            (0..4).map(|i| select(&format!("q{i}"))),
            SubmitButton::new("s", "k")
        ))
        .0,
        "select_list"
    );
    assert_eq!(
        reply_error(NewsNotice::new(
            title(),
            CardImage::new("u").aspect_ratio(3.0),
            CardAction::url("u")
        ))
        .0,
        "card_image.aspect_ratio"
    );
    assert_eq!(
        reply_error(
            ButtonInteraction::new(title(), buttons(1)).action_menu(ActionMenu::new(
                (0..4).map(|i| ActionItem::new("m", format!("k{i}")))
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
        MainTitle::new().title("t"),
        [Button::new("ok", "ok")],
    ));
    for reply in [Reply::text("pong ]]> 中文"), Reply::from(card), Reply::news([Article::new("a")])]
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
