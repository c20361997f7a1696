//! Golden XML for the `update_template_card` reply, one test per card kind, with every element
//! in WeCom's XML spelling.

use wecom_callback::Reply;
use wecom_callback::reply::template_card::{
    ActionMenu, Button, ButtonInteraction, ButtonSelection, ButtonStyle, CardAction, CardImage,
    Checkbox, CheckboxMode, CheckboxOption, DescColor, EmphasisContent, HorizontalItem,
    ImageTextArea, JumpItem, MainTitle, MenuAction, MultipleInteraction, NewsNotice, QuoteArea,
    SelectOption, Selector, Source, SubmitButton, TextNotice, VerticalContent, VoteInteraction,
};

const HEAD: &str = "<xml><ToUserName><![CDATA[alice]]></ToUserName><FromUserName><![CDATA[ww1436e0e65a779aee]]></FromUserName><CreateTime>1700000001</CreateTime>";

fn xml(reply: impl Into<Reply>) -> String {
    reply.into().to_xml("alice", "ww1436e0e65a779aee", 1_700_000_001).unwrap()
}

fn golden(msg_type: &str, body: &str) -> String {
    format!("{HEAD}<MsgType><![CDATA[{msg_type}]]></MsgType>{body}</xml>")
}

#[test]
fn text_notice_card_has_every_element_in_xml_spelling() {
    let card = TextNotice::new(
        MainTitle::new("Title").desc("Desc"),
        CardAction::url("https://e.com/card"),
    )
    .source(Source::new("Bot").icon_url("https://e.com/i.png").desc_color(DescColor::Black))
    .sub_title_text("Sub")
    .emphasis_content(EmphasisContent::new("100").desc("points"))
    .quote_area(QuoteArea::new("quoted").title("Q").mini_program("wx123", "pages/a"))
    .horizontal_content_list([
        HorizontalItem::text("Env", "prod"),
        HorizontalItem::member("Owner", "alice", "alice"),
    ])
    .jump_list([JumpItem::url("Docs", "https://e.com/d"), JumpItem::mini_program("App", "wx9", "")])
    .action_menu(ActionMenu::new([MenuAction::new("Mute", "mute")]).desc("More"))
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
        MainTitle::new("News"),
        CardImage::new("https://e.com/big.png").aspect_ratio(2.2),
        CardAction::mini_program("wx1", "pages/x"),
    )
    .vertical_content_list([VerticalContent::new("V1").desc("d1"), VerticalContent::new("V2")]);
    assert_eq!(
        xml(with_image),
        golden(
            "update_template_card",
            "<TemplateCard><CardType><![CDATA[news_notice]]></CardType>\
             <MainTitle><Title><![CDATA[News]]></Title></MainTitle>\
             <CardAction><Type>2</Type><AppId><![CDATA[wx1]]></AppId><PagePath><![CDATA[pages/x]]></PagePath></CardAction>\
             <CardImage><Url><![CDATA[https://e.com/big.png]]></Url><AspectRatio>2.2</AspectRatio></CardImage>\
             <VerticalContentList><Title><![CDATA[V1]]></Title><Desc><![CDATA[d1]]></Desc></VerticalContentList>\
             <VerticalContentList><Title><![CDATA[V2]]></Title></VerticalContentList>\
             </TemplateCard>"
        )
    );
    let with_area = NewsNotice::with_image_text_area(
        MainTitle::new("News"),
        ImageTextArea::new("https://e.com/s.png").url("https://e.com").title("T").desc("D"),
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
        MainTitle::new("Deploy?"),
        "deploy-1",
        [
            Button::callback("Approve", "approve").style(ButtonStyle::Style1),
            Button::callback("Reject", "reject").style(ButtonStyle::Style2),
        ],
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
        MainTitle::new("Lunch?"),
        "lunch-1",
        Checkbox::new(
            "lunch",
            [CheckboxOption::new("a", "Noodles"), CheckboxOption::new("b", "Rice").checked(true)],
        )
        .mode(CheckboxMode::Multiple)
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
        MainTitle::new("Survey"),
        "survey-1",
        [
            Selector::new("q1", [SelectOption::new("t1", "Infra"), SelectOption::new("t2", "App")])
                .title("Team")
                .selected_id("t1"),
            Selector::new("q2", [SelectOption::new("y", "Yes")]).disable(true),
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
