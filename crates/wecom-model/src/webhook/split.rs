//! Cutting long text or markdown into messages within a byte limit, losing nothing.
//!
//! WeCom refuses a `markdown` over 4,096 bytes and does not promise anything for a `text` over
//! 2,048, so long content has to travel as several messages. [`split`] cuts at the best
//! boundary that keeps each piece within the limit: a blank line between blocks, else a line
//! end outside a code fence and outside a table, else any line end, else (for a single line
//! longer than the limit) a space or a character boundary. Pieces are at least half full
//! unless a better boundary comes earlier, and never split a UTF-8 character; a table row is
//! cut only when the row alone is longer than the limit.
//!
//! The pieces' raw slices ([`Piece::as_str`]) put back together are exactly the input. When a
//! fenced code block is itself longer than the limit, it has to be cut inside; the
//! [rendered](Piece::render) pieces then close the fence at the end of one piece and open it
//! again (with its info string) at the start of the next, so every message shows valid code
//! — the repair is counted within the limit.
//!
//! ```
//! use wecom_model::webhook::split::{split, SplitMode};
//!
//! let doc = format!("# Report\n\n{}\n\n```\n{}```\n", "word ".repeat(300), "line\n".repeat(300));
//! let pieces = split(&doc, 1024, SplitMode::Markdown);
//! assert!(pieces.iter().all(|p| p.render().len() <= 1024));
//! assert_eq!(pieces.iter().map(|p| p.as_str()).collect::<String>(), doc);
//! ```

use std::borrow::Cow;
use std::ops::Range;

use super::{
    MARKDOWN_MAX_BYTES, Markdown, MarkdownV2, TEXT_MAX_BYTES, WebhookMessage, WebhookText,
};

/// The smallest limit [`split`] accepts.
pub const MIN_SPLIT_BYTES: usize = 32;

/// How the content is read when choosing where to cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SplitMode {
    /// Plain text: cut at blank lines, line ends, spaces.
    Text,
    /// Markdown: additionally never inside a code fence (unless the block alone is too long)
    /// or between two table rows when a better boundary exists.
    Markdown,
}

/// One piece of split content: a slice of the input, plus the fence repair it needs when it
/// starts or ends inside a code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece<'a> {
    source: &'a str,
    range: Range<usize>,
    reopen: Option<&'a str>,
    close: Option<&'a str>,
}

impl<'a> Piece<'a> {
    /// Where the piece lies in the input, in bytes.
    pub fn range(&self) -> Range<usize> {
        self.range.clone()
    }

    /// The raw slice of the input.
    pub fn as_str(&self) -> &'a str {
        &self.source[self.range.clone()]
    }

    /// Whether the piece cuts through a code block and is rendered with a fence added.
    pub fn is_repaired(&self) -> bool {
        self.reopen.is_some() || self.close.is_some()
    }

    /// The message text: the slice, with a code fence reopened at the start and/or closed at
    /// the end where the cut went through a code block.
    pub fn render(&self) -> Cow<'a, str> {
        let raw = self.as_str();
        if !self.is_repaired() {
            return Cow::Borrowed(raw);
        }
        let mut out = String::with_capacity(raw.len() + 32);
        if let Some(opener) = self.reopen {
            out.push_str(opener);
            out.push('\n');
        }
        out.push_str(raw);
        if let Some(marker) = self.close {
            if !raw.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(marker);
        }
        Cow::Owned(out)
    }
}

/// An open code fence: its opening line (repeated when reopening) and closing marker.
#[derive(Debug, Clone, Copy)]
struct Fence<'a> {
    opener: &'a str,
    marker: &'a str,
}

impl Fence<'_> {
    fn reopen_len(&self) -> usize {
        self.opener.len() + 1
    }

    /// Bytes added to close the fence after `raw_ends_with_newline` content.
    fn close_len(&self, raw_ends_with_newline: bool) -> usize {
        self.marker.len() + usize::from(!raw_ends_with_newline)
    }
}

struct Line<'a> {
    end: usize,
    /// The fence open after this line ends.
    fence_after: Option<Fence<'a>>,
    /// The fence this line belongs to (open before it, or opened by it), for cuts inside it.
    fence_during: Option<Fence<'a>>,
    /// How good a cut right after this line is: 3 block boundary, 2 line end, 1 between
    /// table rows, 0 inside a code block.
    score: u8,
}

/// Splits `content` into pieces whose [rendered](Piece::render) text is at most `max_bytes`
/// bytes; see the [module documentation](self). Empty content gives no pieces.
///
/// # Panics
///
/// If `max_bytes` is below [`MIN_SPLIT_BYTES`].
pub fn split(content: &str, max_bytes: usize, mode: SplitMode) -> Vec<Piece<'_>> {
    assert!(max_bytes >= MIN_SPLIT_BYTES, "split limit below {MIN_SPLIT_BYTES} bytes");
    let lines = scan(content, mode, max_bytes);
    let mut pieces = Vec::new();
    let (mut s, mut li, mut open): (usize, usize, Option<Fence<'_>>) = (0, 0, None);
    while s < content.len() {
        let prefix = open.map_or(0, |f| f.reopen_len());
        // The best line end within the budget.
        let mut best: Option<(i16, usize)> = None;
        for (j, line) in lines.iter().enumerate().skip(li) {
            let at_end = line.end == content.len();
            let suffix = match line.fence_after {
                Some(f) if !at_end => f.close_len(content[..line.end].ends_with('\n')),
                _ => 0,
            };
            if line.end - s + prefix + suffix > max_bytes {
                if line.end - s + prefix > max_bytes {
                    break;
                }
                continue;
            }
            let full_enough = line.end - s >= max_bytes / 2 || at_end;
            let score = if at_end { 3 } else { i16::from(line.score) };
            let key = if full_enough { score } else { -1 };
            if best.is_none_or(|(k, _)| key >= k) {
                best = Some((key, j));
            }
        }
        if let Some((_, j)) = best {
            let line = &lines[j];
            let at_end = line.end == content.len();
            let close = line.fence_after.filter(|_| !at_end);
            pieces.push(Piece {
                source: content,
                range: s..line.end,
                reopen: open.map(|f| f.opener),
                close: close.map(|f| f.marker),
            });
            s = line.end;
            li = j + 1;
            open = close;
        } else {
            // One line longer than the budget: cut inside it.
            let line = &lines[li];
            let fence = line.fence_during;
            let budget = max_bytes - prefix - fence.map_or(0, |f| f.close_len(false));
            let cut = cut_inside(content, s, line.end, budget);
            pieces.push(Piece {
                source: content,
                range: s..cut,
                reopen: open.map(|f| f.opener),
                close: fence.map(|f| f.marker),
            });
            s = cut;
            open = fence;
        }
    }
    pieces
}

/// Splits `content` and renders every piece; see [`split`].
pub fn split_rendered(content: &str, max_bytes: usize, mode: SplitMode) -> Vec<String> {
    split(content, max_bytes, mode).iter().map(|p| p.render().into_owned()).collect()
}

/// A cut in `content[s..end]` at most `budget` bytes after `s`: after the last space in the
/// second half of the budget, else at the last character boundary.
fn cut_inside(content: &str, s: usize, end: usize, budget: usize) -> usize {
    let mut cut = (s + budget).min(end);
    while !content.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut half = (s + budget / 2).min(cut);
    while !content.is_char_boundary(half) {
        half -= 1;
    }
    if let Some(space) = content[half..cut].rfind(' ') {
        return half + space + 1;
    }
    if cut == s {
        // A budget smaller than one character cannot happen with MIN_SPLIT_BYTES, but never
        // loop: take the whole character.
        cut = s + content[s..].chars().next().map_or(1, char::len_utf8);
    }
    cut
}

fn scan(content: &str, mode: SplitMode, max_bytes: usize) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    let mut open: Option<Fence<'_>> = None;
    let mut start = 0;
    let mut prev_table = false;
    while start < content.len() {
        let end = content[start..].find('\n').map_or(content.len(), |i| start + i + 1);
        let text = content[start..end].trim_end_matches('\n').trim_end_matches('\r');
        let blank = text.trim().is_empty();
        let (fence_after, fence_during, in_code) = match mode {
            SplitMode::Text => (None, None, false),
            SplitMode::Markdown => match open {
                Some(f) => {
                    let closes = closes_fence(text, f.marker);
                    let after = if closes { None } else { Some(f) };
                    (after, Some(f), !closes)
                }
                None => match opens_fence(text, max_bytes) {
                    Some(f) => (Some(f), Some(f), true),
                    None => (None, None, false),
                },
            },
        };
        open = fence_after;
        let table = mode == SplitMode::Markdown && !in_code && text.trim_start().starts_with('|');
        lines.push(Line { end, fence_after, fence_during, score: 2 });
        if let Some(prev) = lines.len().checked_sub(2).map(|i| &mut lines[i]) {
            // Refine the score of the boundary before this line, now that both sides are known.
            if prev.fence_after.is_some() {
                prev.score = 0;
            } else if blank {
                prev.score = 3;
            } else if table && prev_table {
                prev.score = 1;
            }
        }
        if let Some(last) = lines.last_mut() {
            if fence_after.is_some() {
                last.score = 0;
            } else if blank {
                last.score = 3;
            }
        }
        prev_table = table;
        start = end;
    }
    lines
}

/// A fence opener (up to 3 spaces, then 3+ backticks or tildes; a backtick fence's info
/// string has no backtick). Fences too long to repeat within the limit are not repaired.
fn opens_fence(text: &str, max_bytes: usize) -> Option<Fence<'_>> {
    let indent = text.len() - text.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &text[indent..];
    let c = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let run = rest.len() - rest.trim_start_matches(c).len();
    if run < 3 || (c == '`' && rest[run..].contains('`')) {
        return None;
    }
    let marker = &rest[..run];
    // Repeating a long info string would eat the budget: reopen with the bare marker then.
    let opener = if text.len() <= max_bytes / 4 { text } else { marker };
    (marker.len() <= max_bytes / 8).then_some(Fence { opener, marker })
}

/// Whether `text` closes the fence `marker`: up to 3 spaces, at least as many of the same
/// character, then only whitespace.
fn closes_fence(text: &str, marker: &str) -> bool {
    let indent = text.len() - text.trim_start_matches(' ').len();
    if indent > 3 {
        return false;
    }
    let rest = &text[indent..];
    let Some(c) = marker.chars().next() else { return false };
    let run = rest.len() - rest.trim_start_matches(c).len();
    run >= marker.len() && rest[run..].trim().is_empty()
}

impl WebhookMessage {
    /// This message as one or more messages within WeCom's limits: a `text`, `markdown` or
    /// `markdown_v2` longer than its limit is cut by the [splitter](split) (a text's mentions go with the
    /// last piece, so the notification comes when everything has arrived); any other
    /// message, or content within the limit, comes back unchanged.
    ///
    /// ```
    /// use wecom_model::webhook::{WebhookMessage, WebhookText};
    ///
    /// let long: WebhookMessage = WebhookText::new("line\n".repeat(1000)).mention("lisi").into();
    /// let parts = long.split();
    /// assert_eq!(parts.len(), 3);
    /// assert!(parts.iter().all(|p| p.validate().is_ok()));
    /// ```
    pub fn split(self) -> Vec<WebhookMessage> {
        match self {
            Self::Text(t) if t.content.len() > TEXT_MAX_BYTES => {
                let mut parts = split_rendered(&t.content, TEXT_MAX_BYTES, SplitMode::Text);
                let last = parts.pop().unwrap_or_default();
                let mut out: Vec<WebhookMessage> =
                    parts.into_iter().map(|c| WebhookText::new(c).into()).collect();
                out.push(WebhookText { content: last, ..t }.into());
                out
            }
            Self::Markdown(m) if m.content.len() > MARKDOWN_MAX_BYTES => {
                split_rendered(&m.content, MARKDOWN_MAX_BYTES, SplitMode::Markdown)
                    .into_iter()
                    .map(|c| Markdown::new(c).into())
                    .collect()
            }
            Self::MarkdownV2(m) if m.content.len() > MARKDOWN_MAX_BYTES => {
                split_rendered(&m.content, MARKDOWN_MAX_BYTES, SplitMode::Markdown)
                    .into_iter()
                    .map(|c| MarkdownV2::new(c).into())
                    .collect()
            }
            other => vec![other],
        }
    }
}
