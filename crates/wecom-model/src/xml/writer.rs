//! Writing WeCom's XML documents: CDATA for text, bare numbers, and the checks that keep the output
//! well-formed.
//!
//! Text goes into CDATA sections; a `]]>` inside the text is split across two sections
//! (`]]]]><![CDATA[>`), the only correct way to carry it. Characters XML 1.0 forbids (control
//! characters other than tab, line feed and carriage return; U+FFFE and U+FFFF) cannot be
//! carried at all and are reported as an error naming the element.

use std::fmt::Write as _;

use crate::InvalidArgument;

/// Builds one `<xml>` document (a passive reply, a callback), remembering the element path
/// for error messages.
pub struct XmlWriter {
    out: String,
    path: Vec<&'static str>,
}

fn forbidden_char(text: &str) -> Option<char> {
    // Fast path: scan bytes; only control bytes and the U+FFFE/U+FFFF encodings matter.
    let bytes = text.as_bytes();
    let suspicious =
        bytes.iter().any(|&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0xEF);
    if !suspicious {
        return None;
    }
    text.chars().find(|&c| {
        (c < '\u{20}' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}'
    })
}

impl XmlWriter {
    /// A document with its `<xml>` root opened.
    pub fn with_capacity(capacity: usize) -> Self {
        let mut out = String::with_capacity(capacity);
        out.push_str("<xml>");
        XmlWriter { out, path: Vec::with_capacity(4) }
    }

    fn error(&self, last: &str, problem: String) -> InvalidArgument {
        let mut field = String::new();
        for p in &self.path {
            field.push_str(p);
            field.push('/');
        }
        field.push_str(last);
        InvalidArgument::new(field, problem)
    }

    /// `<name><![CDATA[text]]></name>`.
    pub fn text(&mut self, name: &'static str, text: &str) -> Result<(), InvalidArgument> {
        if let Some(c) = forbidden_char(text) {
            return Err(
                self.error(name, format!("character U+{:04X} is not allowed in XML", c as u32))
            );
        }
        self.out.reserve(text.len() + 2 * name.len() + 17);
        self.out.push('<');
        self.out.push_str(name);
        self.out.push_str("><![CDATA[");
        let mut rest = text;
        while let Some(i) = rest.find("]]>") {
            self.out.push_str(&rest[..i + 2]);
            self.out.push_str("]]><![CDATA[");
            rest = &rest[i + 2..];
        }
        self.out.push_str(rest);
        self.out.push_str("]]></");
        self.out.push_str(name);
        self.out.push('>');
        Ok(())
    }

    /// Like [`XmlWriter::text`], for optional fields (absent: nothing is written).
    pub fn opt_text(
        &mut self,
        name: &'static str,
        text: Option<&str>,
    ) -> Result<(), InvalidArgument> {
        match text {
            Some(t) => self.text(name, t),
            None => Ok(()),
        }
    }

    /// `<name>value</name>` for numbers and booleans.
    pub fn value(&mut self, name: &'static str, value: impl std::fmt::Display) {
        self.out.push('<');
        self.out.push_str(name);
        self.out.push('>');
        let _ = write!(self.out, "{value}");
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// Like [`XmlWriter::value`], for optional fields.
    pub fn opt_value(&mut self, name: &'static str, value: Option<impl std::fmt::Display>) {
        if let Some(v) = value {
            self.value(name, v);
        }
    }

    /// Opens `<name>`; [`XmlWriter::close`] closes it.
    pub fn open(&mut self, name: &'static str) {
        self.out.push('<');
        self.out.push_str(name);
        self.out.push('>');
        self.path.push(name);
    }

    /// Closes the element opened last.
    pub fn close(&mut self) {
        let name = self.path.pop().unwrap_or_default();
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// `<name>…</name>` around what `body` writes.
    pub fn element(
        &mut self,
        name: &'static str,
        body: impl FnOnce(&mut Self) -> Result<(), InvalidArgument>,
    ) -> Result<(), InvalidArgument> {
        self.open(name);
        body(self)?;
        self.close();
        Ok(())
    }

    /// Closes the root and returns the document.
    pub fn finish(mut self) -> String {
        self.out.push_str("</xml>");
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Result<String, InvalidArgument> {
        let mut w = XmlWriter::with_capacity(64);
        w.text("Content", text)?;
        Ok(w.finish())
    }

    #[test]
    fn cdata_end_inside_text_is_split() {
        assert_eq!(
            one("a]]>b").unwrap(),
            "<xml><Content><![CDATA[a]]]]><![CDATA[>b]]></Content></xml>"
        );
        assert_eq!(
            one("]]>]]>").unwrap(),
            "<xml><Content><![CDATA[]]]]><![CDATA[>]]]]><![CDATA[>]]></Content></xml>"
        );
        assert_eq!(one("]]").unwrap(), "<xml><Content><![CDATA[]]]]></Content></xml>");
        assert_eq!(one("<&>").unwrap(), "<xml><Content><![CDATA[<&>]]></Content></xml>");
    }

    #[test]
    fn forbidden_characters_name_the_element() {
        let mut w = XmlWriter::with_capacity(64);
        w.open("Video");
        let e = w.text("Title", "bell\u{7}").unwrap_err();
        assert_eq!(
            e,
            InvalidArgument::new("Video/Title", "character U+0007 is not allowed in XML")
        );
        assert!(one("\u{FFFF}").is_err());
        assert!(one("tab\tcr\rlf\n中文 \u{FFFD} 😀").is_ok());
    }
}
