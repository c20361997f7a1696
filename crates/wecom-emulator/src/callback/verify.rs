//! WeCom's callback URL verification (§6.2): when an admin saves a callback URL, WeCom sends
//! `GET url?msg_signature=…&timestamp=…&nonce=…&echostr=…` and the app must answer, within
//! one second, exactly the decrypted `echostr`.

use std::time::Duration;

use rand::RngExt;
use wecom_msgcrypt::{MsgCrypt, Stamp};

use crate::state::EmulatorState;

/// Percent-encodes the Base64 characters that are not URL-safe.
fn encode_query_value(v: &str) -> String {
    v.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D")
}

/// Runs the verification against `url`; `Err` says what the app did wrong.
pub(crate) async fn verify_url(
    state: &EmulatorState,
    crypt: &MsgCrypt,
    url: &str,
) -> Result<(), String> {
    let echo = rand::rng().random_range(1_000_000_000_000_000_000u64..=u64::MAX).to_string();
    let stamp = Stamp::at(u64::try_from(state.clock().now_secs()).unwrap_or(0));
    let (timestamp, nonce) = (stamp.timestamp(), stamp.nonce());
    let encrypted =
        crypt.encrypt(&echo, timestamp, nonce).map_err(|e| format!("encryption failed: {e}"))?;
    let sep = if url.contains('?') { '&' } else { '?' };
    let full = format!(
        "{url}{sep}msg_signature={}&timestamp={timestamp}&nonce={nonce}&echostr={}",
        encrypted.msg_signature,
        encode_query_value(&encrypted.encrypt)
    );
    let resp =
        state.inner.http.get(&full).timeout(Duration::from_secs(1)).send().await.map_err(|e| {
            if e.is_timeout() {
                "no answer within 1 s".to_owned()
            } else {
                format!("request failed: {}", e.without_url())
            }
        })?;
    if resp.status() != reqwest::StatusCode::OK {
        return Err(format!("answered HTTP {}", resp.status()));
    }
    let body =
        resp.text().await.map_err(|e| format!("reading the answer failed: {}", e.without_url()))?;
    if body != echo {
        return Err(format!(
            "answered {:?} instead of the decrypted echostr (exactly the plaintext, no quotes or newline)",
            body.chars().take(64).collect::<String>()
        ));
    }
    Ok(())
}
