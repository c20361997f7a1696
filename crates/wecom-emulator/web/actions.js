// The emulator routes the inbox reads and the member actions it performs, and a one-line
// summary of a callback record for the member's status line.

async function request(method, path, body) {
  const resp = await fetch(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await resp.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!resp.ok) {
    throw new Error(data?.error ?? `${method} ${path}: HTTP ${resp.status}`);
  }
  return data;
}

const enc = encodeURIComponent;

/** Members, with the apps that can reach each, and the apps. */
export const users = () => request("GET", "/emulator/users");

/** One member's messages from one app, newest first. */
export const inbox = (userid, agentid) => request("GET", `/emulator/users/${enc(userid)}/inbox?agentid=${enc(agentid)}`);

/** The member's conversations: previews, times, unread counts, the apps' ranges. */
export const conversations = (userid) => request("GET", `/emulator/users/${enc(userid)}/conversations`);

/** The member opened a conversation: its unread count drops to 0. */
export const markRead = (userid, key) => request("POST", `/emulator/users/${enc(userid)}/conversations/${enc(key)}/read`, {});

/** What a group's bots posted, oldest first. */
export const groupMessages = (chatid) => request("GET", `/emulator/groups/${enc(chatid)}/messages`);

/** A member's turns with an AI bot, oldest first. */
export const botTurns = (botid, userid) => request("GET", `/emulator/aibots/${enc(botid)}/turns?userid=${enc(userid)}`);

/** The member writes to an AI bot; answers the turn once the bot first answered. */
export const askBot = (botid, userid, content) => request("POST", `/emulator/aibots/${enc(botid)}/messages`, { userid, content });

/** A message body exactly as received, as text. */
export async function rawBody(msgid) {
  const resp = await fetch(`/emulator/messages/${enc(msgid)}/body`);
  if (!resp.ok) throw new Error(`HTTP ${resp.status}`);
  return resp.text();
}

/** A member action on a card: `click`, `submit` or `menu`; answers the callback record. */
export const cardAction = (userid, msgid, kind, payload) =>
  request("POST", `/emulator/users/${enc(userid)}/cards/${enc(msgid)}/${kind}`, payload);

/** The member sends a text to an app; answers the callback record. */
export const sendText = (userid, agentid, content) =>
  request("POST", `/emulator/users/${enc(userid)}/messages`, { agentid, msgtype: "text", content });

/** What became of a callback, in one line. */
export function summarize(record) {
  if (!record || typeof record !== "object") return "";
  if (record.outcome === "failed") {
    if (!record.url) return "Not sent: the app has no callback URL.";
    const last = record.attempts?.[record.attempts.length - 1];
    return `Callback failed after ${record.attempts?.length ?? 0} tries: ${last?.error ?? "no answer"}.`;
  }
  if (record.outcome === "pending") return "The callback is on its way…";
  const reply = record.reply;
  if (!reply) return "The app received the callback (no passive reply).";
  if (reply.applied) return `The app received it and replied ${reply.msgtype}: ${reply.detail}.`;
  return `The app's reply was refused: ${reply.detail}.`;
}
