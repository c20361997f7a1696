//! The five template cards as flags: the main fields of each; anything richer goes through
//! `wecom send json`. A task id is generated when none is given.

use anyhow::{Result, anyhow};
use wecom::card::{
    ActionMenu, Button, ButtonInteraction, ButtonStyle, CardAction, CardImage, Checkbox,
    CheckboxMode, CheckboxOption, EmphasisContent, HorizontalItem, JumpItem, MainTitle, MenuAction,
    MultipleInteraction, NewsNotice, QuoteArea, SelectOption, Selector, Source, SubmitButton,
    TaskId, TextNotice, VerticalContent, VoteInteraction,
};

use super::Draft;
use crate::exit::usage;
use crate::parse;

mod args;

pub(crate) use args::{
    ButtonCardArgs, CardBody, CardCore, MultipleCardArgs, NewsNoticeArgs, SubmitArgs,
    TextNoticeArgs, VoteCardArgs,
};

fn task_id(core: &CardCore) -> TaskId {
    core.task_id.clone().map_or_else(TaskId::generate, TaskId::new)
}

/// Notice cards need a task id only with a menu (they then call back).
fn notice_task_id(core: &CardCore, has_menu: bool) -> Option<TaskId> {
    (has_menu || core.task_id.is_some()).then(|| task_id(core))
}

fn main_title(core: &CardCore) -> MainTitle {
    let mut title = MainTitle::new(core.title.clone().unwrap_or_default());
    title.desc.clone_from(&core.desc);
    title
}

fn source(core: &CardCore) -> Option<Source> {
    match (&core.source, &core.source_icon) {
        (None, None) => None,
        (desc, icon) => {
            let mut s = Source::default();
            s.desc.clone_from(desc);
            s.icon_url.clone_from(icon);
            Some(s)
        }
    }
}

fn rows(body: &CardBody) -> Result<Vec<HorizontalItem>> {
    body.row
        .iter()
        .map(|r| parse::pair("row", r).map(|(k, v)| HorizontalItem::text(k, v)))
        .collect()
}

fn menu(body: &CardBody) -> Result<Option<ActionMenu>> {
    if body.menu.is_empty() {
        return Ok(None);
    }
    let actions = body
        .menu
        .iter()
        .map(|m| parse::pair("menu", m).map(|(key, text)| MenuAction::new(text, key)))
        .collect::<Result<Vec<_>>>()?;
    Ok(Some(ActionMenu::new(actions)))
}

fn jumps(jump: &[String]) -> Result<Vec<JumpItem>> {
    jump.iter().map(|j| parse::pair("jump", j).map(|(t, u)| JumpItem::url(t, u))).collect()
}

/// Builds a `text_notice` card.
pub(crate) fn text_notice(a: &TextNoticeArgs) -> Result<Draft> {
    let action = CardAction::url(&a.url);
    let mut card = match (&a.core.title, &a.sub_title) {
        (Some(_), _) => TextNotice::new(main_title(&a.core), action),
        (None, Some(sub)) => TextNotice::with_sub_title(sub.clone(), action),
        (None, None) => return Err(usage(anyhow!("text-notice needs --title or --sub-title"))),
    };
    card.sub_title_text.clone_from(&a.sub_title);
    card.source = source(&a.core);
    card.quote_area = a.body.quote.clone().map(QuoteArea::new);
    card.horizontal_content_list = rows(&a.body)?;
    card.jump_list = jumps(&a.jump)?;
    if let Some(e) = &a.emphasis {
        let (figure, label) = parse::pair_opt(e);
        let mut emphasis = EmphasisContent::new(figure);
        emphasis.desc = label;
        card.emphasis_content = Some(emphasis);
    }
    card.action_menu = menu(&a.body)?;
    card.task_id = notice_task_id(&a.core, card.action_menu.is_some());
    Ok(Draft::new(card))
}

/// Builds a `news_notice` card.
pub(crate) fn news_notice(a: &NewsNoticeArgs) -> Result<Draft> {
    if a.core.title.is_none() {
        return Err(usage(anyhow!("news-notice needs --title")));
    }
    let mut image = CardImage::new(&a.image);
    image.aspect_ratio = a.aspect_ratio;
    let mut card = NewsNotice::new(main_title(&a.core), image, CardAction::url(&a.url));
    card.source = source(&a.core);
    card.quote_area = a.body.quote.clone().map(QuoteArea::new);
    card.horizontal_content_list = rows(&a.body)?;
    card.jump_list = jumps(&a.jump)?;
    card.vertical_content_list = a
        .paragraph
        .iter()
        .map(|p| {
            let (title, text) = parse::pair_opt(p);
            let mut v = VerticalContent::new(title);
            v.desc = text;
            v
        })
        .collect();
    card.action_menu = menu(&a.body)?;
    card.task_id = notice_task_id(&a.core, card.action_menu.is_some());
    Ok(Draft::new(card))
}

fn button(value: &str) -> Result<Button> {
    let (key, rest) = parse::pair("button", value)?;
    let (text, style) = match rest.rsplit_once(':') {
        Some((text, style)) if style.len() == 1 && !text.is_empty() => {
            let style = match style {
                "1" => ButtonStyle::Style1,
                "2" => ButtonStyle::Style2,
                "3" => ButtonStyle::Style3,
                "4" => ButtonStyle::Style4,
                other => {
                    return Err(usage(anyhow!(
                        "--button `{value}`: style must be 1 to 4, got {other}"
                    )));
                }
            };
            (text.to_owned(), Some(style))
        }
        _ => (rest, None),
    };
    let b = Button::callback(text, key);
    Ok(match style {
        Some(style) => b.style(style),
        None => b,
    })
}

/// Builds a `button_interaction` card.
pub(crate) fn button_card(a: &ButtonCardArgs) -> Result<Draft> {
    if a.core.title.is_none() {
        return Err(usage(anyhow!("button-card needs --title")));
    }
    let mut buttons = a.button.iter().map(|b| button(b)).collect::<Result<Vec<_>>>()?;
    for link in &a.link_button {
        let (text, url) = parse::pair("link-button", link)?;
        buttons.push(Button::link(text, url));
    }
    let mut card = ButtonInteraction::new(main_title(&a.core), task_id(&a.core), buttons);
    card.source = source(&a.core);
    card.quote_area = a.body.quote.clone().map(QuoteArea::new);
    card.horizontal_content_list = rows(&a.body)?;
    card.sub_title_text.clone_from(&a.sub_title);
    card.card_action = a.url.as_deref().map(CardAction::url);
    card.action_menu = menu(&a.body)?;
    Ok(Draft::new(card))
}

fn submit(s: &SubmitArgs) -> SubmitButton {
    match &s.submit {
        Some(text) => SubmitButton::new(text, &s.submit_key),
        None => SubmitButton::with_key(&s.submit_key),
    }
}

/// Builds a `vote_interaction` card.
pub(crate) fn vote_card(a: &VoteCardArgs) -> Result<Draft> {
    if a.core.title.is_none() {
        return Err(usage(anyhow!("vote-card needs --title")));
    }
    let options = a
        .option
        .iter()
        .map(|o| {
            parse::pair("option", o)
                .map(|(id, text)| CheckboxOption::new(&id, text).checked(a.checked.contains(&id)))
        })
        .collect::<Result<Vec<_>>>()?;
    if let Some(unknown) = a.checked.iter().find(|c| !options.iter().any(|o| &o.id == *c)) {
        return Err(usage(anyhow!("--checked {unknown}: no --option has that id")));
    }
    let mut checkbox = Checkbox::new(&a.question_key, options);
    if a.multiple {
        checkbox = checkbox.mode(CheckboxMode::Multiple);
    }
    let mut card =
        VoteInteraction::new(main_title(&a.core), task_id(&a.core), checkbox, submit(&a.submit));
    card.source = source(&a.core);
    Ok(Draft::new(card))
}

/// `KEY[:TITLE]=ID:TEXT,ID:TEXT…`.
fn selector(value: &str) -> Result<Selector> {
    let bad = || {
        usage(anyhow!(
            "--select `{value}`: expected KEY[:TITLE]=ID:TEXT,ID:TEXT…, e.g. team:Team=infra:Infra,app:Apps"
        ))
    };
    let (head, options) = value.split_once('=').ok_or_else(bad)?;
    let (key, title) = match head.split_once(':') {
        Some((k, t)) => (k.trim(), Some(t.trim())),
        None => (head.trim(), None),
    };
    let options = options
        .split(',')
        .map(|o| {
            o.split_once(':')
                .filter(|(id, text)| !id.trim().is_empty() && !text.is_empty())
                .map(|(id, text)| SelectOption::new(id.trim(), text))
                .ok_or_else(bad)
        })
        .collect::<Result<Vec<_>>>()?;
    let mut s = Selector::new(key, options);
    s.title = title.map(str::to_owned);
    Ok(s)
}

/// Builds a `multiple_interaction` card.
pub(crate) fn multiple_card(a: &MultipleCardArgs) -> Result<Draft> {
    if a.core.title.is_none() {
        return Err(usage(anyhow!("multiple-card needs --title")));
    }
    let selectors = a.select.iter().map(|s| selector(s)).collect::<Result<Vec<_>>>()?;
    let mut card = MultipleInteraction::new(
        main_title(&a.core),
        task_id(&a.core),
        selectors,
        submit(&a.submit),
    );
    card.source = source(&a.core);
    Ok(Draft::new(card))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buttons_read_key_text_and_style() {
        let b = button("approve=Approve:2").unwrap();
        assert_eq!(
            (b.key(), b.text(), b.button_style()),
            (Some("approve"), "Approve", Some(ButtonStyle::Style2))
        );
        let b = button("t=10:30 meeting").unwrap();
        assert_eq!(b.text(), "10:30 meeting", "a colon not followed by one digit is text");
        assert!(button("x=Go:7").is_err());
    }

    #[test]
    fn selectors_read_key_title_and_options() {
        let s = selector("team:Team=infra:Infra,app:Apps").unwrap();
        assert_eq!(s.question_key, "team");
        assert_eq!(s.title.as_deref(), Some("Team"));
        assert_eq!(s.option_list.len(), 2);
        assert_eq!(s.option_list[1].id, "app");
        assert!(selector("team=infra").is_err());
        assert!(selector("team").is_err());
    }
}
