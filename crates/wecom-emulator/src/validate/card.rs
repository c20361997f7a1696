//! Validation of template cards (§2.13): the five card types, their required parts, the hard
//! limits on list lengths, keys and ids, and `task_id`. Also used for replacement cards of
//! `update_template_card` ([`Mode::Update`]: `task_id` optional, update-only fields allowed).

use std::collections::HashSet;

use serde_json::Value;

use super::fields::Obj;
use super::message::MediaRef;
use crate::api::error::{ApiError, code};

/// Where a card comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// `message/send`.
    Send,
    /// A replacement card (`update_template_card`, passive reply).
    Update,
}

/// What the send handler needs to know about a valid card.
#[derive(Debug, Clone)]
pub(crate) struct CardInfo {
    pub(crate) card_type: &'static str,
    pub(crate) task_id: Option<String>,
    /// Calls back (button/vote/multiple, or text/news with `action_menu`): needs a callback
    /// URL, returns a `response_code`, can be updated.
    pub(crate) interactive: bool,
}

const CARD_TYPES: [&str; 5] = [
    "text_notice",
    "news_notice",
    "button_interaction",
    "vote_interaction",
    "multiple_interaction",
];

/// Keys (`button.key`, `action_list.key`, `question_key`, `submit_button.key`): 1,024 bytes.
const MAX_KEY: usize = 1024;
/// Option ids: 128 bytes.
const MAX_OPTION_ID: usize = 128;

fn bad(msg: String) -> ApiError {
    ApiError::new(code::INVALID_PARAMETER, msg)
}

/// `task_id`: digits, letters, `_`, `-`, `@`; at most 128 bytes (42014 otherwise).
pub(crate) fn check_task_id(task_id: &str) -> Result<(), ApiError> {
    if task_id.len() > 128 {
        return Err(ApiError::new(
            code::INVALID_TASK_ID,
            format!("task_id is {} bytes, max 128", task_id.len()),
        ));
    }
    if let Some(c) =
        task_id.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '@')))
    {
        return Err(ApiError::new(
            code::INVALID_TASK_ID,
            format!("task_id may hold only letters, digits, '_', '-' and '@', found {c:?}"),
        ));
    }
    Ok(())
}

/// Validates a card object (the value of `template_card`).
pub(crate) fn check(
    c: Obj<'_>,
    mode: Mode,
    media: &mut Vec<MediaRef>,
) -> Result<CardInfo, ApiError> {
    let raw_type = c.req_str("card_type", code::EMPTY_PARAMETER)?;
    let card_type =
        CARD_TYPES.iter().find(|t| **t == raw_type).copied().ok_or_else(|| {
            bad(format!("{} {raw_type:?} is not a card type", c.field("card_type")))
        })?;
    let is = |t: &str| card_type == t;
    let notice = is("text_notice") || is("news_notice");

    if let Some(source) = c.opt_obj("source")? {
        let s = Obj::new(source, "template_card.source");
        s.str("icon_url")?;
        s.str("desc")?;
        s.int_in("desc_color", 0..=3)?;
    }
    let mut has_menu = false;
    if (notice || is("button_interaction"))
        && let Some(menu) = c.opt_obj("action_menu")?
    {
        has_menu = true;
        let m = Obj::new(menu, "template_card.action_menu");
        m.str("desc")?;
        let list = m.arr_len("action_list", 1, 3, code::INVALID_PARAMETER)?;
        let mut keys = HashSet::new();
        for (i, item) in list.iter().enumerate() {
            let path = format!("template_card.action_menu.action_list[{i}]");
            let a = Obj::item(item, &path)?;
            a.req_str("text", code::EMPTY_PARAMETER)?;
            unique_key(a, "key", &mut keys)?;
        }
    }
    let main_title = c.opt_obj("main_title")?;
    let title = match main_title {
        Some(t) => {
            let t = Obj::new(t, "template_card.main_title");
            t.str("desc")?;
            t.str("title")?.filter(|s| !s.is_empty())
        }
        None => None,
    };
    let sub_title = c.str("sub_title_text")?.filter(|s| !s.is_empty());
    if is("text_notice") {
        if title.is_none() && sub_title.is_none() {
            return Err(ApiError::new(
                code::MISSING_TITLE,
                "text_notice needs main_title.title or sub_title_text",
            ));
        }
    } else if title.is_none() {
        return Err(ApiError::new(
            code::MISSING_TITLE,
            "template_card.main_title.title is required",
        ));
    }
    if notice || is("button_interaction") {
        if let Some(q) = c.opt_obj("quote_area")? {
            link_target(Obj::new(q, "template_card.quote_area"), "url")?;
        }
        if let Some(list) = c.arr("horizontal_content_list")? {
            horizontal(list, media)?;
        }
    }
    if is("text_notice")
        && let Some(e) = c.opt_obj("emphasis_content")?
    {
        let e = Obj::new(e, "template_card.emphasis_content");
        e.str("title")?;
        e.str("desc")?;
    }
    if notice && let Some(list) = c.arr("jump_list")? {
        if list.len() > 3 {
            return Err(bad(format!("template_card.jump_list has {} items, max 3", list.len())));
        }
        for (i, item) in list.iter().enumerate() {
            let path = format!("template_card.jump_list[{i}]");
            let j = Obj::item(item, &path)?;
            j.req_str("title", code::MISSING_TITLE)?;
            link_target(j, "url")?;
        }
    }
    card_action(c, card_type, notice)?;
    if is("news_notice") {
        news_parts(c)?;
    }
    if is("button_interaction") {
        button_parts(c, mode)?;
    }
    if is("vote_interaction") {
        checkbox(c)?;
    }
    if is("multiple_interaction") {
        select_list(c)?;
    }
    if is("vote_interaction") || is("multiple_interaction") {
        let Some(submit) = c.obj("submit_button")? else {
            return Err(ApiError::new(
                code::EMPTY_PARAMETER,
                "template_card.submit_button is required",
            ));
        };
        let s = Obj::new(submit, "template_card.submit_button");
        s.str("text")?;
        key(s, "key")?;
    }
    if mode == Mode::Update {
        c.str("replace_text")?;
    }
    let interactive = !notice || has_menu;
    let task_id = c.str("task_id")?.filter(|s| !s.is_empty());
    match task_id {
        Some(t) => check_task_id(t)?,
        None if interactive && mode == Mode::Send => {
            return Err(ApiError::new(
                code::INVALID_TASK_ID,
                format!(
                    "template_card.task_id is required for {card_type}{}",
                    if notice { " with action_menu" } else { "" }
                ),
            ));
        }
        None => {}
    }
    Ok(CardInfo { card_type, task_id: task_id.map(str::to_owned), interactive })
}

/// A required key of at most 1,024 bytes.
fn key<'a>(o: Obj<'a>, name: &str) -> Result<&'a str, ApiError> {
    let k = o.req_str(name, code::EMPTY_PARAMETER)?;
    o.max_bytes(name, k, MAX_KEY, code::INVALID_PARAMETER)?;
    Ok(k)
}

fn unique_key(o: Obj<'_>, name: &str, seen: &mut HashSet<String>) -> Result<(), ApiError> {
    let k = key(o, name)?;
    if !seen.insert(k.to_owned()) {
        return Err(bad(format!("{} {k:?} repeats; keys must be unique", o.field(name))));
    }
    Ok(())
}

/// `type` 0/absent: nothing; 1: `url` required; 2: `appid` required (quote_area,
/// image_text_area, jump_list).
fn link_target(o: Obj<'_>, url_key: &str) -> Result<(), ApiError> {
    match o.int_in("type", 0..=2)?.unwrap_or(0) {
        1 => {
            o.req_url(url_key)?;
        }
        2 => {
            o.req_str("appid", code::EMPTY_PARAMETER)?;
            o.str("pagepath")?;
        }
        _ => {
            o.opt_url(url_key)?;
        }
    }
    Ok(())
}

fn horizontal(list: &[Value], media: &mut Vec<MediaRef>) -> Result<(), ApiError> {
    if list.len() > 6 {
        return Err(bad(format!(
            "template_card.horizontal_content_list has {} items, max 6",
            list.len()
        )));
    }
    for (i, item) in list.iter().enumerate() {
        let path = format!("template_card.horizontal_content_list[{i}]");
        let h = Obj::item(item, &path)?;
        h.req_str("keyname", code::EMPTY_PARAMETER)?;
        h.str("value")?;
        match h.int_in("type", 0..=3)?.unwrap_or(0) {
            1 => {
                h.req_url("url")?;
            }
            2 => {
                let id = h.req_str("media_id", code::MISSING_MEDIA_ID)?;
                media.push(MediaRef {
                    field: h.field("media_id"),
                    media_id: id.to_owned(),
                    want: None,
                    safe_file: false,
                });
            }
            3 => {
                h.req_str("userid", code::INVALID_USER_ID)?;
            }
            _ => {}
        }
    }
    Ok(())
}

fn card_action(c: Obj<'_>, card_type: &str, notice: bool) -> Result<(), ApiError> {
    let action = c.opt_obj("card_action")?;
    let Some(action) = action else {
        if notice {
            return Err(ApiError::new(
                code::EMPTY_PARAMETER,
                format!("template_card.card_action is required for {card_type}"),
            ));
        }
        return Ok(());
    };
    if !(notice || card_type == "button_interaction") {
        return Ok(());
    }
    let a = Obj::new(action, "template_card.card_action");
    let ty = a.int_in("type", 0..=2)?.unwrap_or(0);
    if notice && ty == 0 {
        return Err(bad(format!("template_card.card_action.type must be 1 or 2 for {card_type}")));
    }
    link_target(a, "url")
}

fn news_parts(c: Obj<'_>) -> Result<(), ApiError> {
    let area = c.opt_obj("image_text_area")?;
    let image = c.opt_obj("card_image")?;
    if area.is_none() && image.is_none() {
        return Err(ApiError::new(
            code::EMPTY_PARAMETER,
            "news_notice needs template_card.image_text_area or template_card.card_image",
        ));
    }
    if let Some(area) = area {
        let a = Obj::new(area, "template_card.image_text_area");
        link_target(a, "url")?;
        a.str("title")?;
        a.str("desc")?;
        a.req_str("image_url", code::EMPTY_PARAMETER)?;
    }
    if let Some(image) = image {
        let i = Obj::new(image, "template_card.card_image");
        i.req_str("url", code::EMPTY_PARAMETER)?;
        // 0 is Go's zero value for an unset float: the default (1.3) applies.
        if let Some(r) = i.f64("aspect_ratio")?.filter(|&r| r != 0.0)
            && !(1.3..=2.25).contains(&r)
        {
            return Err(bad(format!(
                "template_card.card_image.aspect_ratio must be 1.3 to 2.25, got {r}"
            )));
        }
    }
    if let Some(list) = c.arr("vertical_content_list")? {
        if list.len() > 4 {
            return Err(bad(format!(
                "template_card.vertical_content_list has {} items, max 4",
                list.len()
            )));
        }
        for (i, item) in list.iter().enumerate() {
            let path = format!("template_card.vertical_content_list[{i}]");
            let v = Obj::item(item, &path)?;
            v.req_str("title", code::MISSING_TITLE)?;
            v.str("desc")?;
        }
    }
    Ok(())
}

/// An `option_list` of `min..=max` options with unique ids of at most 128 bytes.
fn options(o: Obj<'_>, max: usize, with_checked: bool) -> Result<(), ApiError> {
    let list = o.arr_len("option_list", 1, max, code::INVALID_PARAMETER)?;
    let mut ids = HashSet::new();
    for (i, item) in list.iter().enumerate() {
        let path = format!("{}[{i}]", o.field("option_list"));
        let opt = Obj::item(item, &path)?;
        let id = opt.req_str("id", code::EMPTY_PARAMETER)?;
        opt.max_bytes("id", id, MAX_OPTION_ID, code::INVALID_PARAMETER)?;
        if !ids.insert(id.to_owned()) {
            return Err(bad(format!("{path}.id {id:?} repeats; option ids must be unique")));
        }
        opt.req_str("text", code::EMPTY_PARAMETER)?;
        if with_checked && opt.bool("is_checked")?.is_none() {
            return Err(ApiError::new(
                code::EMPTY_PARAMETER,
                format!("{path}.is_checked is required"),
            ));
        }
    }
    Ok(())
}

fn button_parts(c: Obj<'_>, mode: Mode) -> Result<(), ApiError> {
    if let Some(sel) = c.opt_obj("button_selection")? {
        let s = Obj::new(sel, "template_card.button_selection");
        key(s, "question_key")?;
        s.str("title")?;
        s.str("selected_id")?;
        if mode == Mode::Update {
            s.bool("disable")?;
        }
        options(s, 10, false)?;
    }
    let list = c.arr_len("button_list", 1, 6, code::INVALID_PARAMETER)?;
    let mut keys = HashSet::new();
    for (i, item) in list.iter().enumerate() {
        let path = format!("template_card.button_list[{i}]");
        let b = Obj::item(item, &path)?;
        b.req_str("text", code::EMPTY_PARAMETER)?;
        // 0 is Go's zero value for an unset style: the default (1) applies. Values beyond
        // 1–4 are accepted: the styles are documented only as a picture (UNVERIFIED §10.9).
        b.int("style")?;
        if b.int_in("type", 0..=1)?.unwrap_or(0) == 1 {
            b.req_url("url")?;
        } else {
            unique_key(b, "key", &mut keys)?;
        }
    }
    Ok(())
}

fn checkbox(c: Obj<'_>) -> Result<(), ApiError> {
    let Some(cb) = c.obj("checkbox")? else {
        return Err(ApiError::new(code::EMPTY_PARAMETER, "template_card.checkbox is required"));
    };
    let cb = Obj::new(cb, "template_card.checkbox");
    key(cb, "question_key")?;
    cb.int_in("mode", 0..=1)?;
    cb.bool("disable")?;
    options(cb, 20, true)
}

fn select_list(c: Obj<'_>) -> Result<(), ApiError> {
    let list = c.arr_len("select_list", 1, 3, code::INVALID_PARAMETER)?;
    let mut keys = HashSet::new();
    for (i, item) in list.iter().enumerate() {
        let path = format!("template_card.select_list[{i}]");
        let s = Obj::item(item, &path)?;
        unique_key(s, "question_key", &mut keys)?;
        s.str("title")?;
        s.str("selected_id")?;
        s.bool("disable")?;
        options(s, 10, false)?;
    }
    Ok(())
}
