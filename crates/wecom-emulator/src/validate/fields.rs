//! Typed access to the fields of a JSON object, with errors that name the field path.
//!
//! Absent, `null` and — for objects — "every field at its zero value" all read as absent:
//! Go clients serialize struct fields they never set as `0`, `""`, `false`, `null` or a
//! nested object of those (PowerWeChat's `card_image: {"url": "", "aspect_ratio": 0}`), and
//! WeCom treats such a field as not given.

use std::ops::RangeInclusive;

use serde_json::{Map, Value};

use crate::api::error::{ApiError, code};

/// Maximum length of any URL field, in bytes (the reference's limit for `url`/`picurl`).
pub(crate) const MAX_URL_BYTES: usize = 2048;

/// A JSON object and its path in the request (such as `template_card.main_title`).
#[derive(Clone, Copy)]
pub(crate) struct Obj<'a> {
    pub(crate) map: &'a Map<String, Value>,
    pub(crate) path: &'a str,
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Whether a value is what a Go client sends for a field it never set.
pub(crate) fn is_zero(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.values().all(is_zero),
    }
}

impl<'a> Obj<'a> {
    pub(crate) fn new(map: &'a Map<String, Value>, path: &'a str) -> Self {
        Self { map, path }
    }

    /// `path.key`.
    pub(crate) fn field(&self, key: &str) -> String {
        if self.path.is_empty() { key.to_owned() } else { format!("{}.{key}", self.path) }
    }

    fn mistyped(&self, key: &str, want: &str, got: &Value) -> ApiError {
        ApiError::wrong_json(format!("{} must be {want}, got {}", self.field(key), type_name(got)))
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// An optional integer that may also come as a string of digits (`"safe": "0"`,
    /// `"agentid": "1000002"`): WxJava sends `safe` and other integer fields as strings, and
    /// WeCom's parser reads them as numbers. An empty string reads as absent. Anything else —
    /// `"abc"`, `"1.5"`, `" 1"`, a boolean — is still wrong JSON.
    pub(crate) fn lenient_int(&self, key: &str) -> Result<Option<i64>, ApiError> {
        match self.get(key) {
            Some(v @ Value::String(s)) => {
                if s.is_empty() {
                    return Ok(None);
                }
                let digits = s.strip_prefix('-').unwrap_or(s);
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(self.mistyped(key, "an integer", v));
                }
                s.parse().map(Some).map_err(|_| self.mistyped(key, "an integer", v))
            }
            _ => self.int(key),
        }
    }

    /// [`Self::lenient_int`] within `range` (40058 outside it).
    pub(crate) fn lenient_int_in(
        &self,
        key: &str,
        range: RangeInclusive<i64>,
    ) -> Result<Option<i64>, ApiError> {
        let value = self.lenient_int(key)?;
        self.in_range(key, value, &range)
    }

    /// An optional string.
    pub(crate) fn str(&self, key: &str) -> Result<Option<&'a str>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(v) => Err(self.mistyped(key, "a string", v)),
        }
    }

    /// A required non-empty string; absent or empty answers `missing`.
    pub(crate) fn req_str(&self, key: &str, missing: i64) -> Result<&'a str, ApiError> {
        match self.str(key)? {
            Some(s) if !s.is_empty() => Ok(s),
            _ => Err(ApiError::new(missing, format!("{} is required", self.field(key)))),
        }
    }

    /// An optional integer.
    pub(crate) fn int(&self, key: &str) -> Result<Option<i64>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some(v @ Value::Number(n)) => {
                n.as_i64().map(Some).ok_or_else(|| self.mistyped(key, "an integer", v))
            }
            Some(v) => Err(self.mistyped(key, "an integer", v)),
        }
    }

    /// An optional integer within `range` (40058 outside it).
    pub(crate) fn int_in(
        &self,
        key: &str,
        range: RangeInclusive<i64>,
    ) -> Result<Option<i64>, ApiError> {
        let value = self.int(key)?;
        self.in_range(key, value, &range)
    }

    fn in_range(
        &self,
        key: &str,
        value: Option<i64>,
        range: &RangeInclusive<i64>,
    ) -> Result<Option<i64>, ApiError> {
        if let Some(v) = value
            && !range.contains(&v)
        {
            return Err(ApiError::new(
                code::INVALID_PARAMETER,
                format!(
                    "{} must be {} to {}, got {v}",
                    self.field(key),
                    range.start(),
                    range.end()
                ),
            ));
        }
        Ok(value)
    }

    /// An optional boolean (a JSON `true`/`false`, not 0/1).
    pub(crate) fn bool(&self, key: &str) -> Result<Option<bool>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(v) => Err(self.mistyped(key, "a boolean", v)),
        }
    }

    /// An optional number.
    pub(crate) fn f64(&self, key: &str) -> Result<Option<f64>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => Ok(n.as_f64()),
            Some(v) => Err(self.mistyped(key, "a number", v)),
        }
    }

    /// An optional part of a card: as [`Self::obj`], but an object whose fields are all zero
    /// values reads as absent (see the module documentation).
    pub(crate) fn opt_obj(&self, key: &str) -> Result<Option<&'a Map<String, Value>>, ApiError> {
        Ok(self.obj(key)?.filter(|m| !m.values().all(is_zero)))
    }

    /// An optional object (its path is `path.key`).
    pub(crate) fn obj(&self, key: &str) -> Result<Option<&'a Map<String, Value>>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Object(m)) => Ok(Some(m)),
            Some(v) => Err(self.mistyped(key, "an object", v)),
        }
    }

    /// An optional array.
    pub(crate) fn arr(&self, key: &str) -> Result<Option<&'a Vec<Value>>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(a)) => Ok(Some(a)),
            Some(v) => Err(self.mistyped(key, "an array", v)),
        }
    }

    /// A required array of `min..=max` items; absent answers `missing`, too long `too_long`
    /// (both with the limit in the message).
    pub(crate) fn arr_len(
        &self,
        key: &str,
        min: usize,
        max: usize,
        too_long: i64,
    ) -> Result<&'a Vec<Value>, ApiError> {
        let Some(items) = self.arr(key)? else {
            return Err(ApiError::new(
                code::EMPTY_PARAMETER,
                format!("{} is required", self.field(key)),
            ));
        };
        if items.len() < min {
            return Err(ApiError::new(
                code::EMPTY_PARAMETER,
                format!("{} needs at least {min} item(s)", self.field(key)),
            ));
        }
        if items.len() > max {
            return Err(ApiError::new(
                too_long,
                format!("{} has {} items, max {max}", self.field(key), items.len()),
            ));
        }
        Ok(items)
    }

    /// Checks a byte-length hard limit.
    pub(crate) fn max_bytes(
        &self,
        key: &str,
        value: &str,
        max: usize,
        errcode: i64,
    ) -> Result<(), ApiError> {
        if value.len() > max {
            return Err(ApiError::new(
                errcode,
                format!("{} is {} bytes, max {max} bytes", self.field(key), value.len()),
            ));
        }
        Ok(())
    }

    /// Checks a URL: `http://` or `https://` (45034), at most 2,048 bytes (40058).
    pub(crate) fn url(&self, key: &str, value: &str) -> Result<(), ApiError> {
        let lower = value.get(..8).unwrap_or(value).to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            return Err(ApiError::new(
                code::URL_MISSING_SCHEME,
                format!("{} must start with http:// or https://", self.field(key)),
            ));
        }
        self.max_bytes(key, value, MAX_URL_BYTES, code::INVALID_PARAMETER)
    }

    /// A required URL.
    pub(crate) fn req_url(&self, key: &str) -> Result<&'a str, ApiError> {
        let v = self.req_str(key, code::EMPTY_PARAMETER)?;
        self.url(key, v)?;
        Ok(v)
    }

    /// An optional URL (empty counts as absent).
    pub(crate) fn opt_url(&self, key: &str) -> Result<Option<&'a str>, ApiError> {
        match self.str(key)? {
            Some(v) if !v.is_empty() => {
                self.url(key, v)?;
                Ok(Some(v))
            }
            _ => Ok(None),
        }
    }

    /// Item `i` of an array, which must be an object; `path` is the caller's `key[i]`.
    pub(crate) fn item<'p>(value: &'a Value, path: &'p str) -> Result<Obj<'p>, ApiError>
    where
        'a: 'p,
    {
        match value {
            Value::Object(m) => Ok(Obj::new(m, path)),
            v => {
                Err(ApiError::wrong_json(format!("{path} must be an object, got {}", type_name(v))))
            }
        }
    }
}
