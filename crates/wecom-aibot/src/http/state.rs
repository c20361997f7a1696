//! What the HTTP transport remembers between callbacks: open and recently finished streams
//! (refreshes are answered from them) and the `msgid`s seen (retries are not handled twice).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use wecom_msgcrypt::MsgCrypt;

use crate::bot::{DynBot, Exchange, Limits, Slots};
use crate::model::{MsgId, StreamId};

pub(super) struct Shared {
    pub(super) crypt: MsgCrypt,
    pub(super) bot: Arc<dyn DynBot>,
    pub(super) limits: Arc<Limits>,
    pub(super) slots: Arc<Slots>,
    pub(super) body_limit: usize,
    pub(super) first_wait: Duration,
    pub(super) event_deadline: Duration,
    pub(super) client: reqwest::Client,
    pub(super) streams: Streams,
}

/// How long a `msgid` is remembered (WeCom retries within seconds).
const SEEN_TTL: Duration = Duration::from_secs(600);
/// How long a stream is kept after it started: past WeCom's 6-minute refresh window.
const STREAM_TTL: Duration = Duration::from_secs(420);
/// Most remembered `msgid`s; the oldest are forgotten first.
const SEEN_MAX: usize = 100_000;

#[derive(Default)]
pub(super) struct Streams {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    streams: HashMap<StreamId, Arc<Exchange>>,
    seen: HashMap<MsgId, (Instant, Option<Arc<Exchange>>)>,
    last_sweep: Option<Instant>,
}

/// What a `msgid` was.
pub(super) enum Seen {
    /// New: handle it.
    New,
    /// A retry of a message being answered by this stream.
    Retry(Arc<Exchange>),
    /// A retry of something else.
    RetryOther,
}

impl Streams {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Records `msgid`, with the stream answering it, unless it was seen.
    pub(super) fn first_seen(&self, msgid: &MsgId, exchange: Option<&Arc<Exchange>>) -> Seen {
        let mut inner = self.lock();
        let now = Instant::now();
        inner.sweep(now);
        if let Some((_, ex)) = inner.seen.get(msgid) {
            return ex.clone().map_or(Seen::RetryOther, Seen::Retry);
        }
        if inner.seen.len() >= SEEN_MAX
            && let Some(oldest) =
                inner.seen.iter().min_by_key(|(_, (t, _))| *t).map(|(k, _)| k.clone())
        {
            inner.seen.remove(&oldest);
        }
        inner.seen.insert(msgid.clone(), (now, exchange.cloned()));
        if let Some(ex) = exchange {
            inner.streams.insert(ex.id.clone(), Arc::clone(ex));
        }
        Seen::New
    }

    pub(super) fn get(&self, id: &StreamId) -> Option<Arc<Exchange>> {
        self.lock().streams.get(id).cloned()
    }
}

impl Inner {
    fn sweep(&mut self, now: Instant) {
        if self.last_sweep.is_some_and(|t| now.duration_since(t) < Duration::from_secs(1)) {
            return;
        }
        self.last_sweep = Some(now);
        self.seen.retain(|_, (t, ex)| {
            now.duration_since(*t) < SEEN_TTL
                && ex.as_ref().is_none_or(|e| now.duration_since(e.started) < SEEN_TTL)
        });
        self.streams.retain(|_, ex| now.duration_since(ex.started) < STREAM_TTL);
    }
}
