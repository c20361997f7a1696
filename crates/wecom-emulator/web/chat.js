// The open conversation as a chat: rows oldest first, the newest at the bottom, a date
// separator (Today, Yesterday, a date — by the emulator's clock) before each day's first row,
// kept scrolled to the newest. Rows whose state did not change keep their DOM node (and so
// any option the member ticked); separators are rebuilt on every render.

import { dayKey, dayLabel, h } from "./dom.js";

/** How close to the bottom (px) still counts as "at the newest". */
const SLACK = 48;

export class Chat {
  constructor(list) {
    this.list = list;
    this.nodes = new Map(); // row id → { sig, el }
    this.stick = true;
    list.addEventListener("scroll", () => {
      this.stick = this.atBottom();
    });
    // Images and videos that load after a render push the newest message down.
    list.addEventListener("load", () => this.stick && this.toBottom(), true);
    list.addEventListener("loadedmetadata", () => this.stick && this.toBottom(), true);
  }

  atBottom() {
    const l = this.list;
    return l.scrollHeight - l.scrollTop - l.clientHeight <= SLACK;
  }

  toBottom() {
    this.list.scrollTop = this.list.scrollHeight;
    this.stick = true;
  }

  clear() {
    this.nodes.clear();
    this.list.replaceChildren();
    this.stick = true;
  }

  /** The element of a row, if shown. */
  el(id) {
    return this.nodes.get(id)?.el ?? null;
  }

  /**
   * Shows `rows` (`{ id, sig, at_ms, build() }`, oldest first). A row is rebuilt only when its
   * `sig` changed. Answers how many rows are new.
   */
  render(rows, nowMs) {
    const firstLoad = this.nodes.size === 0;
    const wasAtBottom = this.stick || this.atBottom();
    let added = 0;
    const seen = new Set();
    for (const row of rows) {
      seen.add(row.id);
      const entry = this.nodes.get(row.id);
      if (entry && entry.sig === row.sig) continue;
      const el = row.build();
      if (entry) {
        const hadFocus = entry.el.contains(document.activeElement);
        entry.el.replaceWith(el);
        if (hadFocus) el.focus();
      } else {
        added += 1;
        if (!firstLoad) el.classList.add("fresh");
      }
      this.nodes.set(row.id, { sig: row.sig, el });
    }
    for (const [id, entry] of this.nodes) {
      if (!seen.has(id)) {
        entry.el.remove();
        this.nodes.delete(id);
      }
    }
    for (const sep of this.list.querySelectorAll(":scope > .day-sep")) sep.remove();
    // Order: oldest first, moving only what is out of place.
    let at = this.list.firstChild;
    for (const row of rows) {
      const el = this.nodes.get(row.id).el;
      if (el === at) at = at.nextSibling;
      else this.list.insertBefore(el, at);
    }
    let day = null;
    for (const row of rows) {
      const key = dayKey(row.at_ms);
      if (key === day) continue;
      day = key;
      const sep = h("div", { class: "day-sep", role: "separator", dataset: { day: key } }, h("span", null, dayLabel(row.at_ms, nowMs)));
      this.list.insertBefore(sep, this.nodes.get(row.id).el);
    }
    if (firstLoad || added > 0 || wasAtBottom) this.toBottom();
    return added;
  }
}
