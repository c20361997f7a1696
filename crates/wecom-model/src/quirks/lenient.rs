//! Lenient readers for the quirks of WeCom's response fields.
//!
//! Responses are read generously once WeCom has acted (a message delivered, a file stored):
//! failing then would make the caller repeat an action that already happened. So ids may be
//! strings or numbers, `|`-joined lists may also arrive as arrays, and absent or `null`
//! fields mean empty.

use std::fmt;

use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::split_pipes;

// Both readers below are hand-written visitors rather than `#[serde(untagged)]` enums:
// untagged enums buffer every value before trying the variants, which made reading a send
// receipt a measurable share of the client's CPU time per message.

enum StringOrNumber {
    String(String),
    Int(i64),
    Uint(u64),
    Float(f64),
}

impl<'de> Deserialize<'de> for StringOrNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = StringOrNumber;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(StringOrNumber::String(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(StringOrNumber::String(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(StringOrNumber::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(StringOrNumber::Uint(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(StringOrNumber::Float(v))
            }
        }
        d.deserialize_any(V)
    }
}

enum ListForm {
    Joined(String),
    Items(Vec<StringOrNumber>),
}

impl<'de> Deserialize<'de> for ListForm {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ListForm;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a `|`-joined string or an array")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(ListForm::Joined(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(ListForm::Joined(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(ListForm::Items(items))
            }
        }
        d.deserialize_any(V)
    }
}

fn to_string(value: StringOrNumber) -> String {
    match value {
        StringOrNumber::String(s) => s,
        StringOrNumber::Int(n) => n.to_string(),
        StringOrNumber::Uint(n) => n.to_string(),
        StringOrNumber::Float(n) => n.to_string(),
    }
}

/// A string, or a number rendered as one; `null` → empty.
pub fn string_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<StringOrNumber>::deserialize(d)?.map(to_string).unwrap_or_default())
}

/// A non-empty string or number as `Some`; `null` or `""` → `None`.
pub fn opt_string_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<StringOrNumber>::deserialize(d)?.map(to_string).filter(|s| !s.is_empty()))
}

/// A `|`-joined string (or an array) as a list; empty parts are dropped; `null` → empty.
///
/// `update_template_card` documents `invaliduser` as an array while `message/send` uses a
/// string; reading both keeps a response from failing to decode over that difference.
pub fn id_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(match Option::<ListForm>::deserialize(d)? {
        None => Vec::new(),
        Some(ListForm::Joined(s)) if s.is_empty() => Vec::new(),
        Some(ListForm::Joined(s)) => split_pipes(&s).map(str::to_owned).collect(),
        Some(ListForm::Items(items)) => {
            items.into_iter().map(to_string).filter(|p| !p.is_empty()).collect()
        }
    })
}

/// An integer given as a number or as a string of digits (`created_at` of `media/upload`).
pub fn int_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    match StringOrNumber::deserialize(d)? {
        StringOrNumber::Int(n) => Ok(n),
        StringOrNumber::Uint(n) => i64::try_from(n).map_err(serde::de::Error::custom),
        StringOrNumber::String(s) => s.trim().parse().map_err(|_| {
            serde::de::Error::custom(format!(
                "expected an integer or a string of digits, got {s:?}"
            ))
        }),
        StringOrNumber::Float(n) => {
            Err(serde::de::Error::custom(format!("expected an integer, got {n}")))
        }
    }
}

/// Like [`string_lenient`], into an id type (`MsgId`, `MediaId` …).
pub fn id_lenient<'de, D: Deserializer<'de>, T: From<String>>(d: D) -> Result<T, D::Error> {
    string_lenient(d).map(T::from)
}

/// Like [`opt_string_lenient`], into an id type.
pub fn opt_id_lenient<'de, D: Deserializer<'de>, T: From<String>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    opt_string_lenient(d).map(|v| v.map(T::from))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[derive(Deserialize, Debug)]
    struct Probe {
        #[serde(default, deserialize_with = "id_list")]
        list: Vec<String>,
        #[serde(default, deserialize_with = "opt_string_lenient")]
        code: Option<String>,
        #[serde(default, deserialize_with = "string_lenient")]
        id: String,
    }

    fn probe(v: serde_json::Value) -> Probe {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn lists_from_joined_strings_arrays_and_nothing() {
        assert_eq!(probe(json!({"list": "a|b||c"})).list, ["a", "b", "c"]);
        assert_eq!(probe(json!({"list": ["x", 7]})).list, ["x", "7"]);
        assert!(probe(json!({"list": ""})).list.is_empty());
        assert!(probe(json!({"list": null})).list.is_empty());
        assert!(probe(json!({})).list.is_empty());
    }

    #[test]
    fn lists_read_arrays_strings_and_null() {
        #[derive(Deserialize)]
        struct R {
            #[serde(default, deserialize_with = "id_list")]
            v: Vec<String>,
        }
        let read = |s: &str| serde_json::from_str::<R>(s).unwrap().v;
        assert_eq!(read(r#"{"v":["a","b"]}"#), ["a", "b"]);
        assert_eq!(read(r#"{"v":"a|b"}"#), ["a", "b"]);
        assert_eq!(read(r#"{"v":null}"#), Vec::<String>::new());
        assert_eq!(read("{}"), Vec::<String>::new());
    }

    #[test]
    fn optional_strings_treat_empty_as_absent() {
        assert_eq!(probe(json!({"code": "rc"})).code.as_deref(), Some("rc"));
        assert_eq!(probe(json!({"code": ""})).code, None);
        assert_eq!(probe(json!({"id": 42})).id, "42");
        assert_eq!(probe(json!({})).id, "");
    }

    #[test]
    fn integers_from_numbers_or_digit_strings() {
        #[derive(Deserialize)]
        struct T {
            #[serde(deserialize_with = "int_lenient")]
            t: i64,
        }
        let t = |v| serde_json::from_value::<T>(v).map(|x| x.t);
        assert_eq!(t(json!({"t": "1380000000"})).unwrap(), 1_380_000_000);
        assert_eq!(t(json!({"t": 1_380_000_000})).unwrap(), 1_380_000_000);
        assert!(t(json!({"t": "soon"})).is_err());
        assert!(t(json!({"t": 1.5})).is_err());
    }
}
