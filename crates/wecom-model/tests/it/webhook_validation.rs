//! Webhook validation at and one past every limit: the error names the field path and the
//! limit.

use wecom_model::card::{
    ActionMenu, Button, ButtonInteraction, CardAction, CardImage, MenuAction, NewsNotice,
    TemplateCard, TextNotice,
};
use wecom_model::webhook::{
    IMAGE_MAX_BYTES, Markdown, MarkdownV2, UploadKind, WebhookArticle, WebhookCard, WebhookFile,
    WebhookImage, WebhookMessage, WebhookNews, WebhookText,
};

fn check(message: impl Into<WebhookMessage>) -> Result<(), (String, String)> {
    message.into().validate().map_err(|e| (e.field, e.problem))
}

#[test]
fn text_takes_2048_bytes_of_utf8() {
    // 682 CJK characters are 2,046 bytes; two ASCII bytes make 2,048.
    let at = format!("{}ab", "警".repeat(682));
    assert_eq!(at.len(), 2048);
    check(WebhookText::new(at.clone())).unwrap();
    let (field, problem) = check(WebhookText::new(format!("{at}c"))).unwrap_err();
    assert_eq!(field, "text.content");
    assert_eq!(problem, "must be at most 2048 bytes of UTF-8 (got 2049 bytes)");
    assert_eq!(check(WebhookText::new("")).unwrap_err().0, "text.content");
    assert_eq!(check(WebhookText::new("x").mention("")).unwrap_err().0, "text.mentioned_list[0]");
}

#[test]
fn markdown_and_v2_take_4096_bytes() {
    let at = "m".repeat(4096);
    check(Markdown::new(at.clone())).unwrap();
    check(MarkdownV2::new(at.clone())).unwrap();
    let over = format!("{at}é");
    let (field, problem) = check(Markdown::new(over.clone())).unwrap_err();
    assert_eq!(field, "markdown.content");
    assert_eq!(problem, "must be at most 4096 bytes of UTF-8 (got 4098 bytes)");
    assert_eq!(check(MarkdownV2::new(over)).unwrap_err().0, "markdown_v2.content");
}

fn png_of(len: usize) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.resize(len, 7);
    png
}

#[test]
fn images_take_2_mb_of_jpg_or_png() {
    let at = WebhookImage::from_bytes(&png_of(IMAGE_MAX_BYTES)).unwrap();
    check(at).unwrap();
    let err = WebhookImage::from_bytes(&png_of(IMAGE_MAX_BYTES + 1)).unwrap_err();
    assert_eq!(err.field, "image");
    assert!(err.problem.contains("at most 2097152 bytes"), "{}", err.problem);
    assert!(WebhookImage::from_bytes(b"GIF89a.....").unwrap_err().problem.contains("JPG or PNG"));
    let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10];
    check(WebhookImage::from_bytes(&jpeg).unwrap()).unwrap();
}

#[test]
fn image_fields_are_checked_against_each_other() {
    let good = WebhookImage::from_bytes(&png_of(100)).unwrap();
    let mut upper = good.clone();
    upper.md5 = upper.md5.to_uppercase();
    assert_eq!(check(upper).unwrap_err().0, "image.md5");
    let mismatch = WebhookImage::new(good.base64.clone(), "0".repeat(32));
    assert!(check(mismatch).unwrap_err().1.contains("does not match"));
    let bad_b64 = WebhookImage::new("not base64!", good.md5.clone());
    assert_eq!(check(bad_b64).unwrap_err().0, "image.base64");
}

#[test]
fn news_takes_1_to_8_articles_each_with_a_url() {
    let article = |i: usize| WebhookArticle::new(format!("a{i}"), "https://example.com");
    check(WebhookNews::new((0..8).map(article))).unwrap();
    let (field, problem) = check(WebhookNews::new((0..9).map(article))).unwrap_err();
    assert_eq!(
        (field.as_str(), problem.as_str()),
        ("news.articles", "must have 1 to 8 items (got 9)")
    );
    assert_eq!(check(WebhookNews::new([])).unwrap_err().1, "must have 1 to 8 items (got 0)");
    let no_url = WebhookNews::new([article(0), WebhookArticle::new("t", "")]);
    assert_eq!(check(no_url).unwrap_err().0, "news.articles[1].url");
    let no_scheme = WebhookNews::new([WebhookArticle::new("t", "example.com")]);
    assert_eq!(check(no_scheme).unwrap_err().0, "news.articles[0].url");
}

#[test]
fn media_messages_need_an_id() {
    assert_eq!(check(WebhookFile::new("")).unwrap_err().0, "file.media_id");
    check(WebhookFile::new("m1")).unwrap();
}

#[test]
fn uploads_are_more_than_5_bytes_and_within_their_kind() {
    assert_eq!(UploadKind::File.check(b"12345").unwrap_err().field, "media");
    UploadKind::File.check(b"123456").unwrap();
    let max = UploadKind::File.max_bytes();
    UploadKind::File.check(&vec![0; max]).unwrap();
    let err = UploadKind::File.check(&vec![0; max + 1]).unwrap_err();
    assert!(err.problem.contains("at most 20971520 bytes"), "{}", err.problem);
    // AMR: 20 ms per frame; a frame of type 7 is 32 bytes with its header.
    let amr = |frames: usize| {
        let mut d = b"#!AMR\n".to_vec();
        for _ in 0..frames {
            d.push(7 << 3);
            d.extend([0; 31]);
        }
        d
    };
    UploadKind::Voice.check(&amr(3000)).unwrap();
    let err = UploadKind::Voice.check(&amr(3001)).unwrap_err();
    assert!(err.problem.contains("60 seconds"), "{}", err.problem);
    assert!(UploadKind::Voice.check(b"RIFF....WAVE").unwrap_err().problem.contains("AMR"));
    let big = [b"#!AMR\n".as_slice(), &vec![0; UploadKind::Voice.max_bytes()]].concat();
    assert!(UploadKind::Voice.check(&big).unwrap_err().problem.contains("2097152"));
}

#[test]
fn cards_are_notices_without_menu_or_task_id() {
    let action = CardAction::url("https://example.com");
    let card = TextNotice::new("t", action.clone());
    check(card.clone()).unwrap();
    let menu = ActionMenu::new([MenuAction::new("mute", "mute")]);
    let (field, _) = check(card.clone().action_menu(menu).task_id("t1")).unwrap_err();
    assert_eq!(field, "template_card.action_menu");
    assert_eq!(check(card.task_id("t1")).unwrap_err().0, "template_card.task_id");
    let image = |r| CardImage::new("https://example.com/i.png").aspect_ratio(r);
    check(NewsNotice::new("n", image(2.24), action.clone())).unwrap();
    let err = check(NewsNotice::new("n", image(2.25), action.clone())).unwrap_err();
    assert_eq!(err.0, "template_card.card_image.aspect_ratio");
    let buttons: TemplateCard =
        ButtonInteraction::new("Deploy?", "deploy-42", [Button::callback("Go", "go")]).into();
    let err = WebhookCard::try_from(buttons).unwrap_err();
    assert_eq!(err.field, "template_card.card_type");
    assert!(err.problem.contains("button_interaction"), "{}", err.problem);
    let notice: TemplateCard = TextNotice::new("t", action).into();
    assert!(WebhookCard::try_from(notice).is_ok());
}
