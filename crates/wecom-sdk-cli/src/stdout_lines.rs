//! Lines for stdout, written by a thread of their own: the server's tasks never hold the
//! stdout lock or wait on a slow reader of the pipe. Tasks append to one shared buffer; the
//! writer swaps it out and writes it whole, flushing once per batch instead of once per line.
//!
//! The writer polls the buffer (see [`NAP`]) rather than being woken for each line: a wake-up
//! is a system call and two context switches, which cost `wecom listen` a third of its
//! throughput. Lines are appended as bytes, so no allocation made on a server thread is freed
//! on the writer's (the allocator makes such frees expensive).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long the writer sleeps when it found nothing to write: from the first value, doubling
/// while idle up to the second. A line waits at most that long to appear on stdout.
const NAP: (Duration, Duration) = (Duration::from_millis(1), Duration::from_millis(8));

/// Bytes queued before a task waits for the writer (stdout not read, or slower than the
/// callbacks): about four thousand callback lines.
const QUEUED_BYTES: usize = 4 << 20;

struct Shared {
    buf: Mutex<Vec<u8>>,
    /// Live [`Lines`] handles.
    handles: AtomicUsize,
    /// Set when the last [`Lines`] is dropped: the writer drains what is left and ends.
    closed: AtomicBool,
}

/// A handle that queues lines for stdout; clones share one writer.
pub(crate) struct Lines(Arc<Shared>);

impl Clone for Lines {
    fn clone(&self) -> Self {
        self.0.handles.fetch_add(1, Ordering::Relaxed);
        Self(Arc::clone(&self.0))
    }
}

impl Drop for Lines {
    fn drop(&mut self) {
        if self.0.handles.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0.closed.store(true, Ordering::Release);
        }
    }
}

impl Lines {
    /// Queues `line` (a newline is added); waits only while the writer is far behind.
    pub(crate) async fn send(&self, line: &str) {
        self.send_with(|buf| buf.extend_from_slice(line.as_bytes())).await;
    }

    /// Queues `value` as one line of JSON, serialized straight into the queue (no string of
    /// its own); waits only while the writer is far behind.
    pub(crate) async fn send_json<T: serde::Serialize>(&self, value: &T) {
        self.send_with(|buf| {
            let start = buf.len();
            if serde_json::to_writer(&mut *buf, value).is_err() {
                buf.truncate(start); // nothing half-written
            }
        })
        .await;
    }

    async fn send_with(&self, write: impl Fn(&mut Vec<u8>)) {
        loop {
            {
                let mut buf = self.0.buf.lock().unwrap_or_else(PoisonError::into_inner);
                if buf.len() < QUEUED_BYTES {
                    let start = buf.len();
                    write(&mut buf);
                    if buf.len() > start {
                        buf.push(b'\n');
                    }
                    return;
                }
            }
            tokio::time::sleep(NAP.0).await;
        }
    }
}

/// Starts the writer thread; it ends once every [`Lines`] is dropped and the queue is written.
pub(crate) fn start() -> (Lines, JoinHandle<()>) {
    let shared = Arc::new(Shared {
        buf: Mutex::new(Vec::new()),
        handles: AtomicUsize::new(1),
        closed: AtomicBool::new(false),
    });
    let theirs = Arc::clone(&shared);
    let writer = std::thread::spawn(move || write_until_closed(&theirs));
    (Lines(shared), writer)
}

fn write_until_closed(shared: &Shared) {
    use std::io::Write as _;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut batch = Vec::new();
    let mut nap = NAP.0;
    loop {
        // Read `closed` before taking the batch: a line queued before the last handle went
        // away is in this batch or an earlier one.
        let closed = shared.closed.load(Ordering::Acquire);
        std::mem::swap(&mut batch, &mut shared.buf.lock().unwrap_or_else(PoisonError::into_inner));
        if batch.is_empty() {
            if closed {
                return;
            }
            nap = (nap * 2).min(NAP.1);
        } else {
            // A closed or broken stdout drops the lines, as `println!` would not: the server
            // goes on serving.
            let _ = out.write_all(&batch).and_then(|()| out.flush());
            batch.clear();
            nap = NAP.0;
        }
        std::thread::sleep(nap);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_writer_ends_when_the_last_handle_is_dropped() {
        let (lines, writer) = start();
        let other = lines.clone();
        lines.send("first").await;
        drop(lines);
        other.send("second").await;
        assert!(!writer.is_finished(), "a handle is still alive");
        drop(other);
        tokio::task::spawn_blocking(move || writer.join().unwrap()).await.unwrap();
    }
}
