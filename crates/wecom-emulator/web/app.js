// The inbox page: pick a member, see their messages newest first, live (server-sent events
// from /emulator/events, polling when the stream is unavailable or `?transport=poll`), act as
// the member, and look at each message's JSON. Messages are updated in place: a message
// whose state did not change keeps its DOM node (and so any option the member ticked).

import { formatTime, h } from "./dom.js";
import * as api from "./actions.js";
import { renderContent } from "./messages.js";

const $ = (id) => document.getElementById(id);
const ui = {
  corp: $("corp"),
  live: $("live"),
  users: $("users"),
  who: $("who"),
  whoNote: $("who-note"),
  compose: $("compose"),
  composeApp: $("compose-app"),
  composeText: $("compose-text"),
  composeSend: $("compose-send"),
  composeStatus: $("compose-status"),
  empty: $("empty"),
  messages: $("messages"),
};

const POLL_MS = 2000;
const EVENTS = ["message_accepted", "card_updated", "recalled", "reset", "lagged"];

const state = {
  users: [],
  apps: new Map(),
  user: null,
  nodes: new Map(), // msgid → { sig, el }
  notes: new Map(), // msgid → { text, kind }
  rawOpen: new Set(),
};

// ---- members -------------------------------------------------------------------------

function renderUsers() {
  ui.users.replaceChildren(
    ...state.users.map((u) => {
      const notes = [];
      if (!u.licensed) notes.push("no licence");
      if (!u.apps.length) notes.push("in no app's range");
      return h(
        "li",
        null,
        h(
          "button",
          { type: "button", class: "user", dataset: { userid: u.userid }, "aria-pressed": String(u.userid === state.user), onclick: () => selectUser(u.userid) },
          h("span", { class: "avatar", "aria-hidden": "true" }, (u.name || u.userid).slice(0, 1).toUpperCase()),
          h("span", { class: "user-name" }, u.name || u.userid),
          h("span", { class: "user-id" }, u.userid),
          notes.length ? h("span", { class: "user-note" }, notes.join(", ")) : null,
        ),
      );
    }),
  );
}

function selectUser(userid) {
  if (state.user === userid) return;
  state.user = userid;
  state.nodes.clear();
  ui.messages.replaceChildren();
  ui.composeStatus.textContent = "";
  history.replaceState(null, "", `${location.pathname}${location.search}#${encodeURIComponent(userid)}`);
  for (const b of ui.users.querySelectorAll("button.user")) b.setAttribute("aria-pressed", String(b.dataset.userid === userid));
  const u = state.users.find((x) => x.userid === userid);
  ui.who.textContent = u ? `${u.name || u.userid} (${u.userid})` : userid;
  refresh();
}

// ---- the conversation ----------------------------------------------------------------

function appName(agentid) {
  return state.apps.get(agentid)?.name ?? `app ${agentid}`;
}

function setNote(msgid, text, kind) {
  if (text) state.notes.set(msgid, { text, kind });
  else state.notes.delete(msgid);
  const el = state.nodes.get(msgid)?.el.querySelector(".action-note");
  if (el) {
    el.textContent = text ?? "";
    el.dataset.kind = kind ?? "";
  }
}

/**
 * A member action on a card; its controls wait while the callback is delivered. The outcome
 * shows once the view is reloaded (so it already holds what a passive reply changed); what
 * the app changes later arrives live.
 */
async function act(item, kind, payload) {
  const el = state.nodes.get(item.msgid)?.el;
  const controls = el ? [...el.querySelectorAll(".card button:not(:disabled), .card select:not(:disabled), .card fieldset:not(:disabled)")] : [];
  controls.forEach((c) => (c.disabled = true));
  setNote(item.msgid, "Sending the callback to the app…", "pending");
  let outcome;
  try {
    const record = await api.cardAction(state.user, item.msgid, kind, payload);
    outcome = [api.summarize(record), record?.outcome === "failed" ? "error" : "ok"];
  } catch (e) {
    outcome = [e.message, "error"];
  }
  // Controls of a node that was not replaced meanwhile take input again.
  controls.forEach((c) => (c.disabled = false));
  await refresh();
  setNote(item.msgid, ...outcome);
}

function rawView(item) {
  const pre = h("pre", { class: "raw-json", tabindex: "0" });
  let text = null;
  let pretty = false;
  const show = () => {
    try {
      pre.textContent = pretty ? JSON.stringify(JSON.parse(text), null, 2) : text;
    } catch {
      pre.textContent = text;
    }
  };
  const prettyButton = h("button", { type: "button", class: "tool", "aria-pressed": "false", onclick: () => {
    pretty = !pretty;
    prettyButton.setAttribute("aria-pressed", String(pretty));
    if (text !== null) show();
  } }, "Pretty-print");
  const load = async () => {
    if (text === null) {
      pre.textContent = "loading…";
      try {
        text = await api.rawBody(item.msgid);
      } catch (e) {
        pre.textContent = `could not load the body: ${e.message}`;
        return;
      }
    }
    show();
  };
  const meta = [`msgid ${item.msgid}`, `origin ${item.origin}`, item.task_id ? `task_id ${item.task_id}` : null].filter(Boolean).join(" · ");
  const details = h(
    "details",
    { class: "raw", open: state.rawOpen.has(item.msgid) },
    h("summary", null, "JSON"),
    h("div", { class: "raw-tools" }, prettyButton, h("span", { class: "note" }, `Body as received · ${meta}`)),
    pre,
    item.card ? h("div", { class: "raw-card" }, h("span", { class: "note" }, "This member's card state"), h("pre", { class: "raw-json" }, JSON.stringify(item.card, null, 2))) : null,
  );
  details.addEventListener("toggle", () => {
    if (details.open) {
      state.rawOpen.add(item.msgid);
      load();
    } else state.rawOpen.delete(item.msgid);
  });
  if (details.open) load();
  return details;
}

/** The rendered content; a body the renderers cannot read shows as such (see its JSON). */
function content(item) {
  try {
    return renderContent(item, { act });
  } catch (e) {
    return h("div", { class: "bubble unknown" }, `This ${item.msgtype} message could not be shown (${e.message}); see its JSON.`);
  }
}

function messageNode(item) {
  const name = appName(item.agentid);
  const time = h("time", { datetime: new Date(item.sent_at_ms).toISOString() }, formatTime(item.sent_at_ms));
  const common = { dataset: { msgid: item.msgid, msgtype: item.msgtype, status: item.status }, tabindex: "-1" };
  if (item.status === "recalled") {
    return h("article", { ...common, class: "msg recalled", "aria-label": `${name}: message recalled` }, h("p", { class: "system" }, `${name} recalled a message · `, time), h("p", { class: "recalled-text" }, "Message recalled"), rawView(item));
  }
  const mine = item.direction === "user_to_app";
  const badges = [];
  if (item.status === "dropped") badges.push(h("span", { class: "badge dropped", title: "WeCom drops messages beyond 30 per minute or 1,000 per hour per member and app, without an error" }, "Not delivered: per-member limit"));
  if (item.origin === "passive_reply") badges.push(h("span", { class: "badge" }, "passive reply"));
  if (item.card?.updates) badges.push(h("span", { class: "badge" }, `updated ×${item.card.updates}`));
  const note = state.notes.get(item.msgid);
  return h(
    "article",
    { ...common, class: `msg ${mine ? "mine" : "theirs"} ${item.status}`, "aria-label": `${mine ? `You to ${name}` : name}, ${item.msgtype}` },
    h("span", { class: "avatar", "aria-hidden": "true" }, mine ? "Me" : name.slice(0, 1).toUpperCase()),
    h(
      "div",
      { class: "msg-main" },
      h("header", { class: "msg-head" }, h("span", { class: "msg-from" }, mine ? `You → ${name}` : name), " ", time, ...badges),
      content(item),
      h("p", { class: "action-note", role: "status", dataset: { kind: note?.kind ?? "" } }, note?.text ?? ""),
      rawView(item),
    ),
  );
}

function signature(item) {
  return JSON.stringify([item.status, item.card ?? null, item.media ?? null, appName(item.agentid)]);
}

function renderCompose(data) {
  const options = data.apps.map((id) => ({ id, label: `${appName(id)}${state.apps.get(id)?.callback ? "" : " (no callback URL)"}` }));
  const key = JSON.stringify(options);
  if (ui.composeApp.dataset.key !== key) {
    const current = ui.composeApp.value;
    ui.composeApp.replaceChildren(...options.map((o) => h("option", { value: String(o.id), selected: String(o.id) === current }, o.label)));
    ui.composeApp.dataset.key = key;
  }
  ui.compose.hidden = options.length === 0;
}

function render(data) {
  state.apps = new Map(data.all_apps.map((a) => [a.agentid, a]));
  const notes = [];
  if (!data.licensed) notes.push("No basic API licence: messages to this member are not delivered (unlicenseduser).");
  if (!data.apps.length) notes.push("Outside every app's visible range.");
  ui.whoNote.textContent = notes.join(" ");
  renderCompose(data);
  ui.empty.hidden = data.messages.length > 0;
  ui.empty.textContent = `No messages for ${data.name || data.userid} yet: send one with message/send, or type one to an app above.`;

  const firstLoad = state.nodes.size === 0;
  const seen = new Set();
  for (const item of data.messages) {
    seen.add(item.msgid);
    const sig = signature(item);
    const entry = state.nodes.get(item.msgid);
    if (entry && entry.sig === sig) continue;
    const el = messageNode(item);
    if (entry) {
      const hadFocus = entry.el.contains(document.activeElement);
      entry.el.replaceWith(el);
      if (hadFocus) el.focus();
    } else if (!firstLoad) el.classList.add("fresh");
    state.nodes.set(item.msgid, { sig, el });
  }
  for (const [msgid, entry] of state.nodes) {
    if (!seen.has(msgid)) {
      entry.el.remove();
      state.nodes.delete(msgid);
    }
  }
  // Order: newest first, moving only what is out of place.
  let at = ui.messages.firstChild;
  for (const item of data.messages) {
    const el = state.nodes.get(item.msgid).el;
    if (el === at) at = at.nextSibling;
    else ui.messages.insertBefore(el, at);
  }
}

// ---- loading and live updates --------------------------------------------------------

let loading = null;
let again = false;

async function refresh() {
  if (!state.user) return;
  if (loading) {
    again = true;
    return loading;
  }
  loading = (async () => {
    do {
      again = false;
      const userid = state.user;
      try {
        const data = await api.inbox(userid);
        if (userid === state.user) render(data);
      } catch (e) {
        ui.whoNote.textContent = `Could not load the inbox: ${e.message}`;
      }
    } while (again);
  })().finally(() => {
    loading = null;
  });
  return loading;
}

// Changes are coalesced: at most one reload per MIN_GAP_MS however fast messages arrive
// (a load test may send thousands a second while the page is open).
const MIN_GAP_MS = 200;
let pending = null;
let lastRefresh = 0;
function scheduleRefresh() {
  if (pending) return;
  const wait = Math.max(20, lastRefresh + MIN_GAP_MS - Date.now());
  pending = setTimeout(() => {
    pending = null;
    lastRefresh = Date.now();
    refresh();
  }, wait);
}

let poller = null;
function setMode(mode, text) {
  ui.live.dataset.mode = mode;
  ui.live.textContent = text ?? mode;
}
function startPolling() {
  if (!poller) poller = setInterval(refresh, POLL_MS);
}
function stopPolling() {
  clearInterval(poller);
  poller = null;
}

function connect() {
  const forced = new URLSearchParams(location.search).get("transport") === "poll";
  if (forced || typeof EventSource === "undefined") {
    setMode("polling", `polling every ${POLL_MS / 1000} s`);
    startPolling();
    return;
  }
  const source = new EventSource("/emulator/events");
  source.addEventListener("ready", () => {
    setMode("live");
    stopPolling();
    scheduleRefresh();
  });
  for (const name of EVENTS) {
    source.addEventListener(name, () => {
      if (name === "reset") state.notes.clear();
      scheduleRefresh();
    });
  }
  source.addEventListener("error", () => {
    setMode("polling", "stream lost: polling");
    startPolling();
    if (source.readyState === EventSource.CLOSED) setTimeout(connect, 5000);
  });
}

// ---- start ---------------------------------------------------------------------------

ui.compose.addEventListener("submit", async (e) => {
  e.preventDefault();
  const text = ui.composeText.value;
  if (!text.trim() || !state.user) return;
  ui.composeSend.disabled = true;
  ui.composeStatus.textContent = "Sending…";
  try {
    const record = await api.sendText(state.user, Number(ui.composeApp.value), text);
    ui.composeText.value = "";
    ui.composeStatus.textContent = api.summarize(record);
  } catch (err) {
    ui.composeStatus.textContent = err.message;
  } finally {
    ui.composeSend.disabled = false;
    ui.composeText.focus();
  }
});

async function start() {
  try {
    const data = await api.users();
    state.users = data.users;
    state.apps = new Map(data.apps.map((a) => [a.agentid, a]));
    ui.corp.textContent = data.corp_name ? `· ${data.corp_name}` : "";
  } catch (e) {
    ui.who.textContent = `Could not load the members: ${e.message}`;
    return;
  }
  renderUsers();
  const wanted = decodeURIComponent(location.hash.slice(1)).toLowerCase();
  const first = state.users.find((u) => u.userid === wanted) ?? state.users.find((u) => u.apps.length) ?? state.users[0];
  if (first) selectUser(first.userid);
  connect();
}

start();
