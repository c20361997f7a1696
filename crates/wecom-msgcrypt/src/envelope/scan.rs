//! A strict scanner for the small, fixed XML envelopes of the protocol.
//!
//! The envelopes are one `<xml>` root whose children hold short text:
//! `<xml><ToUserName/><AgentID/><Encrypt/></xml>` from WeCom, and
//! `<xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>` from an app. A general XML parser
//! spends most of its time on generality here; this scanner reads the document in one pass and
//! returns the text of the wanted children of the root.
//!
//! It accepts well-formed documents only, and less than XML allows: an optional XML declaration
//! before the root, comments, elements with quoted attributes, text with well-formed entity
//! references, and CDATA sections. It refuses document type declarations (and with them any
//! entity definition), processing instructions, anything but whitespace and comments outside
//! the one root, a root other than `<xml>`, mismatched or unclosed tags, nesting deeper than
//! [`MAX_DEPTH`], documents longer than [`MAX_ENVELOPE_LEN`], a wanted child that occurs twice,
//! that is empty, or that holds anything but one piece of text or one CDATA section. A wanted
//! name nested deeper than the root's children is not the envelope's and is ignored.

use crate::error::Error;

/// The longest envelope accepted, in bytes. WeCom's messages are a few KiB at most.
pub const MAX_ENVELOPE_LEN: usize = 1 << 20;

/// The deepest element nesting accepted (the envelopes have two levels).
pub(crate) const MAX_DEPTH: usize = 16;

fn malformed(why: impl Into<String>) -> Error {
    Error::MalformedEnvelope(why.into())
}

fn incomplete() -> Error {
    malformed("document is incomplete")
}

/// Position of `byte` in `hay`. Most distances in an envelope are a few bytes, where a plain
/// loop wins; the long ones (the ciphertext) go to a SIMD search.
fn find_byte(byte: u8, hay: &[u8]) -> Option<usize> {
    let head = hay.len().min(32);
    match hay[..head].iter().position(|&c| c == byte) {
        Some(p) => Some(p),
        None => memchr::memchr(byte, &hay[head..]).map(|p| p + head),
    }
}

/// Position of `needle` in `hay` at or after `from`: a search for its first byte, which is
/// rare in what is skipped (no `]` in Base64). Building a general substring searcher per
/// call would cost more than the search.
fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let mut i = from;
    loop {
        let p = find_byte(needle[0], hay.get(i..)?)? + i;
        if hay[p..].starts_with(needle) {
            return Some(p);
        }
        i = p + 1;
    }
}

/// Position of the next `<` at or after `from`, or the end of `b`.
fn next_lt(b: &[u8], from: usize) -> usize {
    find_byte(b'<', &b[from..]).map_or(b.len(), |p| p + from)
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b':'
}

fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'.' | b'-')
}

/// Reads an XML name starting at `i`; returns its end.
fn name_end(b: &[u8], i: usize) -> Result<usize, Error> {
    match b.get(i) {
        Some(&c) if is_name_start(c) => {}
        Some(_) => return Err(malformed("invalid element or attribute name")),
        None => return Err(incomplete()),
    }
    let len = b[i..].iter().position(|&c| !is_name_char(c)).unwrap_or(b.len() - i);
    Ok(i + len)
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

/// Checks that every `&` in `text` starts a well-formed reference (`&name;`, `&#10;`, `&#xA;`).
fn check_references(text: &[u8]) -> Result<(), Error> {
    let mut rest = text;
    while let Some(p) = memchr::memchr(b'&', rest) {
        rest = &rest[p + 1..];
        let end = rest.iter().position(|&c| c == b';').ok_or_else(|| malformed("bad reference"))?;
        let name = &rest[..end];
        let ok = match name {
            [b'#', b'x', hex @ ..] => !hex.is_empty() && hex.iter().all(u8::is_ascii_hexdigit),
            [b'#', dec @ ..] => !dec.is_empty() && dec.iter().all(u8::is_ascii_digit),
            [first, more @ ..] => is_name_start(*first) && more.iter().all(|&c| is_name_char(c)),
            [] => false,
        };
        if !ok {
            return Err(malformed("bad reference"));
        }
        rest = &rest[end + 1..];
    }
    Ok(())
}

/// A start tag read from `<` at `i`: the name's range, whether it is empty (`<a/>`), and the
/// position after its `>`.
struct StartTag {
    name: (usize, usize),
    empty: bool,
    end: usize,
}

fn start_tag(b: &[u8], i: usize) -> Result<StartTag, Error> {
    let name_start = i + 1;
    let name_stop = name_end(b, name_start)?;
    let mut pos = name_stop;
    loop {
        let after_ws = skip_ws(b, pos);
        match b.get(after_ws) {
            None => return Err(incomplete()),
            Some(b'>') => {
                return Ok(StartTag {
                    name: (name_start, name_stop),
                    empty: false,
                    end: after_ws + 1,
                });
            }
            Some(b'/') => {
                return match b.get(after_ws + 1) {
                    Some(b'>') => Ok(StartTag {
                        name: (name_start, name_stop),
                        empty: true,
                        end: after_ws + 2,
                    }),
                    Some(_) => Err(malformed("invalid start tag")),
                    None => Err(incomplete()),
                };
            }
            Some(_) if after_ws == pos => return Err(malformed("invalid start tag")),
            Some(_) => {
                // An attribute: name = "value" or 'value'.
                let eq_at = skip_ws(b, name_end(b, after_ws)?);
                if b.get(eq_at) != Some(&b'=') {
                    return Err(if eq_at >= b.len() {
                        incomplete()
                    } else {
                        malformed("bad attribute")
                    });
                }
                let open = skip_ws(b, eq_at + 1);
                let quote = match b.get(open) {
                    Some(&c @ (b'"' | b'\'')) => c,
                    Some(_) => return Err(malformed("attribute value must be quoted")),
                    None => return Err(incomplete()),
                };
                let close =
                    b[open + 1..].iter().position(|&c| c == quote).ok_or_else(incomplete)?;
                let value = &b[open + 1..open + 1 + close];
                if value.contains(&b'<') {
                    return Err(malformed("`<` in an attribute value"));
                }
                check_references(value)?;
                pos = open + 1 + close + 1;
            }
        }
    }
}

/// Reads the end tag `</name>` at `i` (which points at `<`); returns the position after it.
fn end_tag(b: &[u8], i: usize, expected: &[u8]) -> Result<usize, Error> {
    let stop = name_end(b, i + 2)?;
    if &b[i + 2..stop] != expected {
        return Err(malformed("end tag does not match its start tag"));
    }
    let gt = skip_ws(b, stop);
    match b.get(gt) {
        Some(b'>') => Ok(gt + 1),
        Some(_) => Err(malformed("invalid end tag")),
        None => Err(incomplete()),
    }
}

/// Skips a comment, a CDATA section, or refuses another `<!` or `<?` construct at `i`.
/// Returns the range of CDATA content, if any, and the position after the construct.
fn markup(b: &[u8], i: usize) -> Result<(Option<(usize, usize)>, usize), Error> {
    let rest = &b[i..];
    if rest.starts_with(b"<!--") {
        let end = find(b, i + 4, b"-->").ok_or_else(incomplete)?;
        Ok((None, end + 3))
    } else if rest.starts_with(b"<![CDATA[") {
        let end = find(b, i + 9, b"]]>").ok_or_else(incomplete)?;
        Ok((Some((i + 9, end)), end + 3))
    } else if rest.len() >= 9 && rest[..9].eq_ignore_ascii_case(b"<!DOCTYPE") {
        Err(malformed("document type declarations are not allowed"))
    } else if rest.starts_with(b"<?") {
        Err(malformed("processing instructions are not allowed"))
    } else if b"<![CDATA[".starts_with(rest) || b"<!--".starts_with(rest) {
        Err(incomplete())
    } else {
        Err(malformed("markup declarations are not allowed"))
    }
}

/// Reads the content of a wanted element after its start tag at `i`: whitespace and comments
/// around one piece of text or one CDATA section, then `</name>`. Returns the value (`None`
/// if there is none) and the position after the end tag.
fn field<'a>(body: &'a str, mut i: usize, name: &str) -> Result<(Option<&'a str>, usize), Error> {
    let b = body.as_bytes();
    let mut value: Option<&'a str> = None;
    let set = |slot: &mut Option<&'a str>, v: &'a str| {
        if slot.is_some() {
            return Err(malformed(format!(
                "{name} must hold one piece of text or one CDATA section"
            )));
        }
        *slot = Some(v);
        Ok(())
    };
    loop {
        let lt = next_lt(b, i);
        let text = &b[i..lt];
        if !text.iter().all(u8::is_ascii_whitespace) {
            if memchr::memchr(b'&', text).is_some() {
                // Base64 never needs an entity reference, nor do signatures, digits and
                // nonces: one here cannot be a valid value.
                return Err(if name == "Encrypt" {
                    Error::Base64("entity reference inside Encrypt".into())
                } else {
                    malformed(format!("entity reference inside {name}"))
                });
            }
            set(&mut value, &body[i..lt])?;
        }
        if lt == b.len() {
            return Err(incomplete());
        }
        if b.get(lt + 1) == Some(&b'/') {
            let end = end_tag(b, lt, name.as_bytes())?;
            return Ok((value, end));
        }
        if b.get(lt + 1) != Some(&b'!') {
            return Err(malformed(format!("{name} must contain text only")));
        }
        let (cdata, next) = markup(b, lt)?;
        if let Some((s, e)) = cdata {
            set(&mut value, &body[s..e])?;
        }
        i = next;
    }
}

/// Scans `body` and returns the text of each child of the root `<xml>` named in `wanted`
/// (`None` for those absent). See the module documentation for what is refused.
///
/// The envelopes WeCom and apps actually send take [`scan_plain`]; anything it does not
/// recognise, errors included, goes through [`scan_general`].
pub(crate) fn scan<'a, const N: usize>(
    body: &'a str,
    wanted: [&str; N],
) -> Result<[Option<&'a str>; N], Error> {
    match scan_plain(body, wanted) {
        Some(found) => Ok(found),
        None => scan_general(body, wanted),
    }
}

/// The fast path: a root `<xml>` whose children are all `<Name>text</Name>` or
/// `<Name><![CDATA[text]]></Name>` (no attributes, comments, nesting, entity references or
/// whitespace inside the tags), whitespace only between them and around the root, no child
/// named in `wanted` twice and no empty wanted value.
///
/// Every document it accepts is one [`scan_general`] accepts with the same result (a test
/// checks this on generated documents); on anything else it returns `None` and decides nothing.
/// It does in one forward pass what the general scanner does with a tag stack and per-construct
/// dispatch, about half the time on a 1 KiB callback.
pub(crate) fn scan_plain<'a, const N: usize>(
    body: &'a str,
    wanted: [&str; N],
) -> Option<[Option<&'a str>; N]> {
    let b = body.as_bytes();
    if b.len() > MAX_ENVELOPE_LEN {
        return None;
    }
    let mut found: [Option<&'a str>; N] = [None; N];
    let mut i = skip_ws(b, 0);
    if b.get(i..i + 5)? != b"<xml>" {
        return None;
    }
    i += 5;
    loop {
        i = skip_ws(b, i);
        // `<`, then a child's name or `/xml>`.
        if *b.get(i)? != b'<' {
            return None;
        }
        let name_start = i + 1;
        if b.get(name_start) == Some(&b'/') {
            if b.get(name_start + 1..name_start + 5)? != b"xml>" {
                return None;
            }
            let end = name_start + 5;
            return (skip_ws(b, end) == b.len()).then_some(found);
        }
        let name_stop = name_end(b, name_start).ok()?;
        if *b.get(name_stop)? != b'>' {
            return None;
        }
        let name = &b[name_start..name_stop];
        let open_end = name_stop + 1;
        // The content: one CDATA section, or text without markup or references.
        let (value, close) = if b[open_end..].starts_with(b"<![CDATA[") {
            let start = open_end + 9;
            // `find(b, start, b"]]>")` does the same search; called here it made the whole
            // fast path about 25 ns (30%) slower on a 1 KiB callback, so the loop is inline.
            let mut from = start;
            let end = loop {
                let p = memchr::memchr(b']', &b[from..])? + from;
                if b[p..].starts_with(b"]]>") {
                    break p;
                }
                from = p + 1;
            };
            (&body[start..end], end + 3)
        } else {
            let lt = memchr::memchr(b'<', &b[open_end..])? + open_end;
            let text = &body[open_end..lt];
            if text.as_bytes().contains(&b'&') {
                return None;
            }
            (text, lt)
        };
        // `</Name>`, exactly.
        let end_name = close + 2;
        if b.get(close..end_name)? != b"</"
            || b.get(end_name..end_name + name.len())? != name
            || b.get(end_name + name.len()) != Some(&b'>')
        {
            return None;
        }
        i = end_name + name.len() + 1;
        if let Some(k) = wanted.iter().position(|w| w.as_bytes() == name) {
            // Whitespace-only text is no value to the general scanner: leave its error to it.
            if found[k].is_some() || value.bytes().all(|c| c.is_ascii_whitespace()) {
                return None;
            }
            found[k] = Some(value);
        }
    }
}

/// The general scanner: every construct the module documentation lists, and every error.
pub(crate) fn scan_general<'a, const N: usize>(
    body: &'a str,
    wanted: [&str; N],
) -> Result<[Option<&'a str>; N], Error> {
    if body.len() > MAX_ENVELOPE_LEN {
        return Err(malformed(format!("longer than {MAX_ENVELOPE_LEN} bytes")));
    }
    let b = body.as_bytes();
    let mut found: [Option<&'a str>; N] = [None; N];
    let mut stack = [(0usize, 0usize); MAX_DEPTH];
    let mut depth = 0usize;
    let mut seen_root = false;
    let mut i = 0;

    loop {
        // Text up to the next tag.
        let lt = next_lt(b, i);
        let text = &b[i..lt];
        if depth == 0 {
            if !text.iter().all(u8::is_ascii_whitespace) {
                return Err(malformed("text outside the root element"));
            }
        } else {
            check_references(text)?;
        }
        if lt == b.len() {
            break;
        }
        match b.get(lt + 1) {
            None => return Err(incomplete()),
            Some(b'/') => {
                if depth == 0 {
                    return Err(malformed("end tag without a start tag"));
                }
                let (s, e) = stack[depth - 1];
                i = end_tag(b, lt, &b[s..e])?;
                depth -= 1;
            }
            Some(b'?') if depth == 0 && !seen_root && is_declaration(b, lt) => {
                i = find(b, lt + 5, b"?>").ok_or_else(incomplete)? + 2;
            }
            Some(b'!' | b'?') => {
                let (cdata, next) = markup(b, lt)?;
                if cdata.is_some() && depth == 0 {
                    return Err(malformed("CDATA outside the root element"));
                }
                i = next;
            }
            Some(_) => {
                let tag = start_tag(b, lt)?;
                let name = &body[tag.name.0..tag.name.1];
                i = tag.end;
                if depth == 0 {
                    if seen_root {
                        return Err(malformed("more than one root element"));
                    }
                    if name != "xml" {
                        return Err(malformed("root element is not <xml>"));
                    }
                    if tag.empty {
                        return Err(malformed("root element is empty"));
                    }
                    seen_root = true;
                } else if depth == 1
                    && let Some(k) = wanted.iter().position(|w| *w == name)
                {
                    if found[k].is_some() {
                        return Err(malformed(format!("more than one {name} element")));
                    }
                    if tag.empty {
                        return Err(malformed(format!("{name} element is empty")));
                    }
                    let (value, next) = field(body, i, name)?;
                    found[k] =
                        Some(value.ok_or_else(|| malformed(format!("{name} element is empty")))?);
                    i = next;
                    continue;
                }
                if !tag.empty {
                    if depth == MAX_DEPTH {
                        return Err(malformed("elements nested too deeply"));
                    }
                    stack[depth] = tag.name;
                    depth += 1;
                }
            }
        }
    }
    if !seen_root || depth != 0 {
        return Err(incomplete());
    }
    Ok(found)
}

/// Whether the `<?` at `i` opens the XML declaration (`<?xml` followed by whitespace).
fn is_declaration(b: &[u8], i: usize) -> bool {
    b.get(i..i + 5) == Some(b"<?xml") && b.get(i + 5).is_some_and(u8::is_ascii_whitespace)
}
