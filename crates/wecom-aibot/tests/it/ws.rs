//! The WebSocket transport against a scripted server on 127.0.0.1:0: subscribe, heartbeat,
//! reconnect, displacement, replies and their queue, events, pushes and uploads.

#![allow(dead_code, unreachable_pub)]
#![allow(
    clippy::format_collect,
    clippy::cast_possible_truncation,
    clippy::assigning_clones,
    clippy::needless_pass_by_value
)]

mod connection;
mod events;
mod push;
mod replies;
mod server;
