//! `--exec`: one `sh -c CMD` per message, its stdout streamed back as the answer while it is
//! produced. Bounded: a slot among `--max-children`, the per-message timeout (waiting for a
//! slot included), and 20,480 bytes of output (then the command is stopped and the answer
//! says it was cut).

use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::sync::Semaphore;
use wecom_aibot::bot::Responder;
use wecom_aibot::model::{Message, STREAM_CONTENT_MAX_BYTES};

use super::answer::fit;

/// Appended when the output passed the size limit.
pub(crate) const CUT_NOTE: &str = "\n\n*(output cut at 20,480 bytes)*";

/// Variables removed from the command's environment: the bot's and the app's secrets.
const SECRET_VARS: &[&str] = &[
    "WECOM_AIBOT_SECRET",
    "WECOM_AIBOT_TOKEN",
    "WECOM_AIBOT_AES_KEY",
    "WECOM_SECRET",
    "WECOM_TOKEN",
    "WECOM_AES_KEY",
];

/// The longest prefix of `bytes` that is whole UTF-8 (a character split across reads waits
/// for its rest).
fn utf8_prefix(bytes: &[u8]) -> &[u8] {
    match std::str::from_utf8(bytes) {
        Err(e) if e.error_len().is_none() => &bytes[..e.valid_up_to()],
        // Whole, or invalid in the middle (shown with replacement characters).
        _ => bytes,
    }
}

enum End {
    Eof,
    Cut,
    Timeout,
}

pub(crate) async fn answer(
    cmd: &str,
    children: &Arc<Semaphore>,
    message: &Message,
    reply: Responder,
    timeout: Duration,
) {
    let deadline = tokio::time::Instant::now() + timeout;
    let mut stream = reply.stream();
    let Ok(Ok(_slot)) =
        tokio::time::timeout_at(deadline, Arc::clone(children).acquire_owned()).await
    else {
        let _ = stream
            .set(format!("*(busy: no free slot for the command within {} s)*", timeout.as_secs()));
        return;
    };
    let header = &message.header;
    let mut command = tokio::process::Command::new("sh");
    command
        .arg("-c")
        .arg(cmd)
        .env("WECOM_AIBOT_USERID", &header.from.userid)
        .env("WECOM_AIBOT_CHATID", header.chatid.as_deref().unwrap_or_default())
        .env("WECOM_AIBOT_CHATTYPE", header.chattype.as_str())
        .env("WECOM_AIBOT_MSGID", &header.msgid.0)
        .env("WECOM_AIBOT_MSGTYPE", message.body.msgtype())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true);
    for var in SECRET_VARS {
        command.env_remove(var);
    }
    let mut child = match command.spawn() {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "cannot start the --exec command");
            let _ = stream.set("*(the command could not be started)*");
            return;
        }
    };
    if let Some(mut stdin) = child.stdin.take() {
        let mut text = message.text();
        text.push('\n');
        // A command that does not read its input is fine; writing on a task of its own
        // keeps a large input from blocking the output.
        tokio::spawn(async move {
            let _ = stdin.write_all(text.as_bytes()).await;
        });
    }
    let Some(mut stdout) = child.stdout.take() else { return };
    let budget = STREAM_CONTENT_MAX_BYTES - CUT_NOTE.len();
    let mut output = Vec::new();
    let mut chunk = [0u8; 4096];
    let end = loop {
        tokio::select! {
            read = stdout.read(&mut chunk) => match read {
                Ok(0) | Err(_) => break End::Eof,
                Ok(n) => {
                    output.extend_from_slice(&chunk[..n]);
                    if output.len() > budget {
                        break End::Cut;
                    }
                    let _ = stream.set(String::from_utf8_lossy(utf8_prefix(&output)).into_owned());
                }
            },
            () = tokio::time::sleep_until(deadline) => break End::Timeout,
        }
    };
    let text = String::from_utf8_lossy(&output).into_owned();
    let final_text = match end {
        End::Cut => {
            let _ = child.start_kill();
            tracing::warn!(limit = STREAM_CONTENT_MAX_BYTES, "--exec output cut at the size limit");
            fit(&text, CUT_NOTE)
        }
        End::Timeout => {
            let _ = child.start_kill();
            tracing::warn!(secs = timeout.as_secs(), "--exec command stopped at the timeout");
            fit(&text, &format!("\n\n*(stopped: no result within {} s)*", timeout.as_secs()))
        }
        End::Eof => match tokio::time::timeout_at(deadline, child.wait()).await {
            Ok(Ok(status)) if status.success() => {
                if text.trim().is_empty() {
                    "*(no output)*".to_owned()
                } else {
                    fit(&text, "")
                }
            }
            Ok(Ok(status)) => {
                tracing::error!(%status, "--exec command failed");
                let note = format!("*(the command failed: {status})*");
                if text.trim().is_empty() { note } else { fit(&text, &format!("\n\n{note}")) }
            }
            _ => {
                let _ = child.start_kill();
                fit(&text, &format!("\n\n*(stopped: no result within {} s)*", timeout.as_secs()))
            }
        },
    };
    if let Err(e) = stream.set(final_text) {
        tracing::warn!(error = %e, "--exec answer not delivered");
    }
    let _ = stream.finish();
}

#[cfg(test)]
mod tests {
    use super::utf8_prefix;

    #[test]
    fn a_character_split_across_reads_waits_for_its_rest() {
        let bytes = "aé".as_bytes();
        assert_eq!(utf8_prefix(&bytes[..2]), b"a");
        assert_eq!(utf8_prefix(bytes), bytes);
    }
}
