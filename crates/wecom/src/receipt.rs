//! [`SendReceipt`]: what `message/send` reports back.

use serde::Deserialize;

use crate::quirks;

/// The result of a successful `message/send`.
///
/// WeCom delivers to the valid recipients even when some are invalid; those come back here
/// (with `errcode` 0), lower-cased for user ids. The lists are parsed from WeCom's
/// `|`-joined strings; absent or empty means none.
///
/// ```
/// let receipt: wecom::SendReceipt = serde_json::from_str(
///     r#"{"errcode":0,"errmsg":"ok","invaliduser":"bob|eve","msgid":"m-1"}"#,
/// ).unwrap();
/// assert_eq!(receipt.msgid, "m-1");
/// assert_eq!(receipt.invalid_users, ["bob", "eve"]);
/// assert!(!receipt.all_delivered());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[non_exhaustive]
pub struct SendReceipt {
    /// The message id, for [`Client::recall`](crate::Client::recall). Empty only if WeCom
    /// omitted it.
    #[serde(default, deserialize_with = "quirks::string_lenient")]
    pub msgid: String,
    /// The single-use code for `message/update_template_card` (valid 72 hours), returned for
    /// interactive template cards only.
    #[serde(default, deserialize_with = "quirks::opt_string_lenient")]
    pub response_code: Option<String>,
    /// `invaliduser`: user ids that did not receive the message.
    #[serde(default, rename = "invaliduser", deserialize_with = "quirks::id_list")]
    pub invalid_users: Vec<String>,
    /// `invalidparty`: department ids that did not receive the message.
    #[serde(default, rename = "invalidparty", deserialize_with = "quirks::id_list")]
    pub invalid_parties: Vec<String>,
    /// `invalidtag`: tag ids that did not receive the message.
    #[serde(default, rename = "invalidtag", deserialize_with = "quirks::id_list")]
    pub invalid_tags: Vec<String>,
    /// `unlicenseduser`: members in range without a basic API licence (also not delivered).
    #[serde(default, rename = "unlicenseduser", deserialize_with = "quirks::id_list")]
    pub unlicensed_users: Vec<String>,
    /// Members the client's [`Throttle`](crate::Throttle) held back in
    /// [`OnLimit::Report`](crate::OnLimit::Report) mode: the message was **not** sent to them
    /// because it would have exceeded their per-member limit (WeCom would have dropped it
    /// silently). Spelled as given. Never part of WeCom's answer.
    #[serde(skip)]
    pub held_back: Vec<String>,
}

impl SendReceipt {
    /// Whether every named recipient was valid and licensed, and none was held back.
    pub fn all_delivered(&self) -> bool {
        self.held_back.is_empty()
            && self.invalid_users.is_empty()
            && self.invalid_parties.is_empty()
            && self.invalid_tags.is_empty()
            && self.unlicensed_users.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_receipt_from_the_documented_response() {
        let r: SendReceipt = serde_json::from_str(
            r#"{"errcode":0,"errmsg":"ok","invaliduser":"userid1|userid2","invalidparty":"partyid1|partyid2",
                "invalidtag":"tagid1|tagid2","unlicenseduser":"userid3|userid4","msgid":"xxxx",
                "response_code":"xyzxyz"}"#,
        )
        .unwrap();
        assert_eq!(r.msgid, "xxxx");
        assert_eq!(r.response_code.as_deref(), Some("xyzxyz"));
        assert_eq!(r.invalid_users, ["userid1", "userid2"]);
        assert_eq!(r.invalid_parties, ["partyid1", "partyid2"]);
        assert_eq!(r.invalid_tags, ["tagid1", "tagid2"]);
        assert_eq!(r.unlicensed_users, ["userid3", "userid4"]);
        assert!(!r.all_delivered());
    }

    #[test]
    fn absent_and_empty_fields_are_empty() {
        let r: SendReceipt = serde_json::from_str(
            r#"{"errcode":0,"errmsg":"ok","invaliduser":"","response_code":"","msgid":"m"}"#,
        )
        .unwrap();
        assert_eq!(r, SendReceipt { msgid: "m".into(), ..SendReceipt::default() });
        assert!(r.all_delivered());
    }
}
