//! Group chats: the messages webhook bots posted, the files they uploaded (usable only by the
//! uploading bot, for 3 days), and each bot's recent sends for the rate limit.
//!
//! Group messages live in memory only; the state file does not keep them.

use std::collections::VecDeque;

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::hash::FxHashMap as HashMap;

/// Lifetime of a webhook upload: 3 days.
pub(crate) const WEBHOOK_MEDIA_TTL_MS: i64 = 3 * 24 * 3600 * 1000;

/// One message a webhook bot posted into a group.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GroupMessage {
    /// An id of the emulator's own (WeCom returns none).
    pub id: String,
    /// The group.
    pub chatid: String,
    /// The bot's display name.
    pub bot: String,
    /// `msgtype` of the body.
    pub msgtype: String,
    /// The request body exactly as received.
    pub body: Box<RawValue>,
    /// Members mentioned (lower-cased UserIDs that are in the group), `@all` for everyone.
    pub mentions: Vec<String>,
    /// File name and size of a `file` or `voice` message's upload.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attachment: Option<Attachment>,
    /// Virtual time of acceptance, Unix milliseconds.
    pub sent_at_ms: i64,
}

/// The upload a `file` or `voice` message refers to.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Attachment {
    /// The media id.
    pub media_id: String,
    /// The file name it was uploaded with.
    pub filename: String,
    /// Its size in bytes.
    pub size: usize,
}

/// A file uploaded through `webhook/upload_media`.
#[derive(Debug, Clone)]
pub(crate) struct WebhookMedia {
    /// The key of the bot that uploaded it.
    pub(crate) key: String,
    /// `file` or `voice`.
    pub(crate) kind: &'static str,
    pub(crate) filename: String,
    pub(crate) data: Bytes,
    pub(crate) created_ms: i64,
}

/// Everything webhooks changed.
#[derive(Debug, Default)]
pub(crate) struct GroupStore {
    pub(crate) messages: Vec<GroupMessage>,
    pub(crate) media: HashMap<String, WebhookMedia>,
    /// Key → virtual times of accepted sends within the window.
    sends: HashMap<String, VecDeque<i64>>,
}

impl GroupStore {
    /// Whether `key` may send at `now`: fewer than `limit` sends within `window_ms` before
    /// it. Returns the milliseconds until a slot frees when not.
    pub(crate) fn rate_check(
        &mut self,
        key: &str,
        now: i64,
        limit: u32,
        window_ms: i64,
    ) -> Result<(), i64> {
        let times = self.sends.entry(key.to_owned()).or_default();
        while times.front().is_some_and(|t| *t + window_ms <= now) {
            times.pop_front();
        }
        if times.len() >= limit as usize {
            let oldest = times.front().copied().unwrap_or(now);
            return Err(oldest + window_ms - now);
        }
        Ok(())
    }

    /// Records an accepted send of `key` at `now`.
    pub(crate) fn record_send(&mut self, key: &str, now: i64) {
        self.sends.entry(key.to_owned()).or_default().push_back(now);
    }

    /// The live upload with this id.
    pub(crate) fn live_media(&self, media_id: &str, now: i64) -> Option<&WebhookMedia> {
        self.media.get(media_id).filter(|m| m.created_ms + WEBHOOK_MEDIA_TTL_MS > now)
    }
}

#[cfg(test)]
mod tests {
    use super::GroupStore;

    #[test]
    fn the_window_slides() {
        let mut store = GroupStore::default();
        for t in 0..20 {
            store.rate_check("k", t * 100, 20, 60_000).unwrap();
            store.record_send("k", t * 100);
        }
        assert_eq!(store.rate_check("k", 5_000, 20, 60_000), Err(55_000));
        assert!(store.rate_check("other", 5_000, 20, 60_000).is_ok());
        assert!(store.rate_check("k", 60_000, 20, 60_000).is_ok());
    }
}
