//! Read positions: how far each member has read each conversation, and the unread rule.
//!
//! A conversation is a list of [`Entry`]s, oldest first. Opening it records a [`Mark`] at its
//! newest entry; its unread count is the number of incoming entries after the mark (the
//! member's own messages never count). When the marked entry is gone (the message store
//! dropped it, or the state was reset), entries newer than the mark's time count instead.
//! Marks live in memory only: a restart shows every conversation unread again.

use std::collections::HashMap;
use std::sync::Mutex;

/// One message of a conversation, as the unread rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// Unique within the conversation.
    pub(crate) id: String,
    /// Virtual time, Unix milliseconds.
    pub(crate) at_ms: i64,
    /// Sent to the member (an app's, a group bot's or an AI bot's message), not by them.
    pub(crate) incoming: bool,
}

/// Where a member stopped reading a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mark {
    /// The newest entry when the conversation was opened.
    pub(crate) last: String,
    /// Its time.
    pub(crate) at_ms: i64,
}

/// Incoming entries after `mark` (all of them without one). `entries` are oldest first.
pub(crate) fn unread(entries: &[Entry], mark: Option<&Mark>) -> usize {
    let start = match mark {
        None => 0,
        Some(m) => match entries.iter().rposition(|e| e.id == m.last) {
            Some(i) => i + 1,
            None => entries.iter().position(|e| e.at_ms > m.at_ms).unwrap_or(entries.len()),
        },
    };
    entries[start..].iter().filter(|e| e.incoming).count()
}

/// Every member's marks, keyed by (lower-cased UserID, conversation key).
#[derive(Debug, Default)]
pub(crate) struct ReadMarks {
    marks: Mutex<HashMap<(String, String), Mark>>,
}

impl ReadMarks {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String), Mark>> {
        self.marks.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The member's mark in a conversation.
    pub(crate) fn get(&self, user: &str, key: &str) -> Option<Mark> {
        self.lock().get(&(user.to_owned(), key.to_owned())).cloned()
    }

    /// The member opened the conversation: everything in `entries` is read. An empty
    /// conversation keeps no mark (whatever arrives later is unread).
    pub(crate) fn read_all(&self, user: &str, key: &str, entries: &[Entry]) {
        let mut marks = self.lock();
        match entries.last() {
            Some(e) => {
                marks.insert(
                    (user.to_owned(), key.to_owned()),
                    Mark { last: e.id.clone(), at_ms: e.at_ms },
                );
            }
            None => {
                marks.remove(&(user.to_owned(), key.to_owned()));
            }
        }
    }

    /// Forgets every mark (on reset).
    pub(crate) fn clear(&self) {
        self.lock().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::{Entry, Mark, ReadMarks, unread};

    fn e(id: &str, at_ms: i64, incoming: bool) -> Entry {
        Entry { id: id.to_owned(), at_ms, incoming }
    }

    #[test]
    fn without_a_mark_every_incoming_entry_is_unread() {
        let list = [e("a", 1, true), e("b", 2, false), e("c", 3, true)];
        assert_eq!(unread(&list, None), 2);
        assert_eq!(unread(&[], None), 0);
    }

    #[test]
    fn entries_after_the_mark_are_unread_even_in_the_same_millisecond() {
        let list = [e("a", 5, true), e("b", 5, true), e("c", 5, true), e("d", 6, false)];
        let mark = Mark { last: "b".to_owned(), at_ms: 5 };
        assert_eq!(unread(&list, Some(&mark)), 1, "c only: d is the member's own");
    }

    #[test]
    fn a_mark_whose_entry_is_gone_falls_back_to_its_time() {
        let list = [e("c", 7, true), e("d", 9, true), e("e", 10, true)];
        let mark = Mark { last: "b".to_owned(), at_ms: 9 };
        assert_eq!(unread(&list, Some(&mark)), 1);
        let old = Mark { last: "z".to_owned(), at_ms: 100 };
        assert_eq!(unread(&list, Some(&old)), 0);
    }

    #[test]
    fn reading_marks_the_newest_entry_and_an_empty_read_keeps_no_mark() {
        let marks = ReadMarks::default();
        let list = [e("a", 1, true), e("b", 2, true)];
        marks.read_all("bob", "app:1", &list);
        assert_eq!(marks.get("bob", "app:1"), Some(Mark { last: "b".to_owned(), at_ms: 2 }));
        assert_eq!(unread(&list, marks.get("bob", "app:1").as_ref()), 0);
        assert_eq!(marks.get("alice", "app:1"), None, "marks are per member");
        marks.read_all("bob", "app:1", &[]);
        assert_eq!(marks.get("bob", "app:1"), None);
        marks.read_all("bob", "app:1", &list);
        marks.clear();
        assert_eq!(marks.get("bob", "app:1"), None);
    }
}
