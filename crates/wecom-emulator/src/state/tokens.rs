//! Access tokens: issued per app by `gettoken`, checked on every API call. A token is known
//! until well after it expires, so an expired token answers 42001 rather than 40014; tokens
//! revoked early through the admin API answer the code chosen there (42001 or 40014 — WeCom
//! uses both for tokens it invalidated).

use crate::hash::FxHashMap as HashMap;

use serde::{Deserialize, Serialize};

use crate::api::error::{ApiError, code};
use crate::ids;

/// How long an expired token is remembered (and answers 42001) before it becomes unknown.
const REMEMBER_EXPIRED_MS: i64 = 7 * 24 * 3600 * 1000;

/// One issued token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct TokenEntry {
    pub(crate) agentid: i64,
    pub(crate) expires_ms: i64,
    /// Set when revoked early: the errcode it now answers.
    #[serde(default)]
    pub(crate) revoked: Option<i64>,
}

/// Every token issued, by value.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Tokens {
    by_token: HashMap<String, TokenEntry>,
}

impl Tokens {
    /// The app a token belongs to, or the errcode WeCom answers for it.
    /// `expired_code` is what an expired token answers (42001 or 40014).
    pub(crate) fn check(
        &self,
        token: &str,
        now_ms: i64,
        expired_code: i64,
    ) -> Result<i64, ApiError> {
        match self.by_token.get(token) {
            None => Err(ApiError::new(
                code::INVALID_ACCESS_TOKEN,
                "access_token is not one this corp issued",
            )),
            Some(TokenEntry { revoked: Some(errcode), .. }) => {
                Err(ApiError::new(*errcode, "access_token was invalidated early"))
            }
            Some(e) if e.expires_ms <= now_ms => {
                Err(ApiError::new(expired_code, "access_token has expired, get a new one"))
            }
            Some(e) => Ok(e.agentid),
        }
    }

    /// Returns a token for the app and its remaining lifetime in seconds: the live one when
    /// `reuse` and one exists, a new one otherwise.
    pub(crate) fn issue(
        &mut self,
        agentid: i64,
        ttl_secs: u64,
        reuse: bool,
        now_ms: i64,
    ) -> (String, i64) {
        self.by_token.retain(|_, e| e.expires_ms + REMEMBER_EXPIRED_MS > now_ms);
        if reuse {
            let live = self
                .by_token
                .iter()
                .filter(|(_, e)| {
                    e.agentid == agentid && e.revoked.is_none() && e.expires_ms > now_ms
                })
                .max_by_key(|(_, e)| e.expires_ms);
            if let Some((token, e)) = live {
                let left = (e.expires_ms - now_ms + 999) / 1000;
                return (token.clone(), left);
            }
        }
        let token = ids::random_token(128);
        let ttl_ms = i64::try_from(ttl_secs.saturating_mul(1000)).unwrap_or(i64::MAX / 4);
        self.by_token.insert(
            token.clone(),
            TokenEntry { agentid, expires_ms: now_ms + ttl_ms, revoked: None },
        );
        (token, i64::try_from(ttl_secs).unwrap_or(i64::MAX))
    }

    /// Revokes every live token (of one app, or all) so it answers `errcode`; returns how many.
    pub(crate) fn revoke(&mut self, agentid: Option<i64>, errcode: i64, now_ms: i64) -> usize {
        let mut n = 0;
        for e in self.by_token.values_mut() {
            if agentid.is_none_or(|a| a == e.agentid)
                && e.revoked.is_none()
                && e.expires_ms > now_ms
            {
                e.revoked = Some(errcode);
                n += 1;
            }
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::Tokens;

    #[test]
    fn lifecycle_valid_expired_revoked_unknown() {
        let mut t = Tokens::default();
        let (tok, ttl) = t.issue(7, 7200, true, 0);
        assert_eq!(ttl, 7200);
        assert_eq!(t.check(&tok, 7_199_999, 42001).unwrap(), 7);
        assert_eq!(t.check(&tok, 7_200_000, 42001).unwrap_err().errcode, 42001);
        assert_eq!(t.check("nope", 0, 42001).unwrap_err().errcode, 40014);
        let (again, left) = t.issue(7, 7200, true, 3_600_000);
        assert_eq!((again.as_str(), left), (tok.as_str(), 3600));
        assert_eq!(t.revoke(Some(7), 40014, 3_600_000), 1);
        assert_eq!(t.check(&tok, 3_600_000, 42001).unwrap_err().errcode, 40014);
        let (fresh, _) = t.issue(7, 7200, true, 3_600_000);
        assert_ne!(fresh, tok);
    }
}
