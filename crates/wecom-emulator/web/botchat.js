// An AI-bot conversation in the inbox: each turn of the member's single chat with the bot as
// the member's question and the bot's answer (a stream as markdown, a text or markdown
// reply, a card, the follow-ups sent through response_url). The /aibot page has the
// controls this view leaves out (card clicks, feedback).

import { formatClock, h } from "./dom.js";
import { renderMarkdown } from "./markdown_v2.js";
import { renderCard } from "./cards.js";
import { textWithLinks } from "./rich.js";

const WAITING = {
  delivering: "Delivering to the bot…",
  streaming: "Answering…",
  no_answer: "The bot gave no answer.",
  failed: "The bot could not be reached.",
  expired: "The stream expired before it finished.",
};

const frozenCard = (body) => renderCard({ body, status: "delivered", card: { disabled: true } }, { act: () => {} });

function question(turn) {
  const c = turn.callback ?? {};
  const content = c[c.msgtype]?.content;
  return turn.kind === "message" && typeof content === "string" ? content : null;
}

function reply(r, me) {
  switch (r?.msgtype) {
    case "text":
      return h("div", { class: "bubble text" }, ...textWithLinks(r.text?.content ?? ""));
    case "markdown":
      return h("div", { class: "bubble markdown" }, ...renderMarkdown(r.markdown?.content ?? "", true, me));
    case "stream":
      return h("div", { class: "bubble markdown" }, ...renderMarkdown(r.stream?.content || "…", true, me));
    case "template_card":
      return frozenCard(r);
    default:
      return h("div", { class: "bubble unknown" }, `${r?.msgtype ?? "unknown"} answer`);
  }
}

function answer(turn, me) {
  const parts = [];
  if (turn.stream) parts.push(h("div", { class: "bubble markdown stream" }, ...renderMarkdown(turn.stream.content || "…", true, me)));
  else if (turn.reply && turn.reply.msgtype !== "template_card") parts.push(reply(turn.reply, me));
  const card = turn.card_updates?.length ? turn.card_updates[turn.card_updates.length - 1] : turn.card;
  if (card) parts.push(frozenCard({ template_card: card }));
  else if (turn.reply?.msgtype === "template_card") parts.push(reply(turn.reply, me));
  for (const f of turn.follow_ups ?? []) parts.push(reply(f, me));
  return parts;
}

function article(id, mine, name, at, ...content) {
  return h(
    "article",
    { class: `msg ${mine ? "mine" : "theirs"} bot-turn`, dataset: { turn: id }, tabindex: "-1" },
    h("span", { class: "avatar", "aria-hidden": "true" }, mine ? "Me" : "AI"),
    h("div", { class: "msg-main" }, h("header", { class: "msg-head" }, h("span", { class: "msg-from" }, name), " ", h("time", { datetime: new Date(at).toISOString() }, formatClock(at))), ...content),
  );
}

/** The chat rows of a member's turns with a bot (oldest first). */
export function botRows(turns, botName, me) {
  const rows = [];
  for (const t of turns) {
    if (t.chatid) continue;
    const q = question(t);
    if (q !== null) {
      rows.push({ id: `t${t.id}q`, sig: "q", at_ms: t.created_at_ms, build: () => article(t.id, true, "You", t.created_at_ms, h("div", { class: "bubble mine" }, ...textWithLinks(q))) });
    }
    const parts = answer(t, me);
    const waiting = WAITING[t.status];
    if (!parts.length && !waiting) continue;
    const sig = JSON.stringify([t.status, t.stream, t.reply, t.card, t.card_updates, t.follow_ups, t.errors]);
    rows.push({
      id: `t${t.id}a`,
      sig,
      at_ms: t.created_at_ms,
      build: () => article(t.id, false, botName, t.created_at_ms, ...(parts.length ? answer(t, me) : [h("p", { class: "system" }, waiting)]), t.errors?.length ? h("p", { class: "action-note", dataset: { kind: "error" } }, t.errors.join(" ")) : null),
    });
  }
  return rows;
}
