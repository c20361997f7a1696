//! `template_card` through a webhook: `text_notice` or `news_notice` only, with no menu,
//! task id or interactive parts, and the documented list sizes and required fields.

use super::Checked;
use crate::api::error::{ApiError, code};
use crate::validate::Obj;

/// Fields only interactive (or app) cards have; a webhook card with one is refused.
const APP_ONLY: [&str; 8] = [
    "action_menu",
    "task_id",
    "button_list",
    "button_selection",
    "checkbox",
    "select_list",
    "submit_button",
    "replace_text",
];

pub(super) fn check(c: Obj<'_>, out: &mut Checked) -> Result<(), ApiError> {
    let card_type = c.req_str("card_type", code::INVALID_PARAMETER)?;
    let news = match card_type {
        "text_notice" => false,
        "news_notice" => true,
        other => {
            return Err(ApiError::new(
                code::INVALID_PARAMETER,
                format!(
                    "template_card.card_type {other:?}: a webhook sends only text_notice or news_notice"
                ),
            ));
        }
    };
    if let Some(key) = APP_ONLY.iter().find(|k| c.map.contains_key(**k)) {
        return Err(ApiError::new(
            code::INVALID_PARAMETER,
            format!("{} is not allowed on a webhook card (no callbacks, no updates)", c.field(key)),
        ));
    }
    let title = c.obj("main_title")?;
    let title_path = c.field("main_title");
    let has_title = match title {
        Some(t) => Obj::new(t, &title_path).str("title")?.is_some_and(|s| !s.is_empty()),
        None => false,
    };
    if news && !has_title {
        return Err(ApiError::new(
            code::EMPTY_PARAMETER,
            format!("{title_path}.title is required"),
        ));
    }
    if !news && !has_title && c.str("sub_title_text")?.is_none_or(str::is_empty) {
        return Err(ApiError::new(
            code::EMPTY_PARAMETER,
            "text_notice needs main_title.title or sub_title_text",
        ));
    }
    if news {
        let image_path = c.field("card_image");
        let area_path = c.field("image_text_area");
        let image = c.obj("card_image")?.map(|m| Obj::new(m, &image_path));
        let area = c.obj("image_text_area")?.map(|m| Obj::new(m, &area_path));
        if image.is_none() && area.is_none() {
            return Err(ApiError::new(
                code::EMPTY_PARAMETER,
                "news_notice needs card_image or image_text_area",
            ));
        }
        if let Some(image) = image {
            image.req_url("url")?;
            // Bounds taken inclusively here: WeCom's own webhook example sends 2.25, and the
            // emulator must accept what WeCom documents; clients keep strictly inside.
            if let Some(r) = image.f64("aspect_ratio")?
                && !(1.3..=2.25).contains(&r)
            {
                return Err(ApiError::new(
                    code::INVALID_PARAMETER,
                    format!("{image_path}.aspect_ratio must be 1.3 to 2.25, got {r}"),
                ));
            }
        }
        if let Some(area) = area {
            area.req_url("image_url")?;
        }
        let list = c.arr("vertical_content_list")?.map_or(0, Vec::len);
        if list > 4 {
            return Err(ApiError::new(
                code::INVALID_PARAMETER,
                format!("template_card.vertical_content_list has {list} items, max 4"),
            ));
        }
    }
    if let Some(rows) = c.arr("horizontal_content_list")? {
        if rows.len() > 6 {
            return Err(ApiError::new(
                code::INVALID_PARAMETER,
                format!("template_card.horizontal_content_list has {} items, max 6", rows.len()),
            ));
        }
        for (i, row) in rows.iter().enumerate() {
            let path = format!("template_card.horizontal_content_list[{i}]");
            let row = Obj::item(row, &path)?;
            row.req_str("keyname", code::EMPTY_PARAMETER)?;
            match row.int_in("type", 0..=3)? {
                Some(1) => {
                    row.req_url("url")?;
                }
                Some(2) => {
                    let id = row.req_str("media_id", code::MISSING_MEDIA_ID)?;
                    out.media.push((id.to_owned(), "file"));
                }
                Some(3) => {
                    row.req_str("userid", code::EMPTY_PARAMETER)?;
                }
                _ => {}
            }
        }
    }
    if let Some(jumps) = c.arr("jump_list")? {
        if jumps.len() > 3 {
            return Err(ApiError::new(
                code::INVALID_PARAMETER,
                format!("template_card.jump_list has {} items, max 3", jumps.len()),
            ));
        }
        for (i, jump) in jumps.iter().enumerate() {
            let path = format!("template_card.jump_list[{i}]");
            let jump = Obj::item(jump, &path)?;
            jump.req_str("title", code::EMPTY_PARAMETER)?;
            link(jump)?;
        }
    }
    let Some(action) = c.obj("card_action")? else {
        return Err(ApiError::new(code::EMPTY_PARAMETER, "template_card.card_action is required"));
    };
    let action = Obj::new(action, "template_card.card_action");
    match action.int_in("type", 1..=2)? {
        Some(_) => link(action),
        None => Err(ApiError::new(
            code::EMPTY_PARAMETER,
            "template_card.card_action.type is required (1 url, 2 mini program)",
        )),
    }
}

/// A link object: type 1 needs `url`, type 2 `appid` (and `pagepath`).
fn link(o: Obj<'_>) -> Result<(), ApiError> {
    match o.int_in("type", 0..=2)? {
        Some(1) => o.req_url("url").map(|_| ()),
        Some(2) => o.req_str("appid", code::EMPTY_PARAMETER).map(|_| ()),
        _ => Ok(()),
    }
}
