//! Bulk fan-out: one message to any number of members, split into requests of at most 1,000,
//! sent concurrently within the client's throttle, with progress and a per-recipient outcome.
//!
//! ```no_run
//! # async fn run(client: wecom::Client, user_ids: Vec<String>) -> wecom::Result<()> {
//! use wecom::bulk::{BulkOptions, RecipientOutcome};
//! use wecom::Text;
//!
//! let report = client
//!     .send_bulk(user_ids, Text::new("The office is closed on Friday."), BulkOptions::new())
//!     .on_batch(|done| {
//!         let p = done.progress;
//!         eprintln!("{}/{} batches, {} delivered", p.batches_done, p.batches_total, p.delivered);
//!     })
//!     .await?;
//! for (user, outcome) in report.iter() {
//!     if let RecipientOutcome::Failed(err) = outcome {
//!         eprintln!("{user}: {err}");
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! * **Duplicates** are dropped before sending, comparing ids case-insensitively as WeCom
//!   does; the first spelling is kept and [`BulkReport::duplicates`] counts the rest. WeCom
//!   would deliver once per request anyway, but the same member in two batches would get
//!   the message twice.
//! * **Failures** stay in their batch: a batch answered with an error (or a transport
//!   failure) marks its recipients [`RecipientOutcome::Failed`] and the other batches go on.
//!   Errcode −1 is retried by the client as usual; nothing else is.
//! * **Throttle**: each batch is one `message/send` through the client, so the client's
//!   [`Throttle`](crate::Throttle) applies: per-member limits (delayed or held back), the
//!   app-wide rate and the in-flight cap. [`BulkOptions::concurrency`] bounds the batches of
//!   this bulk send in flight.
//! * **Resuming**: [`BulkSend::on_batch`] hands every finished batch with its recipients'
//!   outcomes (to journal them); [`BulkOptions::skip`] leaves out the ids already done when
//!   a bulk send is started again. Batches are formed *before* skipping, each then losing
//!   its members already done, so a batch whose outcome was never learnt (the process died
//!   with it in flight) goes out again with the same members — and, with
//!   [`BulkOptions::task_id_seed`], the same task id: byte for byte the same request, which
//!   WeCom's duplicate check ([`BulkOptions::duplicate_check`]) then drops if it had landed.
//!   Without the duplicate check, the members of such a batch may get the message twice.
//! * **Memory**: the recipients are held once, with one byte of outcome each; requests are
//!   built one batch at a time.
//! * **Template cards with a `task_id`**: WeCom refuses a task id used twice by one app, so
//!   when the recipients need more than one request, each request gets the card's id followed
//!   by `-` and 8 hex digits (`deploy-42-1f0c9a7e`), checked before anything is sent;
//!   [`BatchReport::task_id`] says which batch got which. The digits are random, or derived
//!   from [`BulkOptions::task_id_seed`] and the request's members. A card sent in one request
//!   keeps its id unchanged.
//!
//! Every member counts against the app's daily quota (corp account cap × 200 person-sends).
//! A timed-out batch is not resent unless [`BulkOptions::duplicate_check`] is on (then WeCom
//! drops the copy); otherwise its recipients are `Failed` with
//! [`Error::DeliveryUnknown`](crate::Error::DeliveryUnknown).

mod layout;
mod report;
mod task_ids;

use std::collections::HashSet;
use std::future::{Future, IntoFuture};
use std::pin::Pin;

use futures::StreamExt;

use crate::client::Client;
use crate::error::{InvalidArgument, Result};
use crate::message::{
    Message, MessageRequest, Recipients, SendOptions, member_key, user_id_problem,
};
use crate::throttle::OnLimit;

use layout::{dedupe, layout};
use report::Tally;
pub use report::{BatchDone, BatchReport, BulkProgress, BulkReport, RecipientOutcome};
use task_ids::{batch_task_ids, members_hash};

/// How a bulk send goes: batch size, concurrency, send options, ids to skip.
#[derive(Debug, Clone)]
#[must_use]
pub struct BulkOptions {
    concurrency: usize,
    batch_size: usize,
    /// `safe`, `enable_id_trans` and `duplicate_check` for every request.
    send: SendOptions,
    on_member_limit: Option<OnLimit>,
    per_request_task_ids: Option<bool>,
    task_id_seed: Option<u64>,
    skip: HashSet<String>,
}

impl Default for BulkOptions {
    fn default() -> Self {
        Self::new()
    }
}

impl BulkOptions {
    /// The default batch concurrency.
    pub const DEFAULT_CONCURRENCY: usize = 4;

    /// Batches of 1,000, four in flight, no send options, nothing skipped.
    pub fn new() -> Self {
        Self {
            concurrency: Self::DEFAULT_CONCURRENCY,
            batch_size: Recipients::MAX_USERS,
            send: SendOptions::default(),
            on_member_limit: None,
            per_request_task_ids: None,
            task_id_seed: None,
            skip: HashSet::new(),
        }
    }

    /// At most `n` batches of this bulk send in flight (default 4, at least 1). The client's
    /// [`Throttle`](crate::Throttle) may allow fewer.
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n;
        self
    }

    /// Members per request: 1 to 1,000 (the default, WeCom's maximum).
    pub fn batch_size(mut self, n: usize) -> Self {
        self.batch_size = n;
        self
    }

    // Set on every request of the bulk send; a timed-out batch is resent only with the
    // duplicate check on.
    crate::api::message::send_option_setters!(send);

    /// What to do with members over their per-member limit, instead of the client
    /// throttle's setting.
    pub fn on_member_limit(mut self, on_limit: OnLimit) -> Self {
        self.on_member_limit = Some(on_limit);
        self
    }

    /// Whether a template card's `task_id` is replaced by a derived one per request. By
    /// default only when the recipients need more than one request; `true` forces it even for
    /// one (for callers that split one logical send over several bulk sends, which would
    /// otherwise reuse the id), `false` forbids it (a card in several requests is then
    /// refused before anything is sent, since WeCom refuses a reused task id).
    pub fn per_request_task_ids(mut self, on: bool) -> Self {
        self.per_request_task_ids = Some(on);
        self
    }

    /// Derives each request's task id suffix from `seed` and the request's members instead of
    /// drawing it at random. Keep the seed with your journal: a bulk send started again after
    /// a crash, with the same seed, message and options and the finished ids skipped, then
    /// sends the batches that were in flight byte for byte as before, so WeCom's duplicate
    /// check drops those that had landed. A batch that lost members to `skip` has other
    /// members, hence another id, so it never reuses a task id WeCom has seen.
    pub fn task_id_seed(mut self, seed: u64) -> Self {
        self.task_id_seed = Some(seed);
        self
    }

    /// Leaves out these ids (compared case-insensitively): those a previous, interrupted
    /// run already finished, as journaled from [`BulkSend::on_batch`].
    pub fn skip<I, S>(mut self, done: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.skip.extend(done.into_iter().map(|id| member_key(id.as_ref()).into_owned()));
        self
    }
}

type BatchCallback = Box<dyn FnMut(&BatchDone<'_>) + Send>;

/// A bulk send being prepared: add a progress callback, then `.await` it (or call
/// [`run`](Self::run)). Made by [`Client::send_bulk`].
#[must_use = "nothing is sent until the bulk send is awaited"]
pub struct BulkSend {
    client: Client,
    users: Vec<String>,
    message: Message,
    options: BulkOptions,
    on_batch: Option<BatchCallback>,
}

impl std::fmt::Debug for BulkSend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BulkSend")
            .field("users", &self.users.len())
            .field("msgtype", &self.message.msgtype())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl BulkSend {
    /// Calls `callback` after each batch finishes (in the order they finish), with the
    /// batch, its recipients' outcomes and the totals so far: for a progress bar, or a
    /// journal to resume from.
    pub fn on_batch(mut self, callback: impl FnMut(&BatchDone<'_>) + Send + 'static) -> Self {
        self.on_batch = Some(Box::new(callback));
        self
    }

    /// Checks everything, then sends every batch and reports the outcome.
    ///
    /// Fails only before sending anything, with
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument): no ids at all, an id WeCom
    /// cannot take (empty, with `|` or whitespace, longer than 64 bytes, `@all`), a batch size
    /// or concurrency out of range, or an invalid message. Failures while sending end up in
    /// the report.
    pub async fn run(self) -> Result<BulkReport> {
        let BulkSend { client, users, message, options, mut on_batch } = self;
        check_options(&options)?;
        if users.is_empty() {
            return Err(InvalidArgument::new(
                "users",
                "no recipients: give at least one member id",
            )
            .into());
        }
        for (i, id) in users.iter().enumerate() {
            if let Some(problem) = user_id_problem(id) {
                return Err(InvalidArgument::new(
                    format!("users[{i}]"),
                    format!("member id {problem}"),
                )
                .into());
            }
        }
        let (users, duplicates) = dedupe(users);
        let (users, sizes, skipped) = layout(users, &options.skip, options.batch_size);
        // One request to check the message and options against; each batch gets its own
        // recipients (the stand-in id is only used when every id was skipped).
        let mut template = MessageRequest::new(
            client.agent_id(),
            Recipients::user(users.first().map_or("x", String::as_str)),
            message,
        );
        template.options = options.send.clone();
        template.validate()?;

        let mut tally = Tally::new(&sizes);
        let ranges = tally.ranges();
        let seeded = options.task_id_seed.map(|seed| {
            let members: Vec<u64> =
                ranges.iter().map(|r| members_hash(&users[r.clone()])).collect();
            (seed, members)
        });
        let task_ids = batch_task_ids(
            &template.message,
            ranges.len(),
            options.per_request_task_ids,
            seeded.as_ref(),
        )?;
        for (index, id) in task_ids.iter().enumerate() {
            tally.set_task_id(index, id.as_str().to_owned());
        }
        tracing::debug!(
            users = users.len(),
            batches = ranges.len(),
            duplicates,
            skipped,
            "starting a bulk send"
        );
        {
            let users = &users;
            let template = &template;
            let client = &client;
            let task_ids = &task_ids;
            let mut finished = futures::stream::iter(ranges.into_iter().enumerate())
                .map(|(index, range)| {
                    let mut request = template.clone();
                    request.recipients = Recipients::users(users[range].iter().cloned()).into();
                    if let (Some(id), Message::TemplateCard(card)) =
                        (task_ids.get(index), &mut request.message)
                    {
                        card.set_task_id(id.clone());
                    }
                    let mut send = client.send_request(request);
                    if let Some(mode) = options.on_member_limit {
                        send = send.on_member_limit(mode);
                    }
                    async move { (index, send.send().await) }
                })
                .buffer_unordered(options.concurrency);
            while let Some((index, result)) = finished.next().await {
                if let Err(err) = &result {
                    tracing::warn!(batch = index, error = %err, "a bulk-send batch failed");
                }
                let done = tally.finish(users, index, result);
                if let Some(callback) = &mut on_batch {
                    callback(&done);
                }
            }
        }
        Ok(tally.into_report(users, duplicates, skipped))
    }
}

impl IntoFuture for BulkSend {
    type Output = Result<BulkReport>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<BulkReport>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}

impl Client {
    /// Sends `message` to every member in `users` — any number — in requests of at most
    /// 1,000, several at a time; see the [`bulk`](crate::bulk) module. Await the returned
    /// [`BulkSend`] (after adding a progress callback, if wanted) for the [`BulkReport`].
    pub fn send_bulk<I, S>(
        &self,
        users: I,
        message: impl Into<Message>,
        options: BulkOptions,
    ) -> BulkSend
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        BulkSend {
            client: self.clone(),
            users: users.into_iter().map(Into::into).collect(),
            message: message.into(),
            options,
            on_batch: None,
        }
    }
}

fn check_options(options: &BulkOptions) -> Result<(), InvalidArgument> {
    if options.batch_size == 0 || options.batch_size > Recipients::MAX_USERS {
        return Err(InvalidArgument::new(
            "batch_size",
            format!(
                "must be 1 to {} members per request (got {})",
                Recipients::MAX_USERS,
                options.batch_size
            ),
        ));
    }
    if options.concurrency == 0 {
        return Err(InvalidArgument::new("concurrency", "must be at least 1"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_checked() {
        assert!(check_options(&BulkOptions::new()).is_ok());
        assert_eq!(
            check_options(&BulkOptions::new().batch_size(0)).unwrap_err().field,
            "batch_size"
        );
        assert_eq!(
            check_options(&BulkOptions::new().batch_size(1001)).unwrap_err().field,
            "batch_size"
        );
        assert_eq!(
            check_options(&BulkOptions::new().concurrency(0)).unwrap_err().field,
            "concurrency"
        );
    }
}
