//! The SDK, the callback server and the AI-bot crate end to end against the emulator, in one
//! binary: every endpoint, message and card kind, recipients, reliability and throttle
//! (`sdk`), the full callback loop, AI bots over HTTP and over the WebSocket long connection
//! (`aibot_ws`), and Redis token sharing across processes (`redis`, whose worker processes
//! re-run this binary).

mod aibot;
mod aibot_ws;
mod callback_loop;
mod first_hour;
mod redis;
mod sdk;
