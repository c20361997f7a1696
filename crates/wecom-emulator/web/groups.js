// Group chats in the inbox, both kinds in one list: the groups of the corp configuration,
// showing what their webhook bots posted, and the app group chats apps created
// (appchat/create), showing what the app posted — every kind rendered the way the WeCom
// client shows it (webhook kinds here, app message kinds by messages.js), mentions of the
// member viewing the group highlighted, copies dropped by the per-member limits noted. Lives
// beside the member view (app.js) without touching it: picking a group hides the member
// conversation, picking a member hides the group.

import { arr, formatSize, formatTime, h, img, link, obj, str } from "./dom.js";
import { renderMarkdown } from "./markdown_v2.js";
import { renderCard } from "./cards.js";
import { renderContent } from "./messages.js";
import { textWithLinks } from "./rich.js";

const $ = (id) => document.getElementById(id);
const state = { groups: [], chatid: null, me: null };

async function getJson(path) {
  const resp = await fetch(path, { headers: { accept: "application/json" } });
  if (!resp.ok) throw new Error(`${path}: HTTP ${resp.status}`);
  return resp.json();
}

function mentionChips(mentions, me) {
  if (!mentions?.length) return null;
  return h(
    "div",
    { class: "mentions" },
    ...mentions.map((m) => h("span", { class: `mention${m === me || m === "@all" ? " mention-me" : ""}`, dataset: { userid: m } }, m === "@all" ? "@所有人" : `@${m}`)),
  );
}

/** A `<@userid>` in text content becomes a mention chip. */
function textContent(content, me) {
  const out = [];
  let last = 0;
  for (const m of content.matchAll(/<@([^>\s]+)>/g)) {
    out.push(...textWithLinks(content.slice(last, m.index)));
    const id = m[1].toLowerCase();
    out.push(h("span", { class: `mention${id === me ? " mention-me" : ""}`, dataset: { userid: id } }, `@${id}`));
    last = m.index + m[0].length;
  }
  out.push(...textWithLinks(content.slice(last)));
  return out;
}

/** The bubble of one group message. */
export function renderGroupContent(msg, me) {
  const body = msg.body ?? {};
  if (msg.kind === "appchat") {
    // An app's message: the same kinds (and rendering) as in a member's app conversation.
    const att = msg.attachment;
    const media = att ? { [att.media_id]: { filename: att.filename, size: att.size } } : {};
    return renderContent({ body, msgtype: msg.msgtype, direction: "app_to_user", media, status: "delivered" }, { act: () => {} });
  }
  const c = obj(body, msg.msgtype) ?? {};
  switch (msg.msgtype) {
    case "text":
      return h("div", { class: "bubble text" }, ...textContent(str(c, "content"), me));
    case "markdown":
      return h("div", { class: "bubble markdown" }, ...renderMarkdown(str(c, "content"), false, me));
    case "markdown_v2":
      return h("div", { class: "bubble markdown markdown-v2" }, ...renderMarkdown(str(c, "content"), true, me));
    case "image": {
      // Inline Base64 as sent; only JPG and PNG are accepted by the endpoint.
      const b64 = str(c, "base64");
      const type = b64.startsWith("/9j/") ? "image/jpeg" : "image/png";
      return h("div", { class: "bubble image" }, h("img", { class: "webhook-image", src: `data:${type};base64,${b64}`, alt: "image" }));
    }
    case "news":
      return h(
        "div",
        { class: "news" },
        ...arr(c, "articles").map((a, i) =>
          link(str(a, "url"), { class: `article${i === 0 ? " lead" : ""}` }, img(str(a, "picurl"), "", { class: "article-pic" }), h("span", { class: "article-title" }, str(a, "title")), str(a, "description") ? h("span", { class: "article-desc" }, str(a, "description")) : null),
        ),
      );
    case "file":
    case "voice": {
      const att = msg.attachment ?? {};
      const label = msg.msgtype === "voice" ? "🎤 voice" : "📄";
      return h("div", { class: `bubble ${msg.msgtype}` }, `${label} ${att.filename ?? str(c, "media_id")}`, att.size ? h("span", { class: "size" }, ` ${formatSize(att.size)}`) : null);
    }
    case "template_card":
      return renderCard({ body, status: "delivered", card: { disabled: true } }, { act: () => {} });
    default:
      return h("div", { class: "bubble unknown" }, `${msg.msgtype} message`);
  }
}

function renderMessages(messages) {
  const list = $("group-messages");
  list.replaceChildren(
    ...messages
      .slice()
      .reverse()
      .map((m) =>
        h(
          "article",
          { class: `message group-message${m.mentions?.some((x) => x === state.me || x === "@all") ? " mentions-me" : ""}`, dataset: { id: m.id, msgtype: m.msgtype, kind: m.kind ?? "webhook" } },
          h(
            "header",
            { class: "message-head" },
            m.kind === "appchat" ? h("span", { class: "from sender-app", dataset: { agentid: String(m.agentid) } }, `🧩 ${m.bot}`, h("span", { class: "sender-kind" }, " · app")) : h("span", { class: "from" }, `🤖 ${m.bot}`),
            h("span", { class: "kind" }, m.msgtype),
            h("time", null, formatTime(m.sent_at_ms)),
          ),
          renderGroupContent(m, state.me),
          mentionChips(m.mentions, state.me),
          m.dropped?.length ? h("div", { class: "dropped-note" }, `Dropped for ${m.dropped.join(", ")} (over the per-member limit; WeCom answers ok)`) : null,
        ),
      ),
  );
  $("group-empty").hidden = messages.length > 0;
}

async function refresh() {
  if (!state.chatid) return;
  const { messages } = await getJson(`/emulator/groups/${encodeURIComponent(state.chatid)}/messages`);
  renderMessages(messages);
}

function select(chatid) {
  state.chatid = chatid;
  const g = state.groups.find((x) => x.chatid === chatid);
  $("main").hidden = true;
  $("group-view").hidden = false;
  const kind = g?.kind === "appchat" ? `app chat of ${g.app || g.agentid}, owner ${g.owner}` : "webhook group";
  $("group-name").textContent = g ? `${g.name || g.chatid} (${g.members.length} members · ${kind})` : chatid;
  const who = $("group-as");
  who.replaceChildren(h("option", { value: "" }, "everyone"), ...(g?.members ?? []).map((m) => h("option", { value: m.toLowerCase() }, m)));
  state.me = null;
  for (const b of document.querySelectorAll("button.group")) b.setAttribute("aria-pressed", String(b.dataset.chatid === chatid));
  refresh();
}

/** The list of groups, both kinds, each saying which it is. */
async function loadGroups() {
  const nav = $("groups");
  const { groups } = await getJson("/emulator/groups");
  state.groups = groups;
  nav.replaceChildren(
    ...groups.map((g) => {
      const app = g.kind === "appchat";
      return h(
        "li",
        null,
        h(
          "button",
          { type: "button", class: `group user group-${app ? "appchat" : "webhook"}`, dataset: { chatid: g.chatid, kind: g.kind ?? "webhook" }, "aria-pressed": String(g.chatid === state.chatid), onclick: () => select(g.chatid) },
          h("span", { class: "avatar", "aria-hidden": "true" }, app ? "💬" : "#"),
          h("span", { class: "user-name" }, g.name || g.chatid),
          h("span", { class: "group-kind" }, app ? `app chat · ${g.app || g.agentid}` : "webhook"),
          h("span", { class: "user-id" }, g.members.join(", ")),
        ),
      );
    }),
  );
  $("groups-title").hidden = groups.length === 0;
}

async function start() {
  if (!$("groups")) return;
  await loadGroups();
  $("group-as").addEventListener("change", (e) => {
    state.me = e.target.value || null;
    refresh();
  });
  // Picking a member goes back to the member view.
  $("users").addEventListener("click", () => {
    state.chatid = null;
    $("group-view").hidden = true;
    $("main").hidden = false;
  });
  if (window.EventSource) {
    const events = new EventSource("/emulator/events");
    events.addEventListener("group_message", (e) => {
      if (JSON.parse(e.data).chatid === state.chatid) refresh();
    });
    events.addEventListener("group_changed", () => loadGroups().then(() => state.chatid && select(state.chatid)));
    events.addEventListener("reset", () => loadGroups().then(refresh));
  }
}

start().catch((e) => console.error(e));
