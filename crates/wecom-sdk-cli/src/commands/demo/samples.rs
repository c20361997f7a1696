//! The demo's sample files and one message of every kind.

use wecom::card::{
    ActionMenu, Button, ButtonInteraction, ButtonStyle, CardAction, CardImage, Checkbox,
    CheckboxMode, CheckboxOption, EmphasisContent, HorizontalItem, JumpItem, MainTitle, MenuAction,
    MultipleInteraction, NewsNotice, QuoteArea, SelectOption, Selector, Source, SubmitButton,
    TaskId, TextNotice, VerticalContent, VoteInteraction,
};
use wecom::message::{
    Article, ContentItem, File, Image, Markdown, Message, MiniProgramNotice, MpArticle, MpNews,
    News, Text, TextCard, Video, Voice,
};
use wecom::{Media, MediaType};

use super::picture;

/// One second of silent AMR-NB: the header and 50 frames of mode 7 (31 bytes each).
fn amr() -> Vec<u8> {
    let mut data = b"#!AMR\n".to_vec();
    for _ in 0..50 {
        data.push(0x3C);
        data.extend_from_slice(&[0; 31]);
    }
    data
}

/// The start of an MP4 file (an `ftyp` box): enough for the format checks.
fn mp4() -> Vec<u8> {
    let mut data = vec![0, 0, 0, 0x18];
    data.extend_from_slice(b"ftypisom\0\0\x02\0isommp41");
    data
}

/// The files uploaded for the media kinds.
pub(super) fn media() -> Vec<(MediaType, Media)> {
    vec![
        (MediaType::Image, Media::from_bytes("build-42.png", picture::BUILD.png())),
        (MediaType::Voice, Media::from_bytes("standup.amr", amr())),
        (MediaType::Video, Media::from_bytes("deploy.mp4", mp4())),
        (
            MediaType::File,
            Media::from_bytes("release-notes.txt", b"v1.4: faster, safer.\n".to_vec()),
        ),
    ]
}

/// The picture for news articles and cards (a permanent image).
pub(super) fn picture() -> Media {
    Media::from_bytes("cover.png", picture::COVER.png())
}

/// Media ids and the picture URL the messages refer to.
pub(super) struct Uploaded {
    pub(super) image: String,
    pub(super) voice: String,
    pub(super) video: String,
    pub(super) file: String,
    pub(super) picture_url: String,
}

/// The demo app's mini program (the demo corp's app 1000002 is bound to it).
pub(super) const MINI_PROGRAM: &str = "wxdemo0000000001";

/// The key alice clicks on the button card, and what the button then says.
pub(super) const APPROVE_KEY: &str = "approve";
pub(super) const APPROVED_TEXT: &str = "Approved ✓";
/// The vote's question and alice's choice.
pub(super) const LUNCH_QUESTION: &str = "lunch";
pub(super) const LUNCH_CHOICE: &str = "noodles";

/// One message of every kind, each with a short description for the transcript.
pub(super) fn messages(u: &Uploaded) -> Vec<(&'static str, Message)> {
    let url = "https://ci.example.com/builds/42";
    vec![
        ("text", Text::new(format!("Build #42 passed. <a href=\"{url}\">Details</a>")).into()),
        ("image", Image::new(&u.image).into()),
        ("voice", Voice::new(&u.voice).into()),
        ("video", Video::new(&u.video).title("Deploy walkthrough").into()),
        ("file", File::new(&u.file).into()),
        (
            "textcard",
            TextCard::new(
                "Expense approved",
                "<div class=\"gray\">2025-01-01</div><div class=\"highlight\">Amount: 1,200</div>",
                "https://example.com/expense/77",
            )
            .btntxt("Open")
            .into(),
        ),
        (
            "news",
            News::new([Article::new("Release notes v1.4", url)
                .description("Faster sends, safer retries.")
                .picurl(&u.picture_url)])
            .into(),
        ),
        (
            "mpnews",
            MpNews::new([MpArticle::new(
                "Quarterly report",
                &u.image,
                format!("<p>Revenue up 12%.</p><img src=\"{}\">", u.picture_url),
            )
            .author("Finance")
            .digest("Revenue up 12%")])
            .into(),
        ),
        (
            "markdown",
            Markdown::new("## Deploy v1.4\n**Status**: <font color=\"info\">done</font>\n> 3 services, 12 pods")
                .into(),
        ),
        (
            "miniprogram_notice",
            MiniProgramNotice::new(MINI_PROGRAM, "会议室预订成功")
                .page("pages/booking?id=88")
                .description("周一 10:00")
                .emphasis_first_item(true)
                .content_item([ContentItem::new("会议室", "4F-402"), ContentItem::new("时间", "10:00-11:00")])
                .into(),
        ),
        (
            "template_card text_notice",
            TextNotice::new(
                MainTitle::new("Backup finished").desc("All 14 databases verified"),
                CardAction::url("https://ops.example.com/backups"),
            )
            .source(Source::new("Ops bot"))
            .emphasis_content(EmphasisContent::new("14/14").desc("verified"))
            .horizontal_content_list([HorizontalItem::text("Duration", "6 min")])
            .jump_list([JumpItem::url("Backup log", "https://ops.example.com/log")])
            .into(),
        ),
        (
            "template_card news_notice",
            NewsNotice::new(
                "Team offsite",
                CardImage::new(&u.picture_url).aspect_ratio(1.5),
                CardAction::url("https://example.com/offsite"),
            )
            .quote_area(QuoteArea::new("Bring a jacket"))
            .vertical_content_list([VerticalContent::new("Where").desc("Lake house")])
            .into(),
        ),
        (
            "template_card button_interaction",
            ButtonInteraction::new(
                MainTitle::new("Deploy v1.4 to prod?").desc("requested by bob"),
                TaskId::generate(),
                [
                    Button::callback("Approve", APPROVE_KEY).style(ButtonStyle::Style1),
                    Button::callback("Reject", "reject").style(ButtonStyle::Style2),
                ],
            )
            .sub_title_text("3 services, 12 pods")
            .action_menu(ActionMenu::new([MenuAction::new("Mute", "mute")]))
            .into(),
        ),
        ("template_card vote_interaction", vote_card(TaskId::generate()).into()),
        (
            "template_card multiple_interaction",
            MultipleInteraction::new(
                "Offsite survey",
                TaskId::generate(),
                [
                    Selector::new("room", [SelectOption::new("single", "Single"), SelectOption::new("shared", "Shared")])
                        .title("Room"),
                    Selector::new("diet", [SelectOption::new("any", "Anything"), SelectOption::new("veg", "Vegetarian")])
                        .title("Diet"),
                ],
                SubmitButton::new("Send", "survey_submit"),
            )
            .into(),
        ),
    ]
}

/// The lunch vote, as sent and (with `replace_text` and disabled options) as updated.
pub(super) fn vote_card(task_id: TaskId) -> VoteInteraction {
    VoteInteraction::new(
        "Lunch on Friday?",
        task_id,
        Checkbox::new(
            LUNCH_QUESTION,
            [
                CheckboxOption::new(LUNCH_CHOICE, "Noodles"),
                CheckboxOption::new("rice", "Rice"),
                CheckboxOption::new("salad", "Salad"),
            ],
        )
        .mode(CheckboxMode::Multiple),
        SubmitButton::new("Vote", "lunch_submit"),
    )
}
