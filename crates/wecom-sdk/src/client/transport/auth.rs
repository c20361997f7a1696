//! Where each try of a call gets its access token: the app's token from the token cache
//! ([`AppToken`]), or none at all ([`NoToken`], for `gettoken`). Two types rather than a flag
//! so that the call loop is compiled once per kind, and the `gettoken` loop holds no path
//! back into the token cache.

use crate::client::Client;
use crate::error::Result;
use crate::token::AccessToken;

/// Where each try of a call gets its access token. The call loop is generic over it, so that
/// the loop without a token is a function of its own (see the module documentation).
pub(super) trait Auth: Sync {
    /// Whether the requests carry the app's token (and count against the throttle).
    const AUTHENTICATED: bool;

    /// The token for the next try: any but `rejected`, the one WeCom just refused.
    fn token(
        &self,
        rejected: Option<AccessToken>,
    ) -> impl Future<Output = Result<Option<AccessToken>>> + Send;

    /// Forgets `token`, which WeCom refused.
    fn invalidate(&self, token: &AccessToken) -> impl Future<Output = Result<()>> + Send;
}

/// The app's token, from the client's token cache.
pub(super) struct AppToken<'a>(pub(super) &'a Client);

impl Auth for AppToken<'_> {
    const AUTHENTICATED: bool = true;

    async fn token(&self, rejected: Option<AccessToken>) -> Result<Option<AccessToken>> {
        self.0.token(rejected.as_ref()).await.map(Some)
    }

    async fn invalidate(&self, token: &AccessToken) -> Result<()> {
        self.0.inner.tokens.invalidate(token).await.map(drop)
    }
}

/// No token: `gettoken` itself. Never touches the token cache.
pub(super) struct NoToken;

impl Auth for NoToken {
    const AUTHENTICATED: bool = false;

    async fn token(&self, _rejected: Option<AccessToken>) -> Result<Option<AccessToken>> {
        Ok(None)
    }

    async fn invalidate(&self, _token: &AccessToken) -> Result<()> {
        Ok(())
    }
}
