//! The emulator's state, shared by every handler: the corp (immutable, indexed), the virtual
//! clock, tokens, messages, media, callbacks, faults and the change broadcast.
//!
//! Locks are fine-grained and short: tokens and media behind read-write locks, messages
//! behind one mutex taken only for bookkeeping after a request has been parsed and validated.

mod chunked;
pub(crate) mod directory;
pub(crate) mod groups;
pub(crate) mod inbox;
pub(crate) mod media;
mod message;
mod rate;
pub(crate) mod recipients;
pub(crate) mod store;
pub(crate) mod tokens;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

use tokio::sync::{broadcast, watch};
use wecom_msgcrypt::MsgCrypt;

use crate::callback::CallbackRecord;
use crate::clock::Clock;
use crate::config::{Config, ConfigError, Secret};
use crate::events::Event;
use crate::faults::Faults;

pub use groups::{AppChat, Attachment, GroupKind, GroupMessage};
pub use media::MediaKind;
pub use message::{CardState, Direction, MemberAction, Message, Origin, Recipient, Status};

/// Where and how an app's callbacks are sent.
#[derive(Debug, Clone)]
pub(crate) struct CallbackTarget {
    pub(crate) url: String,
    pub(crate) token: Secret,
    pub(crate) encoding_aes_key: Secret,
    pub(crate) crypt: Arc<MsgCrypt>,
}

pub(crate) struct Inner {
    pub(crate) config: Config,
    pub(crate) dir: directory::Directory,
    pub(crate) clock: Clock,
    pub(crate) tokens: RwLock<tokens::Tokens>,
    pub(crate) store: Mutex<store::Store>,
    pub(crate) media: RwLock<media::MediaStore>,
    pub(crate) groups: Mutex<groups::GroupStore>,
    pub(crate) callbacks: Mutex<Vec<CallbackRecord>>,
    pub(crate) callback_targets: RwLock<HashMap<i64, CallbackTarget>>,
    pub(crate) faults: Faults,
    pub(crate) stats: crate::stats::Stats,
    pub(crate) events: broadcast::Sender<Event>,
    /// Set when the server shuts down: open event streams end so that the graceful
    /// shutdown does not wait for them forever.
    pub(crate) closing: watch::Sender<bool>,
    pub(crate) http: reqwest::Client,
    pub(crate) dirty: AtomicBool,
    /// The address the server listens on, once bound (the admin API accepts it as `Host`).
    pub(crate) bound: std::sync::OnceLock<std::net::SocketAddr>,
    pub(crate) aibots: crate::aibot::AibotState,
    /// How far each member has read each inbox conversation.
    pub(crate) reads: crate::inbox::ReadMarks,
}

/// The shared state of one emulator. Cheap to clone (an `Arc` inside).
#[derive(Clone)]
pub struct EmulatorState {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for EmulatorState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmulatorState")
            .field("corp_id", &self.inner.config.corp_id)
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl EmulatorState {
    /// Checks the configuration and builds a fresh state.
    pub fn new(config: Config) -> Result<Self, ConfigError> {
        config.check()?;
        let mut targets = HashMap::new();
        for app in &config.apps {
            if let (Some(url), Some(token), Some(key)) =
                (&app.callback_url, &app.callback_token, &app.encoding_aes_key)
            {
                let crypt = MsgCrypt::new(token.expose(), key.expose(), config.corp_id.clone())
                    .map_err(|e| ConfigError::Invalid(format!("apps[{}]: {e}", app.agentid)))?;
                targets.insert(
                    app.agentid,
                    CallbackTarget {
                        url: url.clone(),
                        token: token.clone(),
                        encoding_aes_key: key.clone(),
                        crypt: Arc::new(crypt),
                    },
                );
            }
        }
        // Callback delivery: the per-try timeout is applied per request.
        let http = reqwest::Client::builder()
            .no_proxy()
            .pool_idle_timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| ConfigError::Invalid(format!("HTTP client: {e}")))?;
        let (events, _) = broadcast::channel(1024);
        Ok(Self {
            inner: Arc::new(Inner {
                dir: directory::Directory::new(&config),
                config,
                clock: Clock::new(),
                tokens: RwLock::default(),
                store: Mutex::default(),
                media: RwLock::default(),
                groups: Mutex::default(),
                callbacks: Mutex::default(),
                callback_targets: RwLock::new(targets),
                faults: Faults::default(),
                stats: crate::stats::Stats::default(),
                events,
                closing: watch::Sender::new(false),
                http,
                dirty: AtomicBool::new(false),
                bound: std::sync::OnceLock::new(),
                aibots: crate::aibot::AibotState::default(),
                reads: crate::inbox::ReadMarks::default(),
            }),
        })
    }

    /// The address the server listens on, if known.
    pub(crate) fn bound_addr(&self) -> Option<std::net::SocketAddr> {
        self.inner.bound.get().copied()
    }

    /// The configuration the emulator runs.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The virtual clock.
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// Subscribes to state changes.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.inner.events.subscribe()
    }

    /// Ends the open event streams (`GET /emulator/events`), as before a shutdown: a
    /// graceful shutdown waits for every response, and a stream never finishes by itself.
    pub fn close_streams(&self) {
        self.inner.closing.send_replace(true);
    }

    /// A snapshot of every accepted message, oldest first.
    pub fn messages(&self) -> Vec<Message> {
        self.store().messages.iter().cloned().collect()
    }

    /// Forgets every message, token, upload, app chat, callback record and fault and resets
    /// the clock; the configuration (including callback URLs set at run time) stays.
    pub fn reset(&self) {
        *self.store() = store::Store::default();
        *self.tokens_mut() = tokens::Tokens::default();
        *self.media_mut() = media::MediaStore::default();
        *self.groups() = groups::GroupStore::default();
        lock(&self.inner.callbacks).clear();
        self.inner.faults.clear();
        self.inner.stats.reset();
        self.inner.clock.set_offset_ms(0);
        self.inner.aibots.reset();
        self.inner.reads.clear();
        self.changed(Event::Reset);
    }

    /// Forgets the messages (with their response codes and per-member counters) but keeps
    /// tokens, media, callbacks and the clock.
    pub fn reset_messages(&self) {
        *self.store() = store::Store::default();
        self.changed(Event::Reset);
    }

    /// The message retention of the configuration.
    pub(crate) fn retention(&self) -> store::Retention {
        let o = &self.inner.config.options;
        store::Retention {
            max_messages: (o.retain_messages > 0).then_some(o.retain_messages),
            max_age_ms: (o.retain_seconds > 0)
                .then(|| i64::try_from(o.retain_seconds.saturating_mul(1000)).unwrap_or(i64::MAX)),
        }
    }

    /// How many messages are kept and how many of the oldest were forgotten (retention).
    pub fn retained(&self) -> (usize, usize) {
        let store = self.store();
        (store.messages.len(), store.messages.dropped())
    }

    pub(crate) fn store(&self) -> MutexGuard<'_, store::Store> {
        lock(&self.inner.store)
    }

    pub(crate) fn groups(&self) -> MutexGuard<'_, groups::GroupStore> {
        lock(&self.inner.groups)
    }

    /// A snapshot of the app group chats (`appchat/create`), in creation order.
    pub fn app_chats(&self) -> Vec<AppChat> {
        self.groups().app_chats.clone()
    }

    /// A snapshot of every message posted into a group (webhook bots and app chats), oldest
    /// first.
    pub fn group_messages(&self) -> Vec<GroupMessage> {
        self.groups().messages.iter().cloned().collect()
    }

    pub(crate) fn callbacks(&self) -> MutexGuard<'_, Vec<CallbackRecord>> {
        lock(&self.inner.callbacks)
    }

    pub(crate) fn tokens(&self) -> RwLockReadGuard<'_, tokens::Tokens> {
        self.inner.tokens.read().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn tokens_mut(&self) -> RwLockWriteGuard<'_, tokens::Tokens> {
        self.inner.tokens.write().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn media(&self) -> RwLockReadGuard<'_, media::MediaStore> {
        self.inner.media.read().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn media_mut(&self) -> RwLockWriteGuard<'_, media::MediaStore> {
        self.inner.media.write().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The callback target of an app, if it has one.
    pub(crate) fn callback_target(&self, agentid: i64) -> Option<CallbackTarget> {
        self.inner
            .callback_targets
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&agentid)
            .cloned()
    }

    /// Sets (or removes) an app's callback target.
    pub(crate) fn set_callback_target(&self, agentid: i64, target: Option<CallbackTarget>) {
        let mut targets =
            self.inner.callback_targets.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        match target {
            Some(t) => targets.insert(agentid, t),
            None => targets.remove(&agentid),
        };
    }

    /// Marks the state dirty (for the state file) without broadcasting.
    pub(crate) fn changed_quietly(&self) {
        self.inner.dirty.store(true, Ordering::Release);
    }

    /// Records a change: marks the state dirty (for the state file) and broadcasts it.
    pub(crate) fn changed(&self, event: Event) {
        self.inner.dirty.store(true, Ordering::Release);
        if self.inner.events.receiver_count() > 0 {
            let _ = self.inner.events.send(event);
        }
    }
}
