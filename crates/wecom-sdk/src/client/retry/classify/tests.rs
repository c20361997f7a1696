//! The retry rules as a table: one row per rule (kind, outcome, attempt → action), under the
//! default policy (3 attempts, 200 ms doubling, capped at 2 s) unless a row says otherwise.

use std::time::Duration;

use super::*;

const API_CALL: RequestKind = RequestKind { authenticated: true, replay: Replay::Safe };
const UNSAFE_CALL: RequestKind = RequestKind { authenticated: true, replay: Replay::Unsafe };
const SEND: RequestKind =
    RequestKind { authenticated: true, replay: Replay::Send { duplicate_check: false } };
const SEND_DEDUP: RequestKind =
    RequestKind { authenticated: true, replay: Replay::Send { duplicate_check: true } };
const GETTOKEN: RequestKind = RequestKind { authenticated: false, replay: Replay::Safe };

const fn try_(number: u32) -> Attempt {
    Attempt { number, token_refreshed: false }
}

const fn after_refresh(number: u32) -> Attempt {
    Attempt { number, token_refreshed: true }
}

fn wait(ms: u64) -> Action {
    Action::RetryAfter(Duration::from_millis(ms))
}

use Action::{GiveUp, RefreshTokenThenRetry};
use Outcome::{Api, ConnectFailed, Interrupted, Other};

#[test]
fn every_rule_as_a_table() {
    let default = RetryPolicy::default();
    let never = RetryPolicy::never();
    let five = RetryPolicy::default().max_attempts(5).base_delay(Duration::from_secs(1));
    #[rustfmt::skip]
    let rows: &[(&str, RequestKind, Outcome, Attempt, &RetryPolicy, Action)] = &[
        // Errcode −1: WeCom did not act; bounded backoff.
        ("busy, first try",              API_CALL,    Api(-1),    try_(1),          &default, wait(200)),
        ("busy, backoff doubles",        API_CALL,    Api(-1),    try_(2),          &default, wait(400)),
        ("busy, attempts used up",       API_CALL,    Api(-1),    try_(3),          &default, GiveUp),
        ("busy, backoff capped",         API_CALL,    Api(-1),    try_(4),          &five,    wait(2000)),
        ("busy, retries off",            API_CALL,    Api(-1),    try_(1),          &never,   GiveUp),
        ("busy send is retried",         SEND,        Api(-1),    try_(1),          &default, wait(200)),
        ("busy card update is retried",  UNSAFE_CALL, Api(-1),    try_(1),          &default, wait(200)),
        ("busy gettoken is retried",     GETTOKEN,    Api(-1),    try_(1),          &default, wait(200)),
        // Token errors from a call with a token: refresh once, outside the attempt budget.
        ("42001 expired",                API_CALL,    Api(42001), try_(1),          &default, RefreshTokenThenRetry),
        ("40014 invalid",                SEND,        Api(40014), try_(1),          &default, RefreshTokenThenRetry),
        ("40001 from an API call",       UNSAFE_CALL, Api(40001), try_(1),          &default, RefreshTokenThenRetry),
        ("41001 missing",                API_CALL,    Api(41001), try_(1),          &default, RefreshTokenThenRetry),
        ("token error on the last try",  API_CALL,    Api(42001), try_(3),          &default, RefreshTokenThenRetry),
        ("token error, retries off",     API_CALL,    Api(42001), try_(1),          &never,   RefreshTokenThenRetry),
        ("second token error: no loop",  API_CALL,    Api(42001), after_refresh(1), &default, GiveUp),
        ("busy after a refresh",         API_CALL,    Api(-1),    after_refresh(1), &default, wait(200)),
        // gettoken carries no token: a token-error code is about the credentials.
        ("gettoken 40001 wrong secret",  GETTOKEN,    Api(40001), try_(1),          &default, GiveUp),
        ("gettoken 40013 wrong corp id", GETTOKEN,    Api(40013), try_(1),          &default, GiveUp),
        ("gettoken 41002 no corp id",    GETTOKEN,    Api(41002), try_(1),          &default, GiveUp),
        ("gettoken 41004 no secret",     GETTOKEN,    Api(41004), try_(1),          &default, GiveUp),
        ("gettoken 42001 not refreshed", GETTOKEN,    Api(42001), try_(1),          &default, GiveUp),
        // Rate limits: returned typed, never repeated.
        ("45009 frequency limit",        API_CALL,    Api(45009), try_(1),          &default, GiveUp),
        ("45033 concurrency limit",      SEND_DEDUP,  Api(45033), try_(1),          &default, GiveUp),
        ("gettoken rate limited",        GETTOKEN,    Api(45009), try_(1),          &default, GiveUp),
        // Any other errcode.
        ("60020 untrusted IP",           API_CALL,    Api(60020), try_(1),          &default, GiveUp),
        ("81013 no valid recipient",     SEND_DEDUP,  Api(81013), try_(1),          &default, GiveUp),
        // Nothing was sent: always safe to repeat.
        ("connect failed, read",         API_CALL,    ConnectFailed, try_(1),       &default, wait(200)),
        ("connect failed, card update",  UNSAFE_CALL, ConnectFailed, try_(1),       &default, wait(200)),
        ("connect failed, plain send",   SEND,        ConnectFailed, try_(2),       &default, wait(400)),
        ("connect failed, gettoken",     GETTOKEN,    ConnectFailed, try_(1),       &default, wait(200)),
        ("connect failed, used up",      SEND,        ConnectFailed, try_(3),       &default, GiveUp),
        // Timeout or broken connection: only where a repeat is harmless.
        ("interrupted read / upload",    API_CALL,    Interrupted, try_(1),         &default, wait(200)),
        ("interrupted gettoken",         GETTOKEN,    Interrupted, try_(1),         &default, wait(200)),
        ("interrupted recall / update",  UNSAFE_CALL, Interrupted, try_(1),         &default, GiveUp),
        ("interrupted plain send",       SEND,        Interrupted, try_(1),         &default, GiveUp),
        ("interrupted deduplicated send",SEND_DEDUP,  Interrupted, try_(1),         &default, wait(200)),
        ("interrupted, used up",         SEND_DEDUP,  Interrupted, try_(3),         &default, GiveUp),
        // No envelope, undecodable body.
        ("other failure",                API_CALL,    Other,       try_(1),         &default, GiveUp),
        ("other failure, gettoken",      GETTOKEN,    Other,       try_(1),         &default, GiveUp),
    ];
    for (rule, kind, outcome, attempt, policy, expected) in rows {
        assert_eq!(classify(*kind, *outcome, *attempt, policy), *expected, "{rule}");
    }
}

#[test]
fn a_token_refresh_does_not_use_up_an_attempt_and_happens_once() {
    let refreshed = try_(2).after(RefreshTokenThenRetry);
    assert_eq!(refreshed, after_refresh(2));
    assert_eq!(refreshed.after(wait(1)), after_refresh(3));
    assert_eq!(try_(1).after(wait(1)), try_(2));
    assert_eq!(try_(1).after(GiveUp), try_(1));
    assert_eq!(Attempt::FIRST, try_(1));
}

#[test]
fn the_same_inputs_give_the_same_action() {
    let policy = RetryPolicy::default();
    let first = classify(SEND_DEDUP, Interrupted, try_(2), &policy);
    for _ in 0..100 {
        assert_eq!(classify(SEND_DEDUP, Interrupted, try_(2), &policy), first);
    }
}
