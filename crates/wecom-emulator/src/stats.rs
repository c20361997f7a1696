//! Call counters per WeCom API path, and gettoken calls per app, so tests can check client
//! behaviour such as "concurrent callers share one token fetch" or "a -1 was retried once".
//! Read with `GET /emulator/stats`; one relaxed atomic add per call.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// The paths counted individually; anything else counts as `other`.
const PATHS: [&str; 14] = [
    "/cgi-bin/gettoken",
    "/cgi-bin/message/send",
    "/cgi-bin/message/recall",
    "/cgi-bin/message/update_template_card",
    "/cgi-bin/media/upload",
    "/cgi-bin/media/uploadimg",
    "/cgi-bin/media/get",
    "/cgi-bin/getcallbackip",
    "/cgi-bin/message/get_statistics",
    "/cgi-bin/appchat/create",
    "/cgi-bin/appchat/update",
    "/cgi-bin/appchat/get",
    "/cgi-bin/appchat/send",
    "/cgi-bin/linkedcorp/message/send",
];

/// The counters.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    calls: [AtomicU64; PATHS.len() + 1],
    tokens_issued: Mutex<BTreeMap<i64, u64>>,
}

impl Stats {
    /// Counts one call of `path`.
    pub(crate) fn call(&self, path: &str) {
        let i = PATHS.iter().position(|p| *p == path).unwrap_or(PATHS.len());
        self.calls[i].fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a successful gettoken for `agentid`.
    pub(crate) fn token_issued(&self, agentid: i64) {
        let mut issued =
            self.tokens_issued.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *issued.entry(agentid).or_default() += 1;
    }

    /// `{"calls": {path: n, …}, "gettoken_ok": {agentid: n, …}}`.
    pub(crate) fn to_json(&self) -> serde_json::Value {
        let mut calls = serde_json::Map::new();
        for (i, path) in PATHS.iter().chain(std::iter::once(&"other")).enumerate() {
            calls.insert((*path).to_owned(), self.calls[i].load(Ordering::Relaxed).into());
        }
        let issued = self.tokens_issued.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let issued: serde_json::Map<String, serde_json::Value> =
            issued.iter().map(|(a, n)| (a.to_string(), (*n).into())).collect();
        serde_json::json!({ "calls": calls, "gettoken_ok": issued })
    }

    /// Zeroes every counter.
    pub(crate) fn reset(&self) {
        for c in &self.calls {
            c.store(0, Ordering::Relaxed);
        }
        self.tokens_issued.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
    }
}
