//! Tests of the hand-written envelope scanner and of the reply envelope.

use super::scan::{MAX_DEPTH, MAX_ENVELOPE_LEN, scan};
use super::*;

fn one(body: &str) -> Result<Option<&str>, Error> {
    scan(body, ["Encrypt"]).map(|[e]| e)
}

fn malformed(body: &str) -> String {
    match one(body) {
        Err(Error::MalformedEnvelope(why)) => why,
        other => panic!("{body:?} gave {other:?}"),
    }
}

#[test]
fn text_and_cdata_values_are_returned_as_written() {
    assert_eq!(one("<xml><Encrypt>QUJD</Encrypt></xml>").unwrap(), Some("QUJD"));
    assert_eq!(one("<xml><Encrypt><![CDATA[QUJD]]></Encrypt></xml>").unwrap(), Some("QUJD"));
    // Whitespace around a CDATA section is layout; around text it is part of the text (and
    // then fails Base64, as before).
    assert_eq!(one("<xml><Encrypt>\n  <![CDATA[QU/+]]>\n</Encrypt></xml>").unwrap(), Some("QU/+"));
    assert_eq!(one("<xml><Encrypt> QUJD </Encrypt></xml>").unwrap(), Some(" QUJD "));
    // CDATA may hold markup characters; an empty CDATA is a (bad) value, not a missing one.
    assert_eq!(one("<xml><Encrypt><![CDATA[a<b>&c]]></Encrypt></xml>").unwrap(), Some("a<b>&c"));
    assert_eq!(one("<xml><Encrypt><![CDATA[]]></Encrypt></xml>").unwrap(), Some(""));
    assert_eq!(one("<xml><Encrypt >QUJD</Encrypt ></xml >").unwrap(), Some("QUJD"));
}

#[test]
fn several_fields_are_found_in_any_order() {
    let body = "<xml><Nonce>n1</Nonce><TimeStamp>12</TimeStamp><Encrypt><![CDATA[QUJD]]></Encrypt>\
                <MsgSignature><![CDATA[ab]]></MsgSignature></xml>";
    let got = scan(body, ["Encrypt", "MsgSignature", "TimeStamp", "Nonce"]).unwrap();
    assert_eq!(got, [Some("QUJD"), Some("ab"), Some("12"), Some("n1")]);
    let partial = scan("<xml><Encrypt>QUJD</Encrypt></xml>", ["Encrypt", "Nonce"]).unwrap();
    assert_eq!(partial, [Some("QUJD"), None]);
}

#[test]
fn other_content_is_checked_but_ignored() {
    let body = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- from WeCom -->\n\
                <xml a=\"1\" b='x&amp;y'><ToUserName>a &amp; b &#20013; &#x4e2d;</ToUserName>\
                <Other><Deep><Encrypt>ignored</Encrypt></Deep></Other><Empty/><Empty2 />\
                <!-- <Encrypt>in a comment</Encrypt> --><AgentID><![CDATA[218]]></AgentID>\
                <Content>中文 ]]&gt; &lt;</Content><Encrypt><!--c-->QUJD<!--d--></Encrypt></xml>\n<!-- end -->\n";
    assert_eq!(one(body).unwrap(), Some("QUJD"));
}

#[test]
fn a_nested_encrypt_is_not_the_envelopes() {
    assert_eq!(one("<xml><Other><Encrypt>QUJD</Encrypt></Other></xml>").unwrap(), None);
    assert_eq!(one("<xml><a><b><c><Encrypt>QUJD</Encrypt></c></b></a></xml>").unwrap(), None);
}

#[test]
fn entities_inside_encrypt_are_refused_as_base64_and_elsewhere_must_be_well_formed() {
    for body in [
        "<xml><Encrypt>QU&amp;JD</Encrypt></xml>",
        "<xml><Encrypt>&#65;QUJD</Encrypt></xml>",
        "<xml><Encrypt>QUJD&e;</Encrypt></xml>",
    ] {
        assert!(matches!(one(body), Err(Error::Base64(_))), "{body}");
    }
    for body in [
        "<xml><A>a & b</A><Encrypt>QUJD</Encrypt></xml>",
        "<xml><A>&;</A><Encrypt>QUJD</Encrypt></xml>",
        "<xml><A>&#;</A><Encrypt>QUJD</Encrypt></xml>",
        "<xml><A>&#x;</A><Encrypt>QUJD</Encrypt></xml>",
        "<xml><A>&#12a;</A><Encrypt>QUJD</Encrypt></xml>",
        "<xml><A>&1a;</A><Encrypt>QUJD</Encrypt></xml>",
        "<xml><A b=\"&\">x</A><Encrypt>QUJD</Encrypt></xml>",
    ] {
        assert_eq!(malformed(body), "bad reference", "{body}");
    }
    let reply = "<xml><Encrypt>QUJD</Encrypt><Nonce>a&amp;b</Nonce></xml>";
    assert!(matches!(
        scan(reply, ["Encrypt", "Nonce"]),
        Err(Error::MalformedEnvelope(why)) if why == "entity reference inside Nonce"
    ));
}

#[test]
fn duplicated_or_split_values_are_refused() {
    assert_eq!(
        malformed("<xml><Encrypt>QUJD</Encrypt><A/><Encrypt>QUJD</Encrypt></xml>"),
        "more than one Encrypt element"
    );
    assert_eq!(
        malformed("<xml><Encrypt>QUJD</Encrypt><Encrypt/></xml>"),
        "more than one Encrypt element"
    );
    for body in [
        "<xml><Encrypt>QU<![CDATA[JD]]></Encrypt></xml>",
        "<xml><Encrypt><![CDATA[QU]]><![CDATA[JD]]></Encrypt></xml>",
        "<xml><Encrypt>QU<!--x-->JD</Encrypt></xml>",
    ] {
        assert_eq!(malformed(body), "Encrypt must hold one piece of text or one CDATA section");
    }
    for body in [
        "<xml><Encrypt>QU<b/>JD</Encrypt></xml>",
        "<xml><Encrypt><b>QUJD</b></Encrypt></xml>",
        "<xml><Encrypt>QUJD<?pi?></Encrypt></xml>",
    ] {
        assert_eq!(malformed(body), "Encrypt must contain text only", "{body}");
    }
    for body in [
        "<xml><Encrypt/></xml>",
        "<xml><Encrypt></Encrypt></xml>",
        "<xml><Encrypt> \n </Encrypt></xml>",
        "<xml><Encrypt><!-- --></Encrypt></xml>",
    ] {
        assert_eq!(malformed(body), "Encrypt element is empty", "{body}");
    }
}

#[test]
fn truncated_documents_are_incomplete() {
    let full = "<?xml version=\"1.0\"?><xml><ToUserName a=\"1\"><![CDATA[ww]]></ToUserName>\
                <!-- c --><Encrypt><![CDATA[QUJD]]></Encrypt></xml>";
    assert_eq!(one(full).unwrap(), Some("QUJD"));
    // Every proper prefix that is not just whitespace fails, and none panics.
    for cut in 1..full.len() {
        let e = one(&full[..cut]).unwrap_err();
        assert!(matches!(e, Error::MalformedEnvelope(_)), "{cut}: {e:?}");
    }
    assert_eq!(malformed("<xml><Encrypt>QUJD</Encrypt>"), "document is incomplete");
    assert_eq!(malformed("<xml><Encrypt>QUJD"), "document is incomplete");
    assert_eq!(malformed("<xml><Encrypt><![CDATA[QUJD]]"), "document is incomplete");
    assert_eq!(malformed("<xml><!-- c -"), "document is incomplete");
    assert_eq!(malformed("<xml a=\"1"), "document is incomplete");
}

#[test]
fn doctype_entities_and_processing_instructions_are_refused() {
    for body in [
        "<!DOCTYPE xml [<!ENTITY e \"x\">]><xml><Encrypt>QUJD</Encrypt></xml>",
        "<!doctype xml><xml><Encrypt>QUJD</Encrypt></xml>",
        "<xml><Encrypt>QUJD</Encrypt></xml><!DOCTYPE xml>",
    ] {
        assert_eq!(malformed(body), "document type declarations are not allowed", "{body}");
    }
    for body in [
        "<!ENTITY e \"x\"><xml><Encrypt>QUJD</Encrypt></xml>",
        "<xml><!ENTITY e \"x\"><Encrypt>QUJD</Encrypt></xml>",
        "<xml><!ELEMENT xml ANY><Encrypt>QUJD</Encrypt></xml>",
        "<xml><Encrypt><!ENTITY e \"x\">QUJD</Encrypt></xml>",
    ] {
        assert_eq!(malformed(body), "markup declarations are not allowed", "{body}");
    }
    for body in [
        "<?php echo 1 ?><xml><Encrypt>QUJD</Encrypt></xml>",
        "<xml><?pi x?><Encrypt>QUJD</Encrypt></xml>",
        "<xml><Encrypt>QUJD</Encrypt></xml><?xml version=\"1.0\"?>",
        "<!-- c --><xml></xml><?xml version=\"1.0\"?>",
    ] {
        assert_eq!(malformed(body), "processing instructions are not allowed", "{body}");
    }
}

#[test]
fn structure_errors_are_named() {
    assert_eq!(malformed("<root><Encrypt>QUJD</Encrypt></root>"), "root element is not <xml>");
    assert_eq!(malformed("<xml/>"), "root element is empty");
    assert_eq!(malformed("<xml></xml><xml></xml>"), "more than one root element");
    assert_eq!(malformed("<xml></xml>x"), "text outside the root element");
    assert_eq!(malformed("<![CDATA[x]]><xml></xml>"), "CDATA outside the root element");
    assert_eq!(malformed("</xml>"), "end tag without a start tag");
    assert_eq!(malformed("<xml><a></b></xml>"), "end tag does not match its start tag");
    assert_eq!(malformed("<xml><a></a ></xmlx>"), "end tag does not match its start tag");
    assert_eq!(malformed("<xml><1a/></xml>"), "invalid element or attribute name");
    assert_eq!(malformed("<xml><a b></a></xml>"), "bad attribute");
    assert_eq!(malformed("<xml><a b=c></a></xml>"), "attribute value must be quoted");
    assert_eq!(malformed("<xml><a b=\"<\"></a></xml>"), "`<` in an attribute value");
    assert_eq!(malformed("<xml><a b=\"1\"c=\"2\"></a></xml>"), "invalid start tag");
    assert_eq!(malformed("<xml><a/ ></xml>"), "invalid start tag");
    assert_eq!(malformed("<xml></xml x>"), "invalid end tag");
    assert_eq!(one("<xml></xml>").unwrap(), None);
}

#[test]
fn nesting_is_bounded() {
    let at_limit =
        format!("<xml>{}{}</xml>", "<a>".repeat(MAX_DEPTH - 1), "</a>".repeat(MAX_DEPTH - 1));
    assert_eq!(one(&at_limit).unwrap(), None);
    let deep = format!("<xml>{}{}</xml>", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
    assert_eq!(malformed(&deep), "elements nested too deeply");
    // A deep document that never closes is refused without growing anything.
    assert_eq!(malformed(&"<a>".repeat(100_000)), "root element is not <xml>");
    assert_eq!(malformed(&format!("<xml>{}", "<a>".repeat(100_000))), "elements nested too deeply");
}

#[test]
fn size_is_bounded() {
    let pad = " ".repeat(MAX_ENVELOPE_LEN - "<xml><Encrypt>QUJD</Encrypt></xml>".len());
    let at_limit = format!("<xml><Encrypt>QUJD</Encrypt>{pad}</xml>");
    assert_eq!(at_limit.len(), MAX_ENVELOPE_LEN);
    assert_eq!(one(&at_limit).unwrap(), Some("QUJD"));
    let over = format!("<xml><Encrypt>QUJD</Encrypt>{pad} </xml>");
    assert!(malformed(&over).starts_with("longer than"));
    assert!(matches!(extract_encrypt(over.as_bytes()), Err(Error::MalformedEnvelope(_))));
    let json = format!("{{\"encrypt\":\"QUJD\"{}}}", " ".repeat(MAX_ENVELOPE_LEN));
    assert!(matches!(extract_encrypt(json.as_bytes()), Err(Error::MalformedEnvelope(_))));
    // Huge unterminated constructs end in an error, in linear time.
    let huge = format!("<xml><Encrypt><![CDATA[{}", "A".repeat(MAX_ENVELOPE_LEN - 30));
    assert_eq!(malformed(&huge), "document is incomplete");
}

#[test]
fn reply_envelopes_xml_and_json() {
    let xml = "<xml>\n<Encrypt><![CDATA[QUJD]]></Encrypt>\n<MsgSignature><![CDATA[ab12]]></MsgSignature>\n\
               <TimeStamp>1409659813</TimeStamp>\n<Nonce><![CDATA[1372623149]]></Nonce>\n</xml>";
    let f = reply_fields(xml.as_bytes()).unwrap();
    assert_eq!(
        (&*f.encrypt, &*f.msg_signature, &*f.timestamp, &*f.nonce),
        ("QUJD", "ab12", "1409659813", "1372623149")
    );
    for json in [
        r#"{"encrypt":"QUJD","msgsignature":"ab12","timestamp":"1409659813","nonce":"1372623149"}"#,
        r#" {"nonce":"1372623149","timestamp":1409659813,"msgsignature":"ab12","encrypt":"QUJD","x":1}"#,
    ] {
        let f = reply_fields(json.as_bytes()).unwrap();
        assert_eq!(
            (&*f.encrypt, &*f.msg_signature, &*f.timestamp, &*f.nonce),
            ("QUJD", "ab12", "1409659813", "1372623149"),
            "{json}"
        );
    }
    let missing = |body: &str| reply_fields(body.as_bytes()).unwrap_err();
    assert_eq!(missing("<xml><MsgSignature>a</MsgSignature></xml>"), Error::MissingEncrypt);
    assert_eq!(
        missing("<xml><Encrypt>QUJD</Encrypt><TimeStamp>1</TimeStamp><Nonce>1</Nonce></xml>"),
        Error::MalformedEnvelope("reply has no MsgSignature".into())
    );
    assert_eq!(
        missing(r#"{"encrypt":"QUJD","msgsignature":"a","nonce":"1"}"#),
        Error::MalformedEnvelope("reply has no timestamp".into())
    );
    assert_eq!(missing(r#"{"msgsignature":"a"}"#), Error::MissingEncrypt);
    for body in [
        r#"{"encrypt":"QUJD","msgsignature":"a","timestamp":-1,"nonce":"1"}"#,
        r#"{"encrypt":"QUJD","msgsignature":"a","timestamp":true,"nonce":"1"}"#,
        r#"{"encrypt":"QUJD","encrypt":"QUJD","msgsignature":"a","timestamp":"1","nonce":"1"}"#,
        "<xml><Encrypt>QUJD</Encrypt><Nonce>1</Nonce><Nonce>2</Nonce></xml>",
        "<xml><Encrypt>QUJD</Encrypt><Nonce/></xml>",
        "",
        "reply",
    ] {
        assert!(matches!(missing(body), Error::MalformedEnvelope(_)), "{body}");
    }
}

/// A small deterministic generator (the tests need no statistical quality).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 =
            self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        // The high bits are the good ones; `n` is small.
        #[allow(clippy::cast_possible_truncation)]
        let r = (self.0 >> 33) as usize;
        r % n
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

/// A document shaped like the envelopes: a root, children with text or CDATA values, some
/// whitespace; then up to three random edits with markup fragments.
fn generated(rng: &mut Lcg) -> String {
    const NAMES: &[&str] =
        &["Encrypt", "Nonce", "TimeStamp", "MsgSignature", "ToUserName", "A", "xml"];
    const VALUES: &[&str] =
        &["QUJD", "", " ", "\n", "a b", "a]b", "]]", "a&amp;b", "&", "1409659589", "ww1"];
    const FRAGMENTS: &[&str] = &[
        "<",
        ">",
        "/",
        "&",
        "]",
        "]]>",
        "<![CDATA[",
        " ",
        "\n",
        "<xml>",
        "</xml>",
        "<Encrypt>",
        "</Encrypt>",
        "<Nonce>",
        "</Nonce>",
        "<A>",
        "</A>",
        "<!-- c -->",
        "<?xml version=\"1.0\"?>",
        "<Encrypt/>",
        "<Encrypt >",
        "</Encrypt >",
        "<B x='1'>",
        "</B>",
        "<![CDATA[]]>",
        "&amp;",
        "&#x41;",
        "<!DOCTYPE x>",
        "<?pi?>",
        "Encrypt",
        "xml",
        "<xml/>",
    ];
    let mut doc = String::new();
    doc.push_str(rng.pick(&["", " ", "\n"]));
    doc.push_str("<xml>");
    for _ in 0..rng.below(6) {
        let name = rng.pick(NAMES);
        let value = rng.pick(VALUES);
        doc.push_str(rng.pick(&["", "", "\n", " "]));
        if rng.below(2) == 0 {
            doc += &["<", name, "><![CDATA[", value, "]]></", name, ">"].concat();
        } else {
            doc += &["<", name, ">", value, "</", name, ">"].concat();
        }
    }
    doc.push_str("</xml>");
    doc.push_str(rng.pick(&["", "", "\n", " x"]));
    for _ in 0..rng.below(4) {
        let at = rng.below(doc.len() + 1);
        if rng.below(3) == 0 {
            let end = (at + 1 + rng.below(8)).min(doc.len());
            doc.replace_range(at.min(end)..end, "");
        } else {
            doc.insert_str(at, rng.pick(FRAGMENTS));
        }
    }
    doc
}

/// The fast path never decides differently from the general scanner: whatever it accepts, the
/// general scanner accepts with the same values. The test also checks that both kinds of
/// outcome occur often, so that it compares something.
#[test]
fn the_fast_path_agrees_with_the_general_scanner() {
    use super::scan::{scan_general, scan_plain};
    let mut rng = Lcg(0x5eed);
    let (mut fast, mut fallback) = (0, 0);
    for _ in 0..200_000 {
        let doc = generated(&mut rng);
        let one = ["Encrypt"];
        let four = ["Encrypt", "MsgSignature", "TimeStamp", "Nonce"];
        match scan_plain(&doc, one) {
            Some(found) => {
                fast += 1;
                assert_eq!(scan_general(&doc, one).ok(), Some(found), "{doc:?}");
            }
            None => fallback += 1,
        }
        if let Some(found) = scan_plain(&doc, four) {
            assert_eq!(scan_general(&doc, four).ok(), Some(found), "{doc:?}");
        }
    }
    assert!(fast > 20_000 && fallback > 20_000, "fast {fast}, fallback {fallback}");
}

#[test]
fn the_fast_path_takes_the_envelopes_wecom_sends() {
    use super::scan::scan_plain;
    let callback = "<xml><ToUserName><![CDATA[ww1]]></ToUserName><Encrypt><![CDATA[QU/+]]></Encrypt>\
                    <AgentID><![CDATA[218]]></AgentID></xml>";
    assert_eq!(scan_plain(callback, ["Encrypt"]), Some([Some("QU/+")]));
    let reply = "<xml>\n<Encrypt><![CDATA[QUJD]]></Encrypt>\n<MsgSignature><![CDATA[ab]]></MsgSignature>\n\
                 <TimeStamp>12</TimeStamp>\n<Nonce><![CDATA[n1]]></Nonce>\n</xml>\n";
    assert_eq!(
        scan_plain(reply, ["Encrypt", "MsgSignature", "TimeStamp", "Nonce"]),
        Some([Some("QUJD"), Some("ab"), Some("12"), Some("n1")])
    );
    // What it leaves to the general scanner.
    for doc in [
        "<?xml version=\"1.0\"?><xml><Encrypt>QUJD</Encrypt></xml>",
        "<xml><Encrypt >QUJD</Encrypt></xml>",
        "<xml><Encrypt>QUJD</Encrypt><Encrypt>QUJD</Encrypt></xml>",
        "<xml><Encrypt>  </Encrypt></xml>",
        "<xml><!-- c --><Encrypt>QUJD</Encrypt></xml>",
        "<xml><A><Encrypt>QUJD</Encrypt></A></xml>",
        "<xml><Encrypt>QUJD</Encrypt></xml><x/>",
    ] {
        assert_eq!(scan_plain(doc, ["Encrypt"]), None, "{doc:?}");
    }
}
