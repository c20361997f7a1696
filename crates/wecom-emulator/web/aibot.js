// The AI-bot page: a conversation with one bot as one member, live. Message content only
// ever becomes DOM text; links open only for http(s).

const $ = (id) => document.getElementById(id);
const el = (tag, text, cls) => {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
};

async function api(path, body) {
  const init = body === undefined ? {} : {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
  };
  const r = await fetch(path, init);
  return r.json();
}

// Inline markdown: **bold**, *italic*, `code`, [text](http…).
function inline(parent, text) {
  const re = /(\*\*[^*]+\*\*|\*[^*]+\*|`[^`]+`|\[[^\]]+\]\([^)\s]+\))/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    parent.append(text.slice(last, m.index));
    const t = m[0];
    if (t.startsWith("**")) parent.append(el("strong", t.slice(2, -2)));
    else if (t.startsWith("`")) parent.append(el("code", t.slice(1, -1)));
    else if (t.startsWith("[")) {
      const [, label, href] = t.match(/^\[([^\]]+)\]\(([^)]+)\)$/);
      if (/^https?:\/\//.test(href)) {
        const a = el("a", label);
        a.href = href; a.target = "_blank"; a.rel = "noopener noreferrer";
        parent.append(a);
      } else parent.append(label);
    } else parent.append(el("em", t.slice(1, -1)));
    last = m.index + t.length;
  }
  parent.append(text.slice(last));
}

// Block markdown: headings, lists, <think> as a muted block, paragraphs.
function markdown(text) {
  const box = el("div", undefined, "md");
  const think = text.match(/^<think>([\s\S]*?)(<\/think>|$)/);
  if (think) {
    box.append(el("p", think[1], "think"));
    text = text.slice(think[0].length);
  }
  let list = null;
  for (const line of text.split("\n")) {
    const h = line.match(/^(#{1,3}) (.*)$/);
    const li = line.match(/^\s*[-*] (.*)$/);
    if (li) {
      if (!list) { list = el("ul"); box.append(list); }
      const item = el("li"); inline(item, li[1]); list.append(item);
      continue;
    }
    list = null;
    if (h) { const e = el("h" + (h[1].length + 2)); inline(e, h[2]); box.append(e); }
    else if (line.trim() !== "") { const p = el("p"); inline(p, line); box.append(p); }
  }
  return box;
}

function card(turn, c, bot) {
  const box = el("div", undefined, "card");
  if (c.main_title) box.append(el("strong", c.main_title.title || ""));
  if (c.main_title && c.main_title.desc) box.append(el("p", c.main_title.desc));
  if (c.sub_title_text) box.append(el("p", c.sub_title_text));
  for (const b of c.button_list || []) {
    const button = el("button", b.text || b.key);
    button.type = "button";
    button.onclick = () => api(`/emulator/aibots/${bot}/turns/${turn.id}/click`, {
      userid: $("member").value, event_key: b.key,
    });
    box.append(button);
  }
  if (c.submit_button) {
    const button = el("button", c.submit_button.text || "Submit");
    button.type = "button";
    button.onclick = () => api(`/emulator/aibots/${bot}/turns/${turn.id}/click`, {
      userid: $("member").value, event_key: c.submit_button.key,
    });
    box.append(button);
  }
  return box;
}

function render(turns) {
  const bot = $("bot").value;
  const out = $("conversation");
  out.replaceChildren();
  for (const t of turns) {
    const row = el("article", undefined, "turn");
    const q = t.callback && t.callback.text ? t.callback.text.content : t.kind;
    if (t.kind === "push") row.append(el("p", `bot → ${t.chatid || t.userid} (pushed)`, "question"));
    else row.append(el("p", `${t.userid}: ${q}`, "question"));
    if (t.stream) {
      row.append(markdown(t.stream.content));
      // WebSocket-mode bots push their updates (no refreshes).
      const n = t.req_id ? `${t.stream.updates} updates` : `${t.stream.refreshes} refreshes`;
      row.append(el("small", t.stream.finish ? `finished · ${n}` : `streaming… (${n})`));
    } else if (t.reply && t.reply.text) row.append(markdown(t.reply.text.content));
    else if (t.reply && t.reply.markdown) row.append(markdown(t.reply.markdown.content));
    const c = t.card_updates.length ? t.card_updates[t.card_updates.length - 1] : t.card;
    if (c) row.append(card(t, c, bot));
    for (const f of t.follow_ups) {
      if (f.markdown) row.append(markdown(f.markdown.content));
      if (f.template_card) row.append(card(t, f.template_card, bot));
    }
    if (t.feedback_id) {
      for (const [label, type] of [["👍", 1], ["👎", 2]]) {
        const b = el("button", label); b.type = "button";
        b.onclick = () => api(`/emulator/aibots/${bot}/turns/${t.id}/feedback`, { userid: $("member").value, type });
        row.append(b);
      }
    }
    if (t.errors.length) row.append(el("p", "protocol errors: " + t.errors.join("; "), "error"));
    out.append(row);
  }
}

let pending = false;
async function refresh() {
  if (pending) return;
  pending = true;
  try {
    const bot = $("bot").value;
    if (bot) render((await api(`/emulator/aibots/${bot}/turns?userid=${encodeURIComponent($("member").value)}`)).turns);
  } finally { pending = false; }
}

async function start() {
  for (const b of (await api("/emulator/aibots")).aibots) {
    const o = el("option", `${b.name || b.botid} (${b.mode})`); o.value = b.botid; $("bot").append(o);
  }
  for (const u of (await api("/emulator/users")).users) {
    const o = el("option", u.name ? `${u.name} (${u.userid})` : u.userid); o.value = u.userid; $("member").append(o);
  }
  $("bot").onchange = refresh;
  $("member").onchange = refresh;
  $("ask").onsubmit = (e) => {
    e.preventDefault();
    const body = { userid: $("member").value, content: $("question").value };
    if ($("chatid").value) body.chatid = $("chatid").value;
    $("question").value = "";
    api(`/emulator/aibots/${$("bot").value}/messages?wait=false`, body);
  };
  $("enter").onclick = () => api(`/emulator/aibots/${$("bot").value}/enter_chat`, { userid: $("member").value });
  const events = new EventSource("/emulator/aibots/events");
  events.addEventListener("turn", refresh);
  events.addEventListener("ready", refresh);
  refresh();
}

start();
