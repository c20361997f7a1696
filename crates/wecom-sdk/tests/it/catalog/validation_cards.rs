//! Validation of template cards before any I/O, part one: notice cards and the sub-objects
//! they share — required parts, type-dependent link fields, counts and pictures. Each error
//! must name the field as it appears in the JSON body and state the limit.

use serde_json::{Value, json};
use wecom::card::{
    ActionMenu, Button, ButtonInteraction, CardAction, CardImage, Checkbox, CheckboxOption,
    DescColor, HorizontalItem, ImageTextArea, JumpItem, MenuAction, MultipleInteraction,
    NewsNotice, SelectOption, Selector, Source, SubmitButton, TemplateCard, TextNotice,
    VoteInteraction,
};

/// `card` is rejected for sending at `field`, and the problem mentions every one of `words`.
#[track_caller]
fn rejects(card: impl Into<TemplateCard>, field: &str, words: &[&str]) {
    let err = card.into().validate().expect_err("should be rejected");
    assert_eq!(err.field, field, "wrong field in: {err}");
    for word in words {
        assert!(err.problem.contains(word), "`{word}` missing from: {err}");
    }
}

#[track_caller]
fn accepts(card: impl Into<TemplateCard>) {
    let card = card.into();
    card.validate().unwrap_or_else(|e| panic!("{e}"));
}

/// A card read from JSON (how invalid type/field combinations arrive).
fn parse(card: &Value) -> TemplateCard {
    serde_json::from_value(card.clone()).unwrap()
}

fn notice() -> TextNotice {
    TextNotice::new("Title", CardAction::url("https://e.com"))
}

fn buttons(title: &str, list: impl IntoIterator<Item = Button>) -> ButtonInteraction {
    ButtonInteraction::new(title, "task-1", list)
}

fn vote(options: impl IntoIterator<Item = CheckboxOption>) -> VoteInteraction {
    VoteInteraction::new(
        "Vote",
        "task-1",
        Checkbox::new("q", options),
        SubmitButton::new("Go", "go"),
    )
}

fn multiple(list: impl IntoIterator<Item = Selector>) -> MultipleInteraction {
    MultipleInteraction::new("Survey", "task-1", list, SubmitButton::new("Go", "go"))
}

fn options(n: usize) -> Vec<SelectOption> {
    (0..n).map(|i| SelectOption::new(format!("o{i}"), "text")).collect()
}

#[test]
fn text_notice_needs_a_title_or_a_sub_title() {
    let no_title = parse(&json!({
        "card_type": "text_notice", "card_action": { "type": 1, "url": "https://e.com" }
    }));
    rejects(no_title, "template_card.main_title.title", &["sub_title_text"]);
    let empty_title = parse(&json!({
        "card_type": "text_notice", "main_title": { "title": "" }, "sub_title_text": "",
        "card_action": { "type": 1, "url": "https://e.com" }
    }));
    rejects(empty_title, "template_card.main_title.title", &["sub_title_text"]);
    accepts(TextNotice::with_sub_title("only this", CardAction::url("https://e.com")));
}

#[test]
fn notice_cards_need_a_card_action_that_opens_something() {
    for (action, field, words) in [
        (json!({}), "template_card.card_action.type", &["1", "2", "(got none)"][..]),
        (json!({ "type": 0 }), "template_card.card_action.type", &["(got 0)"][..]),
        (json!({ "type": 1 }), "template_card.card_action.url", &["type is 1"][..]),
        (json!({ "type": 1, "url": "" }), "template_card.card_action.url", &["required"][..]),
        (
            json!({ "type": 2, "pagepath": "p" }),
            "template_card.card_action.appid",
            &["type is 2"][..],
        ),
    ] {
        let text =
            json!({ "card_type": "text_notice", "sub_title_text": "s", "card_action": action });
        rejects(parse(&text), field, words);
        let news = json!({
            "card_type": "news_notice", "main_title": { "title": "t" },
            "card_image": { "url": "https://e.com/i.png" }, "card_action": action
        });
        rejects(parse(&news), field, words);
    }
    // A card without card_action at all does not even parse: it is not a notice card.
    assert!(
        serde_json::from_value::<TemplateCard>(
            json!({ "card_type": "text_notice", "sub_title_text": "s" })
        )
        .is_err()
    );
    // On button cards the action is optional and type 0 is allowed.
    let button = parse(&json!({
        "card_type": "button_interaction", "main_title": { "title": "t" }, "task_id": "t1",
        "card_action": { "type": 0 }, "button_list": [ { "text": "b", "key": "k" } ]
    }));
    accepts(button);
    accepts(TextNotice::new("t", CardAction::mini_program("wx", "")));
}

#[test]
fn an_action_menu_needs_a_task_id_and_one_to_three_distinct_entries() {
    let menu = |n: usize| ActionMenu::new((0..n).map(|i| MenuAction::new("m", format!("k{i}"))));
    rejects(notice().action_menu(menu(1)), "template_card.task_id", &["action_menu"]);
    accepts(notice().action_menu(menu(3)).task_id("t-1"));
    rejects(
        notice().action_menu(menu(0)).task_id("t"),
        "template_card.action_menu.action_list",
        &["1 to 3", "(got 0)"],
    );
    rejects(
        notice().action_menu(menu(4)).task_id("t"),
        "template_card.action_menu.action_list",
        &["(got 4)"],
    );
    let twice = ActionMenu::new([MenuAction::new("a", "k"), MenuAction::new("b", "k")]);
    rejects(
        notice().action_menu(twice).task_id("t"),
        "template_card.action_menu.action_list[1].key",
        &["unique", "action_list[0].key"],
    );
    let long = ActionMenu::new([MenuAction::new("a", "k".repeat(1025))]);
    rejects(
        notice().action_menu(long).task_id("t"),
        "template_card.action_menu.action_list[0].key",
        &["1024 bytes"],
    );
    let no_text = ActionMenu::new([MenuAction::new("", "k")]);
    rejects(
        notice().action_menu(no_text).task_id("t"),
        "template_card.action_menu.action_list[0].text",
        &["required"],
    );
    let news = NewsNotice::new(
        "t",
        CardImage::new("https://e.com/i.png"),
        CardAction::url("https://e.com"),
    );
    rejects(news.action_menu(menu(1)), "template_card.task_id", &["action_menu"]);
}

#[test]
fn jump_list_and_horizontal_list_limits() {
    let jumps = |n: usize| (0..n).map(|i| JumpItem::url(format!("j{i}"), "https://e.com"));
    accepts(notice().jump_list(jumps(3)));
    rejects(notice().jump_list(jumps(4)), "template_card.jump_list", &["at most 3", "(got 4)"]);
    rejects(
        notice().jump_list([JumpItem::url("", "https://e.com")]),
        "template_card.jump_list[0].title",
        &["required"],
    );
    let rows = |n: usize| (0..n).map(|i| HorizontalItem::text(format!("k{i}"), "v"));
    accepts(notice().horizontal_content_list(rows(6)));
    rejects(
        notice().horizontal_content_list(rows(7)),
        "template_card.horizontal_content_list",
        &["at most 6", "(got 7)"],
    );
    rejects(
        notice().horizontal_content_list([HorizontalItem::text("", "v")]),
        "template_card.horizontal_content_list[0].keyname",
        &["required"],
    );
}

#[test]
fn type_dependent_fields_read_from_json_are_checked() {
    let base = |key: &str, value: Value| {
        let mut card = json!({
            "card_type": "text_notice", "sub_title_text": "s",
            "card_action": { "type": 1, "url": "https://e.com" }
        });
        card[key] = value;
        parse(&card)
    };
    for (key, value, field, words) in [
        ("quote_area", json!({ "type": 1 }), "template_card.quote_area.url", &["type is 1"][..]),
        (
            "quote_area",
            json!({ "type": 2, "url": "https://e.com" }),
            "template_card.quote_area.appid",
            &["type is 2"][..],
        ),
        (
            "jump_list",
            json!([{ "type": 1, "title": "t" }]),
            "template_card.jump_list[0].url",
            &["type is 1"][..],
        ),
        (
            "jump_list",
            json!([{ "type": 2, "title": "t" }]),
            "template_card.jump_list[0].appid",
            &["type is 2"][..],
        ),
        (
            "horizontal_content_list",
            json!([{ "type": 1, "keyname": "k" }]),
            "template_card.horizontal_content_list[0].url",
            &["type is 1"][..],
        ),
        (
            "horizontal_content_list",
            json!([{ "type": 2, "keyname": "k", "value": "f.txt" }]),
            "template_card.horizontal_content_list[0].media_id",
            &["type is 2"][..],
        ),
        (
            "horizontal_content_list",
            json!([{ "type": 3, "keyname": "k" }]),
            "template_card.horizontal_content_list[0].userid",
            &["type is 3"][..],
        ),
    ] {
        rejects(base(key, value), field, words);
    }
    // A quote without type is plain text, whatever else it carries.
    accepts(base("quote_area", json!({ "quote_text": "q" })));
    // Unknown type numbers are refused while reading.
    let bad = json!({ "card_type": "text_notice", "sub_title_text": "s", "card_action": { "type": 3, "url": "u" } });
    let err = serde_json::from_value::<TemplateCard>(bad).unwrap_err();
    assert!(err.to_string().contains("one of 0 1 2"), "{err}");
}

#[test]
fn news_notice_needs_a_picture_and_a_title() {
    let no_picture = parse(&json!({
        "card_type": "news_notice", "main_title": { "title": "t" },
        "card_action": { "type": 1, "url": "https://e.com" }
    }));
    rejects(no_picture, "template_card.card_image", &["image_text_area"]);
    let no_title = parse(&json!({
        "card_type": "news_notice", "card_image": { "url": "https://e.com/i.png" },
        "card_action": { "type": 1, "url": "https://e.com" }
    }));
    rejects(no_title, "template_card.main_title.title", &["required"]);
    let action = || CardAction::url("https://e.com");
    rejects(
        NewsNotice::new("t", CardImage::new(""), action()),
        "template_card.card_image.url",
        &["required"],
    );
    rejects(
        NewsNotice::with_image_text_area("t", ImageTextArea::new(""), action()),
        "template_card.image_text_area.image_url",
        &["required"],
    );
    let area = parse(&json!({
        "card_type": "news_notice", "main_title": { "title": "t" },
        "image_text_area": { "type": 1, "image_url": "https://e.com/i.png" },
        "card_action": { "type": 1, "url": "https://e.com" }
    }));
    rejects(area, "template_card.image_text_area.url", &["type is 1"]);
    accepts(NewsNotice::with_image_text_area(
        "t",
        ImageTextArea::new("https://e.com/i.png").url("https://e.com"),
        action(),
    ));
}

#[test]
fn card_image_aspect_ratio_is_between_1_3_and_2_25_exclusive() {
    let with = |r: f64| {
        NewsNotice::new(
            "t",
            CardImage::new("https://e.com/i.png").aspect_ratio(r),
            CardAction::url("https://e.com"),
        )
    };
    for ok in [1.31, 1.5, 2.0, 2.24] {
        accepts(with(ok));
    }
    for bad in [1.3, 1.0, 2.25, 3.0, 0.0, -1.5, f64::NAN, f64::INFINITY] {
        rejects(
            with(bad),
            "template_card.card_image.aspect_ratio",
            &["greater than 1.3", "less than 2.25"],
        );
    }
    accepts(NewsNotice::new(
        "t",
        CardImage::new("https://e.com/i.png"),
        CardAction::url("https://e.com"),
    ));
}

#[test]
fn vertical_content_list_limits() {
    let news = |n: usize| {
        NewsNotice::new(
            "t",
            CardImage::new("https://e.com/i.png"),
            CardAction::url("https://e.com"),
        )
        .vertical_content_list((0..n).map(|i| wecom::card::VerticalContent::new(format!("v{i}"))))
    };
    accepts(news(4));
    rejects(news(5), "template_card.vertical_content_list", &["at most 4", "(got 5)"]);
    let empty = NewsNotice::new(
        "t",
        CardImage::new("https://e.com/i.png"),
        CardAction::url("https://e.com"),
    )
    .vertical_content_list([wecom::card::VerticalContent::new("")]);
    rejects(empty, "template_card.vertical_content_list[0].title", &["required"]);
}

#[test]
fn source_desc_color_only_on_cards_that_show_it() {
    let red = || Source::new("s").desc_color(DescColor::Red);
    accepts(notice().source(red()));
    accepts(buttons("t", [Button::callback("b", "k")]).source(red()));
    rejects(
        vote([CheckboxOption::new("a", "A")]).source(red()),
        "template_card.source.desc_color",
        &["vote_interaction"],
    );
    rejects(
        multiple([Selector::new("q", options(1))]).source(red()),
        "template_card.source.desc_color",
        &["multiple_interaction"],
    );
    accepts(
        vote([CheckboxOption::new("a", "A")])
            .source(Source::new("s").icon_url("https://e.com/i.png")),
    );
    let err = serde_json::from_value::<Source>(json!({ "desc_color": 4 })).unwrap_err();
    assert!(err.to_string().contains("one of 0 1 2 3"), "{err}");
}

#[test]
fn display_hints_are_not_enforced() {
    let long = "字".repeat(200);
    accepts(
        TextNotice::new(
            wecom::card::MainTitle::new(long.as_str()).desc(long.as_str()),
            CardAction::url("https://e.com"),
        )
        .sub_title_text(long.as_str())
        .source(Source::new(long.as_str()))
        .emphasis_content(wecom::card::EmphasisContent::new(long.as_str()).desc(long.as_str()))
        .horizontal_content_list([HorizontalItem::text(long.as_str(), long.as_str())])
        .jump_list([JumpItem::url(long.as_str(), "https://e.com")]),
    );
    accepts(buttons(&long, [Button::callback(long.as_str(), "k")]));
    accepts(vote([CheckboxOption::new("a", long.as_str())]));
}
