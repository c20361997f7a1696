//! Validation of `update_template_card` before any I/O: the response code, the audience
//! (arrays of ids, `atall`), the new button name, and the replacement card, which may carry
//! the update-only fields.

use wecom::card::{
    Button, ButtonInteraction, ButtonSelection, CardAction, SelectOption, TextNotice,
};
use wecom::message::Recipients;
use wecom::update_card::{UPDATE_FIELDS, UpdateTemplateCard};

fn notice() -> TextNotice {
    TextNotice::new("Title", CardAction::url("https://e.com"))
}

fn buttons(title: &str, list: impl IntoIterator<Item = Button>) -> ButtonInteraction {
    ButtonInteraction::new(title, "task-1", list)
}

fn options(n: usize) -> Vec<SelectOption> {
    (0..n).map(|i| SelectOption::new(format!("o{i}"), "text")).collect()
}

/// `update` is rejected at `field`, and the problem mentions every one of `words`.
#[track_caller]
fn update_rejects(update: &UpdateTemplateCard, field: &str, words: &[&str]) {
    let err = update.validate().expect_err("should be rejected");
    assert_eq!(err.field, field, "wrong field in: {err}");
    for word in words {
        assert!(err.problem.contains(word), "`{word}` missing from: {err}");
    }
}

#[test]
fn update_needs_a_code_an_audience_and_a_new_name() {
    let replace =
        |code: &str, to: Recipients, name: &str| UpdateTemplateCard::replace_button(code, to, name);
    let none = || Recipients::from(Recipients::users(Vec::<String>::new()));
    update_rejects(&replace("", Recipients::all(), "x"), "response_code", &["required"]);
    update_rejects(&replace("c", none(), "x"), "userids", &["no recipients", "partyids", "tagids"]);
    update_rejects(&replace("c", Recipients::all(), ""), "button.replace_name", &["required"]);
    assert!(replace("c", Recipients::parties([1]).into(), "x").validate().is_ok());
}

#[test]
fn update_audience_limits() {
    let replace = |to: Recipients| UpdateTemplateCard::replace_button("c", to, "x");
    // `atall` beside a list cannot be built in code; read from a body, it is refused.
    let combined = |listed| Recipients::from_parts(true, listed, UPDATE_FIELDS).unwrap_err();
    for (err, field) in [
        (combined(Recipients::users(["a"])), "userids"),
        (combined(Recipients::parties([1])), "partyids"),
        (combined(Recipients::tags([1])), "tagids"),
    ] {
        assert_eq!(err.field, field);
        assert!(err.problem.contains("atall"), "{err}");
    }
    let users = |n: usize| Recipients::from(Recipients::users((0..n).map(|i| format!("u{i}"))));
    assert!(replace(users(1000)).validate().is_ok());
    update_rejects(&replace(users(1001)), "userids", &["1000", "(got 1001)"]);
    update_rejects(
        &replace(Recipients::parties(1..=101).into()),
        "partyids",
        &["100", "(got 101)"],
    );
    update_rejects(&replace(Recipients::tags(1..=101).into()), "tagids", &["100", "(got 101)"]);
    update_rejects(
        &replace(Recipients::users(["ok", "a b"]).into()),
        "userids[1]",
        &["whitespace"],
    );
}

#[test]
fn an_updated_card_is_checked_like_a_sent_one_but_may_carry_update_only_fields() {
    let card = buttons("t", [Button::callback("b", "k")])
        .replace_text("Approved")
        .button_selection(ButtonSelection::new("q", options(1)).disable(true));
    assert!(UpdateTemplateCard::replace_card("c", Recipients::all(), card).validate().is_ok());
    let broken = buttons("t", Vec::new());
    update_rejects(
        &UpdateTemplateCard::replace_card("c", Recipients::all(), broken),
        "template_card.button_list",
        &["1 to 6"],
    );
    let empty_replace = buttons("t", [Button::callback("b", "k")]).replace_text("");
    update_rejects(
        &UpdateTemplateCard::replace_card("c", Recipients::all(), empty_replace),
        "template_card.replace_text",
        &["required"],
    );
    // Any card kind may replace a card, notices included.
    assert!(
        UpdateTemplateCard::replace_card("c", Recipients::users(["a"]), notice())
            .validate()
            .is_ok()
    );
}
