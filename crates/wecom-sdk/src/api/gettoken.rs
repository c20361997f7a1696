//! `GET /cgi-bin/gettoken`: exchange the corp id and the app's secret for an access token.
//!
//! Called only by the token cache (single flight, see [`token`](crate::token)); callers get
//! tokens from [`Client::access_token`]. A wrong secret or corp id comes back as
//! [`Error::Credentials`], which is never retried: WeCom blocks an IP for an hour after
//! repeated wrong secrets.

use std::time::{Duration, SystemTime};

use serde::Deserialize;

use crate::client::{Call, Client, Replay};
use crate::error::{Error, Result, codes};
use crate::token::{AccessToken, CachedToken};

const GETTOKEN: &str = "/cgi-bin/gettoken";

/// The answer to `gettoken` (beyond the envelope). Deliberately not `Debug`: it holds the
/// token.
#[derive(Deserialize)]
struct TokenReply {
    access_token: String,
    expires_in: u64,
}

impl Client {
    /// `gettoken`: never retried on an errcode other than −1 (40001 here means a wrong
    /// secret, and repeating it gets the IP blocked for an hour).
    ///
    /// Sent through [`call_without_token`](Client::call_without_token), which never asks the
    /// token cache for a token: a fetch cannot start another fetch, whatever WeCom answers.
    pub(crate) async fn fetch_token(&self) -> Result<CachedToken> {
        let call = Call::get(GETTOKEN)
            .query("corpid", self.corp_id())
            .query("corpsecret", self.secret().expose())
            .replay(Replay::Safe);
        let obtained_at = SystemTime::now();
        let reply: TokenReply = self.call_without_token(call).await.map_err(|err| match err {
            Error::Api { code, msg }
                if matches!(
                    code,
                    codes::INVALID_SECRET
                        | codes::INVALID_CORP_ID
                        | codes::MISSING_CORP_ID
                        | codes::MISSING_SECRET
                ) =>
            {
                Error::Credentials { code, msg }
            }
            other => other,
        })?;
        if reply.access_token.is_empty() || reply.expires_in == 0 {
            return Err(Error::Http {
                path: GETTOKEN.into(),
                status: 200,
                body: format!(
                    "gettoken returned an unusable token (empty: {}, expires_in: {})",
                    reply.access_token.is_empty(),
                    reply.expires_in
                ),
            });
        }
        Ok(CachedToken::new(
            AccessToken::new(reply.access_token),
            obtained_at,
            Duration::from_secs(reply.expires_in),
        ))
    }
}
