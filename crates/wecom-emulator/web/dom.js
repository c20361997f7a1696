// DOM helpers for the inbox. Message content only ever becomes text nodes: nothing here
// parses markup, and every link target from a message goes through `safeUrl`.

/** Appends children: strings become text nodes; arrays are flattened; null/false skipped. */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/**
 * Creates an element. `props`: `class`, `dataset`, `on<event>` listeners, `text`, DOM
 * properties (`disabled`, `checked`, `hidden`, `value`…) and other attributes. Never pass a
 * URL from a message here except through `safeUrl`.
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "text") el.textContent = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (PROPS.has(key)) el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  return append(el, children);
}

const PROPS = new Set(["disabled", "checked", "hidden", "value", "selected", "open", "srcdoc"]);

/** The URL if it is an absolute http(s) URL, else null. */
export function safeUrl(url) {
  if (typeof url !== "string" || url.trim() === "") return null;
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/**
 * A link opening in a new tab when `url` is http(s); otherwise the children as text, marked
 * as a refused link (the WeCom client would not open it either).
 */
export function link(url, props, ...children) {
  const href = safeUrl(url);
  if (!href) {
    const title = url ? `not opened: ${String(url).slice(0, 200)} (only http and https links are)` : "no link";
    return h("span", { class: `bad-link ${props?.class ?? ""}`.trim(), title }, ...children);
  }
  return h("a", { ...props, href, target: "_blank", rel: "noopener noreferrer" }, ...children);
}

/** An image from an http(s) URL in a message; nothing for anything else. */
export function img(src, alt, props) {
  const url = safeUrl(src);
  if (!url) return null;
  return h("img", { ...props, src: url, alt: alt ?? "", referrerpolicy: "no-referrer" });
}

/** An image of stored media (served by the emulator). */
export function mediaImg(mediaId, alt, props) {
  return h("img", { ...props, src: mediaUrl(mediaId), alt: alt ?? "" });
}

/** The admin route that serves stored media without a token. */
export function mediaUrl(mediaId) {
  return `/emulator/media/${encodeURIComponent(mediaId)}`;
}

/** Text with `\n` line breaks as `<br>`. */
export function lines(text) {
  const parts = String(text ?? "").split("\n");
  const out = [];
  parts.forEach((part, i) => {
    if (i > 0) out.push(h("br"));
    if (part) out.push(part);
  });
  return out;
}

/** `1.2 KB` style sizes. */
export function formatSize(bytes) {
  if (typeof bytes !== "number") return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const pad = (n) => String(n).padStart(2, "0");

/** `HH:MM` of a time (the day shows in the date separators). */
export function formatClock(ms) {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The calendar day of a time (local time), as `YYYY-MM-DD`. */
export function dayKey(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/**
 * The day of `ms` as the client names it, against the emulator's clock `nowMs`: `Today`,
 * `Yesterday`, else `YYYY-MM-DD Ddd`.
 */
export function dayLabel(ms, nowMs) {
  const key = dayKey(ms);
  const now = new Date(nowMs);
  if (key === dayKey(nowMs)) return "Today";
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1, 12);
  if (key === dayKey(yesterday.getTime())) return "Yesterday";
  return `${key} ${WEEKDAYS[new Date(ms).getDay()]}`;
}

/** A conversation-list time: `HH:MM` today, `Yesterday`, else `MM-DD` (with the year when it differs). */
export function listTime(ms, nowMs) {
  const label = dayLabel(ms, nowMs);
  if (label === "Today") return formatClock(ms);
  if (label === "Yesterday") return label;
  const key = dayKey(ms);
  return key.slice(0, 4) === dayKey(nowMs).slice(0, 4) ? key.slice(5) : key;
}

/** A string field of an object, or "". */
export function str(obj, key) {
  const v = obj && typeof obj === "object" ? obj[key] : undefined;
  return typeof v === "string" ? v : "";
}

/** An array field of an object, or []. */
export function arr(obj, key) {
  const v = obj && typeof obj === "object" ? obj[key] : undefined;
  return Array.isArray(v) ? v : [];
}

/** An object field of an object, or null. */
export function obj(o, key) {
  const v = o && typeof o === "object" ? o[key] : undefined;
  return v && typeof v === "object" && !Array.isArray(v) ? v : null;
}

let nextId = 0;
/** A page-unique id for label/field pairs. */
export function uid(prefix) {
  nextId += 1;
  return `${prefix}-${nextId}`;
}
