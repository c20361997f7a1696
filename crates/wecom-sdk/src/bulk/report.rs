//! What a bulk send reports: per batch, per recipient, and running totals.

use std::ops::Range;

use crate::error::Error;
use crate::message::member_key;

/// What happened to one recipient, stored in one byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Its batch has not finished.
    Pending,
    Delivered,
    Invalid,
    Unlicensed,
    HeldBack,
    Failed,
}

/// What happened to one recipient of a bulk send.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum RecipientOutcome<'a> {
    /// WeCom accepted the message for this member (`msgid` of its batch).
    Delivered {
        /// The batch's message id, for [`Client::recall`](crate::Client::recall).
        msgid: &'a str,
    },
    /// WeCom listed the member in `invaliduser` (unknown, or outside the app's visible range).
    Invalid,
    /// WeCom listed the member in `unlicenseduser` (no basic API licence): not delivered.
    Unlicensed,
    /// The client's throttle held the member back ([`OnLimit::Report`](crate::OnLimit::Report)):
    /// not sent, because it would have exceeded the member's limit.
    HeldBack,
    /// The member's batch failed; nothing is known to be delivered (see
    /// [`Error::is_delivery_unknown`] for a batch that may have been).
    Failed(&'a Error),
    /// The bulk send was dropped before the member's batch finished.
    NotSent,
}

impl RecipientOutcome<'_> {
    /// Whether WeCom accepted the message for this member.
    pub fn is_delivered(&self) -> bool {
        matches!(self, RecipientOutcome::Delivered { .. })
    }
}

/// Running totals of a bulk send, after each finished batch and at the end.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct BulkProgress {
    /// Batches finished (sent, held back whole, or failed).
    pub batches_done: usize,
    /// Batches in all.
    pub batches_total: usize,
    /// Recipients to send to (after removing duplicates and those already done).
    pub users_total: usize,
    /// Recipients WeCom accepted.
    pub delivered: usize,
    /// Recipients WeCom reported invalid.
    pub invalid: usize,
    /// Recipients WeCom reported unlicensed.
    pub unlicensed: usize,
    /// Recipients the throttle held back.
    pub held_back: usize,
    /// Recipients whose batch failed.
    pub failed: usize,
}

impl BulkProgress {
    /// Recipients whose batch has finished, whatever the outcome.
    pub fn users_done(&self) -> usize {
        self.delivered + self.invalid + self.unlicensed + self.held_back + self.failed
    }

    fn add(&mut self, kind: Kind) {
        match kind {
            Kind::Delivered => self.delivered += 1,
            Kind::Invalid => self.invalid += 1,
            Kind::Unlicensed => self.unlicensed += 1,
            Kind::HeldBack => self.held_back += 1,
            Kind::Failed => self.failed += 1,
            Kind::Pending => {}
        }
    }
}

/// One request of a bulk send.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BatchReport {
    /// The batch number, from 0, in recipient order.
    pub index: usize,
    /// Its recipients' positions in [`BulkReport::users`].
    pub users: Range<usize>,
    /// The message id, when WeCom accepted the request.
    pub msgid: Option<wecom_model::MsgId>,
    /// The template card's `task_id` in this request, when it differs per request: a card
    /// with a task id sent in more than one request gets a derived id per request (see the
    /// [`bulk`](crate::bulk) module). Callbacks from this batch's members carry it.
    pub task_id: Option<String>,
    /// Why the request failed, when it did.
    pub error: Option<Error>,
}

impl BatchReport {
    fn outcome(&self, kind: Kind) -> RecipientOutcome<'_> {
        match (kind, &self.error) {
            (Kind::Delivered, _) => {
                RecipientOutcome::Delivered { msgid: self.msgid.as_deref().unwrap_or_default() }
            }
            (Kind::Invalid, _) => RecipientOutcome::Invalid,
            (Kind::Unlicensed, _) => RecipientOutcome::Unlicensed,
            (Kind::HeldBack, _) => RecipientOutcome::HeldBack,
            (Kind::Failed, Some(error)) => RecipientOutcome::Failed(error),
            (Kind::Failed | Kind::Pending, _) => RecipientOutcome::NotSent,
        }
    }
}

/// A finished batch, as handed to [`BulkSend::on_batch`](super::BulkSend::on_batch): the
/// batch, its recipients with their outcomes, and the totals so far.
#[derive(Debug)]
pub struct BatchDone<'a> {
    /// The batch.
    pub batch: &'a BatchReport,
    /// Totals over every batch finished so far, this one included.
    pub progress: &'a BulkProgress,
    pub(super) users: &'a [String],
    pub(super) kinds: &'a [Kind],
}

impl<'a> BatchDone<'a> {
    /// The batch's recipients and what happened to each, for a journal that lets an
    /// interrupted bulk send resume ([`BulkOptions::skip`](super::BulkOptions::skip)).
    pub fn users(&self) -> impl Iterator<Item = (&'a str, RecipientOutcome<'a>)> + use<'a> {
        let batch = self.batch;
        self.users
            .iter()
            .zip(self.kinds)
            .map(move |(user, &kind)| (user.as_str(), batch.outcome(kind)))
    }
}

/// The outcome of a bulk send: every recipient's fate, each batch, and the totals.
///
/// Per recipient it keeps the id and one byte, so a report on 100,000 recipients stays small.
#[derive(Debug)]
pub struct BulkReport {
    pub(super) users: Vec<String>,
    pub(super) kinds: Vec<Kind>,
    pub(super) batches: Vec<BatchReport>,
    pub(super) progress: BulkProgress,
    pub(super) duplicates: usize,
    pub(super) skipped: usize,
}

impl BulkReport {
    /// The recipients sent to, in input order, without duplicates and without those skipped
    /// as already done.
    pub fn users(&self) -> &[String] {
        &self.users
    }

    /// Every recipient with its outcome, in input order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, RecipientOutcome<'_>)> {
        self.users
            .iter()
            .zip(&self.kinds)
            .enumerate()
            .map(|(i, (user, &kind))| (user.as_str(), self.batch_of(i).outcome(kind)))
    }

    /// The outcome for `user` (matched case-insensitively, as WeCom does); `None` if it was
    /// not among the recipients. A linear search: use [`iter`](Self::iter) for many lookups.
    pub fn outcome(&self, user: &str) -> Option<RecipientOutcome<'_>> {
        let key = member_key(user);
        let i = self.users.iter().position(|u| member_key(u) == key)?;
        Some(self.batch_of(i).outcome(self.kinds[i]))
    }

    /// The batch of the recipient at position `i` (batches are consecutive ranges; they
    /// may be shorter than the batch size when a resumed send skipped members).
    fn batch_of(&self, i: usize) -> &BatchReport {
        let b = self.batches.partition_point(|b| b.users.end <= i);
        &self.batches[b.min(self.batches.len().saturating_sub(1))]
    }

    /// The recipients of failed batches, to retry later.
    pub fn failed_users(&self) -> impl Iterator<Item = &str> {
        self.with_kind(Kind::Failed)
    }

    /// The recipients the throttle held back, to send to later.
    pub fn held_back_users(&self) -> impl Iterator<Item = &str> {
        self.with_kind(Kind::HeldBack)
    }

    fn with_kind(&self, wanted: Kind) -> impl Iterator<Item = &str> {
        self.users
            .iter()
            .zip(&self.kinds)
            .filter(move |(_, k)| **k == wanted)
            .map(|(u, _)| u.as_str())
    }

    /// Each request, in recipient order.
    pub fn batches(&self) -> &[BatchReport] {
        &self.batches
    }

    /// The totals.
    pub fn totals(&self) -> &BulkProgress {
        &self.progress
    }

    /// How many input ids were dropped as repeats of an earlier one (compared
    /// case-insensitively, as WeCom does).
    pub fn duplicates(&self) -> usize {
        self.duplicates
    }

    /// How many input ids were skipped as already done.
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// Whether WeCom accepted the message for every recipient.
    pub fn all_delivered(&self) -> bool {
        self.progress.delivered == self.users.len()
    }
}

/// Builds the report while batches finish; the recipients are lent to it, so the requests
/// in flight can borrow them at the same time.
pub(super) struct Tally {
    kinds: Vec<Kind>,
    batches: Vec<BatchReport>,
    progress: BulkProgress,
}

impl Tally {
    /// Batches of these sizes, one after the other.
    pub(super) fn new(sizes: &[usize]) -> Self {
        let mut start = 0;
        let batches: Vec<BatchReport> = sizes
            .iter()
            .enumerate()
            .map(|(index, &n)| {
                let users = start..start + n;
                start += n;
                BatchReport { index, users, msgid: None, task_id: None, error: None }
            })
            .collect();
        let progress = BulkProgress {
            batches_total: batches.len(),
            users_total: start,
            ..BulkProgress::default()
        };
        Self { kinds: vec![Kind::Pending; start], batches, progress }
    }

    /// The recipient positions of each batch.
    /// Records the task id batch `index` is sent with.
    pub(super) fn set_task_id(&mut self, index: usize, task_id: String) {
        self.batches[index].task_id = Some(task_id);
    }

    pub(super) fn ranges(&self) -> Vec<Range<usize>> {
        self.batches.iter().map(|b| b.users.clone()).collect()
    }

    /// Records the result of batch `index` of `users`; returns the view handed to the
    /// progress callback.
    pub(super) fn finish<'a>(
        &'a mut self,
        users: &'a [String],
        index: usize,
        result: crate::Result<crate::SendReceipt>,
    ) -> BatchDone<'a> {
        let range = self.batches[index].users.clone();
        let users = &users[range.clone()];
        let kinds = &mut self.kinds[range];
        match result {
            Ok(receipt) => {
                let invalid = keys(&receipt.invalid_users);
                let unlicensed = keys(&receipt.unlicensed_users);
                let held = keys(&receipt.held_back);
                for (user, kind) in users.iter().zip(kinds.iter_mut()) {
                    let key = member_key(user);
                    *kind = if held.contains(&*key) {
                        Kind::HeldBack
                    } else if invalid.contains(&*key) {
                        Kind::Invalid
                    } else if unlicensed.contains(&*key) {
                        Kind::Unlicensed
                    } else {
                        Kind::Delivered
                    };
                }
                self.batches[index].msgid = Some(receipt.msgid).filter(|m| !m.is_empty());
            }
            Err(error) => {
                kinds.fill(Kind::Failed);
                self.batches[index].error = Some(error);
            }
        }
        self.progress.batches_done += 1;
        for &kind in &*kinds {
            self.progress.add(kind);
        }
        BatchDone { batch: &self.batches[index], progress: &self.progress, users, kinds }
    }

    /// The final report over `users`.
    pub(super) fn into_report(
        self,
        users: Vec<String>,
        duplicates: usize,
        skipped: usize,
    ) -> BulkReport {
        BulkReport {
            users,
            kinds: self.kinds,
            batches: self.batches,
            progress: self.progress,
            duplicates,
            skipped,
        }
    }
}

/// The member keys of a (usually short) list returned by WeCom.
fn keys(ids: &[String]) -> std::collections::HashSet<String> {
    ids.iter().map(|id| member_key(id).into_owned()).collect()
}
