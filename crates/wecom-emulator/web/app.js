// The inbox page, laid out like the WeCom client: pick a member, see their conversations
// (one per app, group and AI bot: newest message, time, unread count), open one to read it
// as a chat — oldest first, newest at the bottom, date separators by the emulator's clock —
// and act as the member: press card buttons, vote, write to the app or the bot. Live through
// server-sent events (/emulator/events and /emulator/aibots/events), polling when the streams
// are unavailable or with `?transport=poll`. The URL fragment keeps the member and the
// conversation: `#bob/app:1000002`.

import { h } from "./dom.js";
import * as api from "./actions.js";
import { Chat } from "./chat.js";
import { appRows } from "./appmessages.js";
import { groupRows } from "./groups.js";
import { botRows } from "./botchat.js";
import { cannotSend, outOfRange, renderConversations } from "./conversations.js";

const $ = (id) => document.getElementById(id);
const ui = {
  corp: $("corp"),
  live: $("live"),
  users: $("users"),
  convTitle: $("conv-title"),
  conversations: $("conversations"),
  who: $("who"),
  whoNote: $("who-note"),
  explain: $("explain"),
  compose: $("compose"),
  composeText: $("compose-text"),
  composeSend: $("compose-send"),
  composeStatus: $("compose-status"),
  empty: $("empty"),
  messages: $("messages"),
};

const POLL_MS = 2000;
const EVENTS = ["message_accepted", "card_updated", "recalled", "group_message", "reset", "lagged"];

const state = {
  users: [],
  apps: new Map(),
  user: null,
  key: null, // the open conversation
  list: null, // the last conversations answer
  clockOffset: 0, // emulator clock − browser clock
  notes: new Map(), // msgid → { text, kind }
  rawOpen: new Set(),
};
const chat = new Chat(ui.messages);

const emulatorNow = () => Date.now() + state.clockOffset;
const current = () => state.list?.conversations.find((c) => c.key === state.key) ?? null;
const appName = (agentid) => state.apps.get(agentid)?.name ?? `app ${agentid}`;

function setHash() {
  const parts = [state.user, state.key].filter(Boolean).map(encodeURIComponent);
  history.replaceState(null, "", `${location.pathname}${location.search}#${parts.join("/")}`);
}

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

function selectUser(userid, key = null) {
  if (state.user === userid && !key) return;
  state.user = userid;
  state.key = key;
  state.list = null;
  state.autoOpen = !key;
  chat.clear();
  ui.composeStatus.textContent = "";
  for (const b of ui.users.querySelectorAll("button.user")) b.setAttribute("aria-pressed", String(b.dataset.userid === userid));
  const u = state.users.find((x) => x.userid === userid);
  ui.convTitle.textContent = `Chats of ${u?.name || userid}`;
  setHash();
  refresh();
}

// ---- the open conversation -------------------------------------------------------------

function openConversation(key) {
  if (state.key === key) return;
  state.key = key;
  state.autoOpen = false;
  chat.clear();
  ui.composeStatus.textContent = "";
  ui.composeText.value = "";
  setHash();
  refresh();
}

function setNote(msgid, text, kind) {
  if (text) state.notes.set(msgid, { text, kind });
  else state.notes.delete(msgid);
  const el = chat.el(msgid)?.querySelector(".action-note");
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
  const el = chat.el(item.msgid);
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
  controls.forEach((c) => (c.disabled = false));
  state.notes.set(item.msgid, { text: outcome[0], kind: outcome[1] });
  await refresh();
  setNote(item.msgid, ...outcome);
}

const ctx = { appName, notes: state.notes, rawOpen: state.rawOpen, act };

function renderHead(c) {
  const kind = { app: `App · agentid ${c.id}`, group: `Group chat · ${c.group_kind ?? "group"}`, aibot: `AI bot · ${c.id}` }[c.kind] ?? c.kind;
  ui.who.textContent = c.name;
  const notes = [kind];
  if (state.list && !state.list.licensed) notes.push("no basic API licence: app messages to this member are not delivered (unlicenseduser)");
  if (c.kind === "app" && c.can_send && !state.apps.get(Number(c.id))?.callback) notes.push("the app has no callback URL: what you write is recorded but reaches no server");
  ui.whoNote.textContent = notes.join(" · ");
  ui.compose.hidden = !c.can_send;
  ui.compose.dataset.kind = c.kind;
  ui.composeText.placeholder = `Message ${c.name}`;
  if (c.can_send) ui.explain.replaceChildren();
  else ui.explain.replaceChildren(cannotSend(c));
  ui.explain.hidden = c.can_send;
}

/** Loads the open conversation's messages as chat rows. */
async function loadRows(c) {
  if (c.kind === "app") {
    const data = await api.inbox(state.user, c.id);
    state.apps = new Map(data.all_apps.map((a) => [a.agentid, a]));
    return appRows(data.messages, ctx);
  }
  if (c.kind === "group") {
    const { messages } = await api.groupMessages(c.id);
    return groupRows(messages, state.user);
  }
  const { turns } = await api.botTurns(c.id, state.user);
  return botRows(turns, c.name, state.user);
}

function showNothingOpen() {
  const list = state.list;
  chat.clear();
  ui.compose.hidden = true;
  ui.empty.hidden = true;
  if (list && !list.in_any_app_range) {
    ui.who.textContent = `${list.name || list.userid} (${list.userid})`;
    ui.whoNote.textContent = "";
    // In place of a chat: no app can reach the member, and there is no send box.
    ui.messages.append(outOfRange(list));
    ui.explain.hidden = true;
  } else {
    ui.who.textContent = list ? "Pick a conversation" : "Pick a member";
    ui.whoNote.textContent = "";
    ui.explain.hidden = true;
  }
}

// ---- loading and live updates --------------------------------------------------------

let loading = null;
let again = false;

async function load() {
  const userid = state.user;
  const list = await api.conversations(userid);
  if (userid !== state.user) return;
  state.list = list;
  state.clockOffset = list.now_ms - Date.now();
  state.apps = new Map(list.apps.map((a) => [a.agentid, a]));
  // A member in some app's range opens on their most recent conversation.
  if (!state.key && state.autoOpen && list.in_any_app_range && list.conversations.length) {
    state.key = list.conversations[0].key;
    state.autoOpen = false;
    setHash();
  }
  const c = current();
  if (state.key && !c) state.key = null;
  renderConversations(ui.conversations, list, state.key, openConversation);
  const unread = list.conversations.reduce((n, x) => n + (x.key === state.key ? 0 : x.unread), 0);
  document.title = `${unread ? `(${unread}) ` : ""}Inbox · WeCom emulator`;
  if (!c) {
    showNothingOpen();
    return;
  }
  renderHead(c);
  const key = state.key;
  const rows = await loadRows(c);
  if (key !== state.key || userid !== state.user) return;
  ui.empty.hidden = rows.length > 0;
  ui.empty.textContent = c.kind === "app" ? `No messages from ${c.name} yet.` : c.kind === "group" ? "No messages in this group yet." : `No messages with ${c.name} yet.`;
  chat.render(rows, emulatorNow());
  if (c.unread > 0) {
    // Opening (or watching) the conversation reads it.
    const read = await api.markRead(userid, key);
    c.unread = read.unread;
    state.list.unread = state.list.conversations.reduce((n, x) => n + x.unread, 0);
    renderConversations(ui.conversations, state.list, state.key, openConversation);
  }
}

async function refresh() {
  if (!state.user) return;
  if (loading) {
    again = true;
    return loading;
  }
  loading = (async () => {
    do {
      again = false;
      try {
        await load();
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

let botEvents = null;
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
  // AI-bot turns change on their own stream (opened once; EventSource reconnects by itself).
  if (!botEvents) {
    botEvents = new EventSource("/emulator/aibots/events");
    botEvents.addEventListener("turn", scheduleRefresh);
  }
}

// ---- start ---------------------------------------------------------------------------

ui.compose.addEventListener("submit", async (e) => {
  e.preventDefault();
  const text = ui.composeText.value;
  const c = current();
  if (!text.trim() || !state.user || !c?.can_send) return;
  ui.composeSend.disabled = true;
  ui.composeStatus.textContent = "Sending…";
  try {
    if (c.kind === "aibot") {
      ui.composeText.value = "";
      const turn = await api.askBot(c.id, state.user, text);
      ui.composeStatus.textContent = turn?.status === "failed" ? "The bot could not be reached." : "";
    } else {
      const record = await api.sendText(state.user, Number(c.id), text);
      ui.composeText.value = "";
      ui.composeStatus.textContent = api.summarize(record);
    }
  } catch (err) {
    ui.composeStatus.textContent = err.message;
  } finally {
    ui.composeSend.disabled = false;
    ui.composeText.focus();
    scheduleRefresh();
  }
});

/** The member and conversation named by the URL fragment. */
function fromHash() {
  const [userid, key] = location.hash.slice(1).split("/").map((p) => decodeURIComponent(p));
  return [(userid ?? "").toLowerCase(), key || null];
}

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
  const [wanted, key] = fromHash();
  const first = state.users.find((u) => u.userid === wanted) ?? state.users.find((u) => u.apps.length) ?? state.users[0];
  if (first) selectUser(first.userid, first.userid === wanted ? key : null);
  // A link to another member or conversation of this page (`#bob/app:1000002`).
  window.addEventListener("hashchange", () => {
    const [userid, key] = fromHash();
    if (!state.users.some((u) => u.userid === userid)) return;
    if (userid !== state.user) selectUser(userid, key);
    else if (key && key !== state.key) openConversation(key);
  });
  connect();
}

start();
