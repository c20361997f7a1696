//! The command line's bot: one [`Bot`] for both transports, answering with a fixed text,
//! a command's streamed output, or JSON lines from stdin; and the size rule its notes obey.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Result, anyhow};
use tokio::sync::Semaphore;
use wecom_aibot::bot::{Bot, EventResponder, Limits, Overflow, Responder};
use wecom_aibot::model::{Event, EventKind, Message, STREAM_CONTENT_MAX_BYTES};

use super::{AnswerArgs, exec, jsonl};
use crate::exit::usage;

/// Answer rules: text past the limit is refused rather than moved to a follow-up, because
/// the answers built here always fit (see [`fit`]).
pub(crate) fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.overflow = Overflow::Error;
    limits
}

/// `text` cut so that `text + note` holds at most 20,480 bytes (on a character boundary),
/// then `note` appended.
pub(crate) fn fit(text: &str, note: &str) -> String {
    let budget = STREAM_CONTENT_MAX_BYTES.saturating_sub(note.len());
    let mut end = budget.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = String::with_capacity(end + note.len());
    out.push_str(&text[..end]);
    out.push_str(note);
    out
}

enum Mode {
    Reply(String),
    Exec { cmd: String, children: Arc<Semaphore> },
    Jsonl(jsonl::Lines),
}

/// The bot.
pub(crate) struct CliBot {
    mode: Arc<Mode>,
    welcome: Option<String>,
    timeout: Duration,
}

impl CliBot {
    /// The bot for these arguments, and the stdin/stdout plumbing to keep alive (JSON lines).
    pub(crate) fn new(args: &AnswerArgs) -> Result<(Self, Option<jsonl::Io>)> {
        let too_long = |what: &str, text: &str| {
            usage(anyhow!(
                "{what}: {} bytes pass the {STREAM_CONTENT_MAX_BYTES}-byte limit",
                text.len()
            ))
        };
        if let Some(text) = &args.welcome
            && text.len() > STREAM_CONTENT_MAX_BYTES
        {
            return Err(too_long("--welcome", text));
        }
        let mut io = None;
        let mode = if let Some(text) = &args.reply {
            if text.len() > STREAM_CONTENT_MAX_BYTES {
                return Err(too_long("--reply", text));
            }
            Mode::Reply(text.clone())
        } else if let Some(cmd) = &args.exec {
            let n = usize::try_from(args.max_children).unwrap_or(1);
            Mode::Exec { cmd: cmd.clone(), children: Arc::new(Semaphore::new(n)) }
        } else {
            let (lines, plumbing) = jsonl::start();
            io = Some(plumbing);
            Mode::Jsonl(lines)
        };
        let bot = CliBot {
            mode: Arc::new(mode),
            welcome: args.welcome.clone(),
            timeout: Duration::from_secs(args.timeout),
        };
        Ok((bot, io))
    }
}

impl Bot for CliBot {
    async fn on_message(&self, message: Message, reply: Responder) {
        let transport = if reply.ws().is_some() { "ws" } else { "http" };
        match &*self.mode {
            Mode::Reply(text) => {
                let _ = reply.markdown(text.clone());
            }
            Mode::Exec { cmd, children } => {
                exec::answer(cmd, children, &message, reply, self.timeout).await;
            }
            Mode::Jsonl(lines) => lines.answer(&message, transport, reply, self.timeout).await,
        }
    }

    async fn on_event(&self, event: Event, reply: EventResponder) {
        if let (EventKind::EnterChat, Some(text)) = (&event.kind, &self.welcome) {
            let _ = reply.welcome(text.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fit;

    #[test]
    fn fit_keeps_the_note_within_the_limit_on_a_char_boundary() {
        let text = "é".repeat(20_000); // 40,000 bytes
        let out = fit(&text, " [cut]");
        assert!(out.len() <= 20_480 && out.ends_with(" [cut]"));
        assert_eq!(fit("short", "!"), "short!");
    }
}
