//! WeCom's XML wire form: a generic element tree (how callbacks of unknown types keep every
//! raw field, and a way to look at any callback payload as WeCom sent it), and the writer
//! shared by passive replies, the template cards inside them, and the callbacks the emulator
//! sends.
//!
//! Parsing is strict about well-formedness (one root, matched tags, known entities only, no
//! DTD or processing instructions) and lenient about content: CDATA and plain text are both
//! accepted and mean the same thing. The hot path parses into a borrowed arena; the
//! owned [`Element`] is built only when a caller needs one.

pub(crate) mod doc;
pub(crate) mod fields;
mod writer;

use serde::{Deserialize, Serialize};

pub use fields::ElementFields;
pub use writer::XmlWriter;

use crate::callback::ParseError;

/// One XML element with its text, attributes and child elements, in document order.
///
/// `text` is the element's own character data, CDATA and plain text concatenated, with entity
/// and character references resolved. Whitespace-only text next to CDATA or child elements
/// (the indentation of pretty-printed XML) is not part of it.
///
/// ```
/// use wecom_model::xml::Element;
///
/// let xml = "<xml><MsgType><![CDATA[file]]></MsgType><Size>12</Size></xml>";
/// let root = Element::parse(xml)?;
/// assert_eq!(root.name, "xml");
/// assert_eq!(root.child_text("MsgType"), Some("file"));
/// assert_eq!(root.child_text("Size"), Some("12"));
/// # Ok::<(), wecom_model::callback::ParseError>(())
/// ```
///
/// Its serde form is lossless (`name`, `attributes`, `text`, `children`); for the compact
/// JSON that callbacks of unknown types use, see [`Element::fields`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Element {
    /// The tag name, exactly as written (WeCom mixes `AgentID`, `Location_X`, `approverstep`).
    pub name: String,
    /// Attributes as (name, unescaped value) pairs, in document order. WeCom sends none, but
    /// nothing is dropped.
    pub attributes: Vec<(String, String)>,
    /// The element's own text (see the type's documentation).
    pub text: String,
    /// Child elements, in document order; repeated names stay repeated.
    pub children: Vec<Element>,
}

impl Element {
    /// An element with a name and nothing else.
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: name.into(), ..Self::default() }
    }

    /// An element with a name and text.
    pub fn with_text(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self { name: name.into(), text: text.into(), ..Self::default() }
    }

    /// Adds a child element (builder style).
    #[must_use]
    pub fn child_element(mut self, child: Element) -> Self {
        self.children.push(child);
        self
    }

    /// Parses one XML document and returns its root element.
    ///
    /// # Errors
    /// [`ParseError::Xml`] if the document is not well-formed, has more than one root, text outside
    /// the root, a DTD, a processing instruction or an unknown entity.
    pub fn parse(xml: &str) -> Result<Element, ParseError> {
        Ok(doc::Doc::parse(xml)?.root().to_element())
    }

    /// The first child element called `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child element called `name`, in order.
    pub fn children_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Element> + 's {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The child elements as compact JSON: a child without children is its text, one with
    /// children is an object of the same form, and a name that repeats maps to an array.
    /// Attributes are left out.
    ///
    /// ```
    /// use wecom_model::xml::Element;
    ///
    /// let root = Element::parse("<xml><A>1</A><B><C>x</C></B><D>2</D><D>3</D></xml>")?;
    /// assert_eq!(
    ///     serde_json::to_value(root.fields()).unwrap(),
    ///     serde_json::json!({ "A": "1", "B": { "C": "x" }, "D": ["2", "3"] }),
    /// );
    /// # Ok::<(), wecom_model::callback::ParseError>(())
    /// ```
    pub fn fields(&self) -> ElementFields<'_> {
        ElementFields(self)
    }

    /// The text of the first child element called `name`.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }

    /// Serializes the element and its children, text in CDATA sections (a `]]>` inside is
    /// split across two), attribute values escaped. Useful to build callback payloads, for
    /// example in an emulator; [`Element::parse`] reads the result back unchanged (apart
    /// from characters XML cannot carry, such as most control characters, which no parser
    /// accepts).
    ///
    /// ```
    /// use wecom_model::callback::Callback;
    /// use wecom_model::xml::Element;
    ///
    /// let xml = Element::new("xml")
    ///     .child_element(Element::with_text("ToUserName", "ww1"))
    ///     .child_element(Element::with_text("FromUserName", "alice"))
    ///     .child_element(Element::with_text("CreateTime", "1700000000"))
    ///     .child_element(Element::with_text("MsgType", "event"))
    ///     .child_element(Element::with_text("Event", "click"))
    ///     .child_element(Element::with_text("EventKey", "menu_1"))
    ///     .to_xml();
    /// assert_eq!(Callback::parse(&xml)?.event_name(), Some("click"));
    /// # Ok::<(), wecom_model::callback::ParseError>(())
    /// ```
    pub fn to_xml(&self) -> String {
        let mut out = String::with_capacity(256);
        self.write_xml(&mut out);
        out
    }

    fn write_xml(&self, out: &mut String) {
        out.push('<');
        out.push_str(&self.name);
        for (name, value) in &self.attributes {
            out.push(' ');
            out.push_str(name);
            out.push_str("=\"");
            for c in value.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '"' => out.push_str("&quot;"),
                    c => out.push(c),
                }
            }
            out.push('"');
        }
        out.push('>');
        if !self.text.is_empty() {
            out.push_str("<![CDATA[");
            out.push_str(&self.text.replace("]]>", "]]]]><![CDATA[>"));
            out.push_str("]]>");
        }
        for child in &self.children {
            child.write_xml(out);
        }
        out.push_str("</");
        out.push_str(&self.name);
        out.push('>');
    }
}
