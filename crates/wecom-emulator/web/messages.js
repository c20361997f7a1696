// Renders the content of one message the way the WeCom client shows it: text, media,
// textcard, news, mpnews, markdown, miniprogram_notice (template cards are in cards.js),
// and the member's own messages to an app.

import { arr, formatSize, h, img, link, mediaImg, mediaUrl, obj, str } from "./dom.js";
import { markdown, textcardDescription, textWithLinks } from "./rich.js";
import { renderCard } from "./cards.js";

/** The content of `item` (a message of the member's view). */
export function renderContent(item, ctx) {
  const body = item.body && typeof item.body === "object" ? item.body : {};
  if (item.direction === "user_to_app") return userMessage(body);
  const content = obj(body, item.msgtype) ?? {};
  switch (item.msgtype) {
    case "text":
      return h("div", { class: "bubble text" }, ...textWithLinks(str(content, "content")));
    case "markdown":
      return h("div", { class: "bubble markdown" }, ...markdown(str(content, "content")));
    case "image":
      return image(content, item);
    case "voice":
      return voice(content, item);
    case "video":
      return video(content, item);
    case "file":
      return file(content, item);
    case "textcard":
      return textcard(content);
    case "news":
      return news(content);
    case "mpnews":
      return mpnews(content, item);
    case "miniprogram_notice":
      return miniprogram(content);
    case "template_card":
      return renderCard(item, ctx);
    default:
      return h("div", { class: "bubble unknown" }, `${item.msgtype} message (no preview; see the JSON)`);
  }
}

function mediaInfo(item, id) {
  return item.media?.[id] ?? null;
}

/** A download link to stored media, with its name and size when known. */
function download(item, id, fallbackName) {
  const info = mediaInfo(item, id);
  if (!id) return h("span", { class: "missing" }, "no media_id");
  if (!info) return h("span", { class: "missing" }, `media ${id} is not stored here`);
  return h(
    "a",
    { class: "download", href: mediaUrl(id), download: info.filename || fallbackName },
    `${info.filename || fallbackName} · ${formatSize(info.size)}`,
    info.expired ? " · expired for media/get" : "",
  );
}

function image(content, item) {
  const id = str(content, "media_id");
  const info = mediaInfo(item, id);
  return h(
    "figure",
    { class: "media image" },
    info ? mediaImg(id, info.filename || "image", { class: "preview" }) : null,
    h("figcaption", null, download(item, id, "image")),
  );
}

function voice(content, item) {
  const id = str(content, "media_id");
  // Browsers do not play AMR: offer the file.
  return h("div", { class: "bubble media voice" }, h("span", { class: "icon", "aria-hidden": "true" }, "🎤"), " Voice message (AMR) ", download(item, id, "voice.amr"));
}

/**
 * A video as the client lays it out: the title as a heading, the description under it, the
 * player, then a separate play / download row (never run together on one line).
 */
function video(content, item) {
  const id = str(content, "media_id");
  const info = mediaInfo(item, id);
  const title = str(content, "title");
  const desc = str(content, "description");
  return h(
    "figure",
    { class: "media video" },
    title || desc
      ? h("figcaption", { class: "video-caption" }, title ? h("h3", { class: "video-title" }, title) : null, desc ? h("p", { class: "video-desc" }, desc) : null)
      : null,
    info ? h("video", { class: "preview", src: mediaUrl(id), controls: true, preload: "metadata" }) : null,
    h(
      "div",
      { class: "video-actions" },
      info ? h("a", { class: "video-play", href: mediaUrl(id), target: "_blank", rel: "noopener" }, h("span", { "aria-hidden": "true" }, "▶ "), "Play video") : null,
      download(item, id, "video.mp4"),
    ),
  );
}

function file(content, item) {
  const id = str(content, "media_id");
  return h("div", { class: "bubble media file" }, h("span", { class: "icon", "aria-hidden": "true" }, "📄"), " ", download(item, id, "file"));
}

function textcard(content) {
  // The button text defaults to 详情 ("details"); WeCom shows at most 4 characters.
  const btntxt = str(content, "btntxt") || "详情";
  return h(
    "div",
    { class: "textcard" },
    h("h3", { class: "tc-title" }, str(content, "title")),
    h("div", { class: "tc-desc" }, ...textcardDescription(str(content, "description"))),
    h("div", { class: "tc-footer" }, link(str(content, "url"), { class: "tc-button" }, btntxt, h("span", { "aria-hidden": "true" }, " ›"))),
  );
}

/** Where a news article leads: its URL, or a mini program page. */
function target(article, ...children) {
  if (str(article, "appid")) {
    return h("span", { class: "miniprogram-link", title: `mini program ${str(article, "appid")} ${str(article, "pagepath")}` }, ...children);
  }
  return link(str(article, "url"), { class: "article-link" }, ...children);
}

function news(content) {
  const articles = arr(content, "articles");
  return h(
    "div",
    { class: "news" },
    ...articles.map((a, i) =>
      i === 0
        ? h(
            "div",
            { class: "article lead" },
            target(a, img(str(a, "picurl"), "", { class: "cover" }), h("h3", { class: "article-title" }, str(a, "title"))),
            str(a, "description") ? h("p", { class: "article-desc" }, str(a, "description")) : null,
          )
        : h(
            "div",
            { class: "article small" },
            target(a, h("span", { class: "article-title" }, str(a, "title")), img(str(a, "picurl"), "", { class: "thumb" })),
          ),
    ),
  );
}

/** The text of an mpnews article's HTML, parsed inert (no scripts run, nothing loads). */
function htmlText(html) {
  const doc = new DOMParser().parseFromString(String(html ?? ""), "text/html");
  for (const el of doc.querySelectorAll("script, style, noscript, template")) el.remove();
  const walker = doc.createTreeWalker(doc.body ?? doc, NodeFilter.SHOW_TEXT);
  const parts = [];
  while (walker.nextNode()) parts.push(walker.currentNode.nodeValue);
  return parts.join(" ").replace(/\s+/g, " ").trim();
}

function mpnews(content, item) {
  const articles = arr(content, "articles");
  return h(
    "div",
    { class: "news mpnews" },
    ...articles.map((a, i) => {
      const thumb = str(a, "thumb_media_id");
      const cover = mediaInfo(item, thumb) ? mediaImg(thumb, "", { class: i === 0 ? "cover" : "thumb" }) : null;
      // Without a digest the client shows the start of the content.
      const digest = str(a, "digest") || htmlText(a.content).slice(0, 120);
      const frame = h("iframe", {
        class: "mp-content",
        title: `Article: ${str(a, "title")}`,
        // No scripts, no forms, no same-origin access, no top navigation.
        sandbox: "",
        referrerpolicy: "no-referrer",
        srcdoc: str(a, "content"),
        hidden: true,
      });
      const toggle = h("button", {
        type: "button",
        class: "read-toggle",
        "aria-expanded": "false",
        onclick: () => {
          const open = frame.hidden;
          frame.hidden = !open;
          toggle.setAttribute("aria-expanded", String(open));
          toggle.textContent = open ? "Hide article" : "Read article";
        },
      }, "Read article");
      return h(
        "div",
        { class: `article ${i === 0 ? "lead" : "small"}` },
        cover,
        h("h3", { class: "article-title" }, str(a, "title")),
        str(a, "author") ? h("p", { class: "article-author" }, str(a, "author")) : null,
        digest ? h("p", { class: "article-desc" }, digest) : null,
        h("div", { class: "article-actions" }, toggle, str(a, "content_source_url") ? link(str(a, "content_source_url"), { class: "source-link" }, "阅读原文 (original)") : null),
        frame,
      );
    }),
  );
}

function miniprogram(content) {
  const items = arr(content, "content_item").filter((it) => str(it, "key") || str(it, "value"));
  const emphasise = content.emphasis_first_item === true;
  return h(
    "div",
    { class: "miniprogram" },
    h("h3", { class: "mp-title" }, str(content, "title")),
    str(content, "description") ? h("p", { class: "mp-desc" }, str(content, "description")) : null,
    h(
      "dl",
      { class: "mp-items" },
      ...items.map((it, i) =>
        h("div", { class: emphasise && i === 0 ? "mp-item emphasis" : "mp-item" }, h("dt", null, str(it, "key")), h("dd", null, str(it, "value"))),
      ),
    ),
    h("div", { class: "mp-footer", title: `${str(content, "appid")} ${str(content, "page")}`.trim() }, "Open in mini program", h("span", { "aria-hidden": "true" }, " ›")),
  );
}

/** What the member sent to the app (through the admin API). */
function userMessage(body) {
  switch (body.msgtype) {
    case "text":
      return h("div", { class: "bubble text mine" }, ...textWithLinks(str(body, "content")));
    case "location":
      return h("div", { class: "bubble mine" }, "📍 ", str(body, "label") || `${body.latitude}, ${body.longitude}`);
    case "link":
      return h("div", { class: "bubble mine" }, "🔗 ", link(str(body, "url"), null, str(body, "title") || str(body, "url")));
    default:
      return h("div", { class: "bubble mine" }, `${body.msgtype ?? "a"} message`);
  }
}
