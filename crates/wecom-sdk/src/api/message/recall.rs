//! `POST /cgi-bin/message/recall`: withdraw a message this app sent within the last 24 hours,
//! by the `msgid` its send returned.

use serde::Serialize;
use serde::de::IgnoredAny;
use wecom_model::MsgId;

use crate::client::{Call, Client, Replay};
use crate::error::{InvalidArgument, Result};

const RECALL: &str = "/cgi-bin/message/recall";

/// The body of `message/recall`.
#[derive(Serialize)]
struct RecallBody<'a> {
    msgid: &'a str,
}

impl Client {
    /// Recalls a message sent by this app within the last 24 hours (`message/recall`). Only
    /// the WeCom copy is withdrawn, not copies delivered to the WeChat plugin.
    ///
    /// Not repeated after a timeout (a second recall of a recalled message fails): on
    /// [`Error::Transport`](crate::Error::Transport) the outcome is unknown.
    pub async fn recall(&self, msgid: impl Into<MsgId>) -> Result<()> {
        let msgid: MsgId = msgid.into();
        if msgid.trim().is_empty() {
            return Err(InvalidArgument::new("msgid", "must not be empty").into());
        }
        let call = Call::post_json(RECALL, &RecallBody { msgid: &msgid })?.replay(Replay::Unsafe);
        // The answer is the bare envelope: nothing beyond `errcode` to read.
        let _: IgnoredAny = self.call(call).await?;
        Ok(())
    }
}
