//! Group chats of both kinds: the groups of the configuration, which webhook bots post into,
//! and the app group chats apps create through `appchat/create` ([`AppChat`]). Here are the
//! messages posted into either kind, the files webhooks uploaded (usable only by the
//! uploading bot, for 3 days), each bot's recent sends for its rate limit, and each member's
//! recent app-chat deliveries for the per-member limits.
//!
//! Group messages live in memory only; the state file keeps the app chats themselves (they
//! exist nowhere else), not their messages. What is kept is bounded: group messages follow
//! the message retention (`retain_messages`, `retain_seconds`: the oldest over all groups
//! are forgotten first, and counted), and an upload is forgotten once its 3 days of virtual
//! time are over (swept at each upload, so the uploads kept are those of the last 3 days).

use std::collections::VecDeque;

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::store::Retention;
use crate::hash::FxHashMap as HashMap;

/// Lifetime of a webhook upload: 3 days.
pub(crate) const WEBHOOK_MEDIA_TTL_MS: i64 = 3 * 24 * 3600 * 1000;

/// Which kind of group chat a group or a message belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    /// A group of the configuration; webhook bots post into it.
    Webhook,
    /// A chat an app created with `appchat/create`; that app posts into it.
    Appchat,
}

/// An app group chat (`appchat/create`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AppChat {
    /// The chat id.
    pub chatid: String,
    /// The name.
    pub name: String,
    /// The owner (lower-cased UserID).
    pub owner: String,
    /// The members (lower-cased UserIDs), in the order they joined.
    pub members: Vec<String>,
    /// The app that created it (the only one that may change, read and post to it).
    pub agentid: i64,
    /// Virtual time of creation, Unix milliseconds.
    pub created_at_ms: i64,
}

/// One message posted into a group: by a webhook bot, or by an app into its chat.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GroupMessage {
    /// An id of the emulator's own (WeCom returns none).
    pub id: String,
    /// The group.
    pub chatid: String,
    /// The kind of group.
    pub kind: GroupKind,
    /// The sender's display name: the bot's, or the app's.
    pub bot: String,
    /// The sending app, for app chat messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agentid: Option<i64>,
    /// Members whose copy WeCom would drop silently (over a per-member limit).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dropped: Vec<String>,
    /// Members the message reached (app chats; 0 for webhook messages, whose group members
    /// are not counted by WeCom's statistics).
    pub delivered: usize,
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
    /// Messages of every group, oldest first (see [`GroupStore::push_message`]).
    pub(crate) messages: VecDeque<GroupMessage>,
    /// How many of the oldest group messages were forgotten (retention), over all groups.
    pub(crate) messages_dropped: usize,
    media: HashMap<String, WebhookMedia>,
    /// Media ids in upload order, for the sweep of expired uploads.
    media_order: VecDeque<String>,
    /// Key → virtual times of accepted sends within the window.
    sends: HashMap<String, VecDeque<i64>>,
    /// App group chats, in creation order.
    pub(crate) app_chats: Vec<AppChat>,
    /// Virtual times of `appchat/create` calls within the last day (the corp's daily limit).
    pub(crate) creates: VecDeque<i64>,
    /// Virtual times of `appchat/update` calls within the last hour (the corp's hourly limit).
    pub(crate) updates: VecDeque<i64>,
    /// (app, member) → virtual times of app-chat deliveries within the last day.
    chat_deliveries: HashMap<(i64, String), VecDeque<i64>>,
}

/// Records `now` in `times` if fewer than `max` lie within `window_ms` before it.
fn admit_in_window(times: &mut VecDeque<i64>, now: i64, window_ms: i64, max: u32) -> bool {
    while times.front().is_some_and(|t| *t + window_ms <= now) {
        times.pop_front();
    }
    if times.len() >= max as usize {
        return false;
    }
    times.push_back(now);
    true
}

/// A day in milliseconds.
pub(crate) const DAY_MS: i64 = 24 * 3600 * 1000;

impl GroupStore {
    /// The app chat with this id.
    pub(crate) fn app_chat(&self, chatid: &str) -> Option<&AppChat> {
        self.app_chats.iter().find(|c| c.chatid == chatid)
    }

    /// The app chat with this id, to change.
    pub(crate) fn app_chat_mut(&mut self, chatid: &str) -> Option<&mut AppChat> {
        self.app_chats.iter_mut().find(|c| c.chatid == chatid)
    }

    /// Whether the corp may create another chat at `now` (fewer than `per_day` within the
    /// last day); records the creation when it may.
    pub(crate) fn admit_create(&mut self, now: i64, per_day: u32) -> bool {
        admit_in_window(&mut self.creates, now, DAY_MS, per_day)
    }

    /// Whether the corp may update another chat at `now` (fewer than `per_hour` within the
    /// last hour); records the update when it may.
    pub(crate) fn admit_update(&mut self, now: i64, per_hour: u32) -> bool {
        admit_in_window(&mut self.updates, now, 3_600_000, per_hour)
    }

    /// Counts one app-chat delivery to `member` from `agentid` at `now` if it is within
    /// `per_minute` and `per_day`; `false` (nothing counted) when WeCom would drop it.
    pub(crate) fn admit_chat_delivery(
        &mut self,
        agentid: i64,
        member: &str,
        now: i64,
        per_minute: u32,
        per_day: u32,
    ) -> bool {
        let times = self.chat_deliveries.entry((agentid, member.to_owned())).or_default();
        while times.front().is_some_and(|t| *t + DAY_MS <= now) {
            times.pop_front();
        }
        let last_minute = times.len() - times.partition_point(|t| *t + 60_000 <= now);
        if last_minute >= per_minute as usize || times.len() >= per_day as usize {
            return false;
        }
        times.push_back(now);
        true
    }
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

    /// Keeps an upload under `media_id`, after forgetting the uploads whose 3 days are over
    /// at `now` (oldest first: uploads are kept in upload order).
    pub(crate) fn add_media(&mut self, media_id: String, media: WebhookMedia, now: i64) {
        while let Some(oldest) = self.media_order.front() {
            let live =
                self.media.get(oldest).is_some_and(|m| m.created_ms + WEBHOOK_MEDIA_TTL_MS > now);
            if live {
                break;
            }
            if let Some(id) = self.media_order.pop_front() {
                self.media.remove(&id);
            }
        }
        self.media_order.push_back(media_id.clone());
        self.media.insert(media_id, media);
    }

    /// Uploads kept.
    #[cfg(test)]
    pub(crate) fn media_len(&self) -> usize {
        self.media.len()
    }

    /// Appends a message, then forgets the oldest group messages beyond `retention` at `now`
    /// (never the newest one).
    pub(crate) fn push_message(&mut self, message: GroupMessage, retention: Retention, now: i64) {
        self.messages.push_back(message);
        self.messages_dropped += retention.trim_front(&mut self.messages, |m| m.sent_at_ms, now);
    }
}

#[cfg(test)]
mod tests {
    use super::{GroupKind, GroupMessage, GroupStore, WEBHOOK_MEDIA_TTL_MS, WebhookMedia};
    use crate::state::store::Retention;

    fn message(n: usize, at_ms: i64) -> GroupMessage {
        GroupMessage {
            id: format!("g{n}"),
            chatid: "c".into(),
            kind: GroupKind::Webhook,
            bot: "b".into(),
            agentid: None,
            dropped: Vec::new(),
            delivered: 0,
            msgtype: "text".into(),
            body: serde_json::value::RawValue::from_string("{}".into()).unwrap(),
            mentions: Vec::new(),
            attachment: None,
            sent_at_ms: at_ms,
        }
    }

    fn ids(store: &GroupStore) -> Vec<&str> {
        store.messages.iter().map(|m| m.id.as_str()).collect()
    }

    #[test]
    fn group_messages_follow_the_retention_oldest_first_never_the_newest() {
        let mut store = GroupStore::default();
        let keep = Retention { max_messages: Some(3), max_age_ms: None };
        for n in 0..5 {
            store.push_message(message(n, 1000), keep, 1000);
        }
        assert_eq!(ids(&store), ["g2", "g3", "g4"]);
        assert_eq!(store.messages_dropped, 2);
        let by_age = Retention { max_messages: None, max_age_ms: Some(60_000) };
        store.push_message(message(5, 200_000), by_age, 200_000);
        assert_eq!(ids(&store), ["g5"]);
        store.push_message(message(6, 900_000), by_age, 900_000);
        assert_eq!(ids(&store), ["g6"], "the newest stays even when older ones go");
        assert_eq!(store.messages_dropped, 6);
    }

    #[test]
    fn uploads_past_their_three_days_are_swept_at_the_next_upload() {
        let media = |at: i64| WebhookMedia {
            key: "k".into(),
            kind: "file",
            filename: "f".into(),
            data: bytes::Bytes::from_static(b"hello"),
            created_ms: at,
        };
        let mut store = GroupStore::default();
        store.add_media("a".into(), media(0), 0);
        store.add_media("b".into(), media(1000), 1000);
        assert_eq!(store.media_len(), 2);
        store.add_media("c".into(), media(WEBHOOK_MEDIA_TTL_MS), WEBHOOK_MEDIA_TTL_MS);
        assert_eq!(store.media_len(), 2, "a expired and was forgotten");
        assert!(store.live_media("a", WEBHOOK_MEDIA_TTL_MS).is_none());
        assert!(store.live_media("b", WEBHOOK_MEDIA_TTL_MS).is_some());
        store.add_media("d".into(), media(5 * WEBHOOK_MEDIA_TTL_MS), 5 * WEBHOOK_MEDIA_TTL_MS);
        assert_eq!(store.media_len(), 1);
    }

    #[test]
    fn chat_deliveries_count_per_app_and_member_per_minute_and_day() {
        let mut store = GroupStore::default();
        for i in 0..3 {
            assert!(store.admit_chat_delivery(1, "alice", i, 3, 5), "{i}");
        }
        assert!(!store.admit_chat_delivery(1, "alice", 10, 3, 5), "fourth in a minute");
        assert!(store.admit_chat_delivery(2, "alice", 10, 3, 5), "another app counts apart");
        assert!(store.admit_chat_delivery(1, "alice", 60_000, 3, 5), "the minute moved on");
        assert!(store.admit_chat_delivery(1, "alice", 120_000, 3, 5));
        assert!(!store.admit_chat_delivery(1, "alice", 180_000, 3, 5), "five in the day");
        assert!(store.admit_chat_delivery(1, "alice", super::DAY_MS, 3, 5), "a day later");
    }

    #[test]
    fn creates_are_limited_per_day() {
        let mut store = GroupStore::default();
        assert!(store.admit_create(0, 2));
        assert!(store.admit_create(1, 2));
        assert!(!store.admit_create(2, 2));
        assert!(store.admit_create(super::DAY_MS, 2));
    }

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
