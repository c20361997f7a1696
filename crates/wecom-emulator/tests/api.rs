//! End-to-end tests of the emulator over HTTP on 127.0.0.1, with plain reqwest and
//! serde_json (independent of the SDK's types).

mod api {
    pub(crate) mod support;

    mod accepts;
    mod callbacks;
    mod faults;
    mod inbox;
    mod lifecycle;
    mod media;
    mod persistence;
    mod protect;
    mod receiver;
    mod send;
    mod tokens;
    mod webhook;
}
