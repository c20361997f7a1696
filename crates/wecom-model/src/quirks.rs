//! WeCom's wire quirks, kept in one place: 0/1 integers that mean booleans, small integer
//! enumerations and `|`-joined id lists on the request side, and (in `lenient`, re-exported
//! here) the generous readers for response fields — ids that are strings or numbers, lists that are
//! `|`-joined strings or arrays, timestamps sent as strings of digits.
//!
//! The model's public types use these helpers through `#[serde(with = …)]` /
//! `deserialize_with` attributes and never expose the wire spelling to callers; they are
//! public for the crates that build further wire types on the model (responses, callbacks).

mod lenient;

use std::fmt;

use serde::de::{self, Deserializer, Unexpected, Visitor};
use serde::{Deserialize, Serialize, Serializer};

pub use lenient::{
    id_lenient, id_list, int_lenient, opt_id_lenient, opt_string_lenient, string_lenient,
};

/// Defines a fieldless enum that travels as a small JSON integer.
///
/// Unknown integers are rejected while deserializing, naming the accepted values.
macro_rules! int_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// The integer WeCom uses for this value.
            $vis fn as_int(self) -> u8 {
                match self {
                    $( Self::$variant => $value, )+
                }
            }

            /// The value WeCom means by `n`, if it is one of the documented ones.
            $vis fn from_int(n: u64) -> Option<Self> {
                match n {
                    $( $value => Some(Self::$variant), )+
                    _ => None,
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_u8(self.as_int())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let n = <u64 as serde::Deserialize>::deserialize(deserializer)?;
                Self::from_int(n).ok_or_else(|| {
                    <D::Error as serde::de::Error>::invalid_value(
                        serde::de::Unexpected::Unsigned(n),
                        &concat!("one of" $(, " ", stringify!($value))+),
                    )
                })
            }
        }
    };
}
pub(crate) use int_enum;

/// `Option<bool>` on the wire as an optional `0`/`1` integer.
///
/// Use with `#[serde(default, with = "crate::quirks::opt_int_bool", skip_serializing_if =
/// "Option::is_none")]`. Reading also accepts JSON `true`/`false`, which some hand-written
/// bodies use; writing always produces the integer WeCom documents.
pub mod opt_int_bool {
    use super::{Deserialize, Deserializer, IntBool, Serializer};

    // `serde(with)` hands the field by reference.
    #[allow(clippy::ref_option, clippy::trivially_copy_pass_by_ref)]
    /// Writes `Some(b)` as `0`/`1`.
    pub fn serialize<S: Serializer>(value: &Option<bool>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(b) => s.serialize_u8(u8::from(*b)),
            None => s.serialize_none(),
        }
    }

    /// Reads `0`/`1` (or a missing field) back.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        Ok(Option::<IntBool>::deserialize(d)?.map(|IntBool(b)| b))
    }
}

/// A boolean that WeCom spells `0`/`1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntBool(pub bool);

impl Serialize for IntBool {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(u8::from(self.0))
    }
}

impl<'de> Deserialize<'de> for IntBool {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = IntBool;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("0 or 1")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<IntBool, E> {
                Ok(IntBool(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<IntBool, E> {
                match v {
                    0 => Ok(IntBool(false)),
                    1 => Ok(IntBool(true)),
                    _ => Err(E::invalid_value(Unexpected::Unsigned(v), &self)),
                }
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<IntBool, E> {
                match u64::try_from(v) {
                    Ok(u) => self.visit_u64(u),
                    Err(_) => Err(E::invalid_value(Unexpected::Signed(v), &self)),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// Writes a list as one `|`-joined string without spaces (`"alice|bob"`, `"2|7"`).
pub(crate) struct Joined<'a, T>(pub(crate) &'a [T]);

impl<T: fmt::Display> fmt::Display for Joined<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, item) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("|")?;
            }
            item.fmt(f)?;
        }
        Ok(())
    }
}

impl<T: fmt::Display> Serialize for Joined<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Splits a `|`-joined list, trimming the spaces some documentation examples put around the
/// pipes and dropping empty pieces.
pub(crate) fn split_pipes(s: &str) -> impl Iterator<Item = &str> {
    s.split('|').map(str::trim).filter(|piece| !piece.is_empty())
}

/// Parses a `|`-joined list of numeric ids (`toparty`, `totag`).
pub(crate) fn parse_id_list<E: de::Error>(field: &str, s: &str) -> Result<Vec<u64>, E> {
    split_pipes(s)
        .map(|piece| {
            piece
                .parse()
                .map_err(|_| E::custom(format_args!("`{field}`: `{piece}` is not a numeric id")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    int_enum! {
        enum Colour {
            Grey = 0,
            Red = 2,
        }
    }

    #[test]
    fn int_enum_round_trips_and_names_the_accepted_values() {
        assert_eq!(serde_json::to_string(&Colour::Red).unwrap(), "2");
        assert_eq!(serde_json::from_str::<Colour>("0").unwrap(), Colour::Grey);
        let err = serde_json::from_str::<Colour>("1").unwrap_err().to_string();
        assert!(err.contains("one of 0 2"), "{err}");
    }

    #[test]
    fn int_bool_reads_integers_and_booleans_and_writes_integers() {
        assert_eq!(serde_json::from_str::<IntBool>("1").unwrap(), IntBool(true));
        assert_eq!(serde_json::from_str::<IntBool>("false").unwrap(), IntBool(false));
        assert!(serde_json::from_str::<IntBool>("2").is_err());
        assert!(serde_json::from_str::<IntBool>("-1").is_err());
        assert!(serde_json::from_str::<IntBool>("\"1\"").is_err());
        assert_eq!(serde_json::to_string(&IntBool(true)).unwrap(), "1");
    }

    #[test]
    fn joined_has_no_spaces_and_split_tolerates_them() {
        let ids = ["alice".to_owned(), "bob".to_owned()];
        assert_eq!(serde_json::to_string(&Joined(&ids)).unwrap(), "\"alice|bob\"");
        assert_eq!(Joined::<u64>(&[]).to_string(), "");
        assert_eq!(split_pipes(" 2 | 7 ||").collect::<Vec<_>>(), ["2", "7"]);
        let parsed: Result<Vec<u64>, serde_json::Error> = parse_id_list("toparty", "2|x");
        assert!(parsed.unwrap_err().to_string().contains("`x` is not a numeric id"));
    }
}
