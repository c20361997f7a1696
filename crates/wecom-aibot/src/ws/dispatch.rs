//! Inbound callbacks to the handler: messages start the [`Bot`](crate::bot::Bot) handler and
//! a driver that pushes the answer's states as `aibot_respond_msg` frames (one in flight per
//! `req_id`; whatever the handler wrote meanwhile is coalesced into the next frame, and the
//! finishing frame is always sent); events wait for a welcome or card update within the
//! deadline. `msgid`s already seen are not handled again.

use std::collections::{HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use tracing::Instrument as _;

use super::error::WsError;
use super::handle::WsCallback;
use super::push::Push;
use super::shared::Shared;
use super::status::{Counters, WsEvent};
use crate::bot::{Busy, EventAnswer, EventResponder, Exchange, Next, Pushed, Responder};
use crate::model::{Callback, Event, EventKind, Message, MsgId};

/// What the read loop does after a command.
pub(crate) enum Control {
    Continue,
    Displaced,
}

/// Recently seen `msgid`s (bounded; the oldest are forgotten first).
#[derive(Default)]
pub(crate) struct Seen {
    set: HashSet<MsgId>,
    order: VecDeque<MsgId>,
}

impl Seen {
    const MAX: usize = 10_000;

    /// `true` the first time `id` is seen.
    fn first(&mut self, id: &MsgId) -> bool {
        if self.set.contains(id) {
            return false;
        }
        if self.order.len() >= Self::MAX
            && let Some(old) = self.order.pop_front()
        {
            self.set.remove(&old);
        }
        self.set.insert(id.clone());
        self.order.push_back(id.clone());
        true
    }
}

fn first_seen(seen: &Mutex<Seen>, id: &MsgId) -> bool {
    seen.lock().unwrap_or_else(std::sync::PoisonError::into_inner).first(id)
}

/// Handles one inbound command frame.
pub(crate) fn on_command(
    shared: &Arc<Shared>,
    generation: u64,
    cmd: &str,
    req_id: String,
    body: Value,
) -> Control {
    // `aibot_callback` is the older name of `aibot_msg_callback`.
    if !matches!(cmd, "aibot_msg_callback" | "aibot_callback" | "aibot_event_callback") {
        tracing::debug!(cmd, "unknown command ignored");
        return Control::Continue;
    }
    let callback = match Callback::from_value(body) {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(cmd, error = %e, "callback body ignored");
            return Control::Continue;
        }
    };
    match callback {
        Callback::Message(message) => {
            if first_seen(&shared.seen, &message.header.msgid) {
                Counters::bump(&shared.counters.messages);
                on_message(shared, generation, req_id, message);
            } else {
                tracing::debug!(msgid = %message.header.msgid, "repeated message ignored");
            }
        }
        Callback::Event(event) => {
            if !first_seen(&shared.seen, &event.header.msgid) {
                return Control::Continue;
            }
            Counters::bump(&shared.counters.events);
            let displaced = event.kind == EventKind::Disconnected;
            on_event(shared, generation, req_id, event);
            if displaced {
                return Control::Displaced;
            }
        }
        Callback::Refresh(_) | Callback::Unknown(_) => {
            tracing::debug!(cmd, "callback of an unknown shape ignored");
        }
    }
    Control::Continue
}

pub(crate) fn report(shared: &Shared, cb: &WsCallback, error: WsError) {
    Counters::bump(&shared.counters.replies_failed);
    tracing::warn!(req_id = cb.req_id(), error = %error, "answer not delivered");
    shared.emit(WsEvent::ReplyFailed {
        req_id: cb.req_id().to_owned(),
        msgid: cb.msgid().cloned(),
        conversation: cb.conversation().to_owned(),
        error,
    });
}

fn on_message(shared: &Arc<Shared>, generation: u64, req_id: String, message: Message) {
    let span = tracing::info_span!(
        "aibot_message",
        req_id = %req_id,
        msgid = %message.header.msgid,
        chattype = message.header.chattype.as_str(),
    );
    let cb = WsCallback::new(
        Arc::clone(shared),
        req_id,
        generation,
        message.header.conversation().to_owned(),
        Some(message.header.msgid.clone()),
    );
    let exchange = Exchange::new(Arc::clone(&shared.limits), Instant::now());
    let member = message.header.from.userid.clone();
    let max = shared.limits.max_open_per_member;
    let mut wait = None;
    match (shared.slots.try_take(&member, max), &shared.limits.busy) {
        (Some(slot), _) => exchange.set_slot(slot),
        (None, Busy::Reply(text)) => {
            tracing::info!(parent: &span, "member has the most open streams: busy answer");
            exchange.busy(text.clone());
            tokio::spawn(drive(Arc::clone(shared), exchange, cb).instrument(span));
            return;
        }
        (None, Busy::Wait) => wait = Some(Arc::clone(&shared.slots)),
    }
    let bot = Arc::clone(&shared.bot);
    let handler_exchange = Arc::clone(&exchange);
    let responder = Responder::new(Arc::clone(&exchange)).with_ws(cb.clone());
    tokio::spawn(
        async move {
            if let Some(slots) = wait {
                let slot = slots.take(&member, max).await;
                handler_exchange.set_slot(slot);
            }
            if let Err(e) = tokio::spawn(bot.message(message, responder)).await {
                tracing::error!(error = %e, "AI bot handler panicked; the answer is finished as it is");
            }
            handler_exchange.handler_returned();
        }
        .instrument(span.clone()),
    );
    tokio::spawn(drive(Arc::clone(shared), exchange, cb).instrument(span));
}

/// Pushes the answer's states until it is finished, then delivers what could not go on the
/// stream (a follow-up past the size limit, or the whole answer if the connection was lost).
async fn drive(shared: Arc<Shared>, exchange: Arc<Exchange>, cb: WsCallback) {
    let mut rx = exchange.subscribe();
    let mut pushed = Pushed::default();
    let deadline =
        tokio::time::Instant::from_std(exchange.started + exchange.limits.stream_lifetime)
            + Duration::from_millis(10);
    let mut lost = false;
    let keepalive = shared.config.stream_keepalive;
    let mut last_sent = tokio::time::Instant::now();
    loop {
        rx.borrow_and_update();
        match exchange.next_push(&mut pushed) {
            Next::Done => break,
            Next::Wait => {
                tokio::select! {
                    changed = rx.changed() => if changed.is_err() { break },
                    () = tokio::time::sleep_until(deadline) => {}
                    () = tokio::time::sleep_until(last_sent + keepalive) => pushed.resend(),
                }
            }
            Next::Send { reply, last } => {
                last_sent = tokio::time::Instant::now();
                let sent = shared
                    .respond("aibot_respond_msg", cb.req_id(), cb.generation(), &*reply)
                    .await;
                if let Err(error) = sent {
                    let dead = error.is_req_id_dead();
                    let expired = error.code() == Some(WsError::STREAM_EXPIRED);
                    report(&shared, &cb, error);
                    if dead || expired {
                        lost = true;
                        if !shared.config.resend_lost_answers {
                            exchange.mark_lost();
                        }
                        break;
                    }
                    // A timed-out or refused update: the next frame carries the whole text.
                }
                if last {
                    break;
                }
            }
        }
    }
    // Whatever goes after the stream needs the handler's last word; a handler still running
    // past the stream's lifetime is not waited for.
    let handler_done = async {
        let _ = tokio::time::timeout_at(deadline, exchange.handler_finished()).await;
    };
    let follow_up = if lost && shared.config.resend_lost_answers {
        handler_done.await;
        let text = exchange.read_text();
        let rest = exchange.take_follow_up().unwrap_or_default();
        [text, rest].into_iter().filter(|t| !t.is_empty()).collect::<Vec<_>>()
    } else if lost {
        Vec::new()
    } else {
        handler_done.await;
        exchange.take_follow_up().into_iter().collect()
    };
    for text in follow_up {
        if !shared.wait_connected(Duration::from_secs(30)).await {
            report(&shared, &cb, WsError::NotConnected);
            return;
        }
        let handle = cb.handle();
        if let Err(e) = handle.send(cb.conversation(), Push::markdown(text)).await {
            report(&shared, &cb, e);
        }
    }
}

fn on_event(shared: &Arc<Shared>, generation: u64, req_id: String, event: Event) {
    let span = tracing::info_span!(
        "aibot_event",
        req_id = %req_id,
        msgid = %event.header.msgid,
        eventtype = event.kind.eventtype(),
    );
    let (cmd, what) = match &event.kind {
        EventKind::EnterChat => ("aibot_respond_welcome_msg", "welcome"),
        EventKind::TemplateCard(_) => ("aibot_respond_update_msg", "card update"),
        _ => ("", ""),
    };
    let cb = WsCallback::new(
        Arc::clone(shared),
        req_id,
        generation,
        event.header.conversation().to_owned(),
        None,
    );
    let (responder, rx) = EventResponder::new(&event.kind);
    let responder = responder.with_ws(cb.clone());
    let bot = Arc::clone(&shared.bot);
    tokio::spawn(bot.event(event, responder).instrument(span.clone()));
    if cmd.is_empty() {
        return;
    }
    let shared = Arc::clone(shared);
    let limit = shared.config.event_deadline;
    tokio::spawn(
        async move {
            let sent = match tokio::time::timeout(limit, rx).await {
                Ok(Ok(EventAnswer::Welcome(reply))) => {
                    shared.respond(cmd, cb.req_id(), cb.generation(), &reply).await
                }
                Ok(Ok(EventAnswer::Update(update))) => {
                    shared.respond(cmd, cb.req_id(), cb.generation(), &update).await
                }
                Ok(Err(_)) => return, // the handler chose not to answer
                Err(_) => Err(WsError::DeadlinePassed { what, limit }),
            };
            if let Err(e) = sent {
                report(&shared, &cb, e);
            }
        }
        .instrument(span),
    );
}
