//! Where a member's conversations come from: one per app (the apps whose visible range
//! holds the member, and any other app that reached them), one per group chat they are in,
//! one per AI bot. Each is read into a [`Thread`]: its entries for the unread rule and the
//! preview of its newest message.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::preview::{preview, shorten};
use crate::inbox::reads::Entry;
use crate::state::{Direction, EmulatorState, GroupMessage, Status};

/// What a conversation is with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Kind {
    /// An app (应用): its messages to the member and the member's to it.
    App,
    /// A group chat: what its bots (and apps) posted.
    Group,
    /// An AI bot (智能机器人): the member's questions and its answers.
    Aibot,
}

/// The newest message of a conversation.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Last {
    /// One line, at most [`super::preview::MAX_CHARS`] characters.
    pub(crate) preview: String,
    /// Virtual time, Unix milliseconds.
    pub(crate) at_ms: i64,
    /// Who sent it: `me`, the app, the bot.
    pub(crate) from: String,
}

/// One conversation before its unread count is known.
#[derive(Debug)]
pub(crate) struct Thread {
    pub(crate) kind: Kind,
    /// The agentid, chatid or botid.
    pub(crate) id: String,
    pub(crate) name: String,
    /// Groups only: the kind of group as `GET /emulator/groups` reports it.
    pub(crate) group_kind: Option<String>,
    /// Why the member cannot write here, if they cannot.
    pub(crate) cannot_send: Option<String>,
    pub(crate) entries: Vec<Entry>,
    pub(crate) last: Option<Last>,
}

impl Thread {
    /// `app:1000002`, `group:wrdemo-ops`, `aibot:aib_demo`: the key of the read mark.
    pub(crate) fn key(&self) -> String {
        let kind = match self.kind {
            Kind::App => "app",
            Kind::Group => "group",
            Kind::Aibot => "aibot",
        };
        format!("{kind}:{}", self.id)
    }
}

/// Whether the app at `agentid` has the member at `idx` in its visible range.
pub(crate) fn in_range(state: &EmulatorState, agentid: i64, idx: u32) -> bool {
    state.inner.dir.visibility.get(&agentid).is_some_and(|v| v.users[idx as usize])
}

/// The member's app conversations.
pub(crate) fn apps(state: &EmulatorState, idx: u32, user: &str) -> Vec<Thread> {
    struct Bucket {
        entries: Vec<Entry>,
        last: Option<Last>,
    }
    let mut buckets: BTreeMap<i64, Bucket> = BTreeMap::new();
    {
        let store = state.store();
        // The newest message of each app, previewed once after the scan.
        let mut newest: BTreeMap<i64, (&crate::state::Message, bool)> = BTreeMap::new();
        for m in store.messages.iter().filter(|m| m.involves(user)) {
            let mine = m.direction == Direction::UserToApp;
            let status =
                if mine { Some(Status::Delivered) } else { m.recipient(user).map(|c| c.status) };
            // A dropped copy never reached the member; a recalled one has nothing to read.
            let (incoming, recalled) = match status {
                Some(Status::Dropped) | None => continue,
                Some(Status::Recalled) => (false, true),
                Some(Status::Delivered) => (!mine, false),
            };
            buckets
                .entry(m.agentid)
                .or_insert_with(|| Bucket { entries: Vec::new(), last: None })
                .entries
                .push(Entry { id: m.msgid.clone(), at_ms: m.sent_at_ms, incoming });
            newest.insert(m.agentid, (m, recalled));
        }
        for (agentid, (m, recalled)) in newest {
            let mine = m.direction == Direction::UserToApp;
            if let Some(b) = buckets.get_mut(&agentid) {
                b.last = Some(Last {
                    preview: if recalled {
                        "[Recalled]".to_owned()
                    } else {
                        preview(&m.body_json())
                    },
                    at_ms: m.sent_at_ms,
                    from: if mine { "me".to_owned() } else { String::new() },
                });
            }
        }
    }
    let config = state.config();
    let mut out = Vec::new();
    for app in &config.apps {
        let visible = in_range(state, app.agentid, idx);
        let bucket = buckets.remove(&app.agentid);
        if !visible && bucket.is_none() {
            continue;
        }
        let (entries, mut last) = bucket.map_or((Vec::new(), None), |b| (b.entries, b.last));
        if let Some(l) = last.as_mut().filter(|l| l.from.is_empty()) {
            l.from.clone_from(&app.name);
        }
        out.push(Thread {
            kind: Kind::App,
            id: app.agentid.to_string(),
            name: app.name.clone(),
            group_kind: None,
            cannot_send: (!visible).then(|| {
                format!(
                    "{} ({}) does not have you in its visible range: you cannot message it.",
                    app.name, app.agentid
                )
            }),
            entries,
            last,
        });
    }
    out
}

/// A group chat as `GET /emulator/groups` lists it, whatever its kind.
struct GroupRef {
    chatid: String,
    name: String,
    /// UserIDs as configured (compared without case).
    members: Vec<String>,
    /// `kind` of the listing: `webhook` for the groups of the configuration, `appchat` for
    /// the chats apps created.
    kind: &'static str,
    /// Why a member cannot post here.
    cannot_send: &'static str,
}

/// Every group chat the admin API lists. Another kind of group joins the inbox by being
/// added here; its messages are read by chatid from the same group store.
fn listed_groups(state: &EmulatorState) -> Vec<GroupRef> {
    state
        .config()
        .groups
        .iter()
        .map(|g| GroupRef {
            chatid: g.chatid.clone(),
            name: g.name.clone(),
            members: g.members.clone(),
            kind: "webhook",
            cannot_send: "Only the group's webhook bots post here: members do not write to \
                          webhook groups in the emulator.",
        })
        .chain(state.groups().app_chats.iter().map(|c| GroupRef {
            chatid: c.chatid.clone(),
            name: c.name.clone(),
            members: c.members.clone(),
            kind: "appchat",
            cannot_send: "Only the app that created this chat posts here (appchat/send): members \
                          do not write to app chats in the emulator.",
        }))
        .collect()
}

/// The member's group conversations: every listed group they are in.
pub(crate) fn groups(state: &EmulatorState, user: &str) -> Vec<Thread> {
    let mine: Vec<GroupRef> = listed_groups(state)
        .into_iter()
        .filter(|g| g.members.iter().any(|m| m.eq_ignore_ascii_case(user)))
        .collect();
    if mine.is_empty() {
        return Vec::new();
    }
    let store = state.groups();
    mine.into_iter()
        .map(|g| {
            let mut entries = Vec::new();
            let mut last = None;
            // A copy dropped by the member's limits never reached them.
            let reached =
                |m: &&GroupMessage| !m.dropped.iter().any(|d| d.eq_ignore_ascii_case(user));
            for m in store.messages.iter().filter(|m| m.chatid == g.chatid).filter(reached) {
                entries.push(Entry { id: m.id.clone(), at_ms: m.sent_at_ms, incoming: true });
                last = Some((m.sent_at_ms, &m.bot, &m.body));
            }
            let last = last.map(|(at_ms, bot, body)| Last {
                preview: serde_json::from_str::<Value>(body.get())
                    .map(|b| preview(&b))
                    .unwrap_or_default(),
                at_ms,
                from: bot.clone(),
            });
            Thread {
                kind: Kind::Group,
                name: if g.name.is_empty() { g.chatid.clone() } else { g.name },
                id: g.chatid,
                group_kind: Some(g.kind.to_owned()),
                cannot_send: Some(g.cannot_send.to_owned()),
                entries,
                last,
            }
        })
        .collect()
}

/// The member's AI-bot conversations: one per bot, with their single-chat turns (a turn in a
/// group belongs to that group).
pub(crate) fn aibots(state: &EmulatorState, user: &str) -> Vec<Thread> {
    state
        .config()
        .aibots
        .iter()
        .map(|bot| {
            let name = if bot.name.is_empty() { bot.botid.clone() } else { bot.name.clone() };
            let mut entries = Vec::new();
            let mut last = None;
            let turns = state.inner.aibots.list(&bot.botid, None, &[]);
            for t in
                turns.iter().filter(|t| t.chatid.is_none() && t.userid.eq_ignore_ascii_case(user))
            {
                if t.kind == "message" {
                    entries.push(Entry {
                        id: format!("t{}", t.id),
                        at_ms: t.created_at_ms,
                        incoming: false,
                    });
                    last = Some(Last {
                        preview: preview(&t.callback),
                        at_ms: t.created_at_ms,
                        from: "me".to_owned(),
                    });
                }
                let answer = match (&t.stream, &t.reply, &t.card) {
                    (Some(s), _, _) => Some(if s.content.is_empty() {
                        "…".to_owned()
                    } else {
                        shorten(&s.content)
                    }),
                    (None, Some(reply), _) => Some(preview(reply)),
                    (None, None, Some(card)) => Some(preview(
                        &serde_json::json!({ "msgtype": "template_card", "template_card": card }),
                    )),
                    _ => None,
                };
                let answers = answer.into_iter().chain(t.follow_ups.iter().map(preview));
                for (n, text) in answers.enumerate() {
                    entries.push(Entry {
                        id: format!("t{}a{n}", t.id),
                        at_ms: t.created_at_ms,
                        incoming: true,
                    });
                    last = Some(Last { preview: text, at_ms: t.created_at_ms, from: name.clone() });
                }
            }
            Thread {
                kind: Kind::Aibot,
                id: bot.botid.clone(),
                name,
                group_kind: None,
                // The member-message route drives both modes: over HTTP callbacks, or as
                // `aibot_msg_callback` on the bot's WebSocket connection. A WebSocket bot
                // without a live connection is still writable; the message then fails
                // visibly ("the bot has no live WebSocket connection"), as a message to an
                // HTTP bot whose callback URL is down does.
                cannot_send: None,
                entries,
                last,
            }
        })
        .collect()
}
