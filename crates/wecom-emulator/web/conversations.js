// The member's conversation list (GET /emulator/users/{userid}/conversations): one row per
// app, group and AI bot with its newest message, its time and the unread count, newest
// activity first; and the explanation shown to a member outside every app's visible range.

import { h, listTime } from "./dom.js";

const KIND_LABEL = { app: "App", group: "Group", aibot: "AI bot" };
const AVATAR = { app: null, group: "#", aibot: "AI" };

function row(c, data, selected, open) {
  const last = c.last;
  // The open conversation is being read: it shows no count while the read is recorded.
  const unread = c.key === selected ? 0 : c.unread;
  const from = last && c.kind === "group" && last.from ? `${last.from}: ` : last?.from === "me" ? "You: " : "";
  return h(
    "li",
    null,
    h(
      "button",
      {
        type: "button",
        class: `conv kind-${c.kind}`,
        dataset: { key: c.key, kind: c.kind, unread: String(unread) },
        "aria-pressed": String(c.key === selected),
        "aria-label": `${c.name}, ${KIND_LABEL[c.kind] ?? c.kind}${unread ? `, ${unread} unread` : ""}`,
        onclick: () => open(c.key),
      },
      h("span", { class: `avatar kind-${c.kind}`, "aria-hidden": "true" }, AVATAR[c.kind] ?? c.name.slice(0, 1).toUpperCase()),
      h("span", { class: "conv-name" }, c.name),
      h("time", { class: "conv-time", datetime: last ? new Date(last.at_ms).toISOString() : null }, last ? listTime(last.at_ms, data.now_ms) : ""),
      h("span", { class: "conv-preview" }, last ? `${from}${last.preview}` : "No messages yet"),
      unread ? h("span", { class: "unread", "aria-hidden": "true" }, unread > 99 ? "99+" : String(unread)) : null,
    ),
  );
}

/** Fills the list element with the conversations; `open(key)` opens one. */
export function renderConversations(list, data, selected, open) {
  list.replaceChildren(...data.conversations.map((c) => row(c, data, selected, open)));
}

/** Why a member outside every app's visible range has no app conversation and no send box. */
export function outOfRange(data) {
  const name = data.name || data.userid;
  return h(
    "div",
    { class: "explain out-of-range", role: "note" },
    h("h3", null, `${name} is outside every app's visible range`),
    h("p", null, `No app of the corp can send ${name} a message, and ${name} cannot write to any app. WeCom only lets an app reach the members, departments and tags in its visible range (可见范围).`),
    data.apps.length
      ? h(
          "ul",
          { class: "explain-apps" },
          ...data.apps.map((a) => h("li", null, h("strong", null, a.name), ` (agentid ${a.agentid}) — ${name} is not in its visible range`)),
        )
      : h("p", null, "The corp has no apps."),
    h("p", { class: "note" }, "Add the member to an app's visible_users, visible_parties or visible_tags in the emulator's configuration to change this."),
  );
}

/** Why the member cannot write in the open conversation. */
export function cannotSend(c) {
  return h("div", { class: "explain cannot-send", role: "note" }, h("p", null, c.cannot_send));
}
