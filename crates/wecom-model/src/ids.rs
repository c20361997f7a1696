//! Ids that travel from one call to another, each with its own type: the message id a send
//! returns and a recall takes ([`MsgId`]), the media id an upload returns and a message
//! carries ([`MediaId`]), and the single-use code a card send or a card callback returns and a
//! card update takes ([`ResponseCode`]). The task id of a card is [`TaskId`](crate::TaskId).
//!
//! They are strings on the wire (`#[serde(transparent)]`) and read like strings in code
//! (`Deref<Target = str>`, `Display`, comparisons with `&str` and `String`), so a receipt's
//! `msgid == "m-1"` still holds; the type only stops one kind of id from being passed where
//! another belongs.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Serialize};

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The id as WeCom spells it.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id as an owned string.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&String> for $name {
            fn from(id: &String) -> Self {
                Self(id.clone())
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl From<&$name> for $name {
            fn from(id: &$name) -> Self {
                id.clone()
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl From<&$name> for String {
            fn from(id: &$name) -> String {
                id.0.clone()
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == other.0
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }
    };
}

string_id! {
    /// A message id (`msgid`): returned by `message/send`, taken by `message/recall`.
    MsgId
}

string_id! {
    /// A temporary media id (`media_id`): returned by `media/upload` (valid three days), put
    /// in image, voice, video and file messages.
    MediaId
}

string_id! {
    /// The single-use code (`response_code`, valid 72 hours) of an interactive card: returned
    /// by `message/send` and by a card callback, taken by `message/update_template_card`.
    ResponseCode
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_strings_on_the_wire_and_compare_with_strings() {
        let id: MsgId = serde_json::from_str("\"m-1\"").unwrap();
        assert_eq!(id, "m-1");
        assert_eq!("m-1", id);
        assert_eq!(id, String::from("m-1"));
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"m-1\"");
        assert_eq!(id.len(), 3);
        assert_eq!(format!("{id}"), "m-1");
        let code = ResponseCode::from("rc");
        assert_eq!(String::from(&code), "rc");
        assert_ne!(MediaId::new("a"), MediaId::new("b"));
    }
}
