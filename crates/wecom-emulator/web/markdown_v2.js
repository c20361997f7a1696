// The markdown of group-robot messages, rendered safely as DOM nodes: `markdown` (headings,
// bold, links, inline code, quotes, font colours, <@userid> mentions) and `markdown_v2`
// (adds italics, lists, nested quotes, images, rules, fenced code blocks and tables with
// alignment; drops colours and mentions). Whatever is not recognised stays literal text.

import { h, img, link } from "./dom.js";

const COLORS = new Set(["info", "comment", "warning"]);

/**
 * Inline forms: `code`, **bold**, *italic* (v2), [text](url), ![alt](url) (v2),
 * <font color="…"> and <@userid> (v1 only). `me` is the viewing member (mentions of them, and
 * of everyone, are highlighted).
 */
export function inline(text, v2, me) {
  const out = [];
  const re = v2
    ? /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*\s][^*]*\*)|(!\[[^\]]*\]\([^)\s]+\))|(\[[^\]]+\]\([^)\s]+\))/g
    : /(`[^`]+`)|(\*\*[^*]+\*\*)|(\[[^\]]+\]\([^)\s]+\))|(<font color="(\w+)">([\s\S]*?)<\/font>)|(<@([^>\s]+)>)/g;
  let last = 0;
  for (const m of String(text).matchAll(re)) {
    out.push(text.slice(last, m.index));
    const s = m[0];
    if (s.startsWith("`")) out.push(h("code", { class: "md-code" }, s.slice(1, -1)));
    else if (s.startsWith("**")) out.push(h("strong", null, ...inline(s.slice(2, -2), v2, me)));
    else if (s.startsWith("![")) {
      const [, alt, url] = /^!\[([^\]]*)\]\(([^)\s]+)\)$/.exec(s);
      out.push(img(url, alt, { class: "md-img" }) ?? s);
    } else if (s.startsWith("[")) {
      const [, label, url] = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(s);
      out.push(link(url, { class: "md-link" }, label));
    } else if (s.startsWith("*")) out.push(h("em", null, s.slice(1, -1)));
    else if (s.startsWith("<font")) {
      const color = COLORS.has(m[5]) ? m[5] : "none";
      out.push(h("span", { class: `md-font md-font-${color}` }, ...inline(m[6], v2, me)));
    } else {
      const id = m[8].toLowerCase();
      out.push(h("span", { class: `mention${id === me ? " mention-me" : ""}`, dataset: { userid: id } }, `@${id}`));
    }
    last = m.index + s.length;
  }
  out.push(String(text).slice(last));
  return out.filter((x) => x !== "");
}

function cells(line) {
  return line.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map((c) => c.trim());
}

function table(rows, v2, me) {
  const aligns = cells(rows[1]).map((c) => (c.startsWith(":") && c.endsWith(":") ? "center" : c.endsWith(":") ? "right" : "left"));
  const row = (line, tag) => h("tr", null, ...cells(line).map((c, i) => h(tag, { style: `text-align:${aligns[i] ?? "left"}` }, ...inline(c, v2, me))));
  return h("table", { class: "md-table" }, h("thead", null, row(rows[0], "th")), h("tbody", null, ...rows.slice(2).map((r) => row(r, "td"))));
}

/** Block-level rendering; `v2` selects markdown_v2. */
export function renderMarkdown(content, v2, me) {
  const lines = String(content ?? "").split("\n");
  const out = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const fence = v2 && /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (fence) {
      const code = [];
      i += 1;
      while (i < lines.length && !new RegExp(`^ {0,3}${fence[1][0] === "`" ? "`" : "~"}{${fence[1].length},}\\s*$`).test(lines[i])) code.push(lines[i++]);
      i += 1;
      out.push(h("pre", { class: "md-pre", dataset: { lang: fence[2].trim() } }, h("code", null, code.join("\n"))));
      continue;
    }
    if (v2 && /^\s*\|/.test(line) && i + 1 < lines.length && /^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$/.test(lines[i + 1])) {
      const rows = [line, lines[i + 1]];
      i += 2;
      while (i < lines.length && /^\s*\|/.test(lines[i])) rows.push(lines[i++]);
      out.push(table(rows, v2, me));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const quote = /^(>+)\s?(.*)$/.exec(line);
    const item = v2 && /^(\s*)([-*]|\d+\.)\s+(.*)$/.exec(line);
    if (heading) out.push(h(`h${Math.min(heading[1].length + 2, 6)}`, { class: "md-h" }, ...inline(heading[2], v2, me)));
    else if (v2 && /^\s*(-{3,}|\*{3,})\s*$/.test(line)) out.push(h("hr", { class: "md-hr" }));
    else if (quote) out.push(h("blockquote", { class: `md-quote depth-${v2 ? Math.min(quote[1].length, 3) : 1}` }, ...inline(quote[2], v2, me)));
    else if (item) {
      const depth = Math.floor(item[1].replace(/\t/g, "  ").length / 2);
      const marker = /\d/.test(item[2]) ? item[2] : "•";
      out.push(h("div", { class: "md-li", style: `margin-left:${depth * 1.2}em` }, h("span", { class: "md-marker" }, `${marker} `), ...inline(item[3], v2, me)));
    } else if (line.trim() !== "") out.push(h("p", { class: "md-p" }, ...inline(line, v2, me)));
    i += 1;
  }
  return out;
}
