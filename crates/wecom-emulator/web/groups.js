// Group chats in the inbox, both kinds: the groups of the corp configuration, showing what
// their webhook bots posted, and the app group chats apps created (appchat/create), showing
// what the app posted — every kind rendered the way the WeCom client shows it (webhook kinds
// here, app message kinds by messages.js), mentions of the member viewing the group
// highlighted, copies dropped by the per-member limits noted.

import { arr, formatClock, formatSize, h, img, link, obj, str } from "./dom.js";
import { renderMarkdown } from "./markdown_v2.js";
import { renderCard } from "./cards.js";
import { renderContent } from "./messages.js";
import { textWithLinks } from "./rich.js";

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

function groupNode(m, me) {
  const mentioned = m.mentions?.some((x) => x === me || x === "@all");
  return h(
    "article",
    { class: `msg theirs group-message${mentioned ? " mentions-me" : ""}`, dataset: { id: m.id, msgtype: m.msgtype, kind: m.kind ?? "webhook" }, tabindex: "-1" },
    h("span", { class: "avatar bot", "aria-hidden": "true" }, m.kind === "appchat" ? "💬" : (m.bot || "B").slice(0, 1).toUpperCase()),
    h(
      "div",
      { class: "msg-main" },
      h(
        "header",
        { class: "msg-head" },
        m.kind === "appchat"
          ? h("span", { class: "msg-from sender-app", dataset: { agentid: String(m.agentid) } }, m.bot, h("span", { class: "sender-kind" }, " · app"))
          : h("span", { class: "msg-from" }, m.bot),
        " ",
        h("time", { datetime: new Date(m.sent_at_ms).toISOString() }, formatClock(m.sent_at_ms)),
      ),
      renderGroupContent(m, me),
      mentionChips(m.mentions, me),
      m.dropped?.length ? h("div", { class: "dropped-note" }, `Dropped for ${m.dropped.join(", ")} (over the per-member limit; WeCom answers ok)`) : null,
    ),
  );
}

/** The chat rows of a group (`messages` oldest first, as `GET /emulator/groups/{chatid}/messages` lists them). */
export function groupRows(messages, me) {
  return messages.map((m) => ({ id: m.id, sig: "", at_ms: m.sent_at_ms, build: () => groupNode(m, me) }));
}
