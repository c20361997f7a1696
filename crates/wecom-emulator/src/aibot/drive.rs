//! Driving a bot's HTTP mode as WeCom does: encrypted JSON callbacks with the callback timeout
//! and retries (same `msgid`), then refresh callbacks every `refresh_interval_ms` until the
//! bot answers `finish: true` or the stream window closes.

use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};
use wecom_msgcrypt::MsgCrypt;

use super::config::AibotConfig;
use super::store::{StreamView, Turn};
use super::validate::{self, Answering};
use crate::state::EmulatorState;

/// The bot's crypto (checked when the configuration was loaded).
fn crypt(bot: &AibotConfig) -> Option<MsgCrypt> {
    let (token, key) = (bot.token.as_ref()?, bot.encoding_aes_key.as_ref()?);
    MsgCrypt::new(token.expose(), key.expose(), "").ok()
}

fn msgid() -> String {
    crate::ids::opaque("CAIQ", 28)
}

/// One POST of `plain`, encrypted: `Ok(None)` for an empty 200, the decrypted answer, or why
/// the try failed.
async fn post(
    state: &EmulatorState,
    bot: &AibotConfig,
    plain: &Value,
    timeout: Duration,
) -> Result<Option<Value>, String> {
    let (Some(crypt), Some(url)) = (crypt(bot), bot.callback_url.as_ref()) else {
        return Err("the bot has no HTTP callback settings".into());
    };
    let ts = (state.clock().now_ms() / 1000).to_string();
    let nonce = crate::ids::random_token(10).replace(['+', '/', '-', '_'], "0");
    let sealed = crypt.encrypt(&plain.to_string(), &ts, &nonce).map_err(|e| e.to_string())?;
    let sep = if url.contains('?') { '&' } else { '?' };
    let full =
        format!("{url}{sep}msg_signature={}&timestamp={ts}&nonce={nonce}", sealed.msg_signature);
    let response = state
        .inner
        .http
        .post(full)
        .header("content-type", "application/json")
        .body(json!({ "encrypt": sealed.encrypt }).to_string())
        .timeout(timeout)
        .send()
        .await
        .map_err(|e| {
            if e.is_timeout() {
                format!("timeout after {} ms", timeout.as_millis())
            } else {
                "connection failed".into()
            }
        })?;
    let status = response.status();
    let text = response.text().await.map_err(|_| "body could not be read".to_owned())?;
    if !status.is_success() {
        return Err(format!("HTTP {}", status.as_u16()));
    }
    if text.is_empty() {
        return Ok(None);
    }
    let env: Value = serde_json::from_str(&text).map_err(|_| "answer is not JSON".to_owned())?;
    // The official library writes the timestamp as a string; accept a number too.
    let ts = match &env["timestamp"] {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return Err("answer: timestamp missing".into()),
    };
    let field = |k: &str| env[k].as_str().map(str::to_owned).ok_or(format!("answer: {k} missing"));
    let plain = crypt
        .decrypt_verified(&field("msgsignature")?, &ts, &field("nonce")?, &field("encrypt")?)
        .map_err(|e| format!("answer: {e}"))?;
    serde_json::from_str(&plain.message)
        .map(Some)
        .map_err(|_| "answer: plaintext is not JSON".into())
}

/// Delivers with WeCom's tries; returns (tries used, outcome of the last).
async fn deliver(
    state: &EmulatorState,
    bot: &AibotConfig,
    plain: &Value,
    tries: u32,
) -> (u32, Result<Option<Value>, String>) {
    let timeout = Duration::from_millis(state.config().options.callback_timeout_ms);
    let mut last = Err("not sent".into());
    for n in 1..=tries {
        last = post(state, bot, plain, timeout).await;
        if last.is_ok() {
            return (n, last);
        }
    }
    (tries, last)
}

/// The fields every callback of this chat carries.
pub(crate) fn header(bot: &AibotConfig, userid: &str, chatid: Option<&str>) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("msgid".into(), msgid().into());
    m.insert("aibotid".into(), bot.botid.clone().into());
    if let Some(c) = chatid {
        m.insert("chatid".into(), c.into());
    }
    m.insert("chattype".into(), if chatid.is_some() { "group" } else { "single" }.into());
    m.insert("from".into(), json!({ "userid": userid }));
    m
}

/// Records a stream (or stream-with-card) answer in the turn.
pub(crate) fn record_stream(t: &mut Turn, reply: &Value) {
    let s = &reply["stream"];
    let view = t.stream.get_or_insert_with(StreamView::default);
    s["id"].as_str().unwrap_or_default().clone_into(&mut view.id);
    let content = s["content"].as_str().unwrap_or_default();
    if content != view.content {
        view.updates += 1;
        if !content.starts_with(view.content.as_str()) {
            view.rewinds += 1;
        }
        content.clone_into(&mut view.content);
    }
    view.finish = s["finish"] == true;
    view.images = s["msg_item"].as_array().map_or(0, Vec::len);
    if t.feedback_id.is_none() {
        t.feedback_id = s["feedback"]["id"].as_str().map(str::to_owned);
    }
    if reply.get("template_card").is_some() {
        if t.card.is_some() {
            t.errors.push("stream_with_template_card: the card was sent more than once".into());
        } else {
            t.card = Some(reply["template_card"].clone());
        }
    }
}

/// Sends a member's message and follows the stream; `until_finish` waits for its end.
pub(crate) async fn message(
    state: &EmulatorState,
    bot: AibotConfig,
    turn: u64,
    plain: Value,
    until_finish: bool,
) {
    let started = Instant::now();
    let tries = state.config().options.callback_tries;
    let (used, outcome) = deliver(state, &bot, &plain, tries).await;
    let ai = &state.inner.aibots;
    let reply = match outcome {
        Err(e) => {
            ai.update(turn, |t| {
                t.tries = used;
                t.status = "failed".into();
                t.errors.push(e);
            });
            return;
        }
        Ok(None) => {
            ai.update(turn, |t| {
                t.tries = used;
                t.status = "no_answer".into();
            });
            return;
        }
        Ok(Some(reply)) => reply,
    };
    let mut open_stream = None;
    ai.update(turn, |t| {
        t.tries = used;
        t.reply = Some(reply.clone());
        if let Err(e) = validate::passive(&reply, Answering::Message) {
            t.errors.push(e);
            t.status = "failed".into();
            return;
        }
        if reply["msgtype"] == "template_card" {
            t.card = Some(reply["template_card"].clone());
            t.feedback_id = reply["template_card"]["feedback"]["id"].as_str().map(str::to_owned);
            t.status = "answered".into();
            return;
        }
        record_stream(t, &reply);
        if t.stream.as_ref().is_some_and(|s| s.finish) {
            t.status = "finished".into();
        } else {
            t.status = "streaming".into();
            open_stream = t.stream.as_ref().map(|s| s.id.clone());
        }
    });
    let Some(stream_id) = open_stream else { return };
    let refresh = refresh_loop(state.clone(), bot, turn, plain, stream_id, started);
    if until_finish {
        refresh.await;
    } else {
        tokio::spawn(refresh);
    }
}

async fn refresh_loop(
    state: EmulatorState,
    bot: AibotConfig,
    turn: u64,
    plain: Value,
    stream_id: String,
    started: Instant,
) {
    let interval = Duration::from_millis(bot.refresh_interval_ms);
    let window = Duration::from_secs(bot.stream_window_seconds);
    let timeout = Duration::from_millis(state.config().options.callback_timeout_ms);
    let ai = &state.inner.aibots;
    loop {
        tokio::time::sleep(interval).await;
        if !ai.contains(turn) {
            // Forgotten (retention or a reset): nobody can see the stream any more.
            return;
        }
        if started.elapsed() >= window {
            // The message stays as last shown.
            ai.update(turn, |t| t.status = "expired".into());
            return;
        }
        let userid = plain["from"]["userid"].as_str().unwrap_or_default();
        let mut refresh = header(&bot, userid, plain["chatid"].as_str());
        refresh.insert("msgtype".into(), "stream".into());
        refresh.insert("stream".into(), json!({ "id": stream_id }));
        let outcome = post(&state, &bot, &Value::Object(refresh), timeout).await;
        let mut done = false;
        ai.update(turn, |t| {
            if let Some(s) = t.stream.as_mut() {
                s.refreshes += 1;
            }
            match outcome {
                Ok(Some(reply)) => {
                    match validate::passive(&reply, Answering::Refresh(&stream_id)) {
                        Ok(()) => {
                            record_stream(t, &reply);
                            t.reply = Some(reply);
                            if t.stream.as_ref().is_some_and(|s| s.finish) {
                                t.status = "finished".into();
                                done = true;
                            }
                        }
                        Err(e) => t.errors.push(format!("refresh answer: {e}")),
                    }
                }
                Ok(None) => t.errors.push("refresh answered empty".into()),
                Err(e) => t.errors.push(format!("refresh: {e}")),
            }
        });
        if done {
            return;
        }
    }
}

/// Sends an event; `once` (card events) means no retry.
pub(crate) async fn event(
    state: &EmulatorState,
    bot: &AibotConfig,
    turn: u64,
    plain: &Value,
    answering: Option<Answering<'_>>,
    card_turn: Option<u64>,
) {
    let once = matches!(answering, Some(Answering::CardEvent(_)));
    let tries = if once { 1 } else { state.config().options.callback_tries };
    let (used, outcome) = deliver(state, bot, plain, tries).await;
    let ai = &state.inner.aibots;
    let mut update = None;
    ai.update(turn, |t| {
        t.tries = used;
        match outcome {
            Err(e) => {
                t.status = "failed".into();
                t.errors.push(e);
            }
            Ok(None) => t.status = "no_answer".into(),
            Ok(Some(reply)) => {
                t.status = "answered".into();
                let checked = match answering {
                    Some(a) => validate::passive(&reply, a),
                    None => Err("this event allows only an empty answer".into()),
                };
                match checked {
                    Ok(()) if reply["msgtype"] == "template_card" => {
                        t.card = Some(reply["template_card"].clone());
                    }
                    Ok(()) if reply.get("response_type").is_some() => {
                        update = Some(reply["template_card"].clone());
                    }
                    Ok(()) => {}
                    Err(e) => t.errors.push(e),
                }
                t.reply = Some(reply);
            }
        }
    });
    if let (Some(card), Some(target)) = (update, card_turn) {
        ai.update(target, |t| t.card_updates.push(card));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::record_stream;
    use crate::aibot::store::Turn;

    fn turn() -> Turn {
        let mut t = Turn::new("aib", "alice", None, "message", Value::Null, 0);
        t.id = 1;
        t.status = "streaming".into();
        t.tries = 1;
        t
    }

    fn update(t: &mut Turn, content: &str) {
        record_stream(
            t,
            &json!({ "msgtype": "stream", "stream": { "id": "s1", "content": content } }),
        );
    }

    #[test]
    fn an_update_that_does_not_extend_the_content_counts_as_a_rewind() {
        let mut t = turn();
        for content in ["1 ", "1 2 ", "1 2 3 "] {
            update(&mut t, content);
        }
        let view = t.stream.as_ref().unwrap();
        assert_eq!((view.updates, view.rewinds), (3, 0));
        // An older update applied after a newer one: the member sees the text shrink.
        update(&mut t, "1 2 ");
        update(&mut t, "1 2 3 4 ");
        let view = t.stream.as_ref().unwrap();
        assert_eq!((view.updates, view.rewinds), (5, 1));
    }
}
