//! `GET /cgi-bin/getcallbackip`: the addresses WeCom sends callbacks from, for a firewall in
//! front of the callback server ([`Client::callback_ips`]).

use serde::Deserialize;

use crate::client::{Call, Client, Replay};
use crate::error::Result;

const GET_CALLBACK_IP: &str = "/cgi-bin/getcallbackip";

/// The answer to `getcallbackip` (beyond the envelope).
#[derive(Deserialize)]
struct CallbackIps {
    /// Addresses and CIDR ranges.
    #[serde(default, deserialize_with = "crate::quirks::id_list")]
    ip_list: Vec<String>,
}

impl Client {
    /// The IP addresses and ranges WeCom sends callbacks from (`getcallbackip`), for a
    /// firewall in front of the callback server. The list changes (old and new ranges
    /// overlap for a while): refresh it daily.
    ///
    /// ```no_run
    /// # async fn run(client: wecom::Client) -> wecom::Result<()> {
    /// for ip in client.callback_ips().await? {
    ///     println!("allow {ip}");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn callback_ips(&self) -> Result<Vec<String>> {
        let reply: CallbackIps = self.call(Call::get(GET_CALLBACK_IP).replay(Replay::Safe)).await?;
        Ok(reply.ip_list)
    }
}
