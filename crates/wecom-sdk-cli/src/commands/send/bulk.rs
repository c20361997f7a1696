//! `wecom send … --to-file users.txt`: one message to any number of members, in batches of
//! at most 1,000 (the SDK's `send_bulk`), concurrently within `--rate` and `--concurrency`,
//! per-member limits kept by the SDK's throttle (members over their limit are held back and
//! reported, not silently dropped), with a progress bar on a terminal and a resumable
//! journal (see [`super::journal`]).
//!
//! The batches are fixed by the users file: the first 1,000 distinct members, the next
//! 1,000, … A re-run leaves out of each batch the members the journal records as finished,
//! so a batch that was in flight when a run died (SIGKILL, power loss, a second Ctrl-C) goes
//! out again with the same members and — for cards — the same task id, derived from a seed
//! kept in the journal and the batch's members: byte for byte the same request, which
//! WeCom's duplicate check (`--duplicate-check`) drops if it had landed. Without the
//! duplicate check the members of such a batch may get the message twice; the re-run says
//! so.
//!
//! Batches start in waves of `--concurrency`; on Ctrl-C no new wave starts and the batches
//! in flight finish and are journaled, so a re-run sends to nobody twice. A second Ctrl-C
//! quits at once, leaving the batches in flight to a re-run as above.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use anyhow::{Context as _, Result, anyhow};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;
use wecom::bulk::{BulkOptions, BulkProgress};
use wecom::message::{Message, MessageRequest, Recipients};
use wecom::{OnLimit, Throttle};

mod invalid;

use super::journal::{self, Journal};
use super::{BulkArgs, Draft, Target, apply_options, upload_all};
use crate::client::{self, ClientOptions};
use crate::config::Settings;
use crate::exit::{self, usage};
use crate::output::Output;

/// Reads a users file: one id a line, blank lines and `#` comments ignored.
fn read_users(path: &Path) -> Result<Vec<String>> {
    let text = if path == Path::new("-") {
        crate::parse::arg_or_stdin("-")?
    } else {
        std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the users file {}", path.display()))
            .map_err(usage)?
    };
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect())
}

/// Drops repeated ids (case-insensitively, keeping the first): the distinct members in file
/// order, how many repeats, and how many of them are already finished.
fn distinct(users: Vec<String>, done: &HashSet<String>) -> (Vec<String>, usize, usize) {
    let mut seen = HashSet::with_capacity(users.len());
    let (mut duplicates, mut skipped) = (0, 0);
    let mut unique = Vec::with_capacity(users.len());
    for user in users {
        let key = user.to_lowercase();
        if !seen.insert(key.clone()) {
            duplicates += 1;
            continue;
        }
        if done.contains(&key) {
            skipped += 1;
        }
        unique.push(user);
    }
    (unique, duplicates, skipped)
}

/// The message's fingerprint for the journal, without a generated task id.
fn message_fingerprint(request: &MessageRequest) -> Result<String> {
    let mut value = serde_json::to_value(request)?;
    if let Some(obj) = value.as_object_mut() {
        for key in ["touser", "toparty", "totag"] {
            obj.remove(key);
        }
        if let Some(card) = obj.get_mut("template_card").and_then(|c| c.as_object_mut()) {
            card.remove("task_id");
        }
    }
    Ok(journal::fingerprint(&value.to_string()))
}

fn default_journal(users_file: &Path) -> Option<PathBuf> {
    if users_file == Path::new("-") {
        return None;
    }
    let mut name = users_file.as_os_str().to_owned();
    name.push(".journal");
    Some(PathBuf::from(name))
}

/// Totals over all waves.
#[derive(Debug, Default)]
struct Totals {
    delivered: usize,
    invalid: usize,
    unlicensed: usize,
    held_back: usize,
    failed: usize,
    batches: usize,
    first_error: Option<wecom::Error>,
    refused: invalid::Refused,
}

impl Totals {
    fn add(&mut self, p: &BulkProgress) {
        self.delivered += p.delivered;
        self.invalid += p.invalid;
        self.unlicensed += p.unlicensed;
        self.held_back += p.held_back;
        self.failed += p.failed;
        self.batches += p.batches_done;
    }
}

/// Runs a bulk send.
pub(super) fn run(
    settings: &Settings,
    target: &Target,
    bulk: &BulkArgs,
    users_file: &Path,
    draft: Draft,
    out: Output,
) -> Result<ExitCode> {
    let agent_id =
        *Settings::require(settings.app.agent_id.as_ref(), "agent-id", "WECOM_AGENT_ID")?;
    if bulk.rate == 0 || bulk.concurrency == 0 {
        return Err(usage(anyhow!("--rate and --concurrency must be at least 1")));
    }
    let users = read_users(users_file)?;
    if users.is_empty() {
        return Err(usage(anyhow!("{} names no member ids", users_file.display())));
    }
    // Check everything before sending anything: the message, its options, one recipient.
    let mut request = MessageRequest::new(agent_id, Recipients::user(&users[0]), draft.message);
    if let Some(body) = &draft.from_json {
        request.options = body.options.clone();
    }
    apply_options(&mut request, target);
    request.validate().map_err(|e| exit::api(e.into()))?;
    let journal_path = bulk.journal.clone().or_else(|| default_journal(users_file));
    let (journal, resume) = if let Some(path) = &journal_path {
        let (j, r) = Journal::open(path, &message_fingerprint(&request)?)?;
        (Some(j), r)
    } else {
        out.note(
            "no journal (users read from stdin): pass --journal PATH to make the send resumable",
        );
        (None, journal::Resume { seed: rand::random(), ..journal::Resume::default() })
    };
    let total_listed = users.len();
    let (unique, duplicates, skipped) = distinct(users, &resume.done);
    let left = unique.len() - skipped;
    if resume.started && left > 0 {
        out.note(&format!(
            "resuming: {skipped} member(s) already finished according to the journal are skipped"
        ));
        if request.options.duplicate_check.is_none() {
            out.note(
                "warning: batches that were in flight when the last run stopped are sent again; \
                 without --duplicate-check their members may get the message twice",
            );
        }
    }
    if left == 0 {
        let text = format!(
            "nothing to send: all {} member(s) are finished according to the journal {}{}",
            total_listed - duplicates,
            journal_path.as_deref().map(Path::display).map(|p| p.to_string()).unwrap_or_default(),
            if resume.complete { " (a completed run); delete it to send again" } else { "" }
        );
        out.result(
            &text,
            &json!({"ok": true, "sent": 0, "skipped": skipped, "duplicates": duplicates, "complete": true}),
        );
        return Ok(ExitCode::SUCCESS);
    }

    let throttle = Throttle::new()
        .requests_per_second(bulk.rate)
        .max_in_flight(bulk.concurrency)
        .on_member_limit(OnLimit::Report);
    let client = client::build(settings, ClientOptions { throttle: Some(throttle), store: None })?;
    let rt = client::runtime()?;
    let bar = progress_bar(out, left);
    let journal = journal.map(|j| Arc::new(Mutex::new(j)));
    let stop = Arc::new(AtomicBool::new(false));

    let totals = rt.block_on(async {
        let request = upload_all(&client, request, &draft.uploads, out).await?;
        watch_ctrl_c(Arc::clone(&stop), out, journal_path.clone());
        let message: Message = request.message.clone();
        let mut options = BulkOptions::new()
            .concurrency(bulk.concurrency)
            .skip(&resume.done)
            .task_id_seed(resume.seed);
        // The members go out in waves, one bulk send each. A card's task id must not be used
        // twice, so when the whole send needs more than one request — or resumes one whose
        // requests already used the id — every request gets its own, even a wave of one.
        if unique.len() > Recipients::MAX_USERS || skipped > 0 {
            options = options.per_request_task_ids(true);
        }
        if let Some(safe) = request.options.safe {
            options = options.safe(safe);
        }
        if let Some(on) = request.options.enable_id_trans {
            options = options.enable_id_trans(on);
        }
        if let Some(interval) = request.options.duplicate_check {
            options = options.duplicate_check(interval);
        }
        let mut totals = Totals::default();
        // Waves of whole batches of the distinct members, so that every batch is the same
        // from one run to the next whatever `--concurrency` is.
        let wave = bulk.concurrency * Recipients::MAX_USERS;
        for chunk in unique.chunks(wave) {
            if stop.load(Ordering::SeqCst) {
                break;
            }
            if chunk.iter().all(|u| resume.done.contains(&u.to_lowercase())) {
                continue;
            }
            let journal = journal.clone();
            let batch_bar = bar.clone();
            let journal_failed = Arc::new(AtomicBool::new(false));
            let journal_failed_in = Arc::clone(&journal_failed);
            let report = client
                .send_bulk(chunk.iter().cloned(), message.clone(), options.clone())
                .on_batch(move |done| {
                    if let Some(journal) = &journal {
                        let mut journal = journal.lock().unwrap_or_else(PoisonError::into_inner);
                        if let Err(e) = journal.record(done) {
                            tracing::error!(error = %e, "cannot write the journal");
                            journal_failed_in.store(true, Ordering::SeqCst);
                        }
                    }
                    batch_bar.inc(done.batch.users.len() as u64);
                })
                .await
                .map_err(exit::api)?;
            if journal_failed.load(Ordering::SeqCst) {
                return Err(anyhow!(
                    "cannot write the journal; stopped so that a re-run does not send twice"
                ));
            }
            totals.add(report.totals());
            totals.refused.add(&report);
            if totals.first_error.is_none() {
                totals.first_error = report.batches().iter().find_map(|b| b.error.clone());
            }
            bar.set_message(format!(
                "delivered {} · invalid {} · failed {}",
                totals.delivered,
                totals.invalid + totals.unlicensed,
                totals.failed
            ));
        }
        Ok::<_, anyhow::Error>(totals)
    })?;
    bar.finish_and_clear();

    let sent =
        totals.delivered + totals.invalid + totals.unlicensed + totals.held_back + totals.failed;
    let not_started = left - sent;
    let complete = totals.failed == 0 && totals.held_back == 0 && not_started == 0;
    if complete && let Some(journal) = &journal {
        journal.lock().unwrap_or_else(PoisonError::into_inner).complete()?;
    }
    if let Some(path) = &bulk.invalid_out {
        totals.refused.write(path)?;
    }
    summary(
        out,
        &totals,
        &SummaryCounts { listed: total_listed, duplicates, skipped, not_started, complete },
        journal_path.as_deref(),
        bulk.invalid_out.as_deref(),
    );
    if let Some(err) = totals.first_error {
        return Err(exit::api(err)).context(format!(
            "{} member(s) failed; run the same command again to retry them",
            totals.failed
        ));
    }
    Ok(if complete { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

struct SummaryCounts {
    listed: usize,
    duplicates: usize,
    skipped: usize,
    not_started: usize,
    complete: bool,
}

fn summary(
    out: Output,
    t: &Totals,
    c: &SummaryCounts,
    journal: Option<&Path>,
    invalid_out: Option<&Path>,
) {
    let mut text = format!(
        "{} member(s) listed: delivered {}, invalid {}, unlicensed {}, held back {}, failed {}",
        c.listed, t.delivered, t.invalid, t.unlicensed, t.held_back, t.failed
    );
    if c.skipped > 0 {
        let _ = write!(text, ", already done before {}", c.skipped);
    }
    if c.duplicates > 0 {
        let _ = write!(text, ", duplicates ignored {}", c.duplicates);
    }
    if c.not_started > 0 {
        let _ = write!(text, ", not sent (interrupted) {}", c.not_started);
    }
    let _ = write!(text, " — {} request(s)", t.batches);
    text.push_str(&t.refused.lines(invalid_out));
    match (journal, c.complete) {
        (Some(path), true) => {
            let _ = write!(
                text,
                "\ncomplete: everyone was sent to; the journal {} only guards against sending \
                 this message again and can be deleted",
                path.display()
            );
        }
        (Some(path), false) => {
            let _ = write!(
                text,
                "\nnot complete: the journal {} records who is finished; run the same command \
                 again to send to the rest (failed, held back, not sent)",
                path.display()
            );
        }
        (None, true) => text.push_str("\ncomplete"),
        (None, false) => {
            text.push_str("\nnot complete (no journal: a re-run sends to everyone again)");
        }
    }
    out.result(
        &text,
        &json!({
            "ok": c.complete,
            "listed": c.listed,
            "delivered": t.delivered,
            "invalid": t.invalid,
            "unlicensed": t.unlicensed,
            "invalid_users": t.refused.invalid,
            "unlicensed_users": t.refused.unlicensed,
            "held_back": t.held_back,
            "failed": t.failed,
            "skipped": c.skipped,
            "duplicates": c.duplicates,
            "not_sent": c.not_started,
            "requests": t.batches,
            "complete": c.complete,
            "journal": journal.map(|p| p.display().to_string()),
        }),
    );
}

fn progress_bar(out: Output, users: usize) -> ProgressBar {
    if !out.interactive() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(users as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} members {msg}",
    ) {
        bar.set_style(style);
    }
    bar
}

/// First Ctrl-C: finish the batches in flight, start no more. Second: quit at once.
fn watch_ctrl_c(stop: Arc<AtomicBool>, out: Output, journal: Option<PathBuf>) {
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_err() {
            return;
        }
        stop.store(true, Ordering::SeqCst);
        out.note("interrupted: finishing the batches in flight (Ctrl-C again to quit at once)");
        if tokio::signal::ctrl_c().await.is_ok() {
            out.note(&match journal {
                Some(path) => format!(
                    "quit: batches in flight were not journaled in {}; a re-run sends them again",
                    path.display()
                ),
                None => "quit".to_owned(),
            });
            std::process::exit(130);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_left_out_and_finished_members_counted() {
        let done: HashSet<String> = ["bob".to_owned()].into();
        let users = ["alice", "Bob", "ALICE", "carol"].map(str::to_owned).to_vec();
        let (unique, dups, skipped) = distinct(users, &done);
        assert_eq!(unique, ["alice", "Bob", "carol"]);
        assert_eq!((dups, skipped), (1, 1));
    }
}
