//! The connection lifecycle: connect, subscribe, heartbeat, read frames, and reconnect with
//! backoff; stop on `disconnected_event` (by default), on shutdown, or when a budget is spent.
//!
//! ```text
//! connect ─▶ aibot_subscribe ─▶ ack 0 ─▶ CONNECTED (heartbeat on, counters reset)
//!                           └─▶ ack ≠0 ─▶ close ─▶ refusal budget, backoff
//! CONNECTED ─▶ close / missed pings / 846609 ─▶ fail pending ─▶ backoff ─▶ connect
//! CONNECTED ─▶ disconnected_event ─▶ fail pending ─▶ close ─▶ DISPLACED (no reconnect)
//! ```

use std::sync::Arc;

use futures::{SinkExt as _, StreamExt as _};
use serde::Serialize;
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tracing::Instrument as _;

use super::config::OnDisplaced;
use super::connect;
use super::dispatch::{self, Control};
use super::error::WsError;
use super::frame::{self, Inbound};
use super::shared::Shared;
use super::status::{ConnState, Counters, Stopped, WsEvent};

/// How one connection ended.
enum Outcome {
    /// Before the subscription was acknowledged.
    Failed(String),
    /// WeCom refused the subscription.
    Refused { code: i64, msg: String },
    /// A subscribed connection ended.
    Ended(String),
    /// Another connection took over.
    Displaced,
    /// The application asked to stop.
    Shutdown,
}

#[derive(Serialize)]
struct Subscribe<'a> {
    bot_id: &'a str,
    secret: &'a str,
}

/// Runs connections until stopped.
pub(crate) async fn run(shared: Arc<Shared>) -> Result<Stopped, WsError> {
    let config = &shared.config;
    let mut shutdown = shared.shutdown.subscribe();
    let mut attempt: u32 = 0;
    let mut refusals: u32 = 0;
    let mut displacements: u32 = 0;
    let result = loop {
        if *shutdown.borrow_and_update() {
            break Ok(Stopped::Shutdown);
        }
        let delay = match connect_once(&shared, &mut shutdown).await {
            Outcome::Shutdown => break Ok(Stopped::Shutdown),
            Outcome::Refused { code, msg } => {
                refusals += 1;
                Counters::bump(&shared.counters.auth_failures);
                tracing::warn!(code, errmsg = %msg, refusals, "aibot_subscribe refused");
                shared.emit(WsEvent::SubscribeRefused { code, msg: msg.clone() });
                if config.max_auth_failures.is_some_and(|max| refusals > max) {
                    break Err(WsError::AuthFailed { code, msg, attempts: refusals });
                }
                config.reconnect.delay(refusals, frame::unit_random())
            }
            Outcome::Failed(reason) => {
                attempt += 1;
                tracing::warn!(%reason, attempt, "connection attempt failed");
                if config.reconnect.exhausted(attempt) {
                    break Err(WsError::ReconnectExhausted { attempts: attempt, last: reason });
                }
                config.reconnect.delay(attempt, frame::unit_random())
            }
            Outcome::Ended(_) => {
                // A subscription succeeded, so the counters start over.
                attempt = 1;
                refusals = 0;
                config.reconnect.delay(attempt, frame::unit_random())
            }
            Outcome::Displaced => {
                shared.emit(WsEvent::Displaced);
                match &config.on_displaced {
                    OnDisplaced::Reconnect { cooldown, max } if displacements < *max => {
                        displacements += 1;
                        tracing::warn!(
                            displacements,
                            "displaced by another connection; reconnecting after the cooldown"
                        );
                        attempt = 1;
                        *cooldown
                    }
                    _ => {
                        tracing::warn!(
                            "another connection took over this bot; stopping (no reconnect)"
                        );
                        break Ok(Stopped::Displaced);
                    }
                }
            }
        };
        Counters::bump(&shared.counters.reconnects);
        shared.set_state(ConnState::Backoff);
        shared.emit(WsEvent::Reconnecting { attempt: attempt.max(refusals), delay });
        tokio::select! {
            () = tokio::time::sleep(delay) => {}
            _ = shutdown.wait_for(|stop| *stop) => break Ok(Stopped::Shutdown),
        }
    };
    shared.set_state(match result {
        Ok(Stopped::Displaced) => ConnState::Displaced,
        _ => ConnState::Stopped,
    });
    shared.emit(WsEvent::Stopped);
    result
}

/// One connection, from dialing to its end.
async fn connect_once(shared: &Arc<Shared>, shutdown: &mut watch::Receiver<bool>) -> Outcome {
    let config = &shared.config;
    shared.set_state(ConnState::Connecting);
    let socket = tokio::select! {
        opened = tokio::time::timeout(config.connect_timeout, connect::open(config)) => match opened {
            Ok(Ok(socket)) => socket,
            Ok(Err(e)) => return Outcome::Failed(e),
            Err(_) => return Outcome::Failed(format!("no connection within {:?}", config.connect_timeout)),
        },
        _ = shutdown.wait_for(|stop| *stop) => return Outcome::Shutdown,
    };
    let (mut sink, mut stream) = socket.split();
    shared.set_state(ConnState::Subscribing);
    let sub_id = frame::req_id("aibot_subscribe");
    let creds = &shared.credentials;
    let body = Subscribe { bot_id: creds.bot_id(), secret: creds.secret().expose() };
    if let Err(e) =
        sink.send(WsMessage::text(frame::encode("aibot_subscribe", &sub_id, Some(&body)))).await
    {
        return Outcome::Failed(format!("sending aibot_subscribe: {e}"));
    }
    Counters::bump(&shared.counters.frames_out);
    let wait_ack = tokio::time::timeout(config.subscribe_timeout, async {
        while let Some(msg) = stream.next().await {
            let Ok(WsMessage::Text(text)) = msg else {
                if msg.is_err() {
                    break;
                }
                continue;
            };
            Counters::bump(&shared.counters.frames_in);
            match frame::parse(&text) {
                Ok(Inbound::Ack { req_id, ack }) if req_id == sub_id => return Some(ack),
                Ok(Inbound::Uncorrelated(ack)) if ack.errcode != 0 => return Some(ack),
                _ => tracing::debug!("frame before the subscribe acknowledgement ignored"),
            }
        }
        None
    });
    let ack = tokio::select! {
        ack = wait_ack => ack,
        _ = shutdown.wait_for(|stop| *stop) => return Outcome::Shutdown,
    };
    let ack = match ack {
        Ok(Some(ack)) => ack,
        Ok(None) => return Outcome::Failed("closed before the subscribe acknowledgement".into()),
        Err(_) => {
            return Outcome::Failed(format!(
                "no subscribe acknowledgement within {:?}",
                config.subscribe_timeout
            ));
        }
    };
    if ack.errcode != 0 {
        let _ = sink.close().await;
        return Outcome::Refused { code: ack.errcode, msg: ack.errmsg };
    }

    let (out_tx, mut out_rx) = mpsc::channel::<WsMessage>(64);
    let conn = shared.install(out_tx);
    let generation = conn.generation;
    let span = tracing::info_span!("aibot_ws", generation);
    shared.set_state(ConnState::Connected);
    shared.emit(WsEvent::Connected { generation });
    tracing::info!(parent: &span, bot_id = creds.bot_id(), "subscribed");
    let writer_shared = Arc::clone(shared);
    let writer = tokio::spawn(
        async move {
            while let Some(msg) = out_rx.recv().await {
                let closing = msg.is_close();
                if sink.send(msg).await.is_err() {
                    break;
                }
                Counters::bump(&writer_shared.counters.frames_out);
                if closing {
                    break;
                }
            }
            let _ = sink.close().await;
        }
        .instrument(span.clone()),
    );

    let outcome = read_loop(shared, &conn, &mut stream, shutdown).instrument(span.clone()).await;
    shared.uninstall();
    let _ = conn.out.try_send(WsMessage::Close(None));
    let mut writer = writer;
    if tokio::time::timeout(std::time::Duration::from_secs(1), &mut writer).await.is_err() {
        tracing::debug!(parent: &span, "writer did not finish closing in time");
        writer.abort();
    }
    match &outcome {
        Outcome::Ended(reason) => {
            tracing::warn!(parent: &span, %reason, "connection lost");
            shared.emit(WsEvent::ConnectionLost { generation, reason: reason.clone() });
        }
        Outcome::Displaced => {
            shared.emit(WsEvent::ConnectionLost { generation, reason: "displaced".into() });
        }
        _ => {}
    }
    outcome
}

type Stream = futures::stream::SplitStream<connect::Socket>;

async fn read_loop(
    shared: &Arc<Shared>,
    conn: &Arc<super::shared::Conn>,
    stream: &mut Stream,
    shutdown: &mut watch::Receiver<bool>,
) -> Outcome {
    let config = &shared.config;
    let every = config.heartbeat_interval;
    let mut heartbeat = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut missed: u32 = 0;
    let mut ping_id = String::new();
    loop {
        tokio::select! {
            msg = stream.next() => match msg {
                Some(Ok(WsMessage::Text(text))) => {
                    Counters::bump(&shared.counters.frames_in);
                    match frame::parse(&text) {
                        Ok(Inbound::Ack { req_id, ack }) if req_id == ping_id => {
                            if ack.errcode == 0 {
                                missed = 0;
                            } else {
                                tracing::warn!(code = ack.errcode, errmsg = %ack.errmsg, "ping refused");
                                if WsError::breaks_connection(ack.errcode) {
                                    return Outcome::Ended(format!("ping answered {}", ack.errcode));
                                }
                            }
                        }
                        Ok(Inbound::Ack { req_id, ack }) => {
                            if !conn.acknowledge(&req_id, ack) {
                                tracing::debug!(req_id, "acknowledgement for nothing pending ignored");
                            }
                        }
                        Ok(Inbound::Command { cmd, req_id, body }) => {
                            if let Control::Displaced = dispatch::on_command(shared, conn.generation, &cmd, req_id, body) {
                                return Outcome::Displaced;
                            }
                        }
                        Ok(Inbound::Uncorrelated(ack)) => {
                            tracing::warn!(code = ack.errcode, errmsg = %ack.errmsg, "error frame without req_id");
                            shared.emit(WsEvent::Uncorrelated { code: ack.errcode, msg: ack.errmsg });
                        }
                        Err(e) => tracing::warn!(error = %e, "unreadable frame ignored"),
                    }
                }
                Some(Ok(WsMessage::Close(_))) | None => return Outcome::Ended("closed by the server".into()),
                Some(Ok(WsMessage::Binary(_))) => tracing::warn!("binary frame ignored"),
                Some(Ok(_)) => {} // WebSocket ping/pong: answered by the library.
                Some(Err(e)) => return Outcome::Ended(format!("read: {e}")),
            },
            _ = heartbeat.tick() => {
                if missed >= config.max_missed_heartbeats {
                    return Outcome::Ended(format!("{missed} heartbeats unacknowledged"));
                }
                ping_id = frame::req_id("ping");
                missed += 1;
                Counters::bump(&shared.counters.pings);
                if conn.out.try_send(WsMessage::text(frame::encode::<()>("ping", &ping_id, None))).is_err() {
                    tracing::warn!("outbound queue full; ping skipped");
                }
            }
            () = conn.broken.notified() => return Outcome::Ended("the subscription was lost (846609)".into()),
            _ = shutdown.wait_for(|stop| *stop) => return Outcome::Shutdown,
        }
    }
}
