//! Admin routes of the WebSocket side: a bot's connection state and log, and connection
//! fault injection.
//!
//! | Call | What it does |
//! |---|---|
//! | `GET /emulator/aibots/{botid}/ws` | `connected`, `connection`, `since_ms`, `peer`, `frames_in`, `frames_out`, the armed `faults`, and the `log` (subscribed, refused, displaced — once per displacement —, dropped, unsubscribed, closed) |
//! | `POST /emulator/aibots/{botid}/ws/drop` | drops the live connection now (no close frame; 409 when none) |
//! | `POST /emulator/aibots/{botid}/ws/faults {"kind": "stall_acks", "seconds": 10}` | acks to frames in the next 10 s are held, then sent in order |
//! | `POST … {"kind": "stall_acks", "frames": 3}` | the next 3 acks are never sent (heartbeats included) |
//! | `POST … {"kind": "refuse_subscribe", "seconds": 30, "errcode"?: 45009}` | subscriptions in the next 30 s are refused with that errcode |
//! | `POST … {"kind": "lose_subscription"}` | the live connection loses its subscription but stays open: every command on it, pings included, answers 846609 until it subscribes again (409 when none) |
//! | `DELETE /emulator/aibots/{botid}/ws/faults` | disarms them (acks held by a stall go out, in order, with the next ack) |

use axum::Router;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use bytes::Bytes;
use serde::Deserialize;
use serde_json::json;

use super::hub::{Outbound, after};
use crate::admin::{AdminError, AdminResult, parse};
use crate::aibot::config::AibotMode;
use crate::state::EmulatorState;

pub(crate) fn router() -> Router<EmulatorState> {
    Router::new()
        .route("/emulator/aibots/{botid}/ws", get(status))
        .route("/emulator/aibots/{botid}/ws/drop", post(drop_now))
        .route("/emulator/aibots/{botid}/ws/faults", post(arm).delete(disarm))
}

fn ws_bot(state: &EmulatorState, botid: &str) -> Result<(), AdminError> {
    match state.config().aibots.iter().find(|b| b.botid == botid) {
        Some(b) if b.mode == AibotMode::Websocket => Ok(()),
        Some(_) => Err(AdminError::conflict("the bot is in HTTP mode")),
        None => Err(AdminError::not_found(format!("no bot {botid}"))),
    }
}

async fn status(State(state): State<EmulatorState>, Path(botid): Path<String>) -> AdminResult {
    ws_bot(&state, &botid)?;
    let hub = &state.inner.aibots.ws;
    let mut out = hub.status(&botid);
    out["log"] = json!(hub.log(&botid));
    Ok(axum::Json(out))
}

async fn drop_now(State(state): State<EmulatorState>, Path(botid): Path<String>) -> AdminResult {
    ws_bot(&state, &botid)?;
    let Some(live) = state.inner.aibots.ws.live(&botid) else {
        return Err(AdminError::conflict("the bot has no live connection"));
    };
    // The connection logs its end as `dropped` and gives up the bot.
    live.tx
        .send(Outbound::Drop)
        .await
        .map_err(|_| AdminError::conflict("the connection closed already"))?;
    Ok(axum::Json(json!({ "dropped": live.conn })))
}

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
enum FaultBody {
    StallAcks {
        #[serde(default)]
        seconds: Option<f64>,
        #[serde(default)]
        frames: Option<u32>,
    },
    RefuseSubscribe {
        seconds: f64,
        #[serde(default)]
        errcode: Option<i64>,
    },
    LoseSubscription {},
}

fn seconds(s: f64) -> Result<f64, AdminError> {
    if s.is_finite() && s > 0.0 && s <= 86_400.0 {
        Ok(s)
    } else {
        Err(AdminError::bad("seconds must be more than 0 and at most 86400"))
    }
}

async fn arm(
    State(state): State<EmulatorState>,
    Path(botid): Path<String>,
    body: Bytes,
) -> AdminResult {
    ws_bot(&state, &botid)?;
    let fault: FaultBody = parse(&body)?;
    let hub = &state.inner.aibots.ws;
    match fault {
        FaultBody::LoseSubscription {} => {
            let Some(live) = hub.live(&botid) else {
                return Err(AdminError::conflict("the bot has no live connection"));
            };
            // Answers once the connection has let go of the bot.
            let gone = || AdminError::conflict("the connection closed already");
            let (done, applied) = tokio::sync::oneshot::channel();
            live.tx.send(Outbound::Unsubscribe(done)).await.map_err(|_| gone())?;
            applied.await.map_err(|_| gone())?;
        }
        FaultBody::StallAcks { seconds: Some(s), frames: None } => {
            let until = after(seconds(s)?);
            hub.with_faults(&botid, |f| f.stall_until = Some(until));
        }
        FaultBody::StallAcks { seconds: None, frames: Some(n) } if n > 0 => {
            hub.with_faults(&botid, |f| f.swallow = n);
        }
        FaultBody::StallAcks { .. } => {
            return Err(AdminError::bad("stall_acks takes either seconds or frames (at least 1)"));
        }
        FaultBody::RefuseSubscribe { seconds: s, errcode } => {
            let errcode = errcode.unwrap_or(crate::api::error::code::API_FREQUENCY_LIMITED);
            if errcode == 0 {
                return Err(AdminError::bad("errcode must not be 0"));
            }
            let until = after(seconds(s)?);
            hub.with_faults(&botid, |f| {
                f.refuse_until = Some(until);
                f.refuse_errcode = errcode;
            });
        }
    }
    Ok(axum::Json(hub.status(&botid)))
}

async fn disarm(State(state): State<EmulatorState>, Path(botid): Path<String>) -> AdminResult {
    ws_bot(&state, &botid)?;
    let hub = &state.inner.aibots.ws;
    hub.with_faults(&botid, |f| *f = super::hub::WsFaults::default());
    Ok(axum::Json(hub.status(&botid)))
}
