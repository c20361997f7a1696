//! The compact JSON form of an element's children, used for the raw fields of callbacks of
//! unknown types: text leaves as strings, nested elements as objects, repeated names as
//! arrays.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use super::Element;

/// An element's children in compact form; see [`Element::fields`].
#[derive(Debug, Clone, Copy)]
pub struct ElementFields<'e>(pub(super) &'e Element);

/// The value one child contributes: its text, or its own children.
struct Value<'e>(&'e Element);

/// Every child of one name, in document order.
struct Repeated<'e>(&'e Element, &'e str);

impl Serialize for ElementFields<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let children = &self.0.children;
        let mut map = serializer.serialize_map(None)?;
        for (i, child) in children.iter().enumerate() {
            if children[..i].iter().any(|c| c.name == child.name) {
                continue;
            }
            if children[i + 1..].iter().any(|c| c.name == child.name) {
                map.serialize_entry(&child.name, &Repeated(self.0, &child.name))?;
            } else {
                map.serialize_entry(&child.name, &Value(child))?;
            }
        }
        map.end()
    }
}

impl Serialize for Value<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0.children.is_empty() {
            serializer.serialize_str(&self.0.text)
        } else {
            ElementFields(self.0).serialize(serializer)
        }
    }
}

impl Serialize for Repeated<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        for child in self.0.children_named(self.1) {
            seq.serialize_element(&Value(child))?;
        }
        seq.end()
    }
}

/// `serialize_with` for an element shown in compact form.
pub(crate) fn serialize<S: Serializer>(
    element: &Element,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    ElementFields(element).serialize(serializer)
}

/// `serialize_with` for an optional element shown in compact form (`null` when absent).
#[allow(clippy::ref_option, reason = "the signature serde's serialize_with calls")]
pub(crate) fn serialize_opt<S: Serializer>(
    element: &Option<Element>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    element.as_ref().map(ElementFields).serialize(serializer)
}
