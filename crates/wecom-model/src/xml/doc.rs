//! The borrowed parse of one XML document: every element in one arena, names and most text
//! borrowed from the input. Typed callbacks are read from here without building a tree of
//! owned strings first.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::Element;
use crate::callback::ParseError;

const NONE: u32 = u32::MAX;

/// The most elements one document may hold: far above anything WeCom sends, low enough that a
/// hostile document cannot make the arena large.
const MAX_ELEMENTS: usize = 16 * 1024;
/// The deepest nesting accepted (WeCom's deepest payload nests five levels).
const MAX_DEPTH: usize = 64;

struct Node<'a> {
    name: &'a str,
    /// The raw attribute text after the name (usually empty).
    attrs: &'a str,
    text: Cow<'a, str>,
    first_child: u32,
    last_child: u32,
    next_sibling: u32,
}

/// A parsed document. Node 0 is the root.
pub(crate) struct Doc<'a> {
    nodes: Vec<Node<'a>>,
}

/// State of an element whose end tag has not been seen yet.
struct Open<'a> {
    index: u32,
    /// Whitespace-only text not yet known to be content (it is, unless CDATA or a child
    /// element shows it is indentation).
    pending_ws: Option<Cow<'a, str>>,
    structured: bool,
}

fn xml_err(msg: impl Into<String>) -> ParseError {
    ParseError::Xml(msg.into())
}

/// Returns `part` with the input's lifetime when it is a slice of `input` (always, for a
/// reader over a `&str`), copying it otherwise.
fn rebind<'a>(input: &'a str, part: &str) -> Cow<'a, str> {
    let start = (part.as_ptr() as usize).wrapping_sub(input.as_ptr() as usize);
    match input.get(start..start.wrapping_add(part.len())) {
        Some(s) if s.as_ptr() == part.as_ptr() => Cow::Borrowed(s),
        _ => Cow::Owned(part.to_owned()),
    }
}

fn rebind_str<'a>(input: &'a str, part: &str) -> Result<&'a str, ParseError> {
    match rebind(input, part) {
        Cow::Borrowed(s) => Ok(s),
        Cow::Owned(_) => Err(xml_err("internal: element name not borrowed from the input")),
    }
}

fn push_text<'a>(text: &mut Cow<'a, str>, piece: Cow<'a, str>) {
    if text.is_empty() {
        *text = piece;
    } else {
        text.to_mut().push_str(&piece);
    }
}

impl<'a> Doc<'a> {
    /// Parses `input` strictly (see the module documentation).
    pub(crate) fn parse(input: &'a str) -> Result<Self, ParseError> {
        let mut reader = Reader::from_str(input);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        config.allow_unmatched_ends = false;
        config.allow_dangling_amp = false;
        config.check_comments = true;

        let mut nodes: Vec<Node<'a>> = Vec::with_capacity(16);
        let mut stack: Vec<Open<'a>> = Vec::with_capacity(8);
        let mut root_done = false;

        loop {
            let event = reader.read_event().map_err(|e| xml_err(e.to_string()))?;
            match event {
                Event::Start(start) | Event::Empty(start) if root_done && stack.is_empty() => {
                    let _ = start;
                    return Err(xml_err("more than one root element"));
                }
                Event::Start(start) => {
                    let index = Self::open(input, &mut nodes, &mut stack, &start)?;
                    if stack.len() >= MAX_DEPTH {
                        return Err(xml_err(format!("nesting deeper than {MAX_DEPTH} levels")));
                    }
                    stack.push(Open { index, pending_ws: None, structured: false });
                }
                Event::Empty(start) => {
                    Self::open(input, &mut nodes, &mut stack, &start)?;
                    if stack.is_empty() {
                        root_done = true;
                    }
                }
                Event::End(_) => {
                    // The reader has checked that the name matches.
                    let open = stack.pop().ok_or_else(|| xml_err("unmatched end tag"))?;
                    if let (Some(ws), false) = (open.pending_ws, open.structured) {
                        push_text(&mut nodes[open.index as usize].text, ws);
                    }
                    if stack.is_empty() {
                        root_done = true;
                    }
                }
                Event::Text(text) => {
                    let raw: &str = &text;
                    let Some(open) = stack.last_mut() else {
                        if raw.bytes().all(|b| b.is_ascii_whitespace()) {
                            continue;
                        }
                        return Err(xml_err("text outside the root element"));
                    };
                    let content = match text.xml10_content() {
                        Cow::Borrowed(s) => rebind(input, s),
                        Cow::Owned(s) => Cow::Owned(s),
                    };
                    if content.bytes().all(|b| b.is_ascii_whitespace()) {
                        match &mut open.pending_ws {
                            // Two whitespace runs in a row (split by a comment): keep both.
                            Some(prev) => prev.to_mut().push_str(&content),
                            None => open.pending_ws = Some(content),
                        }
                        continue;
                    }
                    let node = &mut nodes[open.index as usize].text;
                    if let Some(ws) = open.pending_ws.take() {
                        push_text(node, ws);
                    }
                    push_text(node, content);
                }
                Event::CData(cdata) => {
                    let Some(open) = stack.last_mut() else {
                        return Err(xml_err("CDATA outside the root element"));
                    };
                    open.pending_ws = None;
                    open.structured = true;
                    let content = match cdata.xml10_content() {
                        Cow::Borrowed(s) => rebind(input, s),
                        Cow::Owned(s) => Cow::Owned(s),
                    };
                    push_text(&mut nodes[open.index as usize].text, content);
                }
                Event::GeneralRef(reference) => {
                    let Some(open) = stack.last_mut() else {
                        return Err(xml_err("reference outside the root element"));
                    };
                    let ch = resolve_reference(&reference)?;
                    let node = &mut nodes[open.index as usize].text;
                    if let Some(ws) = open.pending_ws.take() {
                        push_text(node, ws);
                    }
                    let mut buf = [0u8; 4];
                    node.to_mut().push_str(ch.encode_utf8(&mut buf));
                }
                Event::Decl(_) | Event::Comment(_) => {}
                Event::DocType(_) => {
                    return Err(xml_err("document type declarations are not allowed"));
                }
                Event::PI(_) => return Err(xml_err("processing instructions are not allowed")),
                Event::Eof => break,
            }
        }
        if !stack.is_empty() {
            return Err(xml_err("document ends inside an element"));
        }
        if nodes.is_empty() {
            return Err(xml_err("no root element"));
        }
        Ok(Doc { nodes })
    }

    /// Adds the element that `start` opens as the last child of the innermost open element.
    fn open(
        input: &'a str,
        nodes: &mut Vec<Node<'a>>,
        stack: &mut [Open<'a>],
        start: &BytesStart<'_>,
    ) -> Result<u32, ParseError> {
        if nodes.len() >= MAX_ELEMENTS {
            return Err(xml_err(format!("more than {MAX_ELEMENTS} elements")));
        }
        let whole: &str = start;
        let name_len = start.name().as_ref().len();
        let name = rebind_str(input, &whole[..name_len])?;
        let attrs = rebind_str(input, &whole[name_len..])?;
        if !attrs.trim_ascii().is_empty() {
            // Check every attribute now so that a document is well-formed or rejected here.
            for attr in start.attributes().with_checks(true) {
                let attr = attr.map_err(|e| xml_err(e.to_string()))?;
                attr.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map_err(|e| xml_err(e.to_string()))?;
            }
        }
        let index = u32::try_from(nodes.len()).map_err(|_| xml_err("too many elements"))?;
        nodes.push(Node {
            name,
            attrs,
            text: Cow::Borrowed(""),
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
        });
        if let Some(parent) = stack.last_mut() {
            parent.pending_ws = None;
            parent.structured = true;
            let p = parent.index as usize;
            let last = nodes[p].last_child;
            if last == NONE {
                nodes[p].first_child = index;
            } else {
                nodes[last as usize].next_sibling = index;
            }
            nodes[p].last_child = index;
        }
        Ok(index)
    }

    /// The root element.
    pub(crate) fn root(&self) -> NodeRef<'_, 'a> {
        NodeRef { doc: self, index: 0 }
    }
}

fn resolve_reference(reference: &quick_xml::events::BytesRef<'_>) -> Result<char, ParseError> {
    if let Some(ch) = reference.resolve_char_ref().map_err(|e| xml_err(e.to_string()))? {
        return Ok(ch);
    }
    match &**reference {
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "amp" => Ok('&'),
        "apos" => Ok('\''),
        "quot" => Ok('"'),
        other => {
            Err(xml_err(format!("unknown entity &{};", other.chars().take(32).collect::<String>())))
        }
    }
}

/// One element of a [`Doc`].
#[derive(Clone, Copy)]
pub(crate) struct NodeRef<'d, 'a> {
    doc: &'d Doc<'a>,
    index: u32,
}

impl<'d, 'a> NodeRef<'d, 'a> {
    fn node(self) -> &'d Node<'a> {
        &self.doc.nodes[self.index as usize]
    }

    pub(crate) fn name(self) -> &'a str {
        self.node().name
    }

    pub(crate) fn text(self) -> &'d str {
        &self.node().text
    }

    pub(crate) fn children(self) -> Children<'d, 'a> {
        Children { doc: self.doc, next: self.node().first_child }
    }

    pub(crate) fn child(self, name: &str) -> Option<NodeRef<'d, 'a>> {
        self.children().find(|c| c.name() == name)
    }

    pub(crate) fn children_named(self, name: &str) -> impl Iterator<Item = NodeRef<'d, 'a>> {
        self.children().filter(move |c| c.name() == name)
    }

    /// The text of the first child called `name`.
    pub(crate) fn child_text(self, name: &str) -> Option<&'d str> {
        self.child(name).map(NodeRef::text)
    }

    /// An owned copy of this element and everything below it.
    pub(crate) fn to_element(self) -> Element {
        let node = self.node();
        let attributes = if node.attrs.trim_ascii().is_empty() {
            Vec::new()
        } else {
            owned_attributes(node.name, node.attrs)
        };
        Element {
            name: node.name.to_owned(),
            attributes,
            text: node.text.clone().into_owned(),
            children: self.children().map(NodeRef::to_element).collect(),
        }
    }
}

/// Attributes were validated while parsing, so errors cannot occur here; any that did would
/// drop only that attribute.
fn owned_attributes(name: &str, attrs: &str) -> Vec<(String, String)> {
    let content = format!("{name}{attrs}");
    let start = BytesStart::from_content(content.as_str(), name.len());
    start
        .attributes()
        .with_checks(true)
        .filter_map(Result::ok)
        .filter_map(|a| {
            let value = a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok()?.into_owned();
            Some((a.key.as_ref().to_owned(), value))
        })
        .collect()
}

/// Iterator over the children of a node.
pub(crate) struct Children<'d, 'a> {
    doc: &'d Doc<'a>,
    next: u32,
}

impl<'d, 'a> Iterator for Children<'d, 'a> {
    type Item = NodeRef<'d, 'a>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.next == NONE {
            return None;
        }
        let current = NodeRef { doc: self.doc, index: self.next };
        self.next = current.node().next_sibling;
        Some(current)
    }
}

#[cfg(test)]
mod tests;
