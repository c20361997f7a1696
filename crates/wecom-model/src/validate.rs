//! Building blocks for checking request values against WeCom's documented limits before any
//! I/O: field paths that read like the JSON body (`template_card.button_list[2].key`), and
//! checks that say which limit was broken and by how much.
//!
//! Paths are built on the stack and only rendered into a string when a check fails, so
//! validating a valid request allocates nothing.

use std::fmt;

use crate::InvalidArgument;

/// The outcome of a check.
pub type Check = Result<(), InvalidArgument>;

/// The path of a value inside a request body, rendered as `a.b[2].c`.
#[derive(Debug, Clone, Copy)]
pub enum Path<'a> {
    /// A top-level field of the body.
    Root(&'static str),
    /// A named field of an object.
    Field(&'a Path<'a>, &'static str),
    /// An element of an array.
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    /// A top-level field.
    pub const fn root(name: &'static str) -> Path<'static> {
        Path::Root(name)
    }

    /// The field `name` of this object.
    pub fn field(&self, name: &'static str) -> Path<'_> {
        Path::Field(self, name)
    }

    /// Element `index` of this array.
    pub fn index(&self, index: usize) -> Path<'_> {
        Path::Index(self, index)
    }

    /// An error for this path.
    pub fn error(&self, problem: impl Into<String>) -> InvalidArgument {
        InvalidArgument::new(self.to_string(), problem)
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // A field of the unnamed root (a card validated on its own) is just its name.
            Path::Root(name) | Path::Field(Path::Root(""), name) => f.write_str(name),
            Path::Field(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// `s` must not be empty.
pub fn non_empty(path: &Path<'_>, s: &str) -> Check {
    if s.is_empty() { Err(path.error("is required and must not be empty")) } else { Ok(()) }
}

/// `s` must be at most `max` bytes of UTF-8.
pub fn max_bytes(path: &Path<'_>, s: &str, max: usize) -> Check {
    if s.len() > max {
        Err(path.error(format!("must be at most {max} bytes of UTF-8 (got {} bytes)", s.len())))
    } else {
        Ok(())
    }
}

/// `s` must be at most `max` characters.
pub fn max_chars(path: &Path<'_>, s: &str, max: usize) -> Check {
    // Counting characters is only needed when the byte length could exceed the limit.
    if s.len() <= max {
        return Ok(());
    }
    let chars = s.chars().count();
    if chars > max {
        Err(path.error(format!("must be at most {max} characters (got {chars})")))
    } else {
        Ok(())
    }
}

/// A required string: present, non-empty and at most `max` bytes.
pub fn required(path: &Path<'_>, s: &str, max: usize) -> Check {
    non_empty(path, s)?;
    max_bytes(path, s, max)
}

/// An optional string of at most `max` bytes.
pub fn optional(path: &Path<'_>, s: Option<&String>, max: usize) -> Check {
    s.map_or(Ok(()), |s| max_bytes(path, s, max))
}

/// A list must have between `min` and `max` items.
pub fn count(path: &Path<'_>, len: usize, min: usize, max: usize) -> Check {
    if len < min || len > max {
        let rule = if min == 0 {
            format!("must have at most {max} items")
        } else if min == max {
            format!("must have exactly {min} items")
        } else {
            format!("must have {min} to {max} items")
        };
        Err(path.error(format!("{rule} (got {len})")))
    } else {
        Ok(())
    }
}

/// The string values `field` of the items of the list at `list` must all differ.
///
/// `values` yields `(index, value)`; the lists are short (at most 20 items), so a quadratic
/// scan beats hashing and allocates nothing.
pub fn unique<'s>(
    list: &Path<'_>,
    field: &'static str,
    values: impl Iterator<Item = (usize, &'s str)> + Clone,
) -> Check {
    let all = values.clone();
    for (i, value) in values {
        if let Some((first, _)) = all.clone().take_while(|(j, _)| *j < i).find(|(_, v)| *v == value)
        {
            let item = list.index(i);
            return Err(item.field(field).error(format!(
                "must be unique within {list}, but repeats {list}[{first}].{field}"
            )));
        }
    }
    Ok(())
}

/// A URL WeCom opens itself: it must start with `http://` or `https://` (errcode 45034).
pub fn http_url(path: &Path<'_>, url: &str) -> Check {
    let has_scheme = |scheme: &str| {
        url.get(..scheme.len()).is_some_and(|head| head.eq_ignore_ascii_case(scheme))
    };
    if has_scheme("http://") || has_scheme("https://") {
        Ok(())
    } else {
        Err(path.error("must start with http:// or https://"))
    }
}

/// A field that the message or card kind does not allow.
pub fn not_allowed(path: &Path<'_>, why: impl fmt::Display) -> InvalidArgument {
    path.error(format!("is not allowed {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_render_like_the_json_body() {
        let root = Path::root("template_card");
        let list = root.field("button_list");
        let item = list.index(2);
        assert_eq!(item.field("key").to_string(), "template_card.button_list[2].key");
        assert_eq!(Path::root("touser").to_string(), "touser");
    }

    #[test]
    fn checks_name_the_limit_and_the_actual_size() {
        let p = Path::root("text");
        let e = max_bytes(&p.field("content"), "ééé", 5).unwrap_err();
        assert_eq!(e.field, "text.content");
        assert_eq!(e.problem, "must be at most 5 bytes of UTF-8 (got 6 bytes)");
        assert!(max_bytes(&p, "ééé", 6).is_ok());
        assert!(max_chars(&p, "ééé", 3).is_ok());
        assert_eq!(
            max_chars(&p, "éééé", 3).unwrap_err().problem,
            "must be at most 3 characters (got 4)"
        );
        assert_eq!(count(&p, 9, 1, 8).unwrap_err().problem, "must have 1 to 8 items (got 9)");
        assert_eq!(count(&p, 7, 0, 6).unwrap_err().problem, "must have at most 6 items (got 7)");
        assert!(count(&p, 0, 0, 6).is_ok());
        assert!(non_empty(&p, "").is_err());
    }

    #[test]
    fn unique_points_at_the_repeat_and_the_first_occurrence() {
        let list = Path::root("keys");
        let values = ["a", "b", "c", "b"];
        let e = unique(&list, "key", values.iter().copied().enumerate()).unwrap_err();
        assert_eq!(e.field, "keys[3].key");
        assert!(e.problem.contains("keys[1].key"), "{}", e.problem);
        assert!(unique(&list, "key", ["a", "b"].iter().copied().enumerate()).is_ok());
    }

    #[test]
    fn http_url_wants_a_web_scheme() {
        let p = Path::root("url");
        assert!(http_url(&p, "https://example.com").is_ok());
        assert!(http_url(&p, "HTTP://EXAMPLE.COM").is_ok());
        assert!(http_url(&p, "example.com").is_err());
        assert!(http_url(&p, "ftp://example.com").is_err());
        assert!(http_url(&p, "http:/x").is_err());
        assert!(http_url(&p, "ht").is_err());
    }
}
