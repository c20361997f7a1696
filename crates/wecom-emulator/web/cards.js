// Template cards (text_notice, news_notice, button_interaction, vote_interaction,
// multiple_interaction) as the WeCom client lays them out, with the member's controls:
// callback buttons, the button selection, checkboxes, select lists, the submit button and
// the action menu. A card shows the member's copy: replaced when the app replaced it,
// greyed with the replacement text when its buttons were replaced, disabled when the card no
// longer takes input.

import { arr, h, img, link, mediaUrl, obj, str, uid } from "./dom.js";

// Colours of `source.desc_color`: 0 grey (default), 1 black, 2 red, 3 green.
const DESC_COLORS = ["grey", "black", "red", "green"];

/** A clickable area (`quote_area`, `image_text_area`, `jump_list` items, `card_action`). */
function target(spec, cls, ...children) {
  const type = typeof spec?.type === "number" ? spec.type : 0;
  if (type === 1) return link(str(spec, "url"), { class: cls }, ...children);
  if (type === 2) {
    return h("span", { class: `${cls} miniprogram-link`, title: `mini program ${str(spec, "appid")} ${str(spec, "pagepath")}`.trim() }, ...children);
  }
  return h("div", { class: cls }, ...children);
}

function source(card) {
  const s = obj(card, "source");
  if (!s) return null;
  const color = DESC_COLORS[s.desc_color] ?? "grey";
  return h("div", { class: "card-source" }, img(str(s, "icon_url"), "", { class: "source-icon" }), h("span", { class: `source-desc desc-${color}` }, str(s, "desc")));
}

function mainTitle(card) {
  const t = obj(card, "main_title");
  if (!t) return null;
  return h("div", { class: "card-main" }, str(t, "title") ? h("h3", { class: "card-title" }, str(t, "title")) : null, str(t, "desc") ? h("p", { class: "card-desc" }, str(t, "desc")) : null);
}

function emphasis(card) {
  const e = obj(card, "emphasis_content");
  if (!e) return null;
  return h("div", { class: "card-emphasis" }, h("div", { class: "emphasis-title" }, str(e, "title")), h("div", { class: "emphasis-desc" }, str(e, "desc")));
}

function quote(card) {
  const q = obj(card, "quote_area");
  if (!q) return null;
  return target(q, "card-quote", str(q, "title") ? h("div", { class: "quote-title" }, str(q, "title")) : null, h("div", { class: "quote-text" }, str(q, "quote_text")));
}

function cardImage(card) {
  const c = obj(card, "card_image");
  if (!c) return null;
  const image = img(str(c, "url"), "", { class: "card-image" });
  // The aspect ratio WeCom allows is 1.3 < r < 2.25 (default 1.3).
  const ratio = typeof c.aspect_ratio === "number" ? c.aspect_ratio : 1.3;
  if (image) image.style.aspectRatio = String(ratio);
  return image;
}

function imageText(card) {
  const a = obj(card, "image_text_area");
  if (!a) return null;
  return target(
    a,
    "card-image-text",
    img(str(a, "image_url"), "", { class: "image-text-img" }),
    h("div", { class: "image-text-body" }, h("div", { class: "image-text-title" }, str(a, "title")), h("div", { class: "image-text-desc" }, str(a, "desc"))),
  );
}

function horizontal(card, item) {
  const list = arr(card, "horizontal_content_list");
  if (!list.length) return null;
  return h(
    "dl",
    { class: "card-horizontal" },
    ...list.map((row) => {
      const value = str(row, "value");
      let dd;
      switch (row.type) {
        case 1:
          dd = link(str(row, "url"), { class: "hz-link" }, value || str(row, "url"));
          break;
        case 2: {
          const id = str(row, "media_id");
          const info = item.media?.[id];
          dd = h("a", { class: "hz-file", href: mediaUrl(id), download: value || info?.filename || "file" }, "📎 ", value || info?.filename || id);
          break;
        }
        case 3:
          dd = h("span", { class: "hz-member" }, "@", value || str(row, "userid"));
          break;
        default:
          dd = h("span", null, value);
      }
      return h("div", { class: "hz-row" }, h("dt", null, str(row, "keyname")), h("dd", null, dd));
    }),
  );
}

function vertical(card) {
  const list = arr(card, "vertical_content_list");
  if (!list.length) return null;
  return h("div", { class: "card-vertical" }, ...list.map((v) => h("div", { class: "vertical-item" }, h("div", { class: "vertical-title" }, str(v, "title")), str(v, "desc") ? h("div", { class: "vertical-desc" }, str(v, "desc")) : null)));
}

function jumps(card) {
  const list = arr(card, "jump_list");
  if (!list.length) return null;
  return h("ul", { class: "card-jumps" }, ...list.map((j) => h("li", null, target(j, "jump", str(j, "title"), h("span", { "aria-hidden": "true" }, " ›")))));
}

function cardAction(card) {
  const a = obj(card, "card_action");
  if (!a || !a.type) return null;
  const label = a.type === 1 ? "Open card link" : "Open card mini program";
  return h("div", { class: "card-action" }, target(a, "card-action-link", label, h("span", { "aria-hidden": "true" }, " ›")));
}

/** The select element of a selector (`button_selection`, `select_list[]`). */
function selector(spec, disabled) {
  const id = uid("sel");
  const options = arr(spec, "option_list");
  const ids = options.map((o) => str(o, "id"));
  // An absent or unknown selected_id means the first option.
  const selected = ids.includes(str(spec, "selected_id")) ? str(spec, "selected_id") : ids[0];
  const select = h(
    "select",
    { id, class: "selector", dataset: { question: str(spec, "question_key") }, disabled: disabled || spec.disable === true },
    ...options.map((o) => h("option", { value: str(o, "id"), selected: str(o, "id") === selected }, str(o, "text"))),
  );
  return { select, row: h("div", { class: "selector-row" }, h("label", { for: id }, str(spec, "title") || "Choose"), select) };
}

function checkboxes(spec, msgid, disabled) {
  const multi = spec.mode === 1;
  const name = uid(`vote-${msgid}`);
  return h(
    "fieldset",
    { class: "card-checkbox", dataset: { question: str(spec, "question_key"), mode: multi ? "multi" : "single" }, disabled: disabled || spec.disable === true },
    h("legend", { class: "visually-hidden" }, multi ? "Choose one or more" : "Choose one"),
    ...arr(spec, "option_list").map((o) => {
      const id = uid("opt");
      return h(
        "div",
        { class: "option" },
        h("input", { type: multi ? "checkbox" : "radio", id, name, value: str(o, "id"), checked: o.is_checked === true }),
        h("label", { for: id }, str(o, "text")),
      );
    }),
  );
}

// Button styles 1–4 are shown only as a picture in WeCom's reference (colour names
// UNVERIFIED): 1 filled blue (default), 2 blue outline, 3 red outline, 4 grey.
function styleClass(style) {
  return `style-${[1, 2, 3, 4].includes(style) ? style : 1}`;
}

function replacedButton(text) {
  return h("div", { class: "card-buttons" }, h("button", { type: "button", class: "btn btn-replaced", disabled: true }, text));
}

function actionMenu(card, live, act) {
  const menu = obj(card, "action_menu");
  if (!menu) return null;
  const items = arr(menu, "action_list");
  const list = h("div", { class: "menu-list", role: "menu", hidden: true, "aria-label": str(menu, "desc") || "Card menu" });
  const toggle = h("button", { type: "button", class: "menu-toggle", "aria-haspopup": "menu", "aria-expanded": "false", "aria-label": "Card menu", title: str(menu, "desc") || "Card menu", disabled: !live }, "⋯");
  const close = (focus) => {
    list.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    if (focus) toggle.focus();
  };
  const buttons = items.map((it) =>
    h("button", { type: "button", role: "menuitem", class: "menu-item", dataset: { key: str(it, "key") }, onclick: () => { close(true); act("menu", { key: str(it, "key") }); } }, str(it, "text")),
  );
  if (str(menu, "desc")) list.append(h("div", { class: "menu-desc" }, str(menu, "desc")));
  list.append(...buttons);
  toggle.addEventListener("click", () => {
    const opening = list.hidden;
    list.hidden = !opening;
    toggle.setAttribute("aria-expanded", String(opening));
    if (opening) buttons[0]?.focus();
  });
  list.addEventListener("keydown", (e) => {
    const i = buttons.indexOf(document.activeElement);
    if (e.key === "Escape") close(true);
    else if (e.key === "ArrowDown") buttons[(i + 1) % buttons.length]?.focus();
    else if (e.key === "ArrowUp") buttons[(i - 1 + buttons.length) % buttons.length]?.focus();
    else return;
    e.preventDefault();
  });
  list.addEventListener("focusout", (e) => {
    if (!list.contains(e.relatedTarget) && e.relatedTarget !== toggle) close(false);
  });
  return h("div", { class: "card-menu" }, toggle, list);
}

/**
 * The member's copy of a template card. `ctx.act(kind, payload)` performs a member action
 * (`click`, `submit`, `menu`) on it.
 */
/** Option id → text, for every question of a card (checkbox, selectors, button selection). */
function optionTexts(card) {
  const out = new Map();
  const questions = [obj(card, "checkbox"), obj(card, "button_selection"), ...arr(card, "select_list")].filter(Boolean);
  for (const q of questions) {
    for (const o of arr(q, "option_list")) out.set(`${str(q, "question_key")}/${str(o, "id")}`, str(o, "text") || str(o, "id"));
  }
  return out;
}

/** What the member did on this copy, in words: the options chosen, the button, the menu item. */
function actionResult(card, action) {
  const texts = optionTexts(card);
  const chosen = (action.selected ?? []).flatMap(([q, ids]) => ids.map((id) => texts.get(`${q}/${id}`) ?? id));
  let text;
  if (action.event === "template_card_menu_event") {
    const item = arr(obj(card, "action_menu"), "action_list").find((a) => str(a, "key") === action.key);
    text = `You picked “${item ? str(item, "text") : action.key}” from the menu`;
  } else if (str(card, "card_type") === "button_interaction") {
    const button = arr(card, "button_list").find((b) => str(b, "key") === action.key);
    text = `You pressed “${button ? str(button, "text") : action.key}”${chosen.length ? ` with ${chosen.join(", ")}` : ""}`;
  } else {
    text = chosen.length ? `You chose: ${chosen.join(", ")}` : "You submitted";
  }
  return h("p", { class: "card-result", role: "status" }, h("span", { class: "card-result-mark", "aria-hidden": "true" }, "✓ "), text);
}

/** The card with the member's submitted choices ticked (until the app replaces the card). */
function withChoices(card, action) {
  if (!action?.selected?.length) return card;
  const chosen = new Map(action.selected);
  const copy = structuredClone(card);
  const box = obj(copy, "checkbox");
  if (box && chosen.has(str(box, "question_key"))) {
    const ids = chosen.get(str(box, "question_key"));
    for (const o of arr(box, "option_list")) o.is_checked = ids.includes(str(o, "id"));
  }
  for (const s of [obj(copy, "button_selection"), ...arr(copy, "select_list")].filter(Boolean)) {
    const ids = chosen.get(str(s, "question_key"));
    if (ids?.length) s.selected_id = ids[0];
  }
  return copy;
}

export function renderCard(item, ctx) {
  const state = item.card ?? {};
  const action = state.member_action ?? null;
  // The member's choices stay ticked until the app replaces the card with its own state.
  const card = state.replaced_card ?? withChoices(item.body?.template_card ?? {}, action);
  const type = str(card, "card_type");
  // Only a delivered copy that is not disabled takes input (as the admin actions require).
  const live = item.status === "delivered" && !state.disabled;
  const act = (kind, payload) => ctx.act(item, kind, payload);
  const parts = [];
  const head = h("div", { class: "card-head" }, source(card), actionMenu(card, live, act));
  if (head.childNodes.length) parts.push(head);
  parts.push(mainTitle(card), emphasis(card));
  if (type === "news_notice") parts.push(cardImage(card), imageText(card));
  parts.push(quote(card));
  if (str(card, "sub_title_text")) parts.push(h("p", { class: "card-subtitle" }, str(card, "sub_title_text")));
  if (type === "news_notice") parts.push(vertical(card));
  parts.push(horizontal(card, item), jumps(card));

  if (type === "button_interaction") {
    const sel = obj(card, "button_selection") ? selector(obj(card, "button_selection"), !live) : null;
    if (sel) parts.push(sel.row);
    if (state.button_text) parts.push(replacedButton(state.button_text));
    else {
      parts.push(
        h(
          "div",
          { class: "card-buttons" },
          ...arr(card, "button_list").map((b) =>
            b.type === 1
              ? link(str(b, "url"), { class: `btn ${styleClass(b.style)}` }, str(b, "text"))
              : h("button", { type: "button", class: `btn ${styleClass(b.style)}`, dataset: { key: str(b, "key") }, disabled: !live, onclick: () => act("click", { key: str(b, "key"), ...(sel ? { selected_id: sel.select.value } : {}) }) }, str(b, "text")),
          ),
        ),
      );
    }
  }
  if (type === "vote_interaction" || type === "multiple_interaction") {
    const box = type === "vote_interaction" && obj(card, "checkbox") ? checkboxes(obj(card, "checkbox"), item.msgid, !live) : null;
    const selects = type === "multiple_interaction" ? arr(card, "select_list").map((s) => selector(s, !live)) : [];
    if (box) parts.push(box);
    parts.push(...selects.map((s) => s.row));
    const submit = obj(card, "submit_button");
    if (state.button_text) parts.push(replacedButton(state.button_text));
    else {
      const collect = () => {
        const selections = {};
        if (box) selections[box.dataset.question] = [...box.querySelectorAll("input:checked")].map((i) => i.value);
        for (const s of selects) selections[s.select.dataset.question] = [s.select.value];
        return { selections };
      };
      parts.push(h("div", { class: "card-buttons" }, h("button", { type: "button", class: "btn style-1 submit", disabled: !live, onclick: () => act("submit", collect()) }, str(submit, "text") || "提交")));
    }
  }
  if (action) parts.push(actionResult(card, action));
  parts.push(cardAction(card));
  return h("div", { class: `card card-${type || "unknown"}${state.disabled ? " disabled" : ""}`, dataset: { cardType: type } }, ...parts);
}
