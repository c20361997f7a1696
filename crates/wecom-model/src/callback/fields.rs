//! Reading typed values out of a parsed element: the leniency rules in one place.
//!
//! * Text may be CDATA or plain (the parser already made them equal).
//! * Numbers are trimmed of surrounding whitespace first, so `<AgentID><![CDATA[ 218 ]]>` is
//!   218. An absent or empty number reads as 0 (or `None` where absence means something);
//!   anything else that is not a number is an [`ParseError::Field`].
//! * Absent strings read as empty.

use super::error::{FieldProblem, ParseError};
use crate::xml::doc::NodeRef;

fn not_a_number(element: &'static str, text: &str) -> ParseError {
    ParseError::Field {
        element,
        problem: FieldProblem::NotANumber(text.chars().take(64).collect()),
    }
}

fn parse_num<T: std::str::FromStr>(
    element: &'static str,
    text: &str,
) -> Result<Option<T>, ParseError> {
    let trimmed = text.trim_ascii();
    if trimmed.is_empty() {
        return Ok(None);
    }
    trimmed.parse().map(Some).map_err(|_| not_a_number(element, text))
}

/// Typed access to the children of one element.
#[derive(Clone, Copy)]
pub(crate) struct Fields<'d, 'a>(pub(crate) NodeRef<'d, 'a>);

impl<'d, 'a> Fields<'d, 'a> {
    pub(crate) fn text(self, name: &str) -> Option<&'d str> {
        self.0.child_text(name)
    }

    /// The child's text, or empty when absent.
    pub(crate) fn string(self, name: &str) -> String {
        self.text(name).unwrap_or_default().to_owned()
    }

    /// The child's text, `None` when absent.
    pub(crate) fn opt_string(self, name: &str) -> Option<String> {
        self.text(name).map(str::to_owned)
    }

    /// A number that must be present.
    pub(crate) fn required<T: std::str::FromStr>(
        self,
        name: &'static str,
    ) -> Result<T, ParseError> {
        let text = self
            .text(name)
            .ok_or(ParseError::Field { element: name, problem: FieldProblem::Missing })?;
        parse_num(name, text)?
            .ok_or(ParseError::Field { element: name, problem: FieldProblem::Missing })
    }

    /// A number whose absence means something (`None`).
    pub(crate) fn opt_num<T: std::str::FromStr>(
        self,
        name: &'static str,
    ) -> Result<Option<T>, ParseError> {
        match self.text(name) {
            Some(text) => parse_num(name, text),
            None => Ok(None),
        }
    }

    /// A number that reads as 0 when absent or empty.
    pub(crate) fn num<T: std::str::FromStr + Default>(
        self,
        name: &'static str,
    ) -> Result<T, ParseError> {
        Ok(self.opt_num(name)?.unwrap_or_default())
    }

    /// A comma-separated list of strings, `None` when the element is absent.
    pub(crate) fn opt_list(self, name: &str) -> Option<Vec<String>> {
        self.text(name).map(split_list)
    }

    /// A comma-separated list of numbers, `None` when the element is absent.
    pub(crate) fn opt_num_list<T: std::str::FromStr>(
        self,
        name: &'static str,
    ) -> Result<Option<Vec<T>>, ParseError> {
        let Some(text) = self.text(name) else { return Ok(None) };
        text.split(',')
            .map(str::trim_ascii)
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().map_err(|_| not_a_number(name, text)))
            .collect::<Result<Vec<T>, ParseError>>()
            .map(Some)
    }

    pub(crate) fn child(self, name: &str) -> Option<Fields<'d, 'a>> {
        self.0.child(name).map(Fields)
    }

    pub(crate) fn children_named(self, name: &'d str) -> impl Iterator<Item = Fields<'d, 'a>> {
        self.0.children_named(name).map(Fields)
    }
}

/// Splits a comma-separated list, trimming items and dropping empty ones.
fn split_list(text: &str) -> Vec<String> {
    text.split(',').map(str::trim_ascii).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}
