//! Parser tests: leniency about text forms, strictness about well-formedness.

use super::*;

fn root(xml: &str) -> Element {
    Element::parse(xml).unwrap()
}

#[test]
fn cdata_and_plain_text_mean_the_same() {
    let a = root("<xml><A><![CDATA[x & y]]></A><B>1</B></xml>");
    let b = root("<xml><A>x &amp; y</A><B><![CDATA[1]]></B></xml>");
    assert_eq!(a, b);
    assert_eq!(a.child_text("A"), Some("x & y"));
}

#[test]
fn indentation_next_to_cdata_or_children_is_not_text() {
    let e = root("<xml>\n  <A>\n    <![CDATA[v]]>\n  </A>\n  <B>  </B>\n</xml>");
    assert_eq!(e.text, "");
    assert_eq!(e.child_text("A"), Some("v"));
    // A whitespace-only value is kept when it is all the element holds.
    assert_eq!(e.child_text("B"), Some("  "));
}

#[test]
fn references_are_resolved_and_text_is_concatenated() {
    let e = root("<xml><A>a &lt;&#x4E2D;&#25991;&gt; &quot;b&apos;</A></xml>");
    assert_eq!(e.child_text("A"), Some("a <中文> \"b'"));
    let e = root("<xml><A>x<![CDATA[]]]]><![CDATA[>]]>y</A></xml>");
    assert_eq!(e.child_text("A"), Some("x]]>y"));
}

#[test]
fn line_endings_are_normalised() {
    assert_eq!(root("<xml><A>a\r\nb</A></xml>").child_text("A"), Some("a\nb"));
}

#[test]
fn structure_and_attributes_are_kept() {
    let e = root(r#"<xml><L a="1" b='x&amp;y'><item>1</item><item/><item>3</item></L></xml>"#);
    let l = e.child("L").unwrap();
    assert_eq!(l.attributes, vec![("a".into(), "1".into()), ("b".into(), "x&y".into())]);
    let items: Vec<&str> = l.children_named("item").map(|i| i.text.as_str()).collect();
    assert_eq!(items, ["1", "", "3"]);
}

#[test]
fn malformed_documents_are_errors() {
    for xml in [
        "",
        "   ",
        "text",
        "<xml>",
        "<xml></xmlx>",
        "<xml><a></xml>",
        "<xml></xml><xml></xml>",
        "<xml/><xml/>",
        "<xml></xml>trailing",
        "<xml>&unknown;</xml>",
        "<xml>&amp</xml>",
        "<xml>a & b</xml>",
        "<!DOCTYPE xml [<!ENTITY e \"x\">]><xml>&e;</xml>",
        "<?pi x?><xml/>",
        "<xml a=\"1\" a=\"2\"/>",
        "<xml a=1/>",
        "<![CDATA[x]]><xml/>",
        "</xml>",
        "<xml><!-- a -- b --></xml>",
    ] {
        assert!(matches!(Element::parse(xml), Err(ParseError::Xml(_))), "{xml:?} was accepted");
    }
}

#[test]
fn nesting_and_size_are_bounded() {
    let deep = format!("{}{}", "<a>".repeat(MAX_DEPTH + 1), "</a>".repeat(MAX_DEPTH + 1));
    assert!(Element::parse(&deep).is_err());
    let ok = format!("{}{}", "<a>".repeat(MAX_DEPTH - 1), "</a>".repeat(MAX_DEPTH - 1));
    assert!(Element::parse(&ok).is_ok());
    let wide = format!("<xml>{}</xml>", "<a/>".repeat(MAX_ELEMENTS));
    assert!(Element::parse(&wide).is_err());
}

#[test]
fn declaration_comments_and_surrounding_whitespace_are_fine() {
    let e = root("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- c --><xml><A>1</A></xml>\n");
    assert_eq!(e.child_text("A"), Some("1"));
}

#[test]
fn to_xml_reads_back_unchanged() {
    let original = root(
        "<xml a=\"1 &amp; &lt;2&gt; &quot;q&quot;\"><A>x ]]&gt; y &amp; z</A><B/><L><i>1</i><i>2</i></L></xml>",
    );
    let xml = original.to_xml();
    assert!(xml.contains("<A><![CDATA[x ]]]]><![CDATA[> y & z]]></A><B></B>"), "{xml}");
    assert_eq!(Element::parse(&xml).unwrap(), original);
}
