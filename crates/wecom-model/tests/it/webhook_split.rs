//! The splitter's promises, as properties over generated markdown and text: every rendered
//! piece within the limit, the raw pieces put together equal to the input, cuts on character
//! boundaries, code fences balanced in each piece, no cut inside a table row that fits.

use proptest::prelude::*;
use wecom_model::webhook::split::{Piece, SplitMode, split};
use wecom_model::webhook::{Markdown, WebhookMessage, WebhookText};

/// An open fence as an independent reader sees it: the fence character and run length.
fn fence_of(line: &str) -> Option<(char, usize, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let c = rest.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let run = rest.chars().take_while(|x| *x == c).count();
    (run >= 3).then_some((c, run, &rest[run..]))
}

/// Whether every code fence opened in `text` is closed in it.
fn fences_balanced(text: &str) -> bool {
    let mut open: Option<(char, usize)> = None;
    for line in text.lines() {
        match (open, fence_of(line)) {
            (None, Some((c, n, info))) if !(c == '`' && info.contains('`')) => open = Some((c, n)),
            (Some((c, n)), Some((c2, n2, rest)))
                if c == c2 && n2 >= n && rest.trim().is_empty() =>
            {
                open = None;
            }
            _ => {}
        }
    }
    open.is_none()
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,12}",
        "[告警服务发布回滚延迟]{1,6}",
        Just("✅".to_owned()),
        Just("**bold**".to_owned()),
    ]
}

fn text_line() -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 1..12).prop_map(|w| w.join(" "))
}

/// One markdown block, as lines.
fn block() -> impl Strategy<Value = Vec<String>> {
    prop_oneof![
        3 => prop::collection::vec(text_line(), 1..5),
        1 => text_line().prop_map(|l| vec![format!("## {l}")]),
        1 => (1usize..6).prop_map(|rows| {
            let mut t = vec!["| svc | p99 |".to_owned(), "| :--- | ---: |".to_owned()];
            t.extend((0..rows).map(|i| format!("| s{i} | {i}ms |")));
            t
        }),
        2 => (prop::sample::select(vec!["```", "```rust", "~~~", "````"]), prop::collection::vec(text_line(), 0..40))
            .prop_map(|(fence, body)| {
                let marker: String = fence.chars().take_while(|c| matches!(c, '`' | '~')).collect();
                let mut b = vec![fence.to_owned()];
                b.extend(body);
                b.push(marker);
                b
            }),
        1 => "[a-z ]{200,900}".prop_map(|l| vec![l]),
        1 => Just(vec![String::new()]),
    ]
}

fn document() -> impl Strategy<Value = String> {
    (prop::collection::vec(block(), 0..30), any::<bool>()).prop_map(|(blocks, crlf)| {
        let nl = if crlf { "\r\n" } else { "\n" };
        blocks.iter().map(|b| b.join(nl)).collect::<Vec<_>>().join(&format!("{nl}{nl}"))
    })
}

fn check_pieces(doc: &str, max: usize, mode: SplitMode) -> Result<(), TestCaseError> {
    let pieces = split(doc, max, mode);
    let mut joined = String::new();
    let mut pos = 0;
    for piece in &pieces {
        let rendered = piece.render();
        prop_assert!(rendered.len() <= max, "{} > {max}: {rendered:?}", rendered.len());
        prop_assert_eq!(piece.range().start, pos);
        prop_assert!(!piece.as_str().is_empty());
        prop_assert!(doc.is_char_boundary(piece.range().end));
        if mode == SplitMode::Markdown {
            prop_assert!(fences_balanced(&rendered), "unbalanced piece {rendered:?}");
        }
        pos = piece.range().end;
        joined.push_str(piece.as_str());
    }
    prop_assert_eq!(&joined, doc);
    // No cut inside a table row (all generated rows are far shorter than the limit).
    let mut start = 0;
    for line in doc.split_inclusive('\n') {
        let end = start + line.len();
        if line.trim_start().starts_with('|') {
            for piece in &pieces {
                let cut = piece.range().end;
                prop_assert!(!(start < cut && cut < end), "cut at {cut} inside row {line:?}");
            }
        }
        start = end;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn markdown_pieces_keep_every_promise(doc in document(), max in 64usize..700) {
        check_pieces(&doc, max, SplitMode::Markdown)?;
    }

    #[test]
    fn text_pieces_keep_every_promise(doc in document(), max in 32usize..700) {
        check_pieces(&doc, max, SplitMode::Text)?;
    }

    #[test]
    fn arbitrary_unicode_is_split_on_char_boundaries(doc in "\\PC{0,3000}", max in 32usize..300) {
        let pieces = split(&doc, max, SplitMode::Text);
        prop_assert_eq!(pieces.iter().map(Piece::as_str).collect::<String>(), doc.clone());
        prop_assert!(pieces.iter().all(|p| p.render().len() <= max));
    }
}

#[test]
fn a_code_block_that_fits_is_never_cut() {
    let code = format!("```sh\n{}```\n", "kubectl get pods\n".repeat(10));
    let doc = format!("{}\n\n{code}\n{}", "intro words ".repeat(25), "outro ".repeat(30));
    let pieces = split(&doc, 400, SplitMode::Markdown);
    assert!(pieces.len() > 1);
    assert!(pieces.iter().all(|p| !p.is_repaired()));
    assert!(pieces.iter().any(|p| p.as_str().contains(&code)), "{pieces:#?}");
}

#[test]
fn a_code_block_longer_than_the_limit_is_closed_and_reopened() {
    let doc = format!("```rust\n{}```\n", "let x = 1;\n".repeat(100));
    let pieces = split(&doc, 300, SplitMode::Markdown);
    assert!(pieces.len() >= 4);
    assert!(pieces[0].render().ends_with("\n```"));
    assert!(pieces[1].render().starts_with("```rust\n"));
    assert!(pieces.iter().all(|p| fences_balanced(&p.render())));
}

#[test]
fn cuts_prefer_blank_lines_between_blocks() {
    let para = "word ".repeat(30); // 150 bytes
    let doc = format!("{para}\n\n{para}\n\n{para}");
    let pieces = split(&doc, 400, SplitMode::Markdown);
    assert_eq!(pieces[0].as_str(), format!("{para}\n\n{para}\n\n"));
}

#[test]
fn long_messages_become_valid_messages_and_short_ones_stay() {
    let text: WebhookMessage = WebhookText::new("告警 ".repeat(1000)).mention("lisi").into();
    let parts = text.split();
    assert!(parts.len() > 1);
    for (i, part) in parts.iter().enumerate() {
        part.validate().unwrap();
        let WebhookMessage::Text(t) = part else { panic!("{part:?}") };
        assert_eq!(t.mentioned_list.is_empty(), i + 1 < parts.len(), "mentions on the last part");
    }
    let short: WebhookMessage = Markdown::new("# hi").into();
    assert_eq!(short.clone().split(), vec![short]);
    let empty = split("", 100, SplitMode::Text);
    assert!(empty.is_empty());
}
