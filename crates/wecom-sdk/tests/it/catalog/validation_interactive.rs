//! Validation of template cards before any I/O, part two: the interactive cards — task ids,
//! buttons, drop-downs, checkboxes, submit buttons, and the update-only fields they may not
//! carry when sent. Each error names the field as in the JSON body and states the limit.

use serde_json::{Value, json};
use wecom::card::{
    Button, ButtonInteraction, ButtonSelection, Checkbox, CheckboxOption, MultipleInteraction,
    SelectOption, Selector, SubmitButton, TemplateCard, VoteInteraction,
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
fn task_ids_are_short_and_plain() {
    rejects(
        ButtonInteraction::new("t", "", [Button::callback("b", "k")]),
        "template_card.task_id",
        &["required"],
    );
    let max = "a".repeat(128);
    accepts(ButtonInteraction::new("t", max.as_str(), [Button::callback("b", "k")]));
    let long = "a".repeat(129);
    rejects(
        ButtonInteraction::new("t", long.as_str(), [Button::callback("b", "k")]),
        "template_card.task_id",
        &["128 bytes", "129"],
    );
    for bad in ["a b", "a/b", "任务", "a.b"] {
        rejects(
            ButtonInteraction::new("t", bad, [Button::callback("b", "k")]),
            "template_card.task_id",
            &["0-9, A-Z, a-z"],
        );
    }
    accepts(ButtonInteraction::new("t", "Az09_-@", [Button::callback("b", "k")]));
    accepts(ButtonInteraction::new(
        "t",
        wecom::card::TaskId::generate(),
        [Button::callback("b", "k")],
    ));
    let missing = parse(&json!({
        "card_type": "vote_interaction", "main_title": { "title": "t" },
        "checkbox": { "question_key": "q", "option_list": [ { "id": "a", "text": "A" } ] },
        "submit_button": { "key": "k" }
    }));
    rejects(missing, "template_card.task_id", &["required"]);
}

#[test]
fn button_list_has_one_to_six_buttons_with_distinct_keys() {
    let list =
        |n: usize| (0..n).map(|i| Button::callback("b", format!("k{i}"))).collect::<Vec<_>>();
    accepts(buttons("t", list(6)));
    rejects(buttons("t", list(0)), "template_card.button_list", &["1 to 6", "(got 0)"]);
    rejects(buttons("t", list(7)), "template_card.button_list", &["(got 7)"]);
    let twice = [
        Button::callback("a", "k"),
        Button::link("l", "https://e.com"),
        Button::callback("b", "k"),
    ];
    rejects(
        buttons("t", twice),
        "template_card.button_list[2].key",
        &["unique", "button_list[0].key"],
    );
    // Link buttons have no key, so two of them do not clash.
    accepts(buttons("t", [Button::link("a", "https://e.com"), Button::link("b", "https://e.com")]));
    rejects(
        buttons("t", [Button::callback("b", "k".repeat(1025))]),
        "template_card.button_list[0].key",
        &["1024 bytes", "1025"],
    );
    accepts(buttons("t", [Button::callback("b", "k".repeat(1024))]));
    rejects(
        buttons("t", [Button::callback("", "k")]),
        "template_card.button_list[0].text",
        &["required"],
    );
    rejects(
        buttons("", [Button::callback("b", "k")]),
        "template_card.main_title.title",
        &["required"],
    );
}

#[test]
fn button_type_decides_between_key_and_url() {
    let card = |button: Value| {
        parse(&json!({
            "card_type": "button_interaction", "main_title": { "title": "t" }, "task_id": "t1",
            "button_list": [button]
        }))
    };
    rejects(card(json!({ "text": "b" })), "template_card.button_list[0].key", &["call back"]);
    rejects(
        card(json!({ "type": 0, "text": "b", "url": "https://e.com" })),
        "template_card.button_list[0].key",
        &["call back"],
    );
    rejects(
        card(json!({ "type": 1, "text": "b", "key": "k" })),
        "template_card.button_list[0].url",
        &["type is 1"],
    );
    let err = serde_json::from_value::<TemplateCard>(json!({
        "card_type": "button_interaction", "main_title": { "title": "t" }, "task_id": "t1",
        "button_list": [ { "text": "b", "key": "k", "style": 5 } ]
    }))
    .unwrap_err();
    assert!(err.to_string().contains("one of 1 2 3 4"), "{err}");
}

#[test]
fn button_selection_limits() {
    let with = |selection: ButtonSelection| {
        buttons("t", [Button::callback("b", "k")]).button_selection(selection)
    };
    accepts(with(ButtonSelection::new("q", options(10))));
    rejects(
        with(ButtonSelection::new("q", options(0))),
        "template_card.button_selection.option_list",
        &["1 to 10", "(got 0)"],
    );
    rejects(
        with(ButtonSelection::new("q", options(11))),
        "template_card.button_selection.option_list",
        &["(got 11)"],
    );
    rejects(
        with(ButtonSelection::new("", options(1))),
        "template_card.button_selection.question_key",
        &["required"],
    );
    rejects(
        with(ButtonSelection::new("q".repeat(1025), options(1))),
        "template_card.button_selection.question_key",
        &["1024 bytes"],
    );
    let twice = [SelectOption::new("a", "A"), SelectOption::new("a", "B")];
    rejects(
        with(ButtonSelection::new("q", twice)),
        "template_card.button_selection.option_list[1].id",
        &["unique"],
    );
    let long = [SelectOption::new("i".repeat(129), "A")];
    rejects(
        with(ButtonSelection::new("q", long)),
        "template_card.button_selection.option_list[0].id",
        &["128 bytes", "129"],
    );
    rejects(
        with(ButtonSelection::new("q", [SelectOption::new("a", "")])),
        "template_card.button_selection.option_list[0].text",
        &["required"],
    );
    // An unknown selected_id is WeCom's business: it shows the first option.
    accepts(with(ButtonSelection::new("q", options(2)).selected_id("nope")));
}

#[test]
fn checkbox_limits() {
    let opts =
        |n: usize| (0..n).map(|i| CheckboxOption::new(format!("o{i}"), "text")).collect::<Vec<_>>();
    accepts(vote(opts(20)));
    rejects(vote(opts(0)), "template_card.checkbox.option_list", &["1 to 20", "(got 0)"]);
    rejects(vote(opts(21)), "template_card.checkbox.option_list", &["(got 21)"]);
    rejects(
        vote([CheckboxOption::new("a", "A"), CheckboxOption::new("a", "B")]),
        "template_card.checkbox.option_list[1].id",
        &["unique"],
    );
    rejects(
        vote([CheckboxOption::new("i".repeat(129), "A")]),
        "template_card.checkbox.option_list[0].id",
        &["128 bytes"],
    );
    rejects(
        vote([CheckboxOption::new("a", "")]),
        "template_card.checkbox.option_list[0].text",
        &["required"],
    );
    let no_key = VoteInteraction::new(
        "Vote",
        "t",
        Checkbox::new("", opts(1)),
        SubmitButton::new("Go", "go"),
    );
    rejects(no_key, "template_card.checkbox.question_key", &["required"]);
    let long_key = VoteInteraction::new(
        "Vote",
        "t",
        Checkbox::new("q".repeat(1025), opts(1)),
        SubmitButton::new("Go", "go"),
    );
    rejects(long_key, "template_card.checkbox.question_key", &["1024 bytes"]);
}

#[test]
fn submit_button_needs_a_key() {
    let with = |submit: SubmitButton| {
        VoteInteraction::new(
            "Vote",
            "t",
            Checkbox::new("q", [CheckboxOption::new("a", "A")]),
            submit,
        )
    };
    rejects(with(SubmitButton::new("Go", "")), "template_card.submit_button.key", &["required"]);
    rejects(
        with(SubmitButton::with_key("k".repeat(1025))),
        "template_card.submit_button.key",
        &["1024 bytes"],
    );
    accepts(with(SubmitButton::with_key("go")));
    let multi = MultipleInteraction::new(
        "S",
        "t",
        [Selector::new("q", options(1))],
        SubmitButton::new("Go", ""),
    );
    rejects(multi, "template_card.submit_button.key", &["required"]);
}

#[test]
fn select_list_limits() {
    let selectors =
        |n: usize| (0..n).map(|i| Selector::new(format!("q{i}"), options(1))).collect::<Vec<_>>();
    accepts(multiple(selectors(3)));
    rejects(multiple(selectors(0)), "template_card.select_list", &["1 to 3", "(got 0)"]);
    rejects(multiple(selectors(4)), "template_card.select_list", &["(got 4)"]);
    rejects(
        multiple([Selector::new("q", options(1)), Selector::new("q", options(1))]),
        "template_card.select_list[1].question_key",
        &["unique"],
    );
    rejects(
        multiple([Selector::new("q", options(11))]),
        "template_card.select_list[0].option_list",
        &["1 to 10", "(got 11)"],
    );
    rejects(
        multiple([Selector::new("", options(1))]),
        "template_card.select_list[0].question_key",
        &["required"],
    );
    let twice = [SelectOption::new("a", "A"), SelectOption::new("a", "A")];
    rejects(
        multiple([Selector::new("q", twice)]),
        "template_card.select_list[0].option_list[1].id",
        &["unique"],
    );
    let mut untitled = multiple([Selector::new("q", options(1))]);
    untitled.main_title.title = None;
    rejects(untitled, "template_card.main_title.title", &["required"]);
}

#[test]
fn update_only_fields_are_refused_when_sending() {
    let button = || buttons("t", [Button::callback("b", "k")]);
    rejects(button().replace_text("done"), "template_card.replace_text", &["update_template_card"]);
    rejects(
        button().button_selection(ButtonSelection::new("q", options(1)).disable(true)),
        "template_card.button_selection.disable",
        &["update_template_card"],
    );
    let checkbox = Checkbox::new("q", [CheckboxOption::new("a", "A")]).disable(true);
    rejects(
        VoteInteraction::new("v", "t", checkbox, SubmitButton::new("Go", "go")),
        "template_card.checkbox.disable",
        &["update_template_card"],
    );
    rejects(
        vote([CheckboxOption::new("a", "A")]).replace_text("x"),
        "template_card.replace_text",
        &["update_template_card"],
    );
    rejects(
        multiple([Selector::new("q", options(1)).disable(true)]),
        "template_card.select_list[0].disable",
        &["update_template_card"],
    );
    rejects(
        multiple([Selector::new("q", options(1))]).replace_text("x"),
        "template_card.replace_text",
        &["update_template_card"],
    );
}
