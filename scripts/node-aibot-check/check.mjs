// Connects the official Node SDK (@wecom/aibot-node-sdk) to the emulator's AI-bot WebSocket
// endpoint and exits once its check is done.
//
//   WECOM_WS_URL=ws://127.0.0.1:PORT/aibot/ws WECOM_BOT_ID=aib_ws_demo \
//   WECOM_BOT_SECRET=… [WECOM_CHECK_MODE=answer|displace] node check.mjs
//
// Mode "answer" (the default): answers one text message with a streamed reply, then uploads
// a 600,000-byte file in chunks and pushes it to the member who asked.
// Mode "displace": waits until another connection takes the bot over (disconnected_event),
// then stays 1.5 s to show that the SDK does not reconnect.
//
// stdout: "READY" once subscribed; "DONE <stream id>" once the last stream frame was acked,
// "UPLOADED <media id> <md5>" once the pushed file was acked; "DISPLACED" on the event.
// Exit code 0 on success, 1 on an error or after WECOM_CHECK_TIMEOUT_MS (default 30,000).
import { createHash } from "node:crypto";
import AiBot, { generateReqId } from "@wecom/aibot-node-sdk";

const need = (name) => {
  const v = process.env[name];
  if (!v) {
    console.error(`missing environment variable ${name}`);
    process.exit(1);
  }
  return v;
};

// The SDK's own log goes to stderr: stdout carries only the lines the test reads.
const logger = {
  debug: () => {},
  info: (...a) => console.error("[sdk]", ...a),
  warn: (...a) => console.error("[sdk warn]", ...a),
  error: (...a) => console.error("[sdk error]", ...a),
};

const client = new AiBot.WSClient({
  botId: need("WECOM_BOT_ID"),
  secret: need("WECOM_BOT_SECRET"),
  wsUrl: need("WECOM_WS_URL"),
  logger,
  maxReconnectAttempts: 0,
  maxAuthFailureAttempts: 0,
});

const timeout = Number(process.env.WECOM_CHECK_TIMEOUT_MS || 30000);
const timer = setTimeout(() => {
  console.error(`no message answered within ${timeout} ms`);
  process.exit(1);
}, timeout);

client.on("authenticated", () => console.log("READY"));
client.on("error", (e) => console.error("[sdk error event]", e && e.message));

client.on("message.text", async (frame) => {
  const question = frame.body.text?.content ?? "";
  const streamId = generateReqId("stream");
  try {
    // Partial updates, in order (the SDK queues frames of one req_id behind their acks),
    // then the full answer with finish: true.
    const answer = `echo: ${question}`;
    for (let n = 1; n < answer.length; n += Math.max(1, Math.floor(answer.length / 5))) {
      await client.replyStream(frame, streamId, answer.slice(0, n), false);
    }
    await client.replyStream(frame, streamId, answer, true);
    console.log(`DONE ${streamId}`);
    // A file of two chunks (512 KiB + the rest), pushed to the member.
    const file = Buffer.alloc(600000, 0);
    for (let i = 0; i < file.length; i++) file[i] = (i * 7 + 3) & 0xff;
    const up = await client.uploadMedia(file, { type: "file", filename: "report.bin" });
    await client.sendMediaMessage(frame.body.from.userid, "file", up.media_id);
    console.log(`UPLOADED ${up.media_id} ${createHash("md5").update(file).digest("hex")}`);
    clearTimeout(timer);
    client.disconnect();
    process.exit(0);
  } catch (e) {
    console.error("reply failed:", e && e.message ? e.message : JSON.stringify(e));
    process.exit(1);
  }
});

if (process.env.WECOM_CHECK_MODE === "displace") {
  client.on("event.disconnected_event", () => console.log("DISPLACED"));
  client.on("disconnected", () => {
    // The SDK must not reconnect (it would be displaced again): wait a moment, then end.
    setTimeout(() => {
      clearTimeout(timer);
      process.exit(0);
    }, 1500);
  });
}

client.connect();
