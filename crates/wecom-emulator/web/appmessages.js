// The messages of an app conversation: each as the member's client shows it (their own on
// the right), with delivery badges, the outcome of the member's last card action, and the
// message's JSON on demand.

import { formatClock, h } from "./dom.js";
import * as api from "./actions.js";
import { renderContent } from "./messages.js";

/**
 * `ctx`: `{ appName(agentid), notes: Map(msgid → {text, kind}), rawOpen: Set(msgid),
 * act(item, kind, payload) }`.
 */
function rawView(item, ctx) {
  const pre = h("pre", { class: "raw-json", tabindex: "0" });
  let text = null;
  let pretty = false;
  const show = () => {
    try {
      pre.textContent = pretty ? JSON.stringify(JSON.parse(text), null, 2) : text;
    } catch {
      pre.textContent = text;
    }
  };
  const prettyButton = h("button", { type: "button", class: "tool", "aria-pressed": "false", onclick: () => {
    pretty = !pretty;
    prettyButton.setAttribute("aria-pressed", String(pretty));
    if (text !== null) show();
  } }, "Pretty-print");
  const load = async () => {
    if (text === null) {
      pre.textContent = "loading…";
      try {
        text = await api.rawBody(item.msgid);
      } catch (e) {
        pre.textContent = `could not load the body: ${e.message}`;
        return;
      }
    }
    show();
  };
  const meta = [`msgid ${item.msgid}`, `origin ${item.origin}`, item.task_id ? `task_id ${item.task_id}` : null].filter(Boolean).join(" · ");
  const details = h(
    "details",
    { class: "raw", open: ctx.rawOpen.has(item.msgid) },
    h("summary", null, "JSON"),
    h("div", { class: "raw-tools" }, prettyButton, h("span", { class: "note" }, `Body as received · ${meta}`)),
    pre,
    item.card ? h("div", { class: "raw-card" }, h("span", { class: "note" }, "This member's card state"), h("pre", { class: "raw-json" }, JSON.stringify(item.card, null, 2))) : null,
  );
  details.addEventListener("toggle", () => {
    if (details.open) {
      ctx.rawOpen.add(item.msgid);
      load();
    } else ctx.rawOpen.delete(item.msgid);
  });
  if (details.open) load();
  return details;
}

/** The rendered content; a body the renderers cannot read shows as such (see its JSON). */
function content(item, ctx) {
  try {
    return renderContent(item, { act: ctx.act });
  } catch (e) {
    return h("div", { class: "bubble unknown" }, `This ${item.msgtype} message could not be shown (${e.message}); see its JSON.`);
  }
}

function messageNode(item, ctx) {
  const name = ctx.appName(item.agentid);
  const time = h("time", { datetime: new Date(item.sent_at_ms).toISOString() }, formatClock(item.sent_at_ms));
  const common = { dataset: { msgid: item.msgid, msgtype: item.msgtype, status: item.status }, tabindex: "-1" };
  if (item.status === "recalled") {
    return h("article", { ...common, class: "msg recalled", "aria-label": `${name}: message recalled` }, h("p", { class: "system" }, `${name} recalled a message · `, time), h("p", { class: "recalled-text" }, "Message recalled"), rawView(item, ctx));
  }
  const mine = item.direction === "user_to_app";
  const badges = [];
  if (item.status === "dropped") badges.push(h("span", { class: "badge dropped", title: "WeCom drops messages beyond 30 per minute or 1,000 per hour per member and app, without an error" }, "Not delivered: per-member limit"));
  if (item.origin === "passive_reply") badges.push(h("span", { class: "badge" }, "passive reply"));
  if (item.card?.updates) badges.push(h("span", { class: "badge" }, `updated ×${item.card.updates}`));
  const note = ctx.notes.get(item.msgid);
  return h(
    "article",
    { ...common, class: `msg ${mine ? "mine" : "theirs"} ${item.status}`, "aria-label": `${mine ? `You to ${name}` : name}, ${item.msgtype}` },
    h("span", { class: "avatar", "aria-hidden": "true" }, mine ? "Me" : name.slice(0, 1).toUpperCase()),
    h(
      "div",
      { class: "msg-main" },
      h("header", { class: "msg-head" }, h("span", { class: "msg-from" }, mine ? `You → ${name}` : name), " ", time, ...badges),
      content(item, ctx),
      h("p", { class: "action-note", role: "status", dataset: { kind: note?.kind ?? "" } }, note?.text ?? ""),
      rawView(item, ctx),
    ),
  );
}

/** The chat rows of an app conversation; `items` as `GET …/inbox` lists them (newest first). */
export function appRows(items, ctx) {
  return items
    .slice()
    .reverse()
    .map((item) => ({
      id: item.msgid,
      sig: JSON.stringify([item.status, item.card ?? null, item.media ?? null, ctx.appName(item.agentid), ctx.notes.get(item.msgid) ?? null]),
      at_ms: item.sent_at_ms,
      build: () => messageNode(item, ctx),
    }));
}
