// The small markup languages WeCom messages carry, rendered safely: links in text messages,
// the `<div class="gray|normal|highlight">` subset of textcard descriptions, and the
// markdown subset. Each is a tiny parser that builds DOM nodes; whatever it does not
// recognise stays visible as literal text (as a mistake in a message would).

import { h, lines, link } from "./dom.js";

/** `<a href="…">…</a>` with double or single quotes; other attributes are ignored. */
const ANCHOR = /<a\s+href\s*=\s*(["'])([^"']*)\1[^>]*>([\s\S]*?)<\/a\s*>/gi;

/**
 * Text message content: line breaks and `<a href>` links (only http(s) ones open; others
 * show their text, marked). Bare URLs are not turned into links: the documented way to link
 * is `<a href>` (whether the client links bare URLs is not documented).
 */
export function textWithLinks(content) {
  const out = [];
  let last = 0;
  for (const m of String(content ?? "").matchAll(ANCHOR)) {
    out.push(...lines(content.slice(last, m.index)));
    out.push(link(m[2], { class: "text-link" }, ...lines(m[3])));
    last = m.index + m[0].length;
  }
  out.push(...lines(String(content ?? "").slice(last)));
  return out;
}

const DIV = /<div\s+class\s*=\s*(["'])(gray|normal|highlight)\1\s*>([\s\S]*?)<\/div\s*>/gi;
const BR = /<br\s*\/?>/gi;

/** Text with `<br>` (and `\n`) as line breaks. */
function breaks(text) {
  return lines(String(text).replace(BR, "\n"));
}

/**
 * A textcard description: `<div class="gray|normal|highlight">` blocks and `<br>`; text
 * outside the divs reads as normal text.
 */
export function textcardDescription(desc) {
  const out = [];
  let last = 0;
  const loose = (text) => {
    if (text.trim()) out.push(h("div", { class: "tc-normal" }, ...breaks(text.trim())));
  };
  for (const m of String(desc ?? "").matchAll(DIV)) {
    loose(desc.slice(last, m.index));
    out.push(h("div", { class: `tc-${m[2].toLowerCase()}` }, ...breaks(m[3])));
    last = m.index + m[0].length;
  }
  loose(String(desc ?? "").slice(last));
  return out;
}

/**
 * Inline markdown: `**bold**`, `` `code` ``, `[text](url)` and
 * `<font color="info|comment|warning">…</font>`. Bold and font content nest.
 */
const INLINE =
  /\*\*([^\n]+?)\*\*|`([^`\n]+)`|\[([^\]\n]+)\]\(([^)\s]+)\)|<font\s+color\s*=\s*(["'])([a-z]+)\5\s*>([\s\S]*?)<\/font\s*>/gi;

const FONT_COLORS = new Set(["info", "comment", "warning"]);

function inline(text) {
  const out = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    if (m[1] !== undefined) out.push(h("strong", null, ...inline(m[1])));
    else if (m[2] !== undefined) out.push(h("code", null, m[2]));
    else if (m[3] !== undefined) out.push(link(m[4], { class: "md-link" }, m[3]));
    else {
      const color = m[6].toLowerCase();
      // An unknown colour is not in the subset: the content shows without colour.
      const cls = FONT_COLORS.has(color) ? `md-${color}` : "md-plain";
      out.push(h("span", { class: cls }, ...inline(m[7])));
    }
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/**
 * The markdown subset of application messages: headings `#`…`######` (with a space after
 * the hashes), `> quote` lines, blank lines between paragraphs, inline forms as above.
 * Lists, tables and images are not in the subset and show as written.
 */
export function markdown(content) {
  const out = [];
  let para = null;
  let quote = null;
  const addLine = (block, nodes) => {
    if (block.childNodes.length) block.append(h("br"));
    block.append(...nodes.map((n) => (n instanceof Node ? n : document.createTextNode(n))));
  };
  for (const line of String(content ?? "").split("\n")) {
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const quoted = /^>\s?(.*)$/.exec(line);
    if (heading) {
      para = quote = null;
      // The page's own headings are h1 and h2: message headings start at h3.
      const level = heading[1].length;
      out.push(h(`h${Math.min(level + 2, 6)}`, { class: `md-h md-h${level}` }, ...inline(heading[2])));
    } else if (quoted) {
      para = null;
      if (!quote) out.push((quote = h("blockquote", { class: "md-quote" })));
      addLine(quote, inline(quoted[1]));
    } else if (line.trim() === "") {
      para = quote = null;
    } else {
      quote = null;
      if (!para) out.push((para = h("p", { class: "md-p" })));
      addLine(para, inline(line));
    }
  }
  return out;
}
