//! The XML form of a template card, as an `update_template_card` passive reply carries it.
//!
//! One card model, two wire forms: the JSON the card is sent in is the source, and this
//! module writes it as WeCom's reply documentation spells it — CamelCase element names,
//! repeated parts (`ButtonList`, `HorizontalContentList`, `OptionList` …) as repeated
//! elements with no wrapper, elements in the order the documentation lists them. Its quirks
//! are kept: the vote card's part is `CheckBox` with a capital B; `QuoteArea` and
//! `ImageTextArea` spell `Appid`, `JumpList` and `CardAction` spell `AppId`.
//!
//! The reply tables do not list `TaskId`. It is written for notice cards that carry one (as
//! silenceper's SDK does) and left out of the interactive cards, whose reply replaces the
//! clicked card in place.

use serde_json::{Map, Value};

use super::TemplateCard;
use crate::InvalidArgument;
use crate::xml::XmlWriter;

/// `(JSON key, XML element)` in the documented order, for one element's children.
type Fields = &'static [(&'static str, &'static str)];

const CARD: Fields = &[
    ("card_type", "CardType"),
    ("source", "Source"),
    ("main_title", "MainTitle"),
    ("sub_title_text", "SubTitleText"),
    ("emphasis_content", "EmphasisContent"),
    ("quote_area", "QuoteArea"),
    ("horizontal_content_list", "HorizontalContentList"),
    ("jump_list", "JumpList"),
    ("card_action", "CardAction"),
    ("card_image", "CardImage"),
    ("vertical_content_list", "VerticalContentList"),
    ("image_text_area", "ImageTextArea"),
    ("action_menu", "ActionMenu"),
    ("button_list", "ButtonList"),
    ("replace_text", "ReplaceText"),
    ("button_selection", "ButtonSelection"),
    ("checkbox", "CheckBox"),
    ("select_list", "SelectList"),
    ("submit_button", "SubmitButton"),
    ("task_id", "TaskId"),
];
const TITLE: Fields = &[("title", "Title"), ("desc", "Desc")];
const SOURCE: Fields = &[("icon_url", "IconUrl"), ("desc", "Desc"), ("desc_color", "DescColor")];
const QUOTE_AREA: Fields = &[
    ("type", "Type"),
    ("url", "Url"),
    ("appid", "Appid"),
    ("pagepath", "PagePath"),
    ("title", "Title"),
    ("quote_text", "QuoteText"),
];
const HORIZONTAL: Fields = &[
    ("keyname", "KeyName"),
    ("value", "Value"),
    ("type", "Type"),
    ("url", "Url"),
    ("media_id", "MediaId"),
    ("userid", "UserId"),
];
const JUMP: Fields = &[
    ("type", "Type"),
    ("title", "Title"),
    ("url", "Url"),
    ("appid", "AppId"),
    ("pagepath", "PagePath"),
];
const CARD_ACTION: Fields =
    &[("type", "Type"), ("url", "Url"), ("appid", "AppId"), ("pagepath", "PagePath")];
const CARD_IMAGE: Fields = &[("url", "Url"), ("aspect_ratio", "AspectRatio")];
const IMAGE_TEXT_AREA: Fields = &[
    ("type", "Type"),
    ("url", "Url"),
    ("appid", "Appid"),
    ("pagepath", "PagePath"),
    ("title", "Title"),
    ("desc", "Desc"),
    ("image_url", "ImageUrl"),
];
const ACTION_MENU: Fields = &[("desc", "Desc"), ("action_list", "ActionList")];
const TEXT_KEY: Fields = &[("text", "Text"), ("key", "Key")];
const BUTTON: Fields =
    &[("text", "Text"), ("style", "Style"), ("key", "Key"), ("type", "Type"), ("url", "Url")];
const SELECTION: Fields = &[
    ("question_key", "QuestionKey"),
    ("title", "Title"),
    ("selected_id", "SelectedId"),
    ("disable", "Disable"),
    ("option_list", "OptionList"),
];
const CHECKBOX: Fields = &[
    ("question_key", "QuestionKey"),
    ("disable", "Disable"),
    ("mode", "Mode"),
    ("option_list", "OptionList"),
];
const OPTION: Fields = &[("id", "Id"), ("text", "Text"), ("is_checked", "IsChecked")];

/// The children of element `name`, or `None` for an element that holds text.
fn fields_of(name: &str) -> Option<Fields> {
    Some(match name {
        "TemplateCard" => CARD,
        "MainTitle" | "EmphasisContent" | "VerticalContentList" => TITLE,
        "Source" => SOURCE,
        "QuoteArea" => QUOTE_AREA,
        "HorizontalContentList" => HORIZONTAL,
        "JumpList" => JUMP,
        "CardAction" => CARD_ACTION,
        "CardImage" => CARD_IMAGE,
        "ImageTextArea" => IMAGE_TEXT_AREA,
        "ActionMenu" => ACTION_MENU,
        "ActionList" | "SubmitButton" => TEXT_KEY,
        "ButtonList" => BUTTON,
        "ButtonSelection" | "SelectList" => SELECTION,
        "CheckBox" => CHECKBOX,
        "OptionList" => OPTION,
        _ => return None,
    })
}

impl TemplateCard {
    /// Writes the card as the `<TemplateCard>` element of a passive reply.
    ///
    /// # Errors
    /// [`InvalidArgument`] when a text holds a character XML cannot carry, naming the element.
    pub fn write_xml(&self, w: &mut XmlWriter) -> Result<(), InvalidArgument> {
        let Value::Object(mut object) = serde_json::to_value(self).map_err(|e| {
            InvalidArgument::new("template_card", format!("cannot be serialized: {e}"))
        })?
        else {
            return Err(InvalidArgument::new("template_card", "is not a JSON object"));
        };
        if !matches!(self, TemplateCard::TextNotice(_) | TemplateCard::NewsNotice(_)) {
            object.remove("task_id");
        }
        w.open("TemplateCard");
        write_children(w, "TemplateCard", &object)?;
        w.close();
        Ok(())
    }
}

fn write_children(
    w: &mut XmlWriter,
    parent: &'static str,
    object: &Map<String, Value>,
) -> Result<(), InvalidArgument> {
    let fields = fields_of(parent).unwrap_or(&[]);
    if let Some(key) = object.keys().find(|k| !fields.iter().any(|(json, _)| json == k)) {
        // Every field of the card model has an XML name; a test holds the table complete.
        return Err(InvalidArgument::new(
            format!("template_card {parent}.{key}"),
            "has no XML form in a passive reply",
        ));
    }
    for &(key, name) in fields {
        match object.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for item in items {
                    write_value(w, name, item)?;
                }
            }
            Some(value) => write_value(w, name, value)?,
        }
    }
    Ok(())
}

fn write_value(
    w: &mut XmlWriter,
    name: &'static str,
    value: &Value,
) -> Result<(), InvalidArgument> {
    match value {
        Value::Null => Ok(()),
        Value::String(s) => w.text(name, s),
        Value::Number(n) => {
            w.value(name, n);
            Ok(())
        }
        Value::Bool(b) => {
            w.value(name, b);
            Ok(())
        }
        Value::Object(object) => {
            w.open(name);
            write_children(w, name, object)?;
            w.close();
            Ok(())
        }
        Value::Array(items) => items.iter().try_for_each(|item| write_value(w, name, item)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card::*;

    fn xml(card: impl Into<TemplateCard>) -> String {
        let mut w = XmlWriter::with_capacity(256);
        card.into().write_xml(&mut w).unwrap();
        w.finish()
    }

    fn rows() -> Vec<HorizontalItem> {
        vec![
            HorizontalItem::text("k", "v"),
            HorizontalItem::link("k", "v", "https://e.com"),
            HorizontalItem::attachment("k", "v", "media"),
            HorizontalItem::member("k", "v", "alice"),
        ]
    }

    fn menu() -> ActionMenu {
        ActionMenu::new([MenuAction::new("Mute", "mute")]).desc("More")
    }

    // Every field a card can carry has a place in the tables: a field added to the model
    // without one makes `write_xml` fail here, not in a user's reply.
    #[test]
    fn every_field_of_every_card_kind_has_an_xml_name() {
        let source = || Source::new("s").icon_url("https://e.com/i.png").desc_color(DescColor::Red);
        let quote = || QuoteArea::new("q").title("t").url("https://e.com");
        let jump =
            || vec![JumpItem::url("a", "https://e.com"), JumpItem::mini_program("b", "wx1", "p")];
        let text = TextNotice::new(MainTitle::new("t").desc("d"), CardAction::url("https://e.com"))
            .source(source())
            .action_menu(menu())
            .quote_area(quote())
            .emphasis_content(EmphasisContent::new("1").desc("d"))
            .sub_title_text("s")
            .horizontal_content_list(rows())
            .jump_list(jump())
            .task_id("t1");
        let out = xml(text);
        for name in [
            "<Source>",
            "<DescColor>2</DescColor>",
            "<ActionMenu>",
            "<QuoteArea>",
            "<EmphasisContent>",
            "<SubTitleText>",
            "<MediaId>",
            "<UserId>",
            "<PagePath>",
            "<TaskId>",
        ] {
            assert!(out.contains(name), "{name} in {out}");
        }
        let news = NewsNotice::new(
            MainTitle::new("t"),
            CardImage::new("https://e.com/i.png").aspect_ratio(2.0),
            CardAction::mini_program("wx1", "p"),
        )
        .source(source())
        .action_menu(menu())
        .quote_area(quote())
        .image_text_area(
            ImageTextArea::new("https://e.com/i.png").title("t").desc("d").mini_program("wx1", "p"),
        )
        .vertical_content_list([VerticalContent::new("v").desc("d")])
        .horizontal_content_list(rows())
        .jump_list(jump())
        .task_id("t2");
        let out = xml(news);
        assert!(
            out.contains("<ImageTextArea><Type>2</Type><Appid><![CDATA[wx1]]></Appid>"),
            "{out}"
        );
        assert!(out.contains("<TaskId><![CDATA[t2]]></TaskId>"), "{out}");
        let buttons = ButtonInteraction::new(
            MainTitle::new("t"),
            "t3",
            [
                Button::callback("a", "k").style(ButtonStyle::Style4),
                Button::link("b", "https://e.com"),
            ],
        )
        .source(source())
        .action_menu(menu())
        .quote_area(quote())
        .sub_title_text("s")
        .horizontal_content_list(rows())
        .card_action(CardAction::url("https://e.com"))
        .button_selection(
            ButtonSelection::new("q", [SelectOption::new("a", "A")])
                .title("t")
                .selected_id("a")
                .disable(true),
        )
        .replace_text("done");
        let out = xml(buttons);
        assert!(out.contains("<ButtonList><Text><![CDATA[b]]></Text><Type>1</Type><Url>"), "{out}");
        assert!(!out.contains("TaskId"), "{out}");
        let vote = VoteInteraction::new(
            MainTitle::new("t"),
            "t4",
            Checkbox::new("q", [CheckboxOption::new("a", "A").checked(true)])
                .mode(CheckboxMode::Multiple)
                .disable(false),
            SubmitButton::new("s", "k"),
        )
        .source(source())
        .replace_text("done");
        assert!(xml(vote).contains("<CheckBox><QuestionKey><![CDATA[q]]></QuestionKey><Disable>false</Disable><Mode>1</Mode>"));
        let multiple = MultipleInteraction::new(
            MainTitle::new("t"),
            "t5",
            [Selector::new("q", [SelectOption::new("a", "A")])
                .title("t")
                .selected_id("a")
                .disable(true)],
            SubmitButton::with_key("k"),
        )
        .source(source())
        .replace_text("done");
        assert!(
            xml(multiple).contains("<SelectList><QuestionKey><![CDATA[q]]></QuestionKey><Title>")
        );
    }

    #[test]
    fn a_character_xml_cannot_carry_names_the_element() {
        let card = TextNotice::new(MainTitle::new("bell \u{7}"), CardAction::url("https://e.com"));
        let mut w = XmlWriter::with_capacity(64);
        let err = TemplateCard::from(card).write_xml(&mut w).unwrap_err();
        assert_eq!(err.field, "TemplateCard/MainTitle/Title");
    }
}
